"""Hostile upload files made on the spot (tests/ingest/test_hostile_files.py): a zip
bomb of a million empty rows, one huge cell, 200.000 duplicate rows, rows and columns
far out. Written in streams, so no hostile file ever sits whole in the test's memory."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def _repeat(piece: bytes, times: int) -> Iterable[bytes]:
    block = piece * 1000
    for _ in range(times // 1000):
        yield block
    yield piece * (times % 1000)


def xlsx_with_sheet(path: Path, header: list[str], body: Iterable[bytes]) -> Path:
    """A real .xlsx (made by openpyxl) whose first sheet, 'Data', holds the header row
    and then the row XML of ``body``."""
    wb = Workbook()
    wb.active.title = "Data"
    wb.active.append(header)
    base = io.BytesIO()
    wb.save(base)
    head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in header)
    with (
        zipfile.ZipFile(base) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for info in src.infolist():
            if info.filename != SHEET:
                out.writestr(info, src.read(info))
                continue
            with out.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData><row>' + head.encode() + b"</row>"
                )
                for chunk in body:
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return path


def empty_rows_bomb(path: Path, header: list[str], rows: int = 1_000_000) -> Path:
    """The reported file: an empty 20-cell row without r= attributes a million times,
    about 311 MB unpacked in a file of about 1 MB."""
    return xlsx_with_sheet(path, header, _repeat(b"<row>" + b"<c/>" * 20 + b"</row>", rows))


def huge_cell(path: Path, header: list[str], chars: int) -> Path:
    """One inline string cell of ``chars`` characters in the row under the header."""

    def body() -> Iterable[bytes]:
        yield b'<row><c t="inlineStr"><is><t>'
        yield from _repeat(b"a" * 1000, chars // 1000)
        yield b"a" * (chars % 1000) + b"</t></is></c></row>"

    return xlsx_with_sheet(path, header, body())


def duplicate_rows_csv(path: Path, header: list[str], row: list[object], n: int) -> Path:
    """The header and then ``row`` ``n`` times."""
    line = ",".join("" if v is None else str(v) for v in row) + "\n"
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for chunk in _repeat(line.encode(), n):
            f.write(chunk.decode())
    return path
