"""The SOP library and its cycles for the Siklus SOP and Pemantauan Kab/Kota pages
(``pipelines.sop``): cached reads (a cycle named by procedure, region and year), and the
pages' actions run as the logged-in person through the app's single writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pandas as pd

from dashboard.data import actor, cached, read, write
from pipelines.auth.access import Actor
from pipelines.core import reference, settings
from pipelines.db.store import Database
from pipelines.sop import cycle, definition, evidence, pantau, transitions
from pipelines.sop import performance as performance_sop
from pipelines.sop.step import PROVINSI, Ref

T = TypeVar("T")


@cached
def procedures() -> list[tuple[str, str, str]]:
    """``(kode, judul, tingkat)`` of every procedure in force."""
    return read(lambda db: [(p.kode, p.judul, p.tingkat) for p in definition.library(db)])


@cached
def kabkota() -> dict[str, str]:
    """The province's kabupaten/kota, code -> name."""
    frame = read(reference.kabkota)
    return dict(zip(frame["kode"], frame["nama"], strict=True))


@cached
def served_province() -> tuple[str, str]:
    def load(db) -> tuple[str, str]:
        prov = settings.served_province(db)
        return prov, reference.nama_wilayah(db, prov)

    return read(load)


@cached
def years(sop: str = PROVINSI, wilayah: str | None = None) -> list[int]:
    return read(lambda db: cycle.years(db, sop, wilayah))


@cached
def _cycle_steps(
    today: dt.date, sop: str, wilayah: str | None, actor: Actor
) -> dict[Ref, pd.DataFrame]:
    """Every cycle's steps the page compares, read once (the cycle shown is one of them)."""
    return read(
        lambda db: performance_sop.cycle_steps(
            db, today=today, sop=sop, wilayah=wilayah, actor=actor
        )
    )


@cached
def steps(sop: str, wilayah: str, tahun: int, today: dt.date, actor: Actor) -> pd.DataFrame:
    ref = Ref(sop, wilayah, tahun)
    found = _cycle_steps(today, sop, wilayah).get(ref)
    if found is not None:  # read with the others, for a cycle ``actor`` may see
        return found
    return read(lambda db: cycle.steps(db, ref, today=today, actor=actor))


@cached
def deadline(sop: str, wilayah: str, tahun: int) -> dt.date | None:
    return read(lambda db: cycle.deadline(db, Ref(sop, wilayah, tahun)))


def performance(today: dt.date, sop: str, wilayah: str | None) -> pd.DataFrame:
    return performance_sop.across(_cycle_steps(today, sop, wilayah))


@cached
def sop_title(sop: str = PROVINSI) -> str:
    return read(lambda db: definition.current(db, kode=sop).judul)


@cached
def sop_versions(sop: str = PROVINSI) -> pd.DataFrame:
    return read(lambda db: pd.DataFrame(definition.versions(db, sop)))


@cached
def sop_steps(sop: str = PROVINSI) -> pd.DataFrame:
    """The procedure in force, one row per step, as the page shows it."""
    current = read(lambda db: definition.current(db, kode=sop))
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
def step_extras(sop: str, wilayah: str, tahun: int, kode: str) -> dict[str, pd.DataFrame]:
    """Evidence, notes and revision loops of one step."""
    ref = Ref(sop, wilayah, tahun)
    return read(
        lambda db: {
            "bukti": evidence.listing(db, ref, kode),
            "catatan": transitions.notes(db, ref, kode),
            "perbaikan": transitions.revisions(db, ref, kode),
        }
    )


def evidence_file(bukti_id: int) -> tuple[str, bytes]:
    who = actor()
    return read(lambda db: evidence.read(db, bukti_id, actor=who))


# -- watching the kabupaten/kota ------------------------------------------------------------
@cached
def _pantauan(sop: str, tahun: int, today: dt.date, actor: Actor) -> dict[str, pd.DataFrame]:
    """The overview, the step matrix and the reminders from one read of the cycles."""

    def build(db: Database) -> dict[str, pd.DataFrame]:
        watched = pantau.watch(db, sop, tahun, today=today, actor=actor)
        frame = pantau.overview_of(watched)
        return {
            "overview": frame,
            "step_matrix": pantau.step_matrix_of(watched),
            "reminders": pantau.reminders_of(db, frame),
        }

    return read(build)


def overview(sop: str, tahun: int, today: dt.date) -> pd.DataFrame:
    return _pantauan(sop, tahun, today)["overview"]


def step_matrix(sop: str, tahun: int, today: dt.date) -> pd.DataFrame:
    return _pantauan(sop, tahun, today)["step_matrix"]


def reminders(sop: str, tahun: int, today: dt.date) -> pd.DataFrame:
    return _pantauan(sop, tahun, today)["reminders"]


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
