"""Files past the upload limits are refused before they are parsed, each with one
Indonesian sentence; huge numbers are refused at their cell; every file of a batch is
checked on its own; what people type arrives as they meant it (issue 18)."""

from __future__ import annotations

import os
import time
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.cli.root import cli
from pipelines.core import settings
from pipelines.ingest import worker
from pipelines.ingest.commit import ingest_file
from pipelines.ingest.limits import DEFAULTS, Limits
from tests.ingest import hostile
from tests.ingest.test_bad_files import HEADER, KAB, csv_file, row, template_filled, xlsx_file
from tests.ingest_helpers import ADMIN, ON_TIME, make_template, snapshot

ROOT = Path(__file__).resolve().parents[2]


def only_error(result) -> str:
    assert not result.accepted and len(result.errors) == 1, [p.text() for p in result.problems]
    return result.errors[0].message


# -- limits, before parsing ----------------------------------------------------------------
def test_zip_bomb_is_refused_by_its_unpacked_size(db, tmp_path):
    bomb = hostile.empty_rows_bomb(tmp_path / "bom.xlsx", HEADER)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    before = snapshot(db)
    start = time.process_time()
    result = ingest_file(db, bomb, ADMIN, today=ON_TIME)
    assert time.process_time() - start < 10
    assert only_error(result).startswith("Isi berkas setelah dibuka melebihi 50 MB")
    assert snapshot(db).keys() == before.keys()


@pytest.mark.parametrize("damage", ["cut", "garbage", "bad_data"])
def test_a_damaged_xlsx_is_refused_in_one_sentence(db, tmp_path, damage):
    from pipelines.ingest.readers import FileRefused, check_unpacked_size

    data = template_filled(db, tmp_path).read_bytes()
    if damage == "cut":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = b"PK\x03\x04" + b"\x00" * 200
    else:  # the compressed bytes of the first member spoiled, the directory intact
        data = data[:60] + bytes(b ^ 0x5A for b in data[60:400]) + data[400:]
    with pytest.raises(FileRefused, match="Berkas rusak sehingga tidak dapat dibuka"):
        check_unpacked_size(data, Limits())


@pytest.mark.parametrize("how", ["bzip2", "encrypted"])
def test_an_xlsx_not_stored_as_excel_stores_it_is_refused(db, tmp_path, how):
    import io
    import zipfile

    from pipelines.ingest.readers import FileRefused, check_unpacked_size

    source = zipfile.ZipFile(io.BytesIO(template_filled(db, tmp_path).read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2 if how == "bzip2" else 8) as zf:
        for info in source.infolist():
            zf.writestr(info.filename, source.read(info))
        if how == "encrypted":  # the encryption flag of the first member's entry
            zf.infolist()[0].flag_bits |= 0x1
    with pytest.raises(FileRefused, match="terkunci sandi atau dikompresi dengan cara lain"):
        check_unpacked_size(out.getvalue(), Limits())


def test_one_huge_cell_is_refused_before_it_is_read(db, tmp_path):
    path = hostile.huge_cell(tmp_path / "sel.xlsx", HEADER, 60 * 1024 * 1024)
    assert "melebihi 50 MB" in only_error(ingest_file(db, path, ADMIN, today=ON_TIME))


def test_a_cell_longer_than_the_limit_names_its_cell(db, tmp_path):
    path = hostile.huge_cell(tmp_path / "sel.xlsx", HEADER, 40_000)
    message = only_error(ingest_file(db, path, ADMIN, today=ON_TIME))
    assert message.startswith("Sel A2 berisi lebih dari 32.000 karakter")
    rows = [row(permasalahan="x" * 40_000)]
    message = only_error(ingest_file(db, csv_file(tmp_path / "a.csv", rows), ADMIN))
    assert message.startswith("Sel Q2 berisi lebih dari 32.000 karakter")


def test_empty_rows_past_the_row_limit(db, tmp_path):
    """Below the size limit, a sheet of many empty rows stops at the row limit."""
    path = hostile.empty_rows_bomb(tmp_path / "rows.xlsx", HEADER, rows=5_000)
    message = only_error(ingest_file(db, path, ADMIN, today=ON_TIME))
    assert message.startswith("Lembar 'Data' berisi lebih dari 5.000 baris")
    far = hostile.xlsx_with_sheet(
        tmp_path / "far.xlsx",
        HEADER,
        [b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'],
    )
    assert "lebih dari 5.000 baris" in only_error(ingest_file(db, far, ADMIN))


def test_a_cell_far_to_the_right_is_refused(db, tmp_path):
    path = hostile.xlsx_with_sheet(
        tmp_path / "wide.xlsx", HEADER, [b'<row r="2"><c r="XFD2" t="n"><v>1</v></c></row>']
    )
    message = only_error(ingest_file(db, path, ADMIN, today=ON_TIME))
    assert message.startswith("Baris 2 lembar 'Data' berisi sel di kolom XFD, melewati batas 200")


def test_duplicate_rows_past_the_row_limit(db, tmp_path):
    path = hostile.duplicate_rows_csv(tmp_path / "dup.csv", HEADER[:6], row()[:6], 200_000)
    start = time.process_time()
    message = only_error(ingest_file(db, path, ADMIN, today=ON_TIME))
    assert time.process_time() - start < 10
    assert message.startswith("Berkas CSV berisi lebih dari 5.000 baris")


def test_limits_are_settings(db, tmp_path):
    settings.save(db, {"unggah_baris_maks": 3}, by="test")
    path = csv_file(tmp_path / "a.csv", [row(code=c) for c in KAB])
    assert "lebih dari 3 baris" in only_error(ingest_file(db, path, ADMIN, today=ON_TIME))
    with pytest.raises(settings.SettingsError):
        settings.save(db, {"unggah_kolom_maks": 0}, by="test")


@pytest.mark.slow
def test_duplicates_are_found_in_one_pass(db, tmp_path):
    """60.000 rows of the same service (limit raised): every duplicate named with its
    first row in linear time (a rescan of all rows per duplicate took minutes)."""
    settings.save(db, {"unggah_baris_maks": 60_001}, by="test")
    path = hostile.duplicate_rows_csv(tmp_path / "dup.csv", HEADER[:6], row()[:6], 60_000)
    start = time.process_time()  # processor time: whatever else the machine runs
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    elapsed = time.process_time() - start
    dupes = [p for p in result.errors if "muncul dua kali" in p.message]
    assert len(dupes) == 59_999 and dupes[-1].row == 60_001
    assert (
        dupes[-1].message == "PEND-K-01 muncul dua kali (juga di baris 2); hapus salah satu baris."
    )
    assert elapsed < 15, elapsed


def test_streamlit_refuses_what_the_app_refuses():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == settings.defaults()["ukuran_berkas_maks_mb"]
    assert {k: settings.defaults()[k] for k in DEFAULTS} == DEFAULTS
    assert set(DEFAULTS) == set(settings.UPLOAD_LIMITS)
    assert set(settings.UPLOAD_LIMITS) <= set(settings.RANGES)  # each limit bounded


# -- the app's bounded worker ----------------------------------------------------------------
def test_worker_reads_a_file_like_the_library(db, tmp_path):
    path = template_filled(db, tmp_path)
    read = worker.read_bounded(path, Limits(), original_name="isi.xlsx")
    assert read.form == "spm-kabkota" and len(read.rows) == len(KAB) and not read.result.errors


def test_worker_past_its_time_is_stopped(tmp_path):
    bomb = hostile.empty_rows_bomb(tmp_path / "bom.xlsx", HEADER, rows=200_000)
    start = time.monotonic()
    read = worker.read_bounded(bomb, Limits(seconds=0.5, rows=10**6, content_mb=500))
    assert time.monotonic() - start < 10
    assert only_error(read.result).startswith(
        "Pemeriksaan berkas dihentikan karena melebihi 0,5 detik"
    )


def test_worker_past_its_memory_is_stopped(tmp_path):
    """200 cells of 1 MB inside generous limits, with the worker allowed too little memory
    to hold them (its imports alone take about 500 MB of address space)."""
    cell = b'<c t="inlineStr"><is><t>' + b"a" * (1 << 20) + b"</t></is></c>"
    path = hostile.xlsx_with_sheet(
        tmp_path / "sel.xlsx", HEADER, [b"<row>" + cell * 5 + b"</row>"] * 40
    )
    generous = Limits(cell_chars=10**9, memory_mb=700, content_mb=400)
    message = only_error(worker.read_bounded(path, generous).result)
    assert message.startswith("Pemeriksaan berkas dihentikan karena memerlukan lebih dari 700 MB")


def _idle_pids() -> set[int]:
    children = []
    while not worker._idle.empty():
        children.append(worker._idle.get_nowait())
    for child in children:
        worker._idle.put(child)
    return {c.proc.pid for c in children}


def test_workers_are_reused_and_a_stopped_one_replaced(db, tmp_path):
    """A file after another is read by the same warm child (no Python started per
    upload); a child stopped at its time bound is not reused, and the next file is read."""
    path = template_filled(db, tmp_path)
    worker.read_bounded(path, Limits())
    first = _idle_pids()
    read = worker.read_bounded(path, Limits())
    assert read.form == "spm-kabkota" and _idle_pids() == first
    bomb = hostile.empty_rows_bomb(tmp_path / "bom.xlsx", HEADER, rows=200_000)
    stopped = worker.read_bounded(bomb, Limits(seconds=0.5, rows=10**6, content_mb=500))
    assert only_error(stopped.result).startswith("Pemeriksaan berkas dihentikan")
    assert worker.read_bounded(path, Limits()).form == "spm-kabkota"
    alive = _idle_pids()
    assert len(alive) <= worker.SLOTS
    assert all(os.path.exists(f"/proc/{pid}") for pid in alive)


# -- huge numbers: at their cell, and a batch goes on ---------------------------------------
@pytest.mark.parametrize(
    "cell, typed",
    [("anggaran_rencana", "1e308"), ("jumlah_sasaran", "9300000000000000000"),
     ("anggaran_realisasi", "1e17")],
)  # fmt: skip
def test_huge_numbers_are_a_cell_galat(db, tmp_path, cell, typed):
    path = csv_file(tmp_path / "a.csv", [row(**{cell: typed})])
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    error = result.errors[0]
    assert len(result.errors) == 1 and error.cell == f"{chr(65 + HEADER.index(cell))}2"
    assert f"'{typed}' terlalu besar (paling besar " in error.message
    assert "basis data" not in error.message


def test_each_file_of_a_batch_is_checked_on_its_own(db_path, tmp_path):
    from pipelines.core import reference
    from pipelines.db.store import Database

    with Database.open(db_path) as db:
        reference.init_reference(db, by="test")
        good = template_filled(db, tmp_path)
    folder = tmp_path / "kiriman"
    folder.mkdir()
    csv_file(folder / "a_besar.csv", [row(code=c, anggaran_rencana="1e17") for c in KAB])
    (folder / "b_baik.xlsx").write_bytes(good.read_bytes())
    out = CliRunner().invoke(cli, ["ingest", "--db", str(db_path), str(folder)])
    assert out.exit_code == 1, out.output
    assert "a_besar.csv: DITOLAK (3 galat)" in out.output
    assert "b_baik.xlsx: DITERIMA sebagai pengiriman #" in out.output
    assert "Selesai: 1 dari 2 berkas diterima, 1 ditolak." in out.output


def test_a_batch_is_read_by_the_bounded_workers(db_path, tmp_path):
    """spm ingest FOLDER parses its files in the worker pool, within the time bound: a
    file past it is refused with the worker's sentence, the files around it are saved."""
    from pipelines.core import reference
    from pipelines.db.store import Database

    with Database.open(db_path) as db:
        reference.init_reference(db, by="test")
        settings.save(
            db,
            {"unggah_isi_maks_mb": 1000, "unggah_baris_maks": 2_000_000,
             "unggah_periksa_maks_detik": 1},
            by="test",
        )  # fmt: skip
        good = template_filled(db, tmp_path)
    folder = tmp_path / "kiriman"
    folder.mkdir()
    (folder / "a_baik.xlsx").write_bytes(good.read_bytes())
    hostile.empty_rows_bomb(folder / "b_bom.xlsx", HEADER, rows=400_000)
    out = CliRunner().invoke(cli, ["ingest", "--db", str(db_path), str(folder)])
    assert out.exit_code == 1, out.output
    assert "a_baik.xlsx: DITERIMA sebagai pengiriman #" in out.output
    assert "b_bom.xlsx: DITOLAK (1 galat)" in out.output
    assert "Pemeriksaan berkas dihentikan karena melebihi 1 detik" in out.output


# -- what people type ----------------------------------------------------------------------
def test_utf16_csv_is_read(db, tmp_path):
    """Excel's 'Unicode Text' (UTF-16 with tabs) and a UTF-16 CSV are read as meant."""
    rows = [row(code=c, permasalahan="Tenaga cuti (café)") for c in KAB]
    for name, sep in (("tab.txt.csv", "\t"), ("koma.csv", ",")):
        path = csv_file(tmp_path / name, rows, sep=sep, encoding="utf-16")
        result = ingest_file(db, path, ADMIN, today=ON_TIME, dry_run=True)
        assert result.accepted and not result.errors, [p.text() for p in result.problems]
        assert result.counts["baris"] == len(KAB)


@pytest.mark.parametrize(
    "typed, says",
    [("1_000", "'1_000' bukan angka"), ("50%", "'50%' berisi tanda persen")],
)
def test_underscores_and_percent_signs_in_counts_are_refused(db, tmp_path, typed, says):
    path = csv_file(tmp_path / "a.csv", [row(terlayani=typed)])
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert len(result.errors) == 1 and result.errors[0].cell == "F2"
    assert says in result.errors[0].message


def test_percent_in_a_percentage_column(db, tmp_path):
    t = make_template(db, tmp_path / "lppd.xlsx", form="lppd-ikk")
    from openpyxl import load_workbook

    from pipelines.ingest import templates

    wb = load_workbook(t)
    ws = wb["Data"]
    keys = [c.value for c in ws[templates.KEY_ROW]]
    ws.cell(templates.FIRST_DATA_ROW, keys.index("capaian") + 1).value = "87,5%"
    wb.save(tmp_path / "isi.xlsx")
    result = ingest_file(db, tmp_path / "isi.xlsx", ADMIN, today=ON_TIME, dry_run=True)
    assert result.accepted, [p.text() for p in result.problems]


def test_an_empty_code_is_said_so_never_nan(db, tmp_path):
    path = xlsx_file(tmp_path / "a.xlsx", [row(), row(code=None)])
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    texts = [p.message for p in result.problems]
    assert texts == [
        "Kode layanan kosong padahal baris ini berisi nilai; isi kode atau hapus baris."
    ]
    assert result.errors[0].cell == "D3"


def test_years_and_quarters_are_shown_as_whole_numbers(db, tmp_path):
    rows = [row(), row(code="KES-K-01", tw=4), row(code="PEND-K-02", tw=None)]
    result = ingest_file(db, xlsx_file(tmp_path / "a.xlsx", rows), ADMIN, today=ON_TIME)
    texts = " ".join(p.message for p in result.problems)
    assert "baris ini berisi 4 sedangkan baris sebelumnya 2" in texts
    assert ".0" not in texts


def test_a_template_year_is_never_shown_with_a_decimal_point(db, tmp_path):
    """One unreadable year cell in a template: that cell's galat only, never 'Tahun
    2025.0 tidak sesuai dengan templat (2025)' for the rows that are right."""
    from openpyxl import load_workbook

    from pipelines.ingest import templates

    path = template_filled(db, tmp_path)
    wb = load_workbook(path)
    ws = wb["Data"]
    keys = [c.value for c in ws[templates.KEY_ROW]]
    ws.cell(templates.FIRST_DATA_ROW, keys.index("tahun") + 1).value = "2025x"
    wb.save(path)
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert [p.message for p in result.errors] == [
        "Tahun: '2025x' bukan angka; perbaiki isian sel ini."
    ]
