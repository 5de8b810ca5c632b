"""The Dokumen SPM and SPM Awards pages (AppTest on the demo): the demo's documents in
their statuses, the Biro verifying and sending back through the form, an uploader seeing
its own region only, and the ranked score with the next step per region."""

from __future__ import annotations

import pytest

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from tests.apptest import check_clean, run_app, texts

ANALIS = Actor("analis", "analis")
KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
OPD = Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes")
PIMPINAN = Actor("pimpinan", "pimpinan")


def _status(db_path, jenis: str, kode: str) -> str:
    with Database.open(db_path, read_only=True) as db:
        return db.scalar(
            "SELECT status FROM dokumen_spm WHERE jenis = ? AND kode_wilayah = ? AND tahun = 2025 "
            "ORDER BY id DESC LIMIT 1",
            [jenis, kode],
        )


def test_the_biro_sees_every_region_and_verifies_a_document(demo_db_path):
    at = run_app(demo_db_path, "dokumen.py", actor=ANALIS)
    check_clean(at)
    lengkap = at.dataframe[0].value.set_index("Kabupaten/Kota")
    assert len(lengkap) == 7
    assert lengkap.loc["Kabupaten Bangka"].tolist() == ["Diverifikasi", "Diajukan"]
    assert lengkap.loc["Kabupaten Bangka Tengah", "SK Tim Penerapan SPM"] == "Dikembalikan"
    assert lengkap.loc["Kabupaten Belitung Timur"].tolist() == ["Belum diunggah"] * 2
    docs = at.dataframe[1].value
    assert any("Lampiran susunan keanggotaan" in k for k in docs["Komentar"])
    assert len(at.dataframe[2].value) >= 3  # the demo's tahapan data dukung

    options = at.selectbox(key="periksa_id").options
    target = next(o for o in options if "Rencana Aksi (Perkada) Kabupaten Bangka" in o)
    at.selectbox(key="periksa_id").set_value(int(target.split()[0].lstrip("#")))
    at.button(key="FormSubmitter:dokumen_periksa-Simpan keputusan").click().run()
    check_clean(at)
    assert any("diverifikasi" in s.value for s in at.success)
    assert _status(demo_db_path, "rencana-aksi", "19.01") == "diverifikasi"


def test_sending_back_needs_a_comment(demo_db_path):
    at = run_app(demo_db_path, "dokumen.py", actor=ANALIS)
    at.radio(key="periksa_keputusan").set_value("Kembalikan")
    at.button(key="FormSubmitter:dokumen_periksa-Simpan keputusan").click().run()
    assert [e.value for e in at.error] == [
        "Tuliskan alasan pengembalian dokumen (minimal 10 karakter)."
    ]
    with Database.open(demo_db_path, read_only=True) as db:
        assert not db.scalar(
            "SELECT count(*) FROM audit_log WHERE aksi = 'ubah_status_dokumen_spm'"
        )


def test_an_uploader_sees_its_own_region_and_cannot_review(demo_db_path):
    at = run_app(demo_db_path, "dokumen.py", actor=KAB)
    check_clean(at)
    assert list(at.dataframe[0].value["Kabupaten/Kota"]) == ["Kabupaten Bangka"]
    assert set(at.dataframe[1].value["Wilayah"]) == {"Kabupaten Bangka"}
    assert "Periksa dokumen" not in texts(at)
    assert at.selectbox(key="unggah_wilayah").options == ["Kabupaten Bangka"]
    at.text_input(key="unggah_nomor").input("188.45/99/KPTS/2025")
    at.button(key="FormSubmitter:dokumen_unggah-Unggah dokumen").click().run()
    assert [e.value for e in at.error] == ["Pilih berkas dokumen terlebih dahulu."]


@pytest.mark.parametrize("actor", [PIMPINAN, OPD])
def test_leaders_and_opd_accounts_have_no_document_page(demo_db_path, actor):
    at = run_app(demo_db_path, "dokumen.py", actor=actor)
    assert "Kelengkapan dokumen" not in texts(at)


def test_awards_ranks_every_kabupaten_kota_with_its_next_step(demo_db_path):
    at = run_app(demo_db_path, "awards.py", actor=PIMPINAN)
    check_clean(at)
    at.selectbox(key="_w_tahun").set_value(2025).run()
    table = at.dataframe[0].value
    assert len(table) == 7 and list(table["Peringkat"]) == sorted(table["Peringkat"])
    assert table.columns[3:9].tolist() == [
        "IP-SPM (60)",
        "Anggaran (10)",
        "Tahapan (10)",
        "Tim (5)",
        "Rencana Aksi (5)",
        "Kepatuhan (10)",
    ]
    assert table["Langkah berikut"].str.contains("paling banyak menambah").all()
    status = dict(zip(table["Kabupaten/Kota"], table["Status data"], strict=True))
    assert status["Kabupaten Bangka Selatan"] == "belum diverifikasi (diajukan)"
    assert any("Data belum diverifikasi" in w.value for w in at.warning)


def test_awards_shows_an_uploader_its_own_region_only(demo_db_path):
    at = run_app(demo_db_path, "awards.py", actor=KAB)
    check_clean(at)
    assert list(at.dataframe[0].value["Kabupaten/Kota"]) == ["Kabupaten Bangka"]
    at = run_app(demo_db_path, "awards.py", actor=OPD)
    assert "Peringkat" not in texts(at)
