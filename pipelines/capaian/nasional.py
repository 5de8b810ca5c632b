"""National figures: the one reader of the national analytics file.

``spm nasional --from FOLDER`` (``pipelines/ops/nasional.py``) copies every province
installation's figures into one DuckDB file; this module reads it for the app's
"Nasional" view and for scripts, opened read-only. The tables hold the province views'
rows with the same columns, names and meanings as :mod:`pipelines.capaian.query`
returns in a province (``capaian_layanan``, ``capaian_urusan``, ``capaian_wilayah``,
``capaian_provinsi``, ``capaian_provinsi_urusan``, ``proyeksi_*``, ``lppd_ikk``,
``lppd_kelengkapan``): each computed by the province's own installation with its own
settings (``versi_setting`` is that installation's version) and carrying the status of
the submissions behind it (``status_submission``, ``status_kabkota``,
``status_provinsi``). ``sumber`` says which file each province came from and when
the file was built.

National figures are for the roles that see a whole province (admin, analis,
pimpinan); uploaders are refused.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.auth.access import Actor
from pipelines.capaian import query

# The selection and scope rule of the province readers, shared so both read alike.
from pipelines.capaian.query import _ORDER, _check_level, _names, _read
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, NotInitialised, SpmError
from pipelines.ops.nasional import JENIS, default_path

READERS = frozenset({"admin", "analis", "pimpinan"})


def open_nasional(path: str | Path | None = None) -> Database:
    """Open the national file read-only; SpmError when it is missing or is not a file
    built by ``spm nasional``."""
    path = Path(path) if path is not None else default_path()
    if not path.exists():
        raise NotInitialised(
            f"Berkas data nasional {path} belum ada; bangun dengan "
            "'spm nasional --from FOLDER' dari berkas basis data setiap provinsi."
        )
    db = Database.open(path, read_only=True, migrate=False)
    try:
        jenis = db.scalar("SELECT value FROM meta WHERE key = 'jenis'")
    except SpmError:
        jenis = None
    if jenis != JENIS:
        db.close()
        raise SpmError(
            f"Berkas {path.name} bukan berkas data nasional; bangun dengan "
            "'spm nasional --from FOLDER --out FILE'."
        )
    return db


def _check_reader(actor: Actor | None) -> None:
    if actor is not None and actor.role not in READERS:
        raise AccessDenied(
            "Data nasional hanya dapat dilihat oleh pimpinan, analis dan administrator."
        )


def capaian(
    db: Database,
    tahun: int | None = None,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    level: str = "layanan",
    *,
    provinsi: str | None = None,
    columns: str | None = None,
    order_by: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The achieved figures of every province's regions, as :func:`query.capaian`
    (``level`` layanan, urusan or wilayah; ``provinsi`` keeps one province and its
    kabupaten/kota)."""
    _check_reader(actor)
    _check_level(level)
    query.check_period(tahun, triwulan)
    return _read(
        db,
        f"capaian_{level}",
        _names(order_by) if order_by else _ORDER[level],
        actor,
        tahun=tahun,
        triwulan=triwulan,
        kode_wilayah=kode_wilayah,
        provinsi=provinsi,
        columns=_names(columns) if columns else "*",
    )


def agregat_provinsi(
    db: Database,
    tahun: int | None = None,
    triwulan: int | None = None,
    kode_provinsi: str | None = None,
    *,
    per_urusan: bool = False,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """Each province's aggregate beside its own provincial services, as
    :func:`query.agregat_provinsi`; ``kode_provinsi=None`` gives every province."""
    _check_reader(actor)
    query.check_period(tahun, triwulan)
    return _read(
        db,
        "capaian_provinsi_urusan" if per_urusan else "capaian_provinsi",
        "tahun, triwulan, kode_provinsi" + (", urusan" if per_urusan else ""),
        actor,
        tahun=tahun,
        triwulan=triwulan,
        kode_wilayah=kode_provinsi,
        region_column="kode_provinsi",
    )


def peringkat_provinsi(
    db: Database, tahun: int, triwulan: int, *, actor: Actor | None = None
) -> pd.DataFrame:
    """The provinces of one period ranked by ``nilai_rata_rata_kabkota`` (the mean of
    their kabupaten/kota IP-SPM), best first: ``peringkat`` 1 = highest; provinces
    whose kabupaten/kota have no nilai come last without a rank."""
    _check_reader(actor)
    query.check_period(tahun, triwulan)
    return _read(
        db,
        "capaian_provinsi",
        "nilai_rata_rata_kabkota DESC NULLS LAST, kode_provinsi",
        actor,
        tahun=tahun,
        triwulan=triwulan,
        region_column="kode_provinsi",
        columns="CASE WHEN nilai_rata_rata_kabkota IS NOT NULL THEN rank() OVER "
        "(ORDER BY nilai_rata_rata_kabkota DESC NULLS LAST) END AS peringkat, *",
    )


def proyeksi(
    db: Database,
    tahun: int,
    triwulan: int,
    kode_wilayah: str | None = None,
    level: str = "wilayah",
    *,
    provinsi: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The year-end PROJECTION of every province's regions, as :func:`query.proyeksi`
    (a projection, never a result; label it so)."""
    _check_reader(actor)
    _check_level(level)
    query.check_period(tahun, triwulan)
    return _read(
        db,
        f"proyeksi_{level}",
        _ORDER[level],
        actor,
        tahun=tahun,
        triwulan=triwulan,
        kode_wilayah=kode_wilayah,
        provinsi=provinsi,
    )


def lppd_capaian(
    db: Database,
    tahun: int | None = None,
    kode_wilayah: str | None = None,
    *,
    provinsi: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """LPPD IKK achievement of every province's regions, as :func:`query.lppd_capaian`."""
    order = "tahun, kode_wilayah, urutan_ikk"
    return _lppd(db, "lppd_ikk", order, tahun, kode_wilayah, provinsi, actor)


def lppd_kelengkapan(
    db: Database,
    tahun: int | None = None,
    kode_wilayah: str | None = None,
    *,
    provinsi: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """LPPD completeness of every province's regions, as :func:`query.lppd_kelengkapan`;
    ``provinsi=None`` gives every province."""
    order = "tahun, kode_wilayah"
    return _lppd(db, "lppd_kelengkapan", order, tahun, kode_wilayah, provinsi, actor)


def _lppd(
    db: Database,
    table: str,
    order: str,
    tahun: int | None,
    kode_wilayah: str | None,
    provinsi: str | None,
    actor: Actor | None,
) -> pd.DataFrame:
    _check_reader(actor)
    query.check_period(tahun, None)
    return _read(db, table, order, actor, tahun=tahun, kode_wilayah=kode_wilayah, provinsi=provinsi)


def sumber(db: Database, *, actor: Actor | None = None) -> pd.DataFrame:
    """Where each province's figures come from: ``kode_provinsi, nama_provinsi,
    nama_berkas, ukuran_berkas, diubah_pada`` (the file), ``versi_setting`` and
    ``penilaian`` (its scoring settings), ``demo``, submissions (all and final), the
    last upload and the SPM/LPPD rows, by province code."""
    _check_reader(actor)
    return db.df("SELECT * FROM sumber ORDER BY kode_provinsi")


def dibangun(db: Database) -> dict[str, str]:
    """The file's own record: ``dibangun_pada`` (when), ``dibangun_oleh``, ``migrasi``
    and ``views_checksum`` (the schema and figure definitions it was built with)."""
    return dict(db.rows("SELECT key, value FROM meta ORDER BY key"))


def periode_tersedia(db: Database, *, actor: Actor | None = None) -> pd.DataFrame:
    """Year x triwulan with SPM figures in any province (for pickers), newest first,
    with how many provinces and kabupaten/kota have an IP-SPM in it."""
    _check_reader(actor)
    return db.df(
        "SELECT c.tahun, c.triwulan, count(DISTINCT w.kode_provinsi) AS jumlah_provinsi, "
        "count(*) FILTER (WHERE w.tingkat = 'kabupaten/kota') AS jumlah_kabkota "
        "FROM capaian_wilayah c JOIN wilayah w ON w.kode = c.kode_wilayah "
        "GROUP BY ALL ORDER BY c.tahun DESC, c.triwulan DESC"
    )
