"""The SOP cycle for the Siklus SOP page (``pipelines.sop``): cached reads, and the
page's actions run as the logged-in person through the app's single writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pandas as pd

from dashboard.data import actor, cached, read, write
from pipelines.sop import cycle, definition, evidence, transitions
from pipelines.sop.performance import across_cycles

T = TypeVar("T")


@cached
def years() -> list[int]:
    return read(cycle.years)


@cached
def steps(tahun: int, today: dt.date) -> pd.DataFrame:
    return read(lambda db: cycle.steps(db, tahun, today=today))


@cached
def performance(today: dt.date) -> pd.DataFrame:
    return read(lambda db: across_cycles(db, today=today))


@cached
def sop_title() -> str:
    return read(lambda db: definition.current(db).judul)


@cached
def sop_versions() -> pd.DataFrame:
    return read(lambda db: pd.DataFrame(definition.versions(db)))


@cached
def sop_steps() -> pd.DataFrame:
    """The SOP in force, one row per step, as the page shows it."""
    current = read(definition.current)
    return pd.DataFrame(
        {
            "Langkah": [s.kode for s in current.steps],
            "Aktivitas": [s.aktivitas for s in current.steps],
            "Pelaku": [
                s.pelaku + (" (disimpulkan)" if s.pelaku_disimpulkan else "") for s in current.steps
            ],
            "Masukan": [s.masukan or "–" for s in current.steps],
            "Keluaran": [s.keluaran or "–" for s in current.steps],
            "Waktu baku": [s.waktu_baku for s in current.steps],
        }
    )


@cached
def step_extras(tahun: int, kode: str) -> dict[str, pd.DataFrame]:
    """Evidence, notes and revision loops of one step."""
    return read(
        lambda db: {
            "bukti": evidence.listing(db, tahun, kode),
            "catatan": transitions.notes(db, tahun, kode),
            "perbaikan": transitions.revisions(db, tahun, kode),
        }
    )


def evidence_file(bukti_id: int) -> tuple[str, bytes]:
    return read(lambda db: evidence.read(db, bukti_id))


def ubah(action: Callable[..., T], *args, **kwargs) -> T:
    """``action(db, *args, actor=<the logged-in person>, **kwargs)``: one of the cycle's
    changes (``pipelines.sop.cycle.start``, ``start_step``, ``attach``, ...)."""
    who = actor()
    return write(lambda db: action(db, *args, actor=who, **kwargs))


def muat_sop(nama_berkas: str, isi: bytes) -> definition.Sop:
    """Load another SOP (YAML) as a new version (administrators only)."""
    who = actor()
    definition.check_admin(who)
    return write(lambda db: definition.load_bytes(db, nama_berkas, isi, by=who.username))
