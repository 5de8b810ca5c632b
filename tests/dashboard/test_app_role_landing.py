"""Each role lands on its own latest period with data and on pages that make sense for
it; a page with nothing for a role says why in one true sentence (AppTest)."""

from __future__ import annotations

import pytest

from pipelines.auth.access import Actor
from pipelines.core import fmt
from tests.apptest import check_clean, run_app, texts

KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
OPD = Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes")
PIMPINAN = Actor("pimpinan", "pimpinan")


def test_kabkota_uploader_lands_on_its_own_periods(demo_db_path):
    at = run_app(demo_db_path, actor=KAB)  # no page: the role's home page
    check_clean(at)
    shown = texts(at)
    assert "Wilayah saya" in shown and "Kabupaten Bangka (19.01)" in shown
    assert "Ringkasan Capaian SPM" not in shown


def test_kabkota_uploader_starts_on_its_latest_reported_period(demo_db_path):
    # 19.01 has not reported 2025 TW4 (the province's latest): it starts on TW3.
    at = run_app(demo_db_path, "capaian.py", actor=KAB)
    check_clean(at)
    assert at.selectbox(key="_w_tahun").value == 2025
    assert at.selectbox(key="_w_triwulan").value == 3
    assert at.selectbox(key="_w_wilayah").options == ["Kabupaten Bangka (19.01)"]
    shown = texts(at)
    assert "belum melaporkan" not in shown
    assert "Kabupaten Bangka (19.01) — Triwulan III 2025" in shown
    assert len(at.dataframe[0].value) > 0


@pytest.mark.parametrize("actor", [KAB, OPD])
@pytest.mark.parametrize("page", ["ringkasan.py", "peta.py"])
def test_province_wide_pages_are_not_for_uploaders(demo_db_path, actor, page):
    at = run_app(demo_db_path, page, actor=actor)
    assert not at.exception, at.exception
    shown = texts(at)
    for false_sentence in ("tidak punya kabupaten/kota", "Belum ada laporan kabupaten/kota"):
        assert false_sentence not in shown
    assert "Ringkasan Capaian SPM" not in shown and "Peta IP-SPM" not in shown


def test_opd_sees_its_services_not_an_empty_province(demo_db_path):
    at = run_app(demo_db_path, "capaian.py", actor=OPD)
    check_clean(at)
    shown = texts(at)
    assert "belum melapor" not in shown
    assert "Pemerintah Provinsi Kepulauan Bangka Belitung (layanan kewenangan provinsi)" in shown
    services = at.dataframe[0].value
    assert set(services["Kode"]) <= {"KES-P-01", "KES-P-02"} and len(services) > 0
    # Its own count instead of a blank where the province's IP-SPM would be, and a
    # sentence instead of an empty progress chart (both services have no sasaran in TW4).
    assert [m.label for m in at.metric][0] == "Layanan dinilai"
    assert at.metric[0].value == "0"
    assert "tidak punya sasaran dan tidak ada yang terlayani pada 2025" in shown
    at = run_app(demo_db_path, "beranda.py", actor=OPD)
    check_clean(at)
    assert "Akun perangkat daerah melaporkan layanan SPM provinsi yang diampunya" in texts(at)
    assert "Belum ada IP-SPM kabupaten/kota" not in texts(at)


def test_opd_has_no_lppd_page(demo_db_path):
    at = run_app(demo_db_path, "lppd.py", actor=OPD)
    assert not at.exception
    assert "LPPD — Indikator Kinerja Kunci" not in texts(at)


def test_leaders_still_land_on_the_ringkasan(demo_db_path):
    at = run_app(demo_db_path, actor=PIMPINAN)
    check_clean(at)
    assert "Ringkasan Capaian SPM" in texts(at)


def test_wilayah_saya_writes_the_exception_date_as_a_date(demo_db_path):
    # The demo's 19.02 sent TW III late within an admin's exception: the sentence starts
    # with a capital and keeps the month's capital.
    at = run_app(demo_db_path, actor=Actor("kab-19.02", "pengunggah_kabkota", kode_wilayah="19.02"))
    check_clean(at)
    sent = list(at.table[0].value["Pengiriman"])
    late = [s for s in sent if "perpanjangan" in s]
    assert late and all(s.startswith("Terlambat, dengan perpanjangan s.d. ") for s in late)
    assert all(s.split()[-2] in fmt.BULAN for s in late), late
