"""Downloads: CSV and XLSX keep risky text as text, numbers as numbers; PNG is an image."""

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from dashboard.charts import exports

RISKY = ['=HYPERLINK("http://x")', "+62 812", "-1+1", "@SUM(A1)", "Kabupaten Bangka"]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "teks": RISKY,
            "angka": [1.5, -2.25, 0.0, None, 1234567.0],
            "jumlah": [1, 2, 3, 4, 5],
        }
    )


def test_csv_writes_formula_like_text_as_text_and_keeps_numbers():
    data = exports.csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["teks"] for r in rows] == [
        '\'=HYPERLINK("http://x")',
        "'+62 812",
        "'-1+1",
        "'@SUM(A1)",
        "Kabupaten Bangka",
    ]
    assert [r["angka"] for r in rows] == ["1.5", "-2.25", "0.0", "", "1234567.0"]


def test_xlsx_stores_formula_like_text_as_strings_not_formulas(tmp_path):
    path = tmp_path / "unduh.xlsx"
    path.write_bytes(exports.xlsx_bytes(frame(), sheet="Peringkat"))
    wb = load_workbook(path)
    ws = wb["Peringkat"]
    assert [c.value for c in ws[1]] == ["teks", "angka", "jumlah"]
    texts = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in texts] == RISKY
    assert all(c.data_type == "s" for c in texts)  # never 'f' (formula)
    numbers = [ws.cell(row=r, column=2).value for r in range(2, 7)]
    assert numbers == [1.5, -2.25, 0.0, None, 1234567.0]
    assert ws.cell(row=2, column=3).value == 1 and ws.cell(row=2, column=3).data_type == "n"


def test_xlsx_handles_dates_and_missing_values(tmp_path):
    df = pd.DataFrame(
        {"diunggah_pada": [pd.Timestamp("2025-12-31 14:05"), pd.NaT], "status": ["final", None]}
    )
    path = tmp_path / "d.xlsx"
    path.write_bytes(exports.xlsx_bytes(df))
    ws = load_workbook(path).active
    assert ws.cell(row=2, column=1).value.year == 2025
    assert ws.cell(row=3, column=1).value is None
    assert ws.cell(row=3, column=2).value is None
