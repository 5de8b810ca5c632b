"""No developer words in front of users: a human data version (the exact fingerprint
kept in the manifest), no raw None, no internal column keys, Indonesian numbers and
dates in messages, an explanation without "≥ 0 →", and no arrow on a category."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from dashboard.data import ingest as data_ingest
from pipelines.auth import deadlines
from pipelines.auth.access import Actor
from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.ingest.result import GALAT, IngestResult, Problem
from pipelines.ingest.validate import prepare
from pipelines.laporan import bundle, records
from pipelines.laporan.data import collect
from tests.apptest import check_clean, run_app, texts
from tests.ingest_helpers import ADMIN, fill, make_template

HUMAN_VERSION = "Data per 20 Januari 2026 09.37, 11 berkas"  # the demo's 2025 TW4
INTERNAL_KEY = re.compile(r"\b(jumlah|mutu|anggaran|tahap)_[a-z_]+")


def test_laporan_page_shows_a_human_data_version(demo_db_path):
    with Database.open(demo_db_path) as db:
        records.generate(db, 2025, 4, by="analis")
    at = run_app(demo_db_path, "laporan.py")
    check_clean(at)
    shown = texts(at)
    assert HUMAN_VERSION in shown
    assert "max_id" not in shown and "sha=" not in shown


def test_sheets_and_docx_cover_show_it_and_the_manifest_keeps_the_fingerprint(demo_db):
    data = collect(demo_db, 2025, 4)
    assert data.label_versi_data == HUMAN_VERSION
    for f in records.build_files(data):
        if f.jenis_berkas == "xlsx":
            wb = openpyxl.load_workbook(io.BytesIO(f.isi))
            for ws in wb.worksheets:
                sumber = ws["A3"].value
                assert sumber.startswith(f"Sumber: {HUMAN_VERSION};"), (f.nama_berkas, sumber)
                assert "max_id" not in sumber
        elif f.jenis_berkas == "docx":
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(f.isi)).paragraphs)
            assert HUMAN_VERSION in text and "max_id" not in text
    draft = records.generate(demo_db, 2025, 4, by="analis").laporan
    records.finalise(demo_db, draft["id"], by="analis", paksa=True)
    _, _, manifest = bundle.bundle_bytes(demo_db, draft["id"])
    assert manifest["versi_data"] == data.versi_data and data.versi_data.startswith("max_id=")
    assert manifest["data"] == HUMAN_VERSION


def test_problem_table_has_no_raw_none():
    result = IngestResult(
        "x.xlsx",
        problems=[
            Problem(GALAT, None, None, None, "Berkas tidak dapat dibuka."),
            Problem(GALAT, "Data", 12, "Jumlah terlayani (F)", "'abc' bukan angka", "F12"),
        ],
    )
    frame = data_ingest.problems_frame(result)
    assert frame.to_dict("records")[0] == {
        "Tingkat": "Galat",
        "Lembar": "–",
        "Baris": "–",
        "Kolom": "–",
        "Pesan": "Berkas tidak dapat dibuka.",
    }
    assert frame.loc[1, "Baris"] == "12"
    assert "None" not in frame.to_csv() and "nan" not in frame.to_csv().lower()


def test_validation_messages_use_labels_and_indonesian_numbers(demo_db, tmp_path):
    # 19.02 sent 2025 TW3: a TW4 file whose figures jump and fall against it.
    before = demo_db.dicts(
        "SELECT jumlah_sasaran, jumlah_terlayani FROM spm_data WHERE kode_wilayah = '19.02' "
        "AND tahun = 2025 AND triwulan = 3 AND kode_layanan = 'KES-K-02'"
    )[0]
    template = make_template(demo_db, tmp_path / "t.xlsx", region="19.02", year=2025, tw=4)
    path = fill(
        template,
        tmp_path / "isi.xlsx",
        {
            "KES-K-02": {  # one mutu pair per kelompok (the demo details KES-K-01)
                "jumlah_sasaran": before["jumlah_sasaran"] * 3,
                "jumlah_terlayani": 1,
                "mutu_sdm_kebutuhan": "sepuluh",
            }
        },
    )
    result = prepare(demo_db, path, ADMIN, today=dt.date(2026, 2, 1)).result
    messages = [p.message for p in result.problems] + [p.column or "" for p in result.problems]
    assert messages
    for text in messages:
        assert not INTERNAL_KEY.search(text), text
    jump = next(p.message for p in result.warnings if "berubah" in p.message)
    assert jump.startswith("Jumlah sasaran (penerima) berubah 200 % dari Triwulan III")
    sasaran = f"{before['jumlah_sasaran']:,}".replace(",", ".")
    assert f"({sasaran} menjadi" in jump
    fall = next(p.message for p in result.warnings if "lebih kecil" in p.message)
    assert fall.startswith("Jumlah terlayani (1) lebih kecil dari Triwulan III")
    bad = next(p for p in result.errors if "sepuluh" in p.message)
    assert bad.column.startswith("Mutu SDM: kebutuhan (")


def test_deadline_messages_write_dates_in_words(demo_db):
    kab = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
    from pipelines.auth.access import AccessDenied, check_upload

    with pytest.raises(AccessDenied) as refused:
        check_upload(
            demo_db,
            kab,
            form="spm-kabkota",
            kode_wilayah="19.01",
            year=2025,
            quarter=4,
            today=dt.date(2026, 2, 1),
        )
    assert "(20 Januari 2026)" in str(refused.value) and "20/1/2026" not in str(refused.value)
    with pytest.raises(deadlines.DeadlineError) as early:
        deadlines.beri_pengecualian(
            demo_db,
            ADMIN,
            form="spm-kabkota",
            kode_wilayah="19.01",
            tahun=2025,
            triwulan=4,
            batas_baru=dt.date(2026, 1, 5),
            alasan="Alasan yang cukup panjang",
        )
    assert "20 Januari 2026" in str(early.value)


def test_explain_names_the_band_not_zero(demo_db_path):
    result = CliRunner().invoke(
        cli,
        ["explain", "--db", str(demo_db_path), "--region", "19.01", "--year", "2025"]
        + ["--triwulan", "1", "--layanan", "PEND-K-01"],
    )
    assert result.exit_code == 0, result.output
    assert "Kategori: 32,75 < 60 → Belum Tuntas" in result.output
    assert "≥ 0 →" not in result.output
    middle = CliRunner().invoke(
        cli,
        ["explain", "--db", str(demo_db_path), "--region", "19.02", "--year", "2025"]
        + ["--triwulan", "4", "--layanan", "PEND-K-01"],
    )
    assert "Kategori: 80 ≤ 88,33 < 90 → Tuntas Madya" in middle.output


def test_telusuri_shows_the_category_without_an_arrow(demo_db_path):
    at = run_app(demo_db_path, "telusur.py")
    check_clean(at)
    metrics = {m.label: m for m in at.metric}
    assert metrics["Kategori"].value
    assert all(not m.proto.delta for m in at.metric)  # no arrow anywhere
