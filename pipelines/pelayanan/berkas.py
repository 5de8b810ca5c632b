"""Reading a user's CSV or XLSX file as rows with their row numbers (the standar
pelayanan and SKM files), with the ingest package's checks of the file itself (type,
size, encryption) and its CSV decoding; and the problems a file's result collects."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from pipelines.ingest.readers import META_SHEET, FileRefused, _decode_csv
from pipelines.ingest.result import GALAT, PERINGATAN, Problem

Rows = list[tuple[int, tuple]]


class Masalah:
    """The problems of a file's result (``problems``): galat refuse it, peringatan not."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == GALAT]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == PERINGATAN]


def read_rows(
    data: bytes, name: str, *, cap: int, holds: Callable[[Rows], bool], missing: str
) -> tuple[str, Rows, dict[str, str]]:
    """``(sheet, rows, metadata)``: a CSV's rows, or the first visible sheet of a
    workbook whose rows ``holds`` (its header is there); at most ``cap`` rows are read
    (the caller refuses more). ``missing`` says what to do when no sheet holds it."""
    if Path(name).suffix.lower() == ".csv":
        text = _decode_csv(data)
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows: Rows = []
        try:
            for i, r in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
                rows.append((i + 1, tuple(c if c.strip() else None for c in r)))
                if len(rows) > cap:
                    break
        except csv.Error as exc:
            raise FileRefused(f"Berkas CSV tidak dapat dibaca ({exc}); simpan ulang.") from None
        return "CSV", rows, {}
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for broken packages
        raise FileRefused(
            "Berkas rusak sehingga tidak dapat dibuka; buka dan simpan ulang di Excel sebagai "
            ".xlsx lalu unggah kembali."
        ) from None
    try:
        meta: dict[str, str] = {}
        if META_SHEET in wb.sheetnames:
            for row in wb[META_SHEET].iter_rows(max_row=20, values_only=True):
                if row and row[0] is not None and len(row) > 1 and row[1] is not None:
                    meta[str(row[0]).strip()] = str(row[1]).strip()
        for ws in wb.worksheets:
            if ws.title == META_SHEET or getattr(ws, "sheet_state", "visible") != "visible":
                continue
            rows = []
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                rows.append((i, values))
                if len(rows) > cap:
                    break
            if holds(rows):
                return ws.title, rows, meta
        raise FileRefused(missing)
    finally:
        wb.close()
