"""Text users typed stays text in every spreadsheet the product writes.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a
tab / carriage return before one) as a formula, so an uploader's ``permasalahan``,
``solusi`` or ``data_dukung`` could become ``=HYPERLINK(...)`` or a DDE call in the
workbook an analyst opens. This module is the one guard every writer uses (templates,
error reports, reports, dashboard exports):

- XLSX: text is written as a text cell (``data_type 's'``, never ``'f'``) and risky
  text gets the quote prefix, so Excel keeps it as text when the cell is edited;
- CSV: risky text gets a leading apostrophe (the OWASP "CSV injection" advice).

Numbers stay numbers (a negative change is a number, not text).
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_risky_text(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet program could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_text(value: object) -> object:
    """A CSV cell value: risky text gets a leading apostrophe; other values unchanged."""
    if is_risky_text(value):
        return "'" + str(value)
    return value


def set_value(cell: Any, value: object) -> Any:
    """Put ``value`` in an openpyxl cell (normal or write-only); text is stored as text,
    never as a formula. Returns the cell."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_risky_text(value):
            cell.quotePrefix = True
    return cell


def keep_as_text(wb: Any) -> None:
    """Every text cell of every worksheet of ``wb`` as text: what openpyxl turned into
    a formula because it began with ``=`` becomes text again, and risky text gets the
    quote prefix. For workbooks that hold no formula of their own (templates, error
    reports); a writer with its own formulas uses :func:`set_value` per cell instead."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (cell.data_type == "f" or is_risky_text(value)):
                    set_value(cell, value)
