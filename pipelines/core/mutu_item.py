"""The catalog of mutu items: per SPM service, the B.1 barang/jasa and B.2 SDM items
whose kebutuhan and tersedia make capaian_mutu (computed in
``pipelines/db/sql/020_spm.sql``, view ``v_spm_layanan``).

The catalog is versioned (``mutu_katalog``, ``mutu_item``; the newest version is in
force, view ``v_mutu_item``). The default catalog keeps today's form: one generic item
per kelompok per service, ``B1`` (barang/jasa) and ``B2`` (SDM), named as the service
catalog names them. :func:`load` replaces it with a CSV/XLSX file (``spm catalog
load-mutu``); a service the file does not list, or a kelompok it lists no item for,
keeps its generic item. ``data/katalog/mutu_item_sampel.csv`` is a sample for a few
services, marked ``sampel``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipelines.auth import audit, roles
from pipelines.capaian import materi
from pipelines.core.catalog_file import CatalogError, read_catalog_file
from pipelines.db.store import DATA_DIR, Database

if TYPE_CHECKING:
    from pipelines.auth.access import Actor

KATALOG_DIR = DATA_DIR / "katalog"
SAMPLE_FILE = KATALOG_DIR / "mutu_item_sampel.csv"
DEFAULT_FILE = KATALOG_DIR / "mutu_item_bawaan.csv"  # the default catalog as a file
COLUMNS = ["kode_layanan", "kelompok", "kode_item", "nama_item", "satuan"]
KELOMPOK = {"barang_jasa": "Barang/jasa (B.1)", "sdm": "SDM (B.2)"}
# The generic item of each kelompok: today's pair of columns in spm_data.
GENERIC = {"barang_jasa": "B1", "sdm": "B2"}
_KELOMPOK_ALIASES = {
    "barang_jasa": "barang_jasa",
    "barangjasa": "barang_jasa",
    "barang/jasa": "barang_jasa",
    "barang jasa": "barang_jasa",
    "b.1": "barang_jasa",
    "b1": "barang_jasa",
    "sdm": "sdm",
    "b.2": "sdm",
    "b2": "sdm",
}
_YES = {"ya", "y", "true", "1", "benar"}
_NO = {"", "tidak", "t", "false", "0", "salah"}


def default_frame(db: Database) -> pd.DataFrame:
    """The default catalog: the generic item of each kelompok of every service."""
    layanan = db.df("SELECT kode, mutu_barang_jasa, mutu_sdm, urutan FROM layanan ORDER BY urutan")
    rows = [
        {
            "kode_layanan": r.kode,
            "kelompok": kelompok,
            "kode_item": GENERIC[kelompok],
            "nama_item": r.mutu_barang_jasa if kelompok == "barang_jasa" else r.mutu_sdm,
            "satuan": None,
            "sampel": False,
        }
        for r in layanan.itertuples(index=False)
        for kelompok in GENERIC
    ]
    return pd.DataFrame(rows, columns=[*COLUMNS, "sampel"])


def _where(name: str, sheet: str | None, line: int, column: str) -> str:
    place = f"Berkas {name}" + (f", lembar {sheet}" if sheet else "")
    return f"{place}, baris {line}, kolom {column}"


def read_file(db: Database, path: Path) -> pd.DataFrame:
    """Read and check a mutu item catalog (CSV or XLSX): columns ``kode_layanan,
    kelompok, kode_item, nama_item, satuan`` and optionally ``sampel`` (ya/tidak).
    Raises CatalogError listing every bad cell with its row and column."""
    path = Path(path)
    frame, sheet = read_catalog_file(path, COLUMNS)
    if "sampel" not in frame.columns:
        frame["sampel"] = ""
    frame = frame[[*COLUMNS, "sampel"]].map(lambda v: str(v).strip())
    frame["baris"] = range(2, len(frame) + 2)
    frame = frame[(frame[COLUMNS] != "").any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise CatalogError(f"Berkas {path.name} tidak berisi satu pun item mutu.")
    known = {r[0] for r in db.rows("SELECT kode FROM layanan")}
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    kelompok_out, sampel_out = [], []
    for row in frame.itertuples(index=False):
        at = row.baris

        def bad(column: str, text: str, at: int = at) -> None:
            problems.append(f"{_where(path.name, sheet, at, column)}: {text}")

        if row.kode_layanan not in known:
            bad(
                "kode_layanan",
                f"'{row.kode_layanan}' bukan kode layanan SPM yang dikenal (mis. KES-K-08)."
                if row.kode_layanan
                else "wajib diisi (mis. KES-K-08).",
            )
        kelompok = _KELOMPOK_ALIASES.get(row.kelompok.lower())
        if kelompok is None:
            bad("kelompok", f"'{row.kelompok}' tidak dikenal; isi 'barang_jasa' atau 'sdm'.")
        kelompok_out.append(kelompok)
        if not row.kode_item:
            bad("kode_item", "wajib diisi (mis. B1.01).")
        elif kelompok and row.kode_item in GENERIC.values() and GENERIC[kelompok] != row.kode_item:
            bad(
                "kode_item",
                f"kode {row.kode_item} dipakai item umum kelompok lain; pilih kode lain.",
            )
        elif (row.kode_layanan, row.kode_item) in seen:
            bad(
                "kode_item",
                f"kode {row.kode_item} sudah dipakai layanan {row.kode_layanan} di baris "
                f"{seen[(row.kode_layanan, row.kode_item)]}; kode item harus unik per layanan.",
            )
        else:
            seen[(row.kode_layanan, row.kode_item)] = at
        if not row.nama_item:
            bad("nama_item", "wajib diisi (mis. Obat hipertensi).")
        flag = row.sampel.lower()
        if flag not in _YES | _NO:
            bad("sampel", f"'{row.sampel}' tidak dikenal; isi 'ya' atau 'tidak'.")
        sampel_out.append(flag in _YES)
    if problems:
        raise CatalogError(
            f"Katalog item mutu tidak dimuat (tidak ada yang diubah); perbaiki {len(problems)} "
            "masalah berikut:\n" + "\n".join(f"- {p}" for p in problems)
        )
    frame["kelompok"] = kelompok_out
    frame["sampel"] = sampel_out
    frame["satuan"] = frame["satuan"].replace("", None)
    return frame[[*COLUMNS, "sampel"]]


def _with_generic(db: Database, items: pd.DataFrame) -> pd.DataFrame:
    """The file's items in file order, then the generic item of every kelompok of a
    service that the file gives no item for, in the service catalog's order."""
    given = set(zip(items["kode_layanan"], items["kelompok"], strict=True))
    default = default_frame(db)
    keep = [
        (k, g) not in given
        for k, g in zip(default["kode_layanan"], default["kelompok"], strict=True)
    ]
    return pd.concat([items, default[keep]], ignore_index=True)


def current_version(db: Database) -> int | None:
    return db.scalar("SELECT max(versi) FROM mutu_katalog")


def katalog(db: Database, kode_layanan: str | None = None) -> pd.DataFrame:
    """The items in force (``kode_layanan, kelompok, kode_item, nama_item, satuan,
    sampel``), in catalog order; ``kode_layanan`` keeps one service."""
    return db.remember(
        ("mutu_item", kode_layanan),
        lambda: db.df(
            "SELECT kode_layanan, kelompok, kode_item, nama_item, satuan, sampel FROM v_mutu_item "
            "WHERE ? IS NULL OR kode_layanan = ? ORDER BY urutan",
            [kode_layanan, kode_layanan],
        ),
    )


def _same_as_current(db: Database, items: pd.DataFrame) -> bool:
    now = katalog(db)
    if len(now) != len(items):
        return False
    cols = [*COLUMNS, "sampel"]
    left = now[cols].astype(object).where(now[cols].notna(), None)
    right = items[cols].astype(object).where(items[cols].notna(), None)
    return left.values.tolist() == right.values.tolist()


def _save(db: Database, items: pd.DataFrame, *, by: str, berkas: str | None, note: str) -> int:
    """A new catalog version with ``items`` (in their order); inside a transaction."""
    versi = (current_version(db) or 0) + 1
    db.execute(
        "INSERT INTO mutu_katalog (versi, dimuat_oleh, berkas, catatan) VALUES (?, ?, ?, ?)",
        [versi, by, berkas, note],
    )
    frame = items[[*COLUMNS, "sampel"]].copy()
    frame.insert(0, "versi", versi)
    frame["urutan"] = range(1, len(frame) + 1)
    db.insert_df("mutu_item", frame)
    materi.ubah_semua(db)  # capaian_mutu and keterisian read the catalog in force
    return versi


def ensure_default(db: Database, *, by: str = "sistem") -> int:
    """Give a database without a mutu catalog the default one (``spm init``)."""
    versi = current_version(db)
    if versi is None and db.scalar("SELECT count(*) FROM layanan"):
        with db.transaction():
            versi = _save(
                db,
                default_frame(db),
                by=by,
                berkas=None,
                note="Katalog bawaan: satu item per kelompok",
            )
    return versi or 0


def load(db: Database, path: Path, *, actor: Actor | None = None, by: str = "sistem") -> dict:
    """Replace the catalog in force with the file's items as a new version (services
    and kelompok the file leaves out keep their generic item). The same catalog again
    makes no new version. Nothing changes when the file has a problem (CatalogError).

    ``actor`` (administrators only) is who loads it, audited by name."""
    if actor is not None:
        roles.require(actor, "muat_katalog_mutu")
        by = actor.username
    path = Path(path)
    items = _with_generic(db, read_file(db, path))
    rinci = items[~items["kode_item"].isin(GENERIC.values())]
    result = {
        "versi": current_version(db) or 0,
        "item": len(rinci),
        "layanan_rinci": rinci["kode_layanan"].nunique(),
        "layanan_umum": int(db.scalar("SELECT count(*) FROM layanan"))
        - rinci["kode_layanan"].nunique(),
        "baru": False,
    }
    with db.transaction():
        if _same_as_current(db, items):
            return result
        before = current_version(db)
        result["versi"] = _save(db, items, by=by, berkas=path.name, note=None)
        result["baru"] = True
        audit.record(
            db,
            by,
            "muat_katalog_mutu",
            path.name,
            keterangan=(
                f"katalog item mutu versi {result['versi']} (sebelumnya {before or '-'}): "
                f"{result['item']} item untuk {result['layanan_rinci']} layanan"
            ),
        )
    return result
