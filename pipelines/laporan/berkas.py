"""File plumbing shared by the report writers: safe text, CSV, deterministic ZIPs.

- Spreadsheet safety: text typed by users (permasalahan, solusi, keterangan, ...) that
  begins with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return) must never
  become a formula: :mod:`pipelines.core.safe_text`, the guard every writer uses.
- Determinism: XLSX and DOCX files are ZIP archives whose entries carry the time they
  were written, and openpyxl/python-docx stamp "created/modified" with the current
  time. :func:`normalise_ooxml` rewrites both to a fixed time so the same inputs give
  the same bytes (and the same SHA-256).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

import pandas as pd

from pipelines.core.safe_text import csv_text

# A fixed, documented stamp for files whose data has no time of its own.
EPOCH = dt.datetime(2000, 1, 1)


def csv_value(value: object) -> object:
    """A figure as the CSV keeps it: None for missing, a plain Python number (floats
    rounded to 10 decimals, so the same data gives the same bytes) or the value as is.
    Numbers stay numbers: only text ever gets the formula guard of :func:`csv_text`."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalars
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 10)
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads it right), comma separated, safe text.

    Numbers are written as numbers (a negative change stays ``-1.27``); only text (a
    ``str``) that could start a formula gets the leading apostrophe."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else csv_text(v) for v in map(csv_value, row)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CORE_TIMES = re.compile(
    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)"
)


def normalise_ooxml(data: bytes, stamp: dt.datetime) -> bytes:
    """The same OOXML package with fixed entry times and created/modified = ``stamp``."""
    iso = stamp.replace(microsecond=0, tzinfo=None).isoformat().encode() + b"Z"
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(lambda m: m.group(1) + iso + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def deterministic_zip(files: Sequence[tuple[str, bytes]], stamp: dt.datetime) -> bytes:
    """A ZIP of ``files`` (name, bytes) in the given order with fixed entry times."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in files:
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()
