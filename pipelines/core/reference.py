"""Reference data: regions, OPD, the SPM service catalog and the LPPD IKK catalog.

``init_reference`` is idempotent: loading the same files again changes nothing.
"""

from __future__ import annotations

import csv
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipelines.auth import audit, roles
from pipelines.core import mutu_item, settings
from pipelines.core.catalog_file import CatalogError, read_catalog_file
from pipelines.db.store import DATA_DIR, Database

if TYPE_CHECKING:  # access imports settings, which imports core
    from pipelines.auth.access import Actor

WILAYAH_DIR = DATA_DIR / "wilayah"
KATALOG_DIR = DATA_DIR / "katalog"
IKK_SAMPLE_FILE = KATALOG_DIR / "ikk_sampel.csv"
IKK_COLUMNS = [
    "kode_ikk",
    "urusan",
    "nama",
    "jenis",
    "cara_hitung",
    "pembilang",
    "penyebut",
    "satuan",
]


@dataclass
class InitResult:
    wilayah: int
    layanan: int
    ikk: int
    provinsi: str
    settings_version: int


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert(db: Database, table: str, key: str, frame: pd.DataFrame) -> None:
    """Insert new rows and update changed ones; identical rows are left untouched."""
    cols = list(frame.columns)
    with db.registered(f"_src_{table}", frame) as name:
        others = [c for c in cols if c != key]
        col_list = ", ".join(cols)
        assignments = ", ".join(f"{c} = excluded.{c}" for c in others)
        differs = " OR ".join(f"{table}.{c} IS DISTINCT FROM excluded.{c}" for c in others)
        db.execute(
            f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM {name} "
            f"ON CONFLICT ({key}) DO UPDATE SET {assignments} WHERE {differs}"
        )


def region_frame() -> pd.DataFrame:
    provinces = _read_csv(WILAYAH_DIR / "provinces.csv")
    regencies = _read_csv(WILAYAH_DIR / "regencies.csv")
    rows = [
        {
            "kode": p["code"],
            "nama": p["name"],
            "tingkat": "provinsi",
            "jenis": "Provinsi",
            "kode_provinsi": p["code"],
        }
        for p in provinces
    ]
    for r in regencies:
        jenis = "Kota" if r["name"].startswith("Kota ") else "Kabupaten"
        rows.append(
            {
                "kode": r["code"],
                "nama": r["name"],
                "tingkat": "kabupaten/kota",
                "jenis": jenis,
                "kode_provinsi": r["province_code"],
            }
        )
    return pd.DataFrame(rows)


def opd_frame() -> pd.DataFrame:
    return pd.DataFrame(_read_csv(KATALOG_DIR / "opd.csv"))


def layanan_frame() -> pd.DataFrame:
    catalog = _read_csv(KATALOG_DIR / "spm_jenis_pelayanan.csv")
    extra = {r["kode"]: r for r in _read_csv(KATALOG_DIR / "layanan_penerima_mutu.csv")}
    opd_by_name = {r["nama"]: r["kode"] for r in _read_csv(KATALOG_DIR / "opd.csv")}
    rows = []
    for i, r in enumerate(catalog, start=1):
        e = extra[r["kode"]]
        rows.append(
            {
                "kode": r["kode"],
                "tingkat": r["tingkat"],
                "urusan": r["urusan"],
                "nama": r["jenis_pelayanan_dasar"],
                "opd_pengampu": r["opd_pengampu"],
                "kode_opd": opd_by_name.get(r["opd_pengampu"]),
                "dasar_hukum": r["dasar_hukum"],
                "satuan_penerima": e["satuan_penerima"],
                "mutu_barang_jasa": e["mutu_barang_jasa"],
                "mutu_sdm": e["mutu_sdm"],
                "urutan": i,
            }
        )
    return pd.DataFrame(rows)


def read_ikk_file(path: Path) -> pd.DataFrame:
    """Read an IKK catalog from CSV or XLSX and check it; raise CatalogError if unusable."""
    frame, _ = read_catalog_file(path, IKK_COLUMNS)
    frame = frame[IKK_COLUMNS].map(lambda v: str(v).strip())
    frame = frame[frame["kode_ikk"] != ""].reset_index(drop=True)
    if frame.empty:
        raise CatalogError(f"Berkas {path.name} tidak berisi satu pun IKK.")
    for i, row in frame.iterrows():
        excel_row = i + 2
        if row["jenis"].lower() not in ("outcome", "output"):
            raise CatalogError(
                f"Berkas {path.name}, baris {excel_row}, kolom jenis: '{row['jenis']}' "
                "tidak dikenal; isi 'outcome' atau 'output'."
            )
        if row["cara_hitung"].lower() not in ("rasio", "langsung", "ceklis"):
            raise CatalogError(
                f"Berkas {path.name}, baris {excel_row}, kolom cara_hitung: "
                f"'{row['cara_hitung']}' tidak dikenal; isi 'rasio', 'langsung' atau 'ceklis'."
            )
        if not row["nama"] or not row["urusan"]:
            raise CatalogError(
                f"Berkas {path.name}, baris {excel_row}: kolom nama dan urusan wajib diisi."
            )
    dupes = frame["kode_ikk"][frame["kode_ikk"].duplicated()].unique().tolist()
    if dupes:
        raise CatalogError(f"Berkas {path.name}: kode_ikk ganda: {', '.join(dupes)}.")
    frame["jenis"] = frame["jenis"].str.lower()
    frame["cara_hitung"] = frame["cara_hitung"].str.lower()
    frame = frame.replace({"pembilang": {"": None}, "penyebut": {"": None}, "satuan": {"": None}})
    return frame


def load_ikk(
    db: Database,
    path: Path,
    *,
    sample: bool = False,
    by: str = "sistem",
    actor: Actor | None = None,
) -> dict:
    """Replace the IKK catalog with the file's. IKK absent from the file are removed
    unless data was already reported for them (those are kept and counted).

    ``actor`` (administrators only) is who loads it, audited by name; without one the
    library itself loads, audited as ``by``."""
    if actor is not None:
        roles.require(actor, "muat_katalog")
        by = actor.username
    frame = read_ikk_file(Path(path))
    frame["sampel"] = sample
    frame["urutan"] = range(1, len(frame) + 1)
    with db.transaction():
        before = db.scalar("SELECT count(*) FROM ikk")
        _upsert(db, "ikk", "kode_ikk", frame)
        with db.registered("_ikk_keep", frame[["kode_ikk"]]):
            kept = db.scalar(
                "SELECT count(*) FROM ikk WHERE kode_ikk NOT IN (SELECT kode_ikk FROM _ikk_keep) "
                "AND kode_ikk IN (SELECT kode_ikk FROM lppd_data)"
            )
            db.execute(
                "DELETE FROM ikk WHERE kode_ikk NOT IN (SELECT kode_ikk FROM _ikk_keep) "
                "AND kode_ikk NOT IN (SELECT kode_ikk FROM lppd_data)"
            )
        if not sample:
            audit.record(
                db,
                by,
                "muat_katalog_ikk",
                Path(path).name,
                keterangan=f"{len(frame)} IKK (sebelumnya {before})",
            )
    return {"dimuat": len(frame), "dipertahankan_karena_ada_data": kept}


def init_reference(db: Database, *, province: str | None = None, by: str = "sistem") -> InitResult:
    """Load regions and catalogs and the settings; a second run changes nothing."""
    with db.transaction():
        _upsert(db, "wilayah", "kode", region_frame())
        _upsert(db, "opd", "kode", opd_frame())
        _upsert(db, "layanan", "kode", layanan_frame())
        if not db.scalar("SELECT count(*) FROM ikk"):
            load_ikk(db, IKK_SAMPLE_FILE, sample=True, by=by)
        mutu_item.ensure_default(db, by=by)
        if settings.current_version(db) is None:
            settings.save(db, {}, by=by, note="Pengaturan awal (bawaan)")
        if province is not None:
            known = db.scalar(
                "SELECT count(*) FROM wilayah WHERE kode = ? AND tingkat = 'provinsi'", [province]
            )
            if not known:
                raise settings.SettingsError(
                    f"Kode provinsi '{province}' tidak dikenal; gunakan kode Kemendagri dua "
                    "angka, misalnya 19 untuk Kepulauan Bangka Belitung."
                )
            settings.save(db, {"provinsi": province}, by=by, note="Provinsi yang dilayani")
    return InitResult(
        wilayah=db.scalar("SELECT count(*) FROM wilayah"),
        layanan=db.scalar("SELECT count(*) FROM layanan"),
        ikk=db.scalar("SELECT count(*) FROM ikk"),
        provinsi=settings.served_province(db),
        settings_version=settings.current_version(db),
    )


def is_initialised(db: Database) -> bool:
    return db.table_exists("layanan") and bool(db.scalar("SELECT count(*) FROM layanan"))


# -- the one reader API for reference data -------------------------------------------
# "The kabupaten/kota of this province", "the OPD that report provincial services" and
# friends are written once, here; every capability asks these functions.


def wilayah(db: Database, kode: str) -> dict | None:
    """One region (``kode, nama, tingkat, jenis, kode_provinsi``), or None if unknown."""
    rows = db.remember(
        ("wilayah", kode),
        lambda: db.dicts(
            "SELECT kode, nama, tingkat, jenis, kode_provinsi FROM wilayah WHERE kode = ?", [kode]
        ),
    )
    return rows[0] if rows else None


def nama_wilayah(db: Database, kode: str) -> str:
    """The region's name, or its code when the code is unknown."""
    found = wilayah(db, kode)
    return found["nama"] if found else kode


def kabkota(db: Database, provinsi: str | None = None) -> pd.DataFrame:
    """The kabupaten/kota of a province (default: the province served), by code:
    ``kode, nama, jenis``; ``provinsi='*'`` gives those of every province."""
    if provinsi == "*":
        return db.df(
            "SELECT kode, nama, jenis, kode_provinsi FROM wilayah "
            "WHERE tingkat = 'kabupaten/kota' ORDER BY kode"
        )
    provinsi = provinsi or settings.served_province(db)
    return db.remember(
        ("kabkota", provinsi),
        lambda: db.df(
            "SELECT kode, nama, jenis FROM wilayah WHERE kode_provinsi = ? AND tingkat = "
            "'kabupaten/kota' ORDER BY kode",
            [provinsi],
        ),
    )


def wilayah_provinsi(db: Database, provinsi: str | None = None) -> pd.DataFrame:
    """The province (default: the one served) and then its kabupaten/kota by code:
    ``kode, nama, tingkat`` (the regions to pick from on a province's pages)."""
    return db.df(
        "SELECT kode, nama, tingkat FROM wilayah WHERE kode_provinsi = ? "
        "ORDER BY tingkat = 'kabupaten/kota', kode",
        [provinsi or settings.served_province(db)],
    )


def dalam_provinsi(provinsi: str, column: str = "kode_wilayah") -> tuple[str, list[str]]:
    """SQL condition (and its parameters): ``column`` is the province or one of its
    kabupaten/kota. Kemendagri codes nest ('19', '19.01'), so it is a test on the
    code's prefix, which DuckDB pushes into the computation views (on the national
    demo as fast or faster than a sub-select on ``wilayah``, up to 7x on projections)."""
    return f"({column} = ? OR {column} LIKE ? || '.%')", [provinsi, provinsi]


def opd(db: Database, *, pengampu_saja: bool = False) -> pd.DataFrame:
    """The provincial OPD (``kode, nama``), by code; ``pengampu_saja`` keeps those
    responsible for at least one provincial SPM service (the ones that report)."""
    if pengampu_saja:
        sql = (
            "SELECT kode, nama FROM opd WHERE kode IN (SELECT kode_opd FROM layanan "
            "WHERE tingkat = 'provinsi' AND kode_opd IS NOT NULL) ORDER BY kode"
        )
    else:
        sql = "SELECT kode, nama FROM opd ORDER BY kode"
    return db.remember(("opd", pengampu_saja), lambda: db.df(sql))


def urusan(db: Database) -> list[str]:
    """The SPM urusan in catalog order."""
    return [
        r[0] for r in db.rows("SELECT urusan FROM layanan GROUP BY urusan ORDER BY min(urutan)")
    ]


def layanan(db: Database, tingkat: str | None = None) -> pd.DataFrame:
    """The SPM service catalog in catalog order: ``kode, nama, urusan, tingkat,
    kode_opd, satuan_penerima, urutan``; ``tingkat`` keeps one level ('provinsi' or
    'kabupaten/kota')."""
    return db.remember(
        ("layanan", tingkat),
        lambda: db.df(
            "SELECT kode, nama, urusan, tingkat, kode_opd, satuan_penerima, urutan FROM layanan "
            "WHERE ? IS NULL OR tingkat = ? ORDER BY urutan",
            [tingkat, tingkat],
        ),
    )


def unit_layanan(db: Database, *, semua: bool = False) -> pd.DataFrame:
    """The service units (SKM, standar pelayanan, complaints): the provincial OPD catalog,
    then the units an administrator added (table ``unit_layanan``; ``semua`` keeps the
    inactive ones too). Columns ``kode, nama, kode_wilayah, sumber, aktif``; an OPD's
    region is the province served."""
    opd_units = db.df(
        "SELECT kode, nama, ? AS kode_wilayah, 'katalog OPD' AS sumber, true AS aktif "
        "FROM opd ORDER BY kode",
        [settings.served_province(db)],
    )
    if not db.table_exists("unit_layanan"):
        return opd_units
    added = db.df(
        "SELECT kode, nama, kode_wilayah, 'ditambahkan' AS sumber, aktif FROM unit_layanan "
        "WHERE ? OR aktif ORDER BY kode",
        [semua],
    )
    return pd.concat([opd_units, added], ignore_index=True)


# -- boundaries for the maps (data/peta, built by scripts/build_peta.py) ------------------
PETA_DIR = DATA_DIR / "peta"


@functools.cache
def _bentuk(nama_berkas: str) -> dict[str, dict]:
    collection = json.loads((PETA_DIR / nama_berkas).read_text(encoding="utf-8"))
    return {f["properties"]["kode"]: f for f in collection["features"]}


def bentuk_kabkota(provinsi: str) -> dict[str, dict]:
    """The simplified GeoJSON feature of each kabupaten/kota of ``provinsi`` that has a
    shape, by Kemendagri code (properties ``kode, nama, label_lon, label_lat``)."""
    return {
        k: f for k, f in _bentuk("kabupaten_kota.geojson").items() if k.startswith(provinsi + ".")
    }


def bentuk_provinsi() -> dict[str, dict]:
    """The simplified GeoJSON feature of each of the 38 provinces, by code."""
    return dict(_bentuk("provinsi.geojson"))
