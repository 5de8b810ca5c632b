"""One step of a cycle: which cycle, its code, its row, and how a change to it is
written and audited.

The plumbing the SOP tracker's modules share (cycle, transitions, evidence, detect):
name a cycle (:class:`Ref`: a procedure, a region, a year; a plain year is the Biro's
SOP run by the province served), parse a step code (``'B3'``), fetch the step's row,
refuse people who may not see or change a cycle, write a change with who and when,
close an open revision loop, audit.

Who changes what: the Biro's SOP is changed by the Biro (admin, analis); a
kabupaten/kota's own procedure (LPPD, LKPj) by that region's uploaders and the
administrator, and a cycle of it may be started by the Biro too. A kabupaten/kota
uploader sees only its own region's cycles; OPD uploaders see none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.core import fmt, reference, settings
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.sop import definition
from pipelines.sop.definition import PROVINSI

READERS = ("admin", "analis", "pimpinan")


class SiklusError(SpmError):
    """A cycle or step operation that cannot be done."""


@dataclass(frozen=True)
class Ref:
    """One cycle: procedure ``sop`` run by region ``wilayah`` in year ``tahun``."""

    sop: str
    wilayah: str
    tahun: int

    @property
    def kabkota(self) -> bool:
        """A kabupaten/kota's cycle (Kemendagri codes: '19' a province, '19.01' a regency)."""
        return "." in self.wilayah

    def where(self, alias: str = "") -> tuple[str, list]:
        """SQL condition (and its parameters) selecting this cycle's rows."""
        a = f"{alias}." if alias else ""
        return (
            f"{a}kode_sop = ? AND {a}kode_wilayah = ? AND {a}tahun = ?",
            [self.sop, self.wilayah, self.tahun],
        )

    def text(self) -> str:
        """How messages name the cycle."""
        if self.sop == PROVINSI and not self.kabkota:
            return f"siklus {self.tahun}"
        return f"siklus {self.sop} {self.wilayah} {self.tahun}"

    def cli(self) -> str:
        """The ``spm siklus`` options naming this cycle."""
        if self.sop == PROVINSI and not self.kabkota:
            return f"--year {self.tahun}"
        return f"--sop {self.sop} --region {self.wilayah} --year {self.tahun}"


def resolve(db: Database, siklus: int | Ref) -> Ref:
    """A cycle reference: a plain year is the Biro's SOP run by the province served."""
    if isinstance(siklus, Ref):
        return siklus
    return Ref(PROVINSI, settings.served_province(db), int(siklus))


def ref_for(db: Database, sop: str | None, wilayah: str | None, tahun: int) -> Ref:
    """The cycle of procedure ``sop`` (default the Biro's) for ``wilayah`` (default: the
    province served); SiklusError when the region does not fit the procedure's level."""
    sop = (sop or PROVINSI).strip().lower()
    prov = settings.served_province(db)
    wilayah = (wilayah or "").strip() or None
    level = _level(db, sop)
    if level == "kabupaten/kota":
        if wilayah is None:
            raise SiklusError(
                f"Prosedur {sop} dijalankan oleh kabupaten/kota; sebutkan wilayahnya "
                "(mis. --region 19.01)."
            )
        if wilayah not in set(reference.kabkota(db, prov)["kode"]):
            raise SiklusError(
                f"Wilayah {wilayah} bukan kabupaten/kota provinsi {prov}; pilih salah satu "
                "kabupaten/kota provinsi ini."
            )
    elif wilayah not in (None, prov):
        raise SiklusError(f"Prosedur {sop} dijalankan oleh provinsi {prov}, bukan {wilayah}.")
    return Ref(sop, wilayah or prov, int(tahun))


def _level(db: Database, sop: str) -> str:
    if sop not in definition.codes(db):
        raise definition.unknown(sop)
    return definition.current(db, kode=sop).tingkat


def parse_step(code: str) -> tuple[str, int]:
    """``'B3'`` -> ``('B', 3)``."""
    match = re.fullmatch(r"\s*([A-Za-z]{1,3})\s*[-.]?\s*(\d{1,3})\s*", code or "")
    if not match:
        raise SiklusError(f"Kode langkah '{code}' tidak sah; tulis fase dan nomor, misalnya A1.")
    return match.group(1).upper(), int(match.group(2))


def label(row: dict) -> str:
    """The step's code (``'B3'``) from its row."""
    return f"{row['fase']}{row['nomor']}"


def check_can_edit(actor: Actor, ref: Ref | None = None) -> None:
    """Refuse (AccessDenied) anyone who may not change cycle ``ref`` (None: the Biro's)."""
    if ref is None or not ref.kabkota:
        if not actor.is_privileged:
            raise AccessDenied(
                "Hanya administrator dan analis Biro Pemerintahan yang dapat mengubah siklus SOP."
            )
        return
    if actor.role == "admin" or (
        actor.role == "pengunggah_kabkota" and actor.kode_wilayah == ref.wilayah
    ):
        return
    raise AccessDenied(
        f"Siklus {ref.sop} wilayah {ref.wilayah} dijalankan oleh kabupaten/kota itu sendiri; "
        "hanya pengunggahnya dan administrator yang dapat mengubah langkahnya."
    )


def check_can_start(actor: Actor, ref: Ref) -> None:
    """The Biro may start any cycle; a kabupaten/kota uploader its own region's."""
    if actor.is_privileged:
        return
    check_can_edit(actor, ref)


def can_see(actor: Actor | None, ref: Ref) -> bool:
    """Whether ``actor`` (None: the library itself) may read cycle ``ref``."""
    if actor is None or actor.role in READERS:
        return True
    return actor.role == "pengunggah_kabkota" and ref.kabkota and actor.kode_wilayah == ref.wilayah


def check_can_see(actor: Actor | None, ref: Ref) -> None:
    if not can_see(actor, ref):
        raise AccessDenied(
            f"Akun {actor.username} tidak berhak melihat {ref.text()}; pilih siklus wilayah "
            "Anda sendiri."
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


def cycle(db: Database, siklus: int | Ref) -> dict | None:
    """The cycle's ``siklus`` row, None when it has not started."""
    if not db.table_exists("siklus"):
        return None
    ref = resolve(db, siklus)
    cond, params = ref.where()
    rows = db.dicts(f"SELECT * FROM siklus WHERE {cond}", params)
    return rows[0] if rows else None


def require_cycle(db: Database, siklus: int | Ref) -> Ref:
    """The cycle's reference; SiklusError saying how to start it when it has not started."""
    ref = resolve(db, siklus)
    if cycle(db, ref) is None:
        raise SiklusError(
            f"{fmt.kalimat(ref.text())} belum dimulai; jalankan 'spm siklus start {ref.cli()}'."
        )
    return ref


def step_of(step: dict) -> Ref:
    """The cycle a ``siklus_langkah`` row belongs to."""
    return Ref(step["kode_sop"], step["kode_wilayah"], int(step["tahun"]))


def _step_where(step: dict) -> tuple[str, list]:
    cond, params = step_of(step).where()
    return f"{cond} AND fase = ? AND nomor = ?", [*params, step["fase"], step["nomor"]]


def row(db: Database, siklus: int | Ref, kode: str) -> dict:
    """The step's ``siklus_langkah`` row; SiklusError naming the steps there are."""
    ref = require_cycle(db, siklus)
    fase, nomor = parse_step(kode)
    cond, params = ref.where()
    rows = db.dicts(
        f"SELECT * FROM siklus_langkah WHERE {cond} AND fase = ? AND nomor = ?",
        [*params, fase, nomor],
    )
    if not rows:
        known = ", ".join(
            f"{f}{n}"
            for f, n in db.rows(
                f"SELECT fase, nomor FROM siklus_langkah WHERE {cond} ORDER BY fase, nomor",
                params,
            )
        )
        raise SiklusError(f"Langkah {fase}{nomor} tidak ada di {ref.text()}; pilihan: {known}.")
    return rows[0]


def update(db: Database, step: dict, actor: Actor, **values: object) -> None:
    """Set columns of the step's row, with who changed it and when."""
    cols = ", ".join(f"{k} = ?" for k in values)
    cond, params = _step_where(step)
    db.execute(
        f"UPDATE siklus_langkah SET {cols}, diubah_oleh = ?, diubah_pada = current_timestamp "
        f"WHERE {cond}",
        [*values.values(), actor.username, *params],
    )


def record(
    db: Database,
    actor: Actor,
    aksi: str,
    siklus: int | Ref,
    kode: str | None,
    keterangan: str | None,
) -> None:
    """Audit a change to the cycle (``kode`` None) or one of its steps."""
    ref = resolve(db, siklus)
    objek = ref.text() + (f" langkah {kode}" if kode else "")
    audit.record(db, actor, aksi, objek, keterangan=keterangan)


def of_cycle(
    db: Database, select: str, siklus: int | Ref, kode: str | None, order: str
) -> pd.DataFrame:
    """The rows of ``select`` (a query on a table keyed by the cycle, fase, nomor) of
    the cycle and, when given, of step ``kode``, ordered by ``order``."""
    cond, params = resolve(db, siklus).where()
    sql = f"{select} WHERE {cond}"
    if kode:
        fase, nomor = parse_step(kode)
        sql += " AND fase = ? AND nomor = ?"
        params += [fase, nomor]
    return db.df(f"{sql} ORDER BY {order}", params)


def open_revision(db: Database, step: dict) -> dict | None:
    """The step's revision loop still waiting for the revised document, if any."""
    cond, params = _step_where(step)
    rows = db.dicts(
        f"SELECT * FROM siklus_perbaikan WHERE {cond} AND selesai IS NULL",
        params,
    )
    return rows[0] if rows else None


def close_revision(db: Database, step: dict, when: dt.date) -> None:
    """End the step's open revision loop on ``when`` (nothing when none is open)."""
    rev = open_revision(db, step)
    if rev is None:
        return
    if when < as_date(rev["mulai"]):
        raise SiklusError(
            f"Tanggal {when.isoformat()} sebelum dokumen langkah {label(step)} "
            f"dikembalikan untuk perbaikan ({rev['mulai']}); periksa tanggalnya."
        )
    cond, params = _step_where(step)
    db.execute(
        f"UPDATE siklus_perbaikan SET selesai = ? WHERE {cond} AND ke = ?",
        [when, *params, rev["ke"]],
    )
