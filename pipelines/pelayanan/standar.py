"""The registry of standar pelayanan: per unit and service, the 14 components of seed
002's tables (PermenPAN-RB 15/2014), the maklumat, and the link to the procedure the
tracker holds for the service (``kode_sop``).

:func:`load` takes a structured file (:mod:`pipelines.pelayanan.standar_berkas` reads
and checks it row by row) and writes all of its services or none; the same file again
changes nothing. :func:`measured` sets a service's jangka waktu beside the cycle times
the SOP tracker measured for its procedure.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.db.store import DATA_DIR, Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.pelayanan import standar_berkas
from pipelines.pelayanan import unit as units
from pipelines.pelayanan.standar_komponen import STORED, LoadResult, window_end
from pipelines.sop import cycle, definition, pantau, step

SAMPLE_FILE = DATA_DIR / "standar" / "standar_bagian_pemerintahan_balangan.csv"


class StandarError(SpmError):
    """A standar pelayanan that cannot be found or loaded."""


# -- the registry ----------------------------------------------------------------------
def listing(db: Database, kode_unit: str | None = None) -> pd.DataFrame:
    """The services (all columns), by unit and order; with the unit's name and region."""
    return db.df(
        "SELECT s.*, u.nama AS nama_unit, u.kode_wilayah FROM standar_pelayanan s "
        "LEFT JOIN (SELECT kode, nama, NULL AS kode_wilayah FROM opd UNION ALL "
        "SELECT kode, nama, kode_wilayah FROM unit_layanan) u ON u.kode = s.kode_unit "
        "WHERE ? IS NULL OR s.kode_unit = ? ORDER BY s.kode_unit, s.urutan, s.kode_layanan",
        [kode_unit, kode_unit],
    )


def get(db: Database, kode_layanan: str) -> dict:
    rows = listing(db)
    found = rows[rows["kode_layanan"] == kode_layanan]
    if found.empty:
        raise StandarError(
            f"Standar pelayanan '{kode_layanan}' tidak ada; lihat daftarnya dengan "
            "'spm standar list'."
        )
    return found.iloc[0].to_dict()


def check_can_load(actor: Actor) -> None:
    if not actor.is_privileged:
        raise AccessDenied(
            "Hanya administrator dan analis Biro Pemerintahan yang dapat memuat standar pelayanan."
        )


def load(
    db: Database, path: str | Path, *, actor: Actor, original_name: str | None = None
) -> LoadResult:
    """Check the file and, when no row has a galat, write every service in it at once
    (new units it names with a name are added). Nothing is written otherwise."""
    check_can_load(actor)
    name = original_name or Path(path).name
    result = LoadResult(file_name=name)
    rows = standar_berkas.read(db, Path(path), name, result)
    if result.errors:
        return result
    with db.transaction():
        stored = listing(db).set_index("kode_layanan")
        for row in rows:
            unit_row = row.pop("_unit_baru", None)
            if unit_row is not None:
                kode_unit, nama_unit, wilayah = unit_row
                units.add_in_transaction(
                    db, kode_unit, nama_unit, by=actor.username, kode_wilayah=wilayah
                )
                result.unit_baru.append(kode_unit)
            kode = row["kode_layanan"]
            if kode in stored.index and _same(stored.loc[kode], row):
                result.sama += 1
                continue
            if kode in stored.index:
                result.berubah += 1
                db.execute("DELETE FROM standar_pelayanan WHERE kode_layanan = ?", [kode])
            else:
                result.baru += 1
            cols = ["kode_layanan", "urutan", *STORED, "dimuat_oleh", "nama_berkas"]
            db.execute(
                f"INSERT INTO standar_pelayanan ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' for _ in cols)})",
                [row.get(c) for c in cols[:-2]] + [actor.username, name],
            )
        if result.baru or result.berubah:
            audit.record(
                db,
                actor,
                "muat_standar",
                name,
                keterangan=(f"{result.baru} baru, {result.berubah} berubah, {result.sama} sama"),
            )
    result.accepted = True
    return result


def _same(stored: pd.Series, row: dict) -> bool:
    """Whether the stored service equals the file's row in every stored column."""

    def plain(value: object) -> object:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        return int(value) if isinstance(value, float) else value

    return all(plain(stored.get(c)) == plain(row.get(c)) for c in ["urutan", *STORED])


def load_sample(db: Database, *, by: str = "sistem") -> LoadResult:
    """The shipped sample: seed 002's six Bagian Pemerintahan services (Balangan)."""
    return load(db, SAMPLE_FILE, actor=Actor(by, "admin"))


def ensure_sample(db: Database, *, by: str = "sistem") -> LoadResult | None:
    """Load the shipped sample into an empty registry (``spm init``); None otherwise."""
    if db.scalar("SELECT count(*) FROM standar_pelayanan"):
        return None
    return load_sample(db, by=by)


# -- measured against the standard ---------------------------------------------------------
def measured(db: Database, kode_layanan: str, *, today: dt.date | None = None) -> dict | None:
    """The service's jangka waktu beside the finished cycles of its procedure; None when
    the service has no procedure in the tracker.

    Cycles of the unit's own region when the unit belongs to a kabupaten/kota, else of
    every region. Each cycle is within the standard when its last step finished by the
    end of the jangka waktu counted from its first step's start."""
    std = get(db, kode_layanan)
    kode_sop = std.get("kode_sop")
    if not isinstance(kode_sop, str) or not kode_sop:
        return None
    region = std.get("kode_wilayah")
    region = region if isinstance(region, str) and "." in region else None
    times = pantau.cycle_times(db, kode_sop, region, today=today)
    nilai, satuan = std.get("jangka_waktu_nilai"), std.get("jangka_waktu_satuan")
    has_std = nilai is not None and not pd.isna(nilai) and isinstance(satuan, str)
    within = []
    for r in times.itertuples(index=False):
        if not has_std:
            within.append(None)
            continue
        calendar = cycle.calendar_for(db, step.Ref(kode_sop, r.kode_wilayah, int(r.tahun)))
        within.append(r.selesai <= window_end(r.mulai, int(nilai), satuan, calendar))
    times["dalam_jangka_waktu"] = within
    procedure = definition.current(db, kode=kode_sop) if kode_sop in definition.codes(db) else None
    return {
        "kode_sop": kode_sop,
        "judul_sop": procedure.judul if procedure else kode_sop,
        "jangka_waktu": std.get("jangka_waktu"),
        "nilai": int(nilai) if has_std else None,
        "satuan": satuan if has_std else None,
        "wilayah": region,
        "siklus": times,
    }
