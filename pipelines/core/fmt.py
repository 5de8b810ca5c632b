"""Indonesian formatting of numbers and dates for everything a user reads."""

from __future__ import annotations

import datetime as dt
import math

BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
TRIWULAN_ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}


def angka(value: float | int | None, desimal: int = 0, kosong: str = "–") -> str:
    """``1234.5`` -> ``'1.234,5'`` (with ``desimal=1``); None/NaN -> ``kosong``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return kosong
    text = f"{float(value):,.{desimal}f}" if desimal else f"{round(float(value)):,d}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def persen(value: float | None, desimal: int = 2) -> str:
    return angka(value, desimal) if value is None else f"{angka(value, desimal)} %"


def rupiah(value: float | None) -> str:
    return "–" if value is None else f"Rp {angka(value, 0)}"


def tanggal(value: dt.date | dt.datetime | None, kosong: str = "–") -> str:
    """``date(2026, 11, 22)`` -> ``'22 November 2026'``."""
    if value is None:
        return kosong
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def waktu(value: dt.datetime | None, kosong: str = "–") -> str:
    """``'22 November 2026 14.05'`` (Indonesian uses a dot between hours and minutes)."""
    if value is None:
        return kosong
    return f"{tanggal(value)} {value.hour:02d}.{value.minute:02d}"


def triwulan(q: int | None) -> str:
    return "Tahunan" if q is None else f"Triwulan {TRIWULAN_ROMAWI[int(q)]}"


def kalimat(text: str) -> str:
    """The first letter upper case, the rest as written: ``'terlambat, s.d. 9 November
    2025'`` -> ``'Terlambat, s.d. 9 November 2025'`` (``str.capitalize`` would lower
    the month and any code in the text)."""
    return text[:1].upper() + text[1:]
