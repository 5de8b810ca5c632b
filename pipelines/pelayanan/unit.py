"""Service units: the OPD catalog plus the units an administrator adds, and who may
act for which unit.

A unit belongs to a government (``kode_wilayah``): the OPD catalog to the province
served, an added unit to the region it names (a kabupaten/kota Bagian Pemerintahan, a
UPTD, another province's bagian whose standards serve as a sample). Uploaders act for
their own units only: an OPD uploader for its OPD, a kabupaten/kota uploader for the
units of its region. The Biro (admin, analis) acts for every unit; leaders read.
"""

from __future__ import annotations

import re

import pandas as pd

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.core import reference
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError

KODE_UNIT = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
READERS = ("admin", "analis", "pimpinan")


class UnitError(SpmError):
    """A unit that cannot be added or is unknown."""


def all_units(db: Database) -> pd.DataFrame:
    """Every active unit (``kode, nama, kode_wilayah, sumber, aktif``)."""
    return reference.unit_layanan(db)


def get(db: Database, kode: str) -> dict:
    """The unit ``kode``; UnitError naming how to see the units when it is unknown."""
    units = reference.unit_layanan(db, semua=True)
    found = units[units["kode"] == kode]
    if found.empty:
        raise UnitError(
            f"Unit layanan '{kode}' tidak dikenal; lihat daftarnya dengan 'spm unit list' "
            "atau minta administrator menambahkannya."
        )
    return found.iloc[0].to_dict()


def handles(actor: Actor, unit: dict) -> bool:
    """Whether ``actor`` acts for ``unit`` (uploads its survey, answers its complaints)."""
    if actor.is_privileged:
        return True
    if actor.role == "pengunggah_opd":
        return unit["sumber"] == "katalog OPD" and unit["kode"] == actor.kode_opd
    if actor.role == "pengunggah_kabkota":
        return unit.get("kode_wilayah") == actor.kode_wilayah
    return False


def is_own(actor: Actor, unit: dict) -> bool:
    """Whether ``unit`` is ``actor``'s own unit as an uploader (not the Biro seeing all)."""
    return actor.role in ("pengunggah_opd", "pengunggah_kabkota") and handles(actor, unit)


def may_see(actor: Actor | None, unit: dict) -> bool:
    """Whether ``actor`` (None: the library itself) may read the unit's figures."""
    return actor is None or actor.role in READERS or handles(actor, unit)


def visible(db: Database, actor: Actor | None) -> pd.DataFrame:
    """The active units ``actor`` may read."""
    units = all_units(db)
    if actor is None or actor.role in READERS:
        return units
    keep = [handles(actor, u) for u in units.to_dict("records")]
    return units[keep].reset_index(drop=True)


def check_handles(db: Database, actor: Actor, kode: str, what: str) -> dict:
    """The unit, or AccessDenied saying ``actor`` may not ``what`` for it."""
    unit = get(db, kode)
    if not handles(actor, unit):
        raise AccessDenied(f"Akun {actor.username} tidak dapat {what} untuk unit {unit['nama']}.")
    return unit


def add(
    db: Database,
    kode: str,
    nama: str,
    *,
    actor: Actor,
    kode_wilayah: str | None = None,
    keterangan: str | None = None,
) -> dict:
    """Add a unit beside the OPD catalog (administrators only)."""
    if actor.role != "admin":
        raise AccessDenied("Hanya administrator yang dapat menambah unit layanan.")
    with db.transaction():
        unit = add_in_transaction(
            db, kode, nama, by=actor.username, kode_wilayah=kode_wilayah, keterangan=keterangan
        )
    return unit


def add_in_transaction(
    db: Database,
    kode: str,
    nama: str,
    *,
    by: str,
    kode_wilayah: str | None = None,
    keterangan: str | None = None,
) -> dict:
    """:func:`add` inside the caller's transaction (the standar loader adds units it
    names), without the permission check its caller already made."""
    kode = (kode or "").strip().lower()
    nama = " ".join((nama or "").split())
    if not KODE_UNIT.fullmatch(kode):
        raise UnitError(
            f"Kode unit '{kode}' tidak sah; pakai 2-40 huruf kecil, angka, '.', '_' atau '-', "
            "misalnya bagpem-19.01."
        )
    if not nama:
        raise UnitError(f"Nama unit {kode} wajib diisi.")
    existing = reference.unit_layanan(db, semua=True)
    if kode in set(existing["kode"]):
        raise UnitError(f"Kode unit {kode} sudah dipakai; pilih kode lain.")
    wilayah = (kode_wilayah or "").strip() or None
    if wilayah is not None and reference.wilayah(db, wilayah) is None:
        raise UnitError(f"Kode wilayah {wilayah} tidak dikenal; gunakan kode Kemendagri.")
    db.execute(
        "INSERT INTO unit_layanan (kode, nama, kode_wilayah, keterangan, ditambahkan_oleh) "
        "VALUES (?, ?, ?, ?, ?)",
        [kode, nama, wilayah, keterangan, by],
    )
    audit.record(
        db,
        by,
        "tambah_unit",
        f"unit {kode}",
        sesudah={"kode": kode, "nama": nama, "kode_wilayah": wilayah},
    )
    return get(db, kode)
