"""The data and the picture behind a chart as files: CSV, XLSX and PNG (no Streamlit).

Spreadsheet programs run a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, so text from uploads (a region's narrative, a file name) could execute when
an analyst opens the download. Such text is written as text by the product's one
guard, :mod:`pipelines.core.safe_text`. Numbers stay numbers.
"""

from __future__ import annotations

import io
import math

import altair as alt
import pandas as pd
import vl_convert as vlc
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboard.charts.common import NUMBER_LOCALE
from pipelines.core.safe_text import csv_text, set_value


def _plain(value: object) -> object:
    """A value openpyxl can store: NaN/NaT -> None, numpy/pandas scalars -> Python."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            return value.item()
        except (AttributeError, ValueError):
            return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with BOM so Excel reads the accents; comma separated, dot decimals)."""
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = [csv_text(v) for v in safe[col]]
    return safe.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, sheet: str = "Data") -> bytes:
    """One sheet with a bold header; risky text stored as text, never as a formula."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31] or "Data"
    for c, col in enumerate(df.columns, start=1):
        set_value(ws.cell(row=1, column=c), str(col)).font = Font(bold=True)
    for r, row in enumerate(df.itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            set_value(ws.cell(row=r, column=c), _plain(value))
    for c, col in enumerate(df.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(len(str(col)) + 2, 12), 60)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def png_bytes(chart: alt.TopLevelMixin | dict, scale: float = 2, width: int = 900) -> bytes:
    """The chart as a PNG image (rendered by vl-convert, Indonesian number format).

    On screen a chart takes the page's width; an image gets ``width`` pixels unless
    the chart fixes its own width.
    """
    spec = dict(chart) if isinstance(chart, dict) else chart.to_dict()
    if spec.get("width") in (None, "container"):
        spec["width"] = width
    return vlc.vegalite_to_png(spec, scale=scale, format_locale=NUMBER_LOCALE)
