"""Settings for the Pengguna page (``pipelines.core.settings``): the values in force and
the administrator's change of the session and deadline settings."""

from __future__ import annotations

import pandas as pd

from dashboard.data import actor, cached, read, write
from pipelines.auth import deadlines, kalender, users
from pipelines.auth.access import Actor


@cached
def pengaturan(*, actor: Actor) -> dict:
    """The settings in force."""
    return read(lambda db: users.view_settings(db, actor)[0])


def ubah_akses(menit: int, hari: int, catatan: str | None) -> int:
    """Session length and quarterly deadline day as a new settings version."""
    who = actor()
    return write(
        lambda db: users.change_access_settings(
            db, who, sesi_kedaluwarsa_menit=menit, hari_batas_triwulan=hari, catatan=catatan
        )
    )


@cached
def kalender_batas(tahun: int | None) -> pd.DataFrame:
    """The deadlines set per period (``pipelines.auth.kalender``)."""
    return read(lambda db: kalender.daftar(db, tahun))


def tetapkan_batas(**fields) -> int:
    who = actor()
    return write(lambda db: deadlines.tetapkan_batas(db, who, **fields))


def hapus_batas(**fields) -> int:
    who = actor()
    return write(lambda db: deadlines.hapus_batas(db, who, **fields))
