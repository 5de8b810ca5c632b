"""Parse what people really type into Excel cells and CSV fields.

Each parser returns ``(value, error)``: ``error`` is an Indonesian phrase describing
what is wrong with the cell (the caller adds where), ``None`` when the cell is fine.
A missing value (empty, ``-``) is ``(None, None)``.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

# What Excel shows in a cell whose formula failed (#N/A is an empty value: MISSING_TEXT).
EXCEL_ERRORS = {"#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
MISSING_TEXT = {"", "-", "–", "—", "n/a", "na", "#n/a"}
TRUE_TEXT = {"ya", "y", "1", "true", "benar", "sudah", "yes"}
FALSE_TEXT = {"tidak", "t", "0", "false", "salah", "belum", "no", "n", "tdk"}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_CURRENCY = re.compile(r"^rp\.?\s*", re.I)
_DIGITS = re.compile(r"^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# The largest figure a cell may hold: far above any real one, and within what the
# database stores (BIGINT for counts, DECIMAL(18, 2) for rupiah), so a typo such as
# 1e17 is refused at its cell instead of failing the whole file in the database.
MAX_COUNT = 10**12
MAX_AMOUNT = 10**15


def is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_TEXT


def is_empty(value: object) -> bool:
    """A parsed value that holds nothing: None, or pandas' empty cell (NaN, NA)."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def parse_number(
    value: object, *, percent: bool = False, limit: float = MAX_AMOUNT
) -> tuple[float | None, str | None]:
    """``1.234`` ``1.234.567`` ``1.234,5`` ``Rp 1.500.000`` and real numbers; ``85%``
    only where ``percent`` (a percentage column). A number beyond ``limit`` either way
    is refused: no real figure is that large."""
    if is_missing(value):
        return None, None
    if isinstance(value, bool):
        return None, f"'{value}' bukan angka"
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return None, f"'{value}' bukan angka"
        return _within(number, _show(number), limit)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return None, f"berisi tanggal/waktu ({value}), bukan angka"
    text = str(value).strip()
    s = _CURRENCY.sub("", text.lstrip("'")).replace(" ", "").replace("\xa0", "")
    if s.endswith("%"):
        if not percent:
            return None, (
                f"'{text}' berisi tanda persen, padahal kolom ini bukan persentase; isi "
                "angkanya saja"
            )
        s = s[:-1]
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = True, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(s):
        s = s.replace(".", "")
    if not _DIGITS.match(s):  # float() would take '1_000', 'inf', 'nan'
        if text.upper() in EXCEL_ERRORS:
            return None, f"'{text}' adalah galat rumus Excel, bukan angka"
        return None, f"'{_typed(text)}' bukan angka"
    number = float(s)
    if math.isinf(number):
        return None, f"'{text}' terlalu besar"
    return _within(-number if negative else number, text, limit)


def _within(number: float, shown: str, limit: float) -> tuple[float | None, str | None]:
    if abs(number) > limit:
        return None, (f"'{shown}' terlalu besar (paling besar {_thousands(limit)})")
    return number, None


def _typed(value: object, most: int = 40) -> str:
    """What was typed, cut short when long (a whole paragraph in a number column)."""
    text = str(value)
    return text if len(text) <= most else text[:most] + "…"


def _thousands(number: float) -> str:
    return f"{int(number):,d}".replace(",", ".")


def parse_count(value: object) -> tuple[int | None, str | None]:
    """A whole number >= 0 (people, units)."""
    number, error = parse_nonnegative(value, "jumlah tidak boleh kurang dari 0", MAX_COUNT)
    if error or number is None:
        return None, error
    if not float(number).is_integer():
        return None, f"'{_show(number)}' bukan bilangan bulat"
    return int(number), None


def parse_money(value: object) -> tuple[float | None, str | None]:
    number, error = parse_nonnegative(value, "anggaran tidak boleh kurang dari 0")
    return (None if number is None else round(number, 2)), error


def parse_nonnegative(
    value: object, hint: str = "isi angka 0 atau lebih", limit: float = MAX_AMOUNT
) -> tuple[float | None, str | None]:
    """A number >= 0; ``hint`` follows the complaint about a negative one."""
    number, error = parse_number(value, limit=limit)
    if error or number is None:
        return None, error
    if number < 0:
        return None, f"bernilai negatif ({_show(number)}); {hint}"
    return number, None


def parse_percent(value: object) -> tuple[float | None, str | None]:
    """A percentage >= 0: ``85``, ``85,5``, ``85%``."""
    number, error = parse_number(value, percent=True)
    if error or number is None:
        return None, error
    if number < 0:
        return None, f"bernilai negatif ({_show(number)}); isi angka 0 atau lebih"
    return number, None


def parse_bool(value: object) -> tuple[bool | None, str | None]:
    """``Ya/ya/YA /y/1/true`` -> True, ``Tidak/tidak/t/0/false`` -> False."""
    if is_missing(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    text = str(value).strip().lower()
    if text in TRUE_TEXT:
        return True, None
    if text in FALSE_TEXT:
        return False, None
    return None, f"'{_typed(value)}' bukan Ya atau Tidak"


def parse_code(value: object, *, upper: bool = False) -> tuple[str | None, str | None]:
    """A code with stray spaces removed; ``19.01`` typed as a number stays ``19.01``."""
    if is_missing(value):
        return None, None
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else f"{value:.2f}"
    else:
        text = re.sub(r"\s+", "", str(value)).lstrip("'")
    return (text.upper() if upper else text), None


def parse_year(value: object) -> tuple[int | None, str | None]:
    number, error = parse_number(value)
    if error or number is None:
        return None, error
    if not float(number).is_integer() or not 2000 <= number <= 2100:
        return None, f"tahun '{_show(number)}' tidak masuk akal; isi tahun empat angka, mis. 2025"
    return int(number), None


def parse_quarter(value: object) -> tuple[int | None, str | None]:
    """1-4, also ``TW 4``, ``IV``, ``Triwulan IV``."""
    if is_missing(value):
        return None, None
    if isinstance(value, str):
        text = re.sub(r"^(triwulan|tw|q)\s*", "", value.strip().lower())
        if text in ROMAN:
            return ROMAN[text], None
        value = text
    number, error = parse_number(value)
    if error:
        return None, error
    if number is None or not float(number).is_integer() or not 1 <= number <= 4:
        return None, f"triwulan '{_show(number)}' di luar 1-4"
    return int(number), None


def parse_text(value: object) -> tuple[str | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip(), None


def _show(number: float | None) -> str:
    """A number as people typed it: whole numbers without '.0', huge ones short."""
    if number is None:
        return ""
    if abs(number) >= 1e15:
        return f"{number:g}"
    return str(int(number)) if float(number).is_integer() else str(number)


def shown(value: object) -> str:
    """A parsed value in a message: 2026 (never 2026.0), text as it is."""
    if isinstance(value, float) and not math.isnan(value):
        return _show(value)
    return str(value)


PARSERS = {
    "kode": parse_code,
    "tahun": parse_year,
    "triwulan": parse_quarter,
    "count": parse_count,
    "money": parse_money,
    "number": parse_nonnegative,
    "percent": parse_percent,
    "bool": parse_bool,
    "text": parse_text,
}
