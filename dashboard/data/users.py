"""Accounts for the Pengguna page (``pipelines.auth.users``): the list, what an account
can be bound to, and the administrator's changes."""

from __future__ import annotations

import pandas as pd

from dashboard.data import actor, cached, read, write
from pipelines.auth import users
from pipelines.auth.access import Actor
from pipelines.core import reference, settings
from pipelines.db.store import Database


@cached
def daftar(*, actor: Actor) -> pd.DataFrame:
    """Every account (never the password hash); administrators only."""
    return read(lambda db: users.list_users(db, actor))


@cached
def pilihan_ikatan() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(the served province and its kabupaten/kota, the OPD) as (code, name) pairs."""

    def load(db: Database):
        prov = settings.served_province(db)
        kab = reference.kabkota(db, prov)
        opd = reference.opd(db)
        return (
            [(prov, reference.nama_wilayah(db, prov))]
            + list(zip(kab["kode"], kab["nama"], strict=True)),
            list(zip(opd["kode"], opd["nama"], strict=True)),
        )

    return read(load)


def tambah(**fields) -> Actor:
    who = actor()
    return write(lambda db: users.add_user(db, who, **fields))


def ubah_aktif(username: str, aktif: bool) -> None:
    who = actor()
    write(lambda db: users.set_active(db, who, username, aktif))


def reset_sandi(username: str, password: str) -> None:
    who = actor()
    write(lambda db: users.reset_password(db, who, username, password))
