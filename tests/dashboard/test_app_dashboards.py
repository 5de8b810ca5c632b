"""The dashboard pages through the real entry file (AppTest): demo data, empty database,
filters kept across pages, the uploader's own region, the drill-down and downloads."""

import pytest

from pipelines.auth.access import Actor
from pipelines.capaian import completeness
from pipelines.capaian import dashboards as q
from pipelines.capaian.explain import explain
from pipelines.capaian.labels import RATA_KABKOTA
from pipelines.core import fmt
from pipelines.db.store import Database
from tests.apptest import check_clean, run_app, texts

PAGES = ["ringkasan.py", "capaian.py", "peta.py", "lppd.py", "kelengkapan.py"]
KAB_19_05 = Actor("kab-19.05", "pengunggah_kabkota", kode_wilayah="19.05")


def labels(at, kind: str = "download_button") -> list[str]:
    return [el.proto.label for el in at.get(kind)]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo_data_with_notes_and_downloads(demo_db_path, page):
    at = run_app(demo_db_path, page)
    check_clean(at)
    assert ":material/info:" in texts(at)  # the one-line note on how figures are computed
    buttons = labels(at)
    assert "CSV" in buttons and "XLSX" in buttons
    if page != "kelengkapan.py":
        assert "PNG" in buttons
    icons = {el.proto.icon for el in at.get("download_button")}
    assert icons == {":material/download:"}  # Material icons, never emoji


def test_ringkasan_shows_the_province_figures(demo_db_path):
    at = run_app(demo_db_path, "ringkasan.py")
    check_clean(at)
    with Database.open(demo_db_path, read_only=True) as db:
        prov = q.ip_spm_provinsi(q.provinsi(db), 2025, 4)
    metrics = {m.label: m for m in at.metric}
    assert metrics[RATA_KABKOTA.nama].value == fmt.angka(prov.nilai, 2)
    assert fmt.angka(prov.selisih_tahun_lalu, 2) in metrics[RATA_KABKOTA.nama].proto.delta
    assert prov.kategori in texts(at)
    shown = texts(at)
    for heading in (
        "Peringkat kabupaten/kota",
        "Nilai per urusan dan wilayah",
        "Tren IP-SPM per tahun",
        "Lima capaian layanan paling tertinggal",
        "Kelengkapan pelaporan",
    ):
        assert heading in shown
    assert "Triwulan IV 2025" in shown


def test_filters_are_kept_while_navigating(demo_db_path):
    at = run_app(demo_db_path, "ringkasan.py")
    at.selectbox(key="_w_tahun").set_value(2023).run()
    at.selectbox(key="_w_triwulan").set_value(2).run()
    assert "Triwulan II 2023" in texts(at)
    at.switch_page("app_pages/peta.py").run()
    check_clean(at)
    assert at.selectbox(key="_w_tahun").value == 2023
    assert at.selectbox(key="_w_triwulan").value == 2
    at.switch_page("app_pages/capaian.py").run()
    at.selectbox(key="_w_wilayah").set_value("19.03").run()
    at.switch_page("app_pages/ringkasan.py").run()
    at.switch_page("app_pages/capaian.py").run()
    check_clean(at)
    assert at.selectbox(key="_w_wilayah").value == "19.03"
    assert at.selectbox(key="_w_tahun").value == 2023
    assert "Triwulan II 2023" in texts(at)


def test_uploader_sees_their_own_region_by_default(demo_db_path):
    at = run_app(demo_db_path, "capaian.py", actor=KAB_19_05)
    check_clean(at)
    assert at.selectbox(key="_w_wilayah").value == "19.05"
    assert "Kabupaten Bangka Barat (19.05)" in texts(at)


def test_capaian_drills_down_from_province_to_the_submission(demo_db_path):
    at = run_app(demo_db_path, "capaian.py")
    check_clean(at)
    assert "IP-SPM kabupaten/kota — Triwulan IV 2025" in texts(at)
    at.selectbox(key="_w_wilayah").set_value("19.02").run()
    check_clean(at)
    table = at.dataframe[0].value
    assert len(table) == 29
    at.selectbox(key="_w_urusan").set_value("Kesehatan").run()
    assert len(at.dataframe[0].value) == 12
    at.selectbox(key="_w_layanan").set_value("KES-K-01").run()
    check_clean(at)
    with Database.open(demo_db_path, read_only=True) as db:
        exp = explain(db, "19.02", 2025, 4, "KES-K-01")
    shown = texts(at)
    assert "Asal angka: Pelayanan kesehatan ibu hamil" in shown
    assert "\n".join(exp.rumus) in [c.value for c in at.code]
    tables = "\n".join(t.value.to_string() for t in at.table)
    assert exp.submission["nama_berkas"] in tables
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Nilai layanan"] == fmt.angka(exp.nilai, 2)
    assert "Kemajuan per triwulan" in shown


def test_lppd_compares_one_ikk_across_regions(demo_db_path):
    at = run_app(demo_db_path, "lppd.py")
    check_clean(at)
    at.selectbox(key="_w_ikk").set_value("KES-01").run()
    check_clean(at)
    assert "Persentase ibu hamil" in texts(at)
    at.selectbox(key="_w_tahun_lppd").set_value(2022).run()
    check_clean(at)
    assert "Capaian IKK per wilayah dan urusan — 2022" in texts(at)


def test_peta_draws_the_shapes_with_a_table_beside(demo_db_path):
    at = run_app(demo_db_path, "peta.py")
    check_clean(at)
    assert "arahkan kursor ke wilayah" in texts(at)
    table = at.dataframe[0].value
    assert len(table) == 7 and "Kota Pangkal Pinang" in set(table["Wilayah"])
    assert "Tidak tampil di peta" not in texts(at)  # every Babel region has a shape


def test_uploader_sees_only_their_region(demo_db_path):
    at = run_app(demo_db_path, "capaian.py", actor=KAB_19_05)
    check_clean(at)
    assert at.selectbox(key="_w_tahun").value == 2025
    # Only its own region: the province-wide view is not an uploader's.
    assert at.selectbox(key="_w_wilayah").options == ["Kabupaten Bangka Barat (19.05)"]


def test_kelengkapan_shows_rates_per_form_region_and_opd(demo_db_path):
    at = run_app(demo_db_path, "kelengkapan.py")
    check_clean(at)
    with Database.open(demo_db_path, read_only=True) as db:
        per_form = completeness.ringkasan_kelengkapan(db, 2025, 4, per="form")
    metrics = {m.label: m.value for m in at.metric}
    kab = per_form.set_index("form").loc["spm-kabkota"]
    assert metrics["SPM kabupaten/kota"] == fmt.persen(kab["persen_diterima"], 1)
    shown = texts(at)
    assert "Per wilayah" in shown and "Per perangkat daerah provinsi" in shown
    assert f"{fmt.angka(kab['diterima'])} dari {fmt.angka(kab['diharapkan'])} diterima" in shown
    detail = at.dataframe[0].value
    assert len(detail) > 0
    assert all(
        s in {"tepat waktu", "terlambat", "belum dikirim"}
        or s.startswith("terlambat, dengan perpanjangan s.d. ")
        for s in detail["Status"]
    )
    at.selectbox(key="_w_triwulan_kelengkapan").set_value(0).run()
    check_clean(at)
    assert "semua triwulan 2025" in texts(at)
