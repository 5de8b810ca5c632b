"""Bad and messy files made here, each with its expected outcome and message.

Every refused file must leave the database exactly as it was (no partial data),
and every accepted messy file must store exactly the values a person meant.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from pipelines.core import settings
from pipelines.ingest import error_report
from pipelines.ingest.commit import ingest_file
from tests.ingest_helpers import ADMIN, ON_TIME, fill, make_template, snapshot, spm_values

KAB = ["PEND-K-01", "PEND-K-02", "KES-K-01"]
HEADER = [
    "kode_wilayah",
    "tahun",
    "triwulan",
    "kode_layanan",
    "jumlah_sasaran",
    "jumlah_terlayani",
    "mutu_barang_jasa_kebutuhan",
    "mutu_barang_jasa_tersedia",
    "mutu_sdm_kebutuhan",
    "mutu_sdm_tersedia",
    "anggaran_rencana",
    "anggaran_realisasi",
    "tahap_pengumpulan_data",
    "tahap_penghitungan_kebutuhan",
    "tahap_penyusunan_rencana",
    "tahap_pelaksanaan",
    "permasalahan",
    "solusi",
]


def row(code="PEND-K-01", region="19.01", tw=2, sasaran=100, terlayani=90, **kw) -> list:
    values = {
        "kode_wilayah": region,
        "tahun": 2025,
        "triwulan": tw,
        "kode_layanan": code,
        "jumlah_sasaran": sasaran,
        "jumlah_terlayani": terlayani,
        "mutu_barang_jasa_kebutuhan": 10,
        "mutu_barang_jasa_tersedia": 9,
        "mutu_sdm_kebutuhan": 2,
        "mutu_sdm_tersedia": 2,
        "anggaran_rencana": 1000000,
        "anggaran_realisasi": 500000,
        "tahap_pengumpulan_data": "Ya",
        "tahap_penghitungan_kebutuhan": "Ya",
        "tahap_penyusunan_rencana": "Ya",
        "tahap_pelaksanaan": "Tidak",
        "permasalahan": "Kurang tenaga",
        "solusi": "Tambah tenaga",
    }
    values.update(kw)
    return [values[k] for k in HEADER]


def csv_file(path: Path, rows: list[list], *, sep=",", encoding="utf-8", header=HEADER) -> Path:
    lines = [sep.join(header)] + [sep.join("" if v is None else str(v) for v in r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def xlsx_file(path: Path, rows: list[list], header=HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def template_filled(db, tmp_path, values=None, **kw) -> Path:
    t = make_template(db, tmp_path / "t.xlsx", **kw)
    return fill(t, tmp_path / "isi.xlsx", values if values is not None else spm_values(KAB))


# -- the cases: each builds a file and names the expected outcome ----------------------
def c_unknown_region(db, tmp):
    return (
        csv_file(tmp / "a.csv", [row(region="19.99")]),
        "galat",
        "Kode wilayah '19.99' tidak dikenal",
    )


def c_unknown_service(db, tmp):
    return (
        csv_file(tmp / "a.csv", [row(code="XYZ-K-01")]),
        "galat",
        "Kode layanan 'XYZ-K-01' tidak dikenal",
    )


def c_provincial_service_in_kab_file(db, tmp):
    rows = [row(), row(code="PEND-P-01")]
    return csv_file(tmp / "a.csv", rows), "galat", "layanan SPM provinsi, tidak boleh ada"


def c_kab_service_in_provincial_file(db, tmp):
    rows = [row(code="PEND-P-01", region="19"), row(code="KES-K-01", region="19")]
    return csv_file(tmp / "a.csv", rows), "galat", "layanan SPM kabupaten/kota, tidak boleh ada"


def c_triwulan_out_of_range(db, tmp):
    return csv_file(tmp / "a.csv", [row(tw=5)]), "galat", "triwulan '5' di luar 1-4"


def c_duplicate_keys(db, tmp):
    rows = [row(), row(code="KES-K-01"), row()]
    return csv_file(tmp / "a.csv", rows), "galat", "PEND-K-01 muncul dua kali (juga di baris 2)"


def c_negative_count(db, tmp):
    return csv_file(tmp / "a.csv", [row(terlayani=-5)]), "galat", "bernilai negatif (-5)"


def c_text_for_number(db, tmp):
    return csv_file(tmp / "a.csv", [row(sasaran="banyak")]), "galat", "'banyak' bukan angka"


def c_missing_required_cell(db, tmp):
    values = spm_values(KAB)
    values["KES-K-01"]["jumlah_sasaran"] = None
    path = template_filled(db, tmp, values)
    return path, "galat", "Sel wajib Jumlah sasaran (penerima) kosong"


def c_region_not_matching_template(db, tmp):
    path = template_filled(db, tmp)
    wb = load_workbook(path)
    ws = wb["Data"]
    for r in range(6, ws.max_row + 1):
        ws.cell(row=r, column=1, value="19.02")
    wb.save(path)
    return path, "galat", "Kode wilayah 19.02 tidak sesuai dengan templat (19.01)"


def c_corrupt_file(db, tmp):
    path = tmp / "rusak.xlsx"
    path.write_bytes(b"ini bukan berkas excel sama sekali" * 20)
    return path, "galat", "Berkas rusak"


def c_truncated_xlsx(db, tmp):
    good = template_filled(db, tmp)
    path = tmp / "terpotong.xlsx"
    path.write_bytes(good.read_bytes()[:3000])
    return path, "galat", "rusak"


def c_empty_file(db, tmp):
    path = tmp / "kosong.xlsx"
    path.write_bytes(b"")
    return path, "galat", "Berkas kosong"


def c_password_protected(db, tmp):
    path = tmp / "terkunci.xlsx"  # encrypted OOXML is an OLE compound file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    return path, "galat", "dilindungi kata sandi"


def c_no_header(db, tmp):
    path = tmp / "tanpa_judul.xlsx"
    wb = Workbook()
    for i in range(40):
        wb.active.append([f"catatan {i}", i, i * 2])
    wb.save(path)
    return path, "galat", "Baris judul kolom tidak ditemukan"


def c_empty_workbook(db, tmp):
    path = tmp / "lembar_kosong.xlsx"
    Workbook().save(path)
    return path, "galat", "tidak berisi data apa pun"


def c_over_size_limit(db, tmp):
    settings.save(db, {"ukuran_berkas_maks_mb": 0.001}, by="test")
    return template_filled(db, tmp), "galat", "melebihi batas 0.001 MB"


def c_xls(db, tmp):
    path = tmp / "lama.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    return path, "galat", "Format .xls tidak diterima"


def c_xlsm(db, tmp):
    path = tmp / "makro.xlsm"
    path.write_bytes(template_filled(db, tmp).read_bytes())
    return path, "galat", "Format .xlsm tidak diterima"


def c_formula_without_cached_value(db, tmp):
    path = template_filled(db, tmp)
    wb = load_workbook(path)
    wb["Data"]["G6"] = "=1000+1"  # openpyxl stores no cached value
    wb.save(path)
    return path, "galat", "Sel G6 berisi rumus tanpa nilai tersimpan"


def c_two_periods_in_one_file(db, tmp):
    rows = [row(), row(code="KES-K-01", tw=3)]
    return csv_file(tmp / "a.csv", rows), "galat", "Satu berkas hanya untuk satu triwulan"


def c_bad_yes_no(db, tmp):
    rows = [row(tahap_pelaksanaan="mungkin")]
    return csv_file(tmp / "a.csv", rows), "galat", "'mungkin' bukan Ya atau Tidak"


def c_fractional_count(db, tmp):
    return (
        csv_file(tmp / "a.csv", [row(sasaran="12,5")], sep=";"),
        "galat",
        "'12.5' bukan bilangan bulat",
    )


def c_unknown_ikk(db, tmp):
    header = ["kode_wilayah", "tahun", "kode_ikk", "capaian"]
    rows = [["19.01", 2024, "PEND-01", 90], ["19.01", 2024, "NGAWUR-99", 80]]
    return csv_file(tmp / "a.csv", rows, header=header), "galat", "Kode IKK 'NGAWUR-99'"


def c_lppd_without_capaian(db, tmp):
    header = ["kode_wilayah", "tahun", "kode_ikk", "pembilang", "penyebut", "capaian", "keterangan"]
    rows = [["19.01", 2024, "PEND-01", "", "", "", "belum ada data"]]
    return csv_file(tmp / "a.csv", rows, header=header), "galat", "Sel wajib Capaian kosong"


def c_template_not_filled(db, tmp):
    return template_filled(db, tmp, values={}, tw=3), "galat", "Tidak ada baris berisi data"


def c_uploader_wrong_region(db, tmp):
    return csv_file(tmp / "a.csv", [row(region="19.02")]), "galat", "hanya dapat mengunggah"


def c_duplicate_column(db, tmp):
    header = HEADER + ["jumlah_sasaran"]
    rows = [row() + [5]]
    return (
        csv_file(tmp / "a.csv", rows, header=header),
        "galat",
        "Kolom Jumlah sasaran (penerima) muncul dua kali",
    )


# Accepted, with warnings.
def c_terlayani_above_sasaran(db, tmp):
    return (
        csv_file(tmp / "a.csv", [row(sasaran=10, terlayani=12)]),
        "ok",
        "lebih besar dari jumlah sasaran",
    )


def c_empty_permasalahan(db, tmp):
    rows = [row(sasaran=10, terlayani=5, permasalahan="", solusi="")]
    return csv_file(tmp / "a.csv", rows), "ok", "permasalahan kosong"


def c_big_change_from_previous_triwulan(db, tmp):
    return (
        csv_file(tmp / "a.csv", [row(sasaran=1000, terlayani=900)]),
        "ok",
        "Jumlah sasaran (penerima) berubah 900 %",
    )


def c_extra_column(db, tmp):
    header = HEADER + ["Catatan internal"]
    return (
        csv_file(tmp / "a.csv", [row() + ["abc"]], header=header),
        "ok",
        "Kolom 'Catatan internal'",
    )


CASES = [
    c_unknown_region,
    c_unknown_service,
    c_provincial_service_in_kab_file,
    c_kab_service_in_provincial_file,
    c_triwulan_out_of_range,
    c_duplicate_keys,
    c_negative_count,
    c_text_for_number,
    c_missing_required_cell,
    c_region_not_matching_template,
    c_corrupt_file,
    c_truncated_xlsx,
    c_empty_file,
    c_password_protected,
    c_no_header,
    c_empty_workbook,
    c_over_size_limit,
    c_xls,
    c_xlsm,
    c_formula_without_cached_value,
    c_two_periods_in_one_file,
    c_bad_yes_no,
    c_fractional_count,
    c_unknown_ikk,
    c_lppd_without_capaian,
    c_template_not_filled,
    c_uploader_wrong_region,
    c_duplicate_column,
    c_terlayani_above_sasaran,
    c_empty_permasalahan,
    c_big_change_from_previous_triwulan,
    c_extra_column,
]


@pytest.fixture
def loaded(db, tmp_path):
    """A database already holding 19.01 2025 TW1 (so 'nothing written' is meaningful)."""
    values = spm_values(KAB, sasaran=100, terlayani=50)
    t = make_template(db, tmp_path / "tw1.xlsx", tw=1)
    first = ingest_file(db, fill(t, tmp_path / "tw1_isi.xlsx", values), ADMIN, today=ON_TIME)
    assert first.committed
    return db


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__[2:])
def test_bad_or_messy_file(loaded, tmp_path, case):
    db = loaded
    work = tmp_path / "case"
    work.mkdir()
    path, outcome, message = case(db, work)
    actor = ADMIN
    if case is c_uploader_wrong_region:
        from pipelines.auth.access import Actor

        actor = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
    before = snapshot(db)
    result = ingest_file(db, path, actor, today=ON_TIME)
    texts = [p.message for p in result.problems]
    assert any(message in t for t in texts), texts
    if outcome == "galat":
        assert not result.accepted and result.errors
        assert result.submission_id is None
        after = snapshot(db)
        for name in before:
            pd.testing.assert_frame_equal(before[name], after[name], obj=name)
        # Every problem says where and what to do, in Indonesian.
        report = error_report.build(path.read_bytes(), path.name, result)
        wb = load_workbook(io.BytesIO(report))
        assert wb.sheetnames[0] == "Daftar Masalah"
        listed = [r[5] for r in wb["Daftar Masalah"].iter_rows(min_row=5, values_only=True)]
        assert listed == [p.message for p in result.problems]
    else:
        assert result.accepted and result.committed, [p.text() for p in result.problems]
        assert not result.errors and result.warnings


def test_at_least_25_bad_or_messy_cases():
    assert len(CASES) >= 25


def test_error_report_highlights_the_offending_cells(db, tmp_path):
    values = spm_values(KAB)
    values["KES-K-01"]["jumlah_terlayani"] = "sepuluh"
    path = template_filled(db, tmp_path, values)
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert not result.accepted
    problem = next(p for p in result.errors if p.cell)
    assert problem.sheet == "Data" and problem.column.startswith("Jumlah terlayani (")
    wb = load_workbook(io.BytesIO(error_report.build(path.read_bytes(), path.name, result)))
    cell = wb["Data"][problem.cell]
    assert cell.fill.fgColor.rgb.endswith("FF9999")
    assert "sepuluh" in cell.comment.text
    assert wb["Daftar Masalah"]["E5"].value == problem.cell


# -- messy but meaningful files: every value must arrive as meant ----------------------------
def test_what_people_really_type_in_a_csv(db, tmp_path):
    header = HEADER
    rows = [
        row(
            code=" pend-k-01 ",
            region=" 19.01",
            tw="TW 2",
            sasaran="1.234",
            terlayani="1.234.567",
            anggaran_rencana="Rp 1.500.000",
            anggaran_realisasi="Rp. 1.234,5",
            tahap_pengumpulan_data="ya",
            tahap_penghitungan_kebutuhan="YA ",
            tahap_penyusunan_rencana="y",
            tahap_pelaksanaan="1",
            mutu_sdm_kebutuhan="-",
            mutu_sdm_tersedia="",
        ),
        row(
            code="KES-K-01",
            tahap_pengumpulan_data="Tidak",
            tahap_penghitungan_kebutuhan="t",
            tahap_penyusunan_rencana="0",
            tahap_pelaksanaan="false",
            sasaran="'250",
            terlayani="  250 ",
        ),
    ]
    path = csv_file(tmp_path / "bom.csv", rows, sep=";", encoding="utf-8-sig", header=header)
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert result.accepted, [p.text() for p in result.problems]
    got = db.df(
        "SELECT *, anggaran_rencana::DOUBLE AS ar, anggaran_realisasi::DOUBLE AS aq "
        "FROM spm_data ORDER BY kode_layanan"
    ).set_index("kode_layanan")
    pend = got.loc["PEND-K-01"]
    assert pend["kode_wilayah"] == "19.01" and pend["triwulan"] == 2
    assert (pend["jumlah_sasaran"], pend["jumlah_terlayani"]) == (1234, 1234567)
    assert (pend["ar"], pend["aq"]) == (1_500_000, 1234.5)
    assert [bool(pend[c]) for c in HEADER[12:16]] == [True, True, True, True]
    assert pd.isna(pend["mutu_sdm_kebutuhan"]) and pd.isna(pend["mutu_sdm_tersedia"])
    kes = got.loc["KES-K-01"]
    assert [bool(kes[c]) for c in HEADER[12:16]] == [False, False, False, False]
    assert kes["jumlah_sasaran"] == 250  # numbers stored as text, with a leading apostrophe


def test_windows_1252_csv(db, tmp_path):
    rows = [row(permasalahan="Tenaga kesehatan cuti (café)", sasaran="1.000", terlayani="900")]
    path = csv_file(tmp_path / "win.csv", rows, sep=";", encoding="cp1252")
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert result.accepted, [p.text() for p in result.problems]
    assert db.scalar("SELECT permasalahan FROM spm_data") == "Tenaga kesehatan cuti (café)"


def test_sheet_rebuilt_by_hand(db, tmp_path):
    """Header in row 5 under a merged title, labels in odd case and punctuation, blank and
    hidden rows, an extra column, the data on the second sheet."""
    wb = Workbook()
    wb.active.title = "Catatan"
    wb.active["A1"] = "Lembar ini hanya catatan."
    ws = wb.create_sheet("Isian SPM")
    ws["A1"] = "LAPORAN PENERAPAN SPM KABUPATEN BANGKA"
    ws.merge_cells("A1:H2")
    ws["A3"] = "Triwulan II 2025"
    labels = [
        "KODE WILAYAH",
        "Tahun",
        "Triwulan",
        "Kode Layanan",
        "Jumlah Sasaran (Penerima)",
        "jumlah-terlayani",
        "Keterangan dinas",
        "Permasalahan",
    ]
    for j, label in enumerate(labels, start=1):
        ws.cell(row=5, column=j, value=label)
    ws.append(["19.01", 2025, 2, "PEND-K-01", 500, 450, "ok", "Guru kurang"])
    ws.append([])
    ws.append(["19.01", "2025", "2", "KES-K-01", "1.200", "1.100", "", "Bidan kurang"])
    ws.append(["19.01", 2025, 2, "KES-K-02", 300, 300, "disembunyikan", None])
    ws.row_dimensions[9].hidden = True
    path = tmp_path / "manual.xlsx"
    wb.save(path)

    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert result.accepted, [p.text() for p in result.problems]
    assert result.counts["baru"] == 3
    assert any("Keterangan dinas" in p.message for p in result.warnings)
    assert db.rows(
        "SELECT kode_layanan, jumlah_sasaran, jumlah_terlayani FROM spm_data ORDER BY 1"
    ) == [
        ("KES-K-01", 1200, 1100),
        ("KES-K-02", 300, 300),
        ("PEND-K-01", 500, 450),
    ]


def test_formula_with_cached_value_is_read_by_its_value(db, tmp_path):
    path = xlsx_file(tmp_path / "rumus.xlsx", [row(sasaran="=400+600", terlayani=900)])
    # Give the formula a cached value, as Excel does when it saves.
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb"(<f>400\+600</f>)(<v\s*/>|<v></v>)?", rb"\1<v>1000</v>", parts[sheet])
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert result.accepted, [p.text() for p in result.problems]
    assert db.scalar("SELECT jumlah_sasaran FROM spm_data") == 1000


def test_an_excel_error_value_is_reported_at_its_cell(db, tmp_path):
    """A formula Excel saved as #DIV/0! is not an empty cell: the uploader is told which
    cell holds the error (the reader of values sees nothing there)."""
    path = xlsx_file(tmp_path / "galat.xlsx", [row(terlayani="=900/0")])
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet], found = re.subn(
        rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>900/0</f>(<v\s*/>|<v></v>)?</c>',
        rb'<c r="\1" t="e"><f>900/0</f><v>#DIV/0!</v></c>',
        parts[sheet],
    )
    assert found == 1
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert not result.accepted
    (problem,) = result.errors
    assert problem.column == "Jumlah terlayani (F)" and problem.row == 2
    assert problem.message.startswith("Jumlah terlayani: '#DIV/0!' adalah galat rumus Excel")


def test_sasaran_changed_within_the_year_is_a_warning(loaded, tmp_path):
    rows = [row(sasaran=120, terlayani=60)]  # TW1 had 100
    result = ingest_file(loaded, csv_file(tmp_path / "a.csv", rows), ADMIN, today=ON_TIME)
    assert result.accepted
    assert any("Jumlah sasaran berbeda dengan Triwulan I" in p.message for p in result.warnings)


def test_cumulative_value_falling_is_a_warning(loaded, tmp_path):
    rows = [row(sasaran=100, terlayani=10)]  # TW1 had 50 served: cumulative cannot fall
    result = ingest_file(loaded, csv_file(tmp_path / "a.csv", rows), ADMIN, today=ON_TIME)
    assert result.accepted
    assert any("kumulatif" in p.message for p in result.warnings)


def test_warnings_are_kept_with_the_submission_for_the_reviewer(db, tmp_path):
    from pipelines import review

    rows = [
        row(sasaran=10, terlayani=12),
        row(code="KES-K-01", sasaran=10, terlayani=5, permasalahan=""),
    ]
    result = ingest_file(db, csv_file(tmp_path / "a.csv", rows), ADMIN, today=ON_TIME)
    assert result.committed and len(result.warnings) == 2
    kept = review.peringatan(db, result.submission_id)
    assert sorted(kept["pesan"]) == sorted(p.message for p in result.warnings)
    assert set(kept["baris"]) == {2, 3} and set(kept["lembar"]) == {"CSV"}
