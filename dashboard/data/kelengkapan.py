"""Completeness and timeliness of reporting (``pipelines.capaian.completeness``), limited
to what the logged-in person may see: the Kelengkapan and Ringkasan pages, the
uploader's own periods (Wilayah saya) and the analyst's reminder list."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.data import cached, read
from pipelines.auth.access import Actor
from pipelines.capaian import completeness
from pipelines.capaian import dashboards as q


def ringkasan(
    tahun: int, triwulan: int | None, form: str | None = None, per: str = "form"
) -> pd.DataFrame:
    """Expected, received, on time, late, missing per ``per`` (form, wilayah, opd), from
    the rows of :func:`rinci` (read once for every grouping of a page)."""
    return completeness.ringkas(rinci(tahun, triwulan, form), per)


@cached
def rinci(
    tahun: int, triwulan: int | None, form: str | None = None, *, actor: Actor
) -> pd.DataFrame:
    """One row per expected report with its status."""
    return read(lambda db: completeness.kelengkapan(db, tahun, triwulan, form, actor=actor))


@cached
def pengingat(tahun: int | None, *, actor: Actor) -> pd.DataFrame:
    """Who still has to send (or fix) what in ``tahun``, most overdue first."""
    return read(lambda db: completeness.pengingat(db, tahun, None, None, actor=actor))


@cached
def tahun_tersedia() -> tuple[list[int], int]:
    """(years to offer, newest first: from the first submission's to this year;
    the year to show first: the newest with a submission)."""
    first, last = read(completeness.tahun_pengiriman)
    this_year = dt.date.today().year
    years = list(range(max(this_year, last or this_year), (first or this_year) - 1, -1))
    return years, last or this_year


def per_unit(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return q.kelengkapan_per_unit(frame, label)


def tabel(rinci: pd.DataFrame) -> pd.DataFrame:
    return q.tabel_kelengkapan(rinci)
