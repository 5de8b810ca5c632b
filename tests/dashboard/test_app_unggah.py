"""The Unggah Data page through the app's entry file (AppTest)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from pipelines.db.store import Database
from tests.apptest import run_app, texts
from tests.ingest_helpers import fill, make_template, spm_values

CODES = ["PEND-K-01", "KES-K-01"]


def good_file(db, tmp_path) -> bytes:
    template = make_template(db, tmp_path / "t.xlsx", region="19.02", year=2025, tw=3)
    return fill(template, tmp_path / "isi.xlsx", spm_values(CODES)).read_bytes()


def test_page_offers_template_and_upload(db, db_path):
    db.close()
    at = run_app(db_path, "unggah.py")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Unggah Data" in shown and "1. Unduh templat" in shown
    assert "Belum ada berkas yang dipilih." in shown
    assert "administrator" in shown.lower() or "Administrator" in shown
    at.button(key="tpl_make").click().run()
    assert not at.exception, at.exception
    assert at.download_button(key="tpl_download").label.startswith("Unduh spm-kabkota_19.01_")


def test_upload_shows_summary_first_then_saves(db, db_path, tmp_path):
    content = good_file(db, tmp_path)
    db.close()
    at = run_app(db_path, "unggah.py")
    at.file_uploader(key="upload_files").set_value(
        ("isi_1902.xlsx", content, "application/octet-stream")
    ).run()
    assert not at.exception, at.exception
    summary = at.table[0].value.reset_index()
    assert summary.loc[0, "Status"] == "Siap disimpan, terlambat"  # 2025 TW3 closed
    assert summary.loc[0, "Baris"].startswith("2 baru")
    assert summary.loc[0, "Laporan"] == "SPM kabupaten/kota · 19.02 · Triwulan III 2025"
    with Database.open(db_path, read_only=True) as check:
        assert check.scalar("SELECT count(*) FROM submission") == 0  # nothing saved yet
    save = next(b for b in at.button if b.label.startswith("Simpan"))
    save.click().run()
    assert not at.exception, at.exception
    assert "1 berkas tersimpan" in texts(at)
    with Database.open(db_path, read_only=True) as check:
        assert check.scalar("SELECT count(*) FROM spm_data WHERE kode_wilayah = '19.02'") == 2
        assert check.scalar("SELECT nama_berkas FROM submission") == "isi_1902.xlsx"


def test_refused_file_offers_an_error_report(db, db_path, tmp_path):
    db.close()
    at = run_app(db_path, "unggah.py")
    bad = b"kode_wilayah,tahun,triwulan,kode_layanan,jumlah_sasaran,jumlah_terlayani\n19.01,2025,2,PEND-K-01,abc,5\n"
    at.file_uploader(key="upload_files").set_value([("salah.csv", bad, "text/csv")]).run()
    assert not at.exception, at.exception
    assert "1 berkas ditolak" in texts(at)
    assert at.table[0].value.reset_index().loc[0, "Status"] == "Ditolak"
    problems = at.table[1].value  # a table: long messages wrap instead of being cut off
    assert any("'abc' bukan angka" in m for m in problems["Pesan"])
    assert not [b for b in at.button if b.label.startswith("Simpan")]
    report = at.download_button[0]
    assert report.label == "Unduh laporan galat (.xlsx)"
    with Database.open(db_path, read_only=True) as check:
        assert check.scalar("SELECT count(*) FROM submission") == 0


def test_error_report_bytes_are_a_workbook(db, tmp_path):
    from dashboard.data import ingest as data_ingest
    from pipelines.ingest.validate import prepare
    from tests.ingest_helpers import ADMIN

    path = tmp_path / "x.csv"
    path.write_text(
        "kode_wilayah,tahun,triwulan,kode_layanan,jumlah_sasaran,jumlah_terlayani\n19.01,2025,2,PEND-K-01,-1,5\n"
    )
    prepared = prepare(db, path, ADMIN)
    wb = load_workbook(io.BytesIO(data_ingest.error_report_bytes(prepared)))
    assert wb.sheetnames == ["Daftar Masalah", "CSV"]
    assert wb["CSV"]["E2"].fill.fgColor.rgb.endswith("FF9999")
