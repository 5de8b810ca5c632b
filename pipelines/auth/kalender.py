"""The deadline calendar (issue 14, point 4): the dates Kemendagri announces each year.

By the rule of :mod:`pipelines.auth.deadlines` a triwulan closes on day N (setting
``hari_batas_triwulan``) of the next month, on a working day. Kemendagri announces its
own dates (20 July, 20 October, 20 January were used; TW1 2024 was given as both 20 and
30 April), so the administrator sets a period's deadline here, for every form of the
period or for one form; a date for one form wins over the date for all. A date set here
is used as written (the administrator chose it), everywhere a deadline is used: the
lock of the upload page, the late flag of a submission, completeness and reminders.

Setting or removing a date (:func:`pipelines.auth.deadlines.tetapkan_batas`,
:func:`~pipelines.auth.deadlines.hapus_batas`) re-decides the late flag of the
submissions already sent for that period (and only those): lateness is measured against
the period's deadline, and an announcement that moves it moves who was on time.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

from pipelines.core import fmt
from pipelines.core.forms import FORM_LABELS
from pipelines.db.store import Database
from pipelines.errors import SpmError

YEARLY_FORMS = {"lppd-ikk"}  # forms with one period a year (triwulan 0 here)
SEMUA = ""  # the form key of a date for every form of the period
MAKS_HARI = 366  # a deadline more than a year after its period ends is a typo


class KalenderError(SpmError):
    """A deadline that cannot be set (Indonesian message)."""


def ditetapkan(db: Database, tahun: int, triwulan: int | None, form: str) -> dt.date | None:
    """The date set for this period and form (or for every form of the period), or None."""
    row = db.rows(
        "SELECT tanggal FROM kalender_batas WHERE tahun = ? AND triwulan = ? "
        "AND form IN (?, ?) ORDER BY form = ? LIMIT 1",
        [tahun, _tw(form, triwulan), form, SEMUA, SEMUA],
    )
    return row[0][0] if row else None


def semua(db: Database, tahun: int | None = None) -> dict[tuple[int, int, str], dt.date]:
    """Every date set (of year ``tahun``): (tahun, triwulan or 0, form or '') -> date."""
    rows = db.rows(
        "SELECT tahun, triwulan, form, tanggal FROM kalender_batas WHERE ? IS NULL OR tahun = ?",
        [tahun, tahun],
    )
    return {(t, q, f): d for t, q, f, d in rows}


def cari(
    dates: dict[tuple[int, int, str], dt.date], tahun: int, triwulan: int | None, form: str
) -> dt.date | None:
    """:func:`ditetapkan` over the dict of :func:`semua` (for many periods at once)."""
    q = _tw(form, triwulan)
    return dates.get((tahun, q, form)) or dates.get((tahun, q, SEMUA))


def daftar(db: Database, tahun: int | None = None) -> pd.DataFrame:
    """The dates set (of year ``tahun``), by period."""
    return db.df(
        "SELECT tahun, nullif(triwulan, 0) AS triwulan, nullif(form, '') AS form, tanggal, "
        "keterangan, ditetapkan_oleh, ditetapkan_pada FROM kalender_batas "
        "WHERE ? IS NULL OR tahun = ? ORDER BY tahun, triwulan, form",
        [tahun, tahun],
    )


def _tw(form: str, triwulan: int | None) -> int:
    return 0 if form in YEARLY_FORMS or triwulan is None else int(triwulan)


def period_end(tahun: int, triwulan: int | None) -> dt.date:
    """Last day of a triwulan (or of the year for yearly forms: ``triwulan`` None or 0)."""
    if not triwulan:
        return dt.date(tahun, 12, 31)
    month = triwulan * 3
    return dt.date(tahun, month, calendar.monthrange(tahun, month)[1])


def label(tahun: int, q: int, form: str) -> str:
    """'semua formulir Triwulan II 2025', 'LPPD ... tahun 2024'."""
    period = f"{fmt.triwulan(q)} {tahun}" if q else f"tahun {tahun}"
    return f"{FORM_LABELS[form]} {period}" if form else f"semua formulir {period}"
