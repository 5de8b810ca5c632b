"""One step of a cycle: its code, its row, and how a change to it is written and audited.

The plumbing the SOP tracker's modules share (cycle, transitions, evidence, detect):
parse a step code (``'B3'``), fetch the step's row, refuse people who may not change a
cycle, write a change with who and when, close an open revision loop, audit.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError


class SiklusError(SpmError):
    """A cycle or step operation that cannot be done."""


def parse_step(code: str) -> tuple[str, int]:
    """``'B3'`` -> ``('B', 3)``."""
    match = re.fullmatch(r"\s*([A-Za-z]{1,3})\s*[-.]?\s*(\d{1,3})\s*", code or "")
    if not match:
        raise SiklusError(f"Kode langkah '{code}' tidak sah; tulis fase dan nomor, misalnya A1.")
    return match.group(1).upper(), int(match.group(2))


def label(row: dict) -> str:
    """The step's code (``'B3'``) from its row."""
    return f"{row['fase']}{row['nomor']}"


def check_can_edit(actor: Actor) -> None:
    if not actor.is_privileged:
        raise AccessDenied(
            "Hanya administrator dan analis Biro Pemerintahan yang dapat mengubah siklus SOP."
        )


def as_date(value: object) -> dt.date | None:
    """A stored date, timestamp or missing value as a date (or None)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def cycle(db: Database, tahun: int) -> dict | None:
    """Year ``tahun``'s cycle (``siklus`` row), None when it has not started."""
    if not db.table_exists("siklus"):
        return None
    rows = db.dicts("SELECT * FROM siklus WHERE tahun = ?", [tahun])
    return rows[0] if rows else None


def require_cycle(db: Database, tahun: int) -> None:
    if cycle(db, tahun) is None:
        raise SiklusError(
            f"Siklus tahun {tahun} belum dimulai; jalankan 'spm siklus start --year {tahun}'."
        )


def row(db: Database, tahun: int, kode: str) -> dict:
    """The step's ``siklus_langkah`` row; SiklusError naming the steps there are."""
    require_cycle(db, tahun)
    fase, nomor = parse_step(kode)
    rows = db.dicts(
        "SELECT * FROM siklus_langkah WHERE tahun = ? AND fase = ? AND nomor = ?",
        [tahun, fase, nomor],
    )
    if not rows:
        known = ", ".join(
            f"{f}{n}"
            for f, n in db.rows(
                "SELECT fase, nomor FROM siklus_langkah WHERE tahun = ? ORDER BY fase, nomor",
                [tahun],
            )
        )
        raise SiklusError(f"Langkah {fase}{nomor} tidak ada di siklus {tahun}; pilihan: {known}.")
    return rows[0]


def update(db: Database, step: dict, actor: Actor, **values: object) -> None:
    """Set columns of the step's row, with who changed it and when."""
    cols = ", ".join(f"{k} = ?" for k in values)
    db.execute(
        f"UPDATE siklus_langkah SET {cols}, diubah_oleh = ?, diubah_pada = current_timestamp "
        "WHERE tahun = ? AND fase = ? AND nomor = ?",
        [*values.values(), actor.username, step["tahun"], step["fase"], step["nomor"]],
    )


def record(
    db: Database, actor: Actor, aksi: str, tahun: int, kode: str | None, keterangan: str | None
) -> None:
    """Audit a change to the cycle (``kode`` None) or one of its steps."""
    objek = f"siklus {tahun}" + (f" langkah {kode}" if kode else "")
    audit.record(db, actor, aksi, objek, keterangan=keterangan)


def of_cycle(db: Database, select: str, tahun: int, kode: str | None, order: str) -> pd.DataFrame:
    """The rows of ``select`` (a query on a table keyed by tahun, fase, nomor) of cycle
    ``tahun`` and, when given, of step ``kode``, ordered by ``order``."""
    sql, params = f"{select} WHERE tahun = ?", [tahun]
    if kode:
        fase, nomor = parse_step(kode)
        sql += " AND fase = ? AND nomor = ?"
        params += [fase, nomor]
    return db.df(f"{sql} ORDER BY {order}", params)


def open_revision(db: Database, tahun: int, fase: str, nomor: int) -> dict | None:
    """The step's revision loop still waiting for the revised document, if any."""
    rows = db.dicts(
        "SELECT * FROM siklus_perbaikan WHERE tahun = ? AND fase = ? AND nomor = ? "
        "AND selesai IS NULL",
        [tahun, fase, nomor],
    )
    return rows[0] if rows else None


def close_revision(db: Database, step: dict, when: dt.date) -> None:
    """End the step's open revision loop on ``when`` (nothing when none is open)."""
    rev = open_revision(db, step["tahun"], step["fase"], step["nomor"])
    if rev is None:
        return
    if when < as_date(rev["mulai"]):
        raise SiklusError(
            f"Tanggal {when.isoformat()} sebelum dokumen langkah {label(step)} "
            f"dikembalikan untuk perbaikan ({rev['mulai']}); periksa tanggalnya."
        )
    db.execute(
        "UPDATE siklus_perbaikan SET selesai = ? WHERE tahun = ? AND fase = ? AND nomor = ? "
        "AND ke = ?",
        [when, step["tahun"], step["fase"], step["nomor"], rev["ke"]],
    )
