"""The error report for a file: the uploaded workbook with the offending cells
highlighted (red: galat, yellow: peringatan, with the message as a comment) and a
first sheet ``Daftar Masalah`` listing every problem.

The report never holds a formula: text from the file (a CSV's cells, an XLSX's text
beginning with ``=``) stays text, and a formula of the uploaded workbook is replaced by
the value it had when saved (the value the check read), so opening the report runs
nothing (:mod:`pipelines.core.safe_text`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from pipelines.core.safe_text import keep_as_text, set_value
from pipelines.ingest.readers import _decode_csv
from pipelines.ingest.result import GALAT, IngestResult

ERROR_FILL = PatternFill("solid", fgColor="FF9999")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")
LIST_SHEET = "Daftar Masalah"
REVIEWER = "Pemeriksa SPM"  # the author of the comments this module writes


def _source_workbook(data: bytes, file_name: str) -> Workbook:
    if Path(file_name).suffix.lower() == ".csv":
        wb = Workbook()
        ws = wb.active
        ws.title = "CSV"
        text = _decode_csv(data)
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            ws.append(row)
        return wb
    try:
        wb = load_workbook(io.BytesIO(data))
        _formulas_to_values(wb, load_workbook(io.BytesIO(data), data_only=True))
        return wb
    except Exception:  # a corrupt file: the list of problems alone
        wb = Workbook()
        wb.active.title = "Berkas"
        wb.active["A1"] = "Berkas asli tidak dapat dibuka; lihat lembar Daftar Masalah."
        return wb


def _formulas_to_values(wb: Workbook, values: Workbook) -> None:
    """Each formula cell of ``wb`` holds the value saved with it (from ``values``, the
    same file read with ``data_only``) instead: the value the check read."""
    for ws in wb.worksheets:
        if ws.title not in values.sheetnames:
            continue
        cached = values[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # array and table formulas included
                    set_value(cell, cached[cell.coordinate].value)


def _forget_previous_report(wb: Workbook) -> None:
    """An error report uploaded again (fixed or not) is checked afresh: its old list
    sheet and the marks this module made on cells (fill and comment) go, so the new
    report never shows a stale problem beside the new ones (nor a 'Daftar Masalah1')."""
    if LIST_SHEET in wb.sheetnames:
        del wb[LIST_SHEET]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                comment = getattr(cell, "comment", None)
                if comment is None or comment.author != REVIEWER:
                    continue
                cell.comment = None
                # (a cell's fill is a proxy: compare it on the left)
                if cell.fill == ERROR_FILL or cell.fill == WARNING_FILL:
                    cell.fill = PatternFill()


def build(data: bytes, file_name: str, result: IngestResult) -> bytes:
    """The report workbook as bytes."""
    wb = _source_workbook(data, file_name)
    _forget_previous_report(wb)
    for problem in result.problems:
        if not problem.cell:
            continue
        sheet = problem.sheet if problem.sheet in wb.sheetnames else None
        if sheet is None:
            continue
        ws = wb[sheet]
        try:
            cell = ws[problem.cell]
        except (ValueError, KeyError, IndexError):
            continue
        if not hasattr(cell, "fill"):
            continue  # a merged cell
        galat = problem.level == GALAT
        if galat or cell.fill != ERROR_FILL:
            cell.fill = ERROR_FILL if galat else WARNING_FILL
        note = f"{'Galat' if galat else 'Peringatan'}: {problem.message}"
        if cell.comment is not None and cell.comment.author == REVIEWER:
            note = cell.comment.text + "\n" + note
        cell.comment = Comment(note, REVIEWER, width=320, height=120)

    ws = wb.create_sheet(LIST_SHEET, 0)
    ws.append([f"Laporan pemeriksaan berkas {file_name}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([result.summary()])
    ws.append([])
    ws.append(["Tingkat", "Lembar", "Baris", "Kolom", "Sel", "Pesan"])
    for c in ws[4]:
        c.font = Font(bold=True)
    for p in result.problems:
        ws.append(
            [
                "Galat" if p.level == GALAT else "Peringatan",
                p.sheet,
                p.row,
                p.column,
                p.cell,
                p.message,
            ]
        )
        fill = ERROR_FILL if p.level == GALAT else WARNING_FILL
        ws.cell(row=ws.max_row, column=1).fill = fill
    if not result.problems:
        ws.append(["-", None, None, None, None, "Tidak ada masalah."])
    for letter, width in zip("ABCDEF", (12, 14, 8, 30, 8, 100), strict=True):
        ws.column_dimensions[letter].width = width
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == LIST_SHEET
    keep_as_text(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def report_name(file_name: str) -> str:
    return f"{Path(file_name).stem}_laporan_galat.xlsx"


def write(path: Path, result: IngestResult, out_dir: Path) -> Path:
    """Write the report for ``path`` into ``out_dir``; returns the report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / report_name(result.file_name)
    try:
        data = Path(path).read_bytes()
    except OSError:
        data = b""
    out.write_bytes(build(data, result.file_name, result))
    return out
