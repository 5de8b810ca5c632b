"""The one working-day calendar: Monday to Friday without Indonesia's holidays.

Holidays come from the maintained ``holidays`` package (its Indonesian calendar:
public holidays and, with the setting ``cuti_bersama``, the government's joint leave
days), with the settings' ``libur_nasional`` on top: an entry ``"2026-12-31"`` (or
``{"tanggal": "2026-12-31", "nama": "..."}``) adds a day off, ``{"tanggal": ...,
"libur": false}`` makes a day from the package a working day again. The setting
``libur_resmi_otomatis: false`` leaves only ``libur_nasional``.

Used by the SOP's planned dates (:mod:`pipelines.sop`) and the upload deadlines
(:mod:`pipelines.auth.deadlines`: a deadline that falls on a day off moves to the next
working day, setting ``batas_geser_hari_kerja``). Pure: the caller passes the settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import holidays as holidays_package

from pipelines.errors import SpmError


class LiburError(SpmError):
    """A holiday setting that cannot be read (Indonesian message)."""


def parse_libur(values: Any) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """The settings' ``libur_nasional``: (days added with their names, days removed)."""
    if not isinstance(values, list):
        raise LiburError(
            "Pengaturan libur_nasional harus berupa daftar tanggal (YYYY-MM-DD) atau "
            '{"tanggal": ..., "libur": false} untuk membatalkan libur.'
        )
    added: dict[dt.date, str] = {}
    removed: set[dt.date] = set()
    for value in values:
        raw = value.get("tanggal") if isinstance(value, dict) else value
        try:
            day = dt.date.fromisoformat(str(raw))
        except ValueError:
            raise LiburError(
                f"Tanggal libur nasional '{raw}' tidak sah; tulis sebagai YYYY-MM-DD."
            ) from None
        if isinstance(value, dict) and value.get("libur", True) is False:
            removed.add(day)
        else:
            name = value.get("nama") if isinstance(value, dict) else None
            added[day] = str(name or "Libur (pengaturan)")
    return added, frozenset(removed)


@lru_cache(maxsize=64)
def _package_holidays(years: tuple[int, ...], cuti_bersama: bool) -> dict[dt.date, str]:
    categories = ("public", "government") if cuti_bersama else ("public",)
    found = holidays_package.Indonesia(years=years, categories=categories, language="id")
    return dict(found)


def holidays_for(settings: Mapping[str, Any], years: Iterable[int]) -> dict[dt.date, str]:
    """Days off (date -> name) in ``years`` by the settings in force, sorted."""
    wanted = tuple(sorted(set(years)))
    days: dict[dt.date, str] = {}
    if settings.get("libur_resmi_otomatis", True):
        days.update(_package_holidays(wanted, bool(settings.get("cuti_bersama", True))))
    added, removed = parse_libur(settings.get("libur_nasional", []))
    days.update({d: n for d, n in added.items() if d.year in wanted})
    return {d: days[d] for d in sorted(days) if d not in removed}


def calendar_for(settings: Mapping[str, Any], years: Iterable[int]) -> Calendar:
    """The working-day calendar of ``years`` by the settings in force."""
    return Calendar(holidays_for(settings, years))


class Calendar:
    """Working days (Monday-Friday minus holidays) and calendar periods."""

    def __init__(self, libur: Iterable[dt.date] | Mapping[dt.date, str] = ()) -> None:
        self.libur = frozenset(libur)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.libur

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, otherwise the first one after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def last_working_day(self, day: dt.date, not_before: dt.date) -> dt.date:
        """``day`` itself when it is a working day, otherwise the last one before it,
        but never before ``not_before``."""
        while day > not_before and not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` to ``end``, both included (0 when end < start)."""
        if end < start:
            return 0
        days = (end - start).days + 1
        weeks, rest = divmod(days, 7)
        count = weeks * 5
        for i in range(rest):
            if (start + dt.timedelta(days=weeks * 7 + i)).weekday() < 5:
                count += 1
        return count - sum(1 for h in self.libur if start <= h <= end and h.weekday() < 5)

    def end_of(self, start: dt.date, value: int, unit: str) -> dt.date:
        """Last day of a step of ``value`` ``unit`` starting on ``start`` (a working day).

        hari: the value-th working day counting ``start`` as the first; minggu
        (``start`` + 7·value days − 1) and bulan (same day value months later − 1):
        the last working day of that period, so no step is planned to end on a day off.
        """
        if unit == "hari":
            day, left = start, value - 1
            while left:
                day += dt.timedelta(days=1)
                if self.is_working_day(day):
                    left -= 1
            return day
        if unit == "minggu":
            return self.last_working_day(start + dt.timedelta(days=7 * value - 1), start)
        if unit == "bulan":
            return self.last_working_day(add_months(start, value) - dt.timedelta(days=1), start)
        raise LiburError(f"Satuan waktu '{unit}' tidak dikenal (hari, minggu, bulan).")

    def plan(
        self, start: dt.date, durations: list[tuple[int, str]]
    ) -> list[tuple[dt.date, dt.date]]:
        """Planned (start, end) of steps done one after another from ``start``.

        Each step starts on the first working day after the previous one ends.
        """
        out = []
        day = self.next_working_day(start)
        for value, unit in durations:
            end = self.end_of(day, value, unit)
            out.append((day, end))
            day = self.next_working_day(end + dt.timedelta(days=1))
        return out


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
