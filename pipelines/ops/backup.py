"""Backup, restore and the consistency check: nothing confirmed is ever lost.

A backup is a directory::

    manifest.json          what is inside, with the SHA-256 of every file
    database/              DuckDB's EXPORT DATABASE (schema.sql, load.sql, one Parquet per table)
    store/...              every stored original upload and evidence file, as stored

It is taken with the writer held (inside one transaction on a read-write
connection, so no other process and no other writer in this process can change
anything meanwhile): the tables and the stored files belong to the same moment.
It is written to a temporary sibling directory and renamed into place at the end,
so a backup that was interrupted never looks complete.

A restore goes into an empty location only, checks every hash in the manifest
before touching anything, imports into a temporary file and renames it into place
last. It never runs SQL text from the backup (a crafted ``schema.sql`` could do
anything, and an attacker rewrites the manifest's hashes too): the schema is built
from this program's own migrations and only the Parquet data files are loaded.

:func:`check` verifies the stored files against the hashes the database recorded
and the database's own consistency.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.capaian import materi
from pipelines.db import files as file_store
from pipelines.db.store import MIGRATIONS_DIR, Database
from pipelines.errors import SpmError

FORMAT = "spm-backup/1"
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
STORE_DIR = "store"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20


class BackupError(SpmError):
    """A backup cannot be made or restored (message for the user)."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp"))


def _names(db: Database, table_type: str) -> list[str]:
    return [
        r[0]
        for r in db.rows(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_type = ? AND table_schema = 'main' ORDER BY table_name",
            [table_type],
        )
    ]


def base_tables(db: Database) -> list[str]:
    """The tables holding data: not the figures' tables (``m_*``), which are computed
    from them and rebuilt when a restored file is first opened (their Parquet files ride
    along in the export, unread)."""
    derived = {table for table, _, _ in materi.TABLES}
    return [t for t in _names(db, "BASE TABLE") if t not in derived]


def views(db: Database) -> list[str]:
    return _names(db, "VIEW")


def table_counts(db: Database) -> dict[str, int]:
    return {t: int(db.scalar(f'SELECT count(*) FROM "{t}"')) for t in base_tables(db)}


# -- backup ----------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    tables: dict[str, int]
    files: int
    stored_files: int
    bytes: int


def _check_out_dir(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(
            f"Folder tujuan {out} sudah ada dan tidak kosong; pilih folder baru untuk cadangan "
            "agar cadangan lama tidak tertimpa."
        )


def backup(
    db: Database, out: str | Path, *, created_by: str, store: str | Path | None = None
) -> BackupResult:
    """Write a consistent snapshot of ``db`` and its stored files to the new folder ``out``."""
    if db.read_only:
        raise BackupError("Cadangan dibuat dengan penulis dipegang; buka basis data untuk menulis.")
    out = Path(out).resolve()
    _check_out_dir(out)
    store_root = Path(store) if store is not None else file_store.store_root(db)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.sebagian")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        # The transaction holds this process's writer lock; the read-write connection
        # holds the file against every other process. Tables and files are one moment.
        with db.transaction():
            counts = table_counts(db)
            migrations = db.applied_migrations()
            db.execute(f"EXPORT DATABASE '{_sql_path(tmp / DATABASE_DIR)}' (FORMAT parquet)")
            stored = _files_under(store_root)
            for src in stored:
                dest = tmp / STORE_DIR / src.relative_to(store_root)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
        files: dict[str, str] = {}
        total = 0
        for path in _files_under(tmp):
            rel = path.relative_to(tmp).as_posix()
            files[rel] = sha256_file(path)
            total += path.stat().st_size
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "created_by": created_by,
            "source_database": str(db.path.resolve()),
            "migrations": migrations,
            "tables": counts,
            "stored_files": len(stored),
            "files": files,
        }
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        _fsync_tree(tmp)
        if out.exists():
            out.rmdir()  # empty, checked above
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BackupResult(out, counts, len(files), len(stored), total)


def _sql_path(path: Path) -> str:
    """A path for a SQL string literal (paths come from code and the admin, not uploads)."""
    return str(path).replace("'", "''")


def _fsync_tree(root: Path) -> None:
    for path in _files_under(root) + [root / MANIFEST]:
        if path.exists():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


# -- restore ---------------------------------------------------------------------------


@dataclass
class RestoreResult:
    db_path: Path
    store: Path
    tables: dict[str, int]
    stored_files: int
    manifest: dict = field(repr=False)


def read_manifest(src: str | Path) -> dict:
    src = Path(src)
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{src} bukan folder cadangan SPM (tidak ada {MANIFEST}); pilih folder yang dibuat "
            "oleh 'spm backup'."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BackupError(
            f"{path} rusak (bukan JSON yang sah); cadangan ini tidak dapat dipakai."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} bukan manifest cadangan SPM yang dikenal (format {FORMAT} diharapkan)."
        )
    return manifest


def verify_backup(src: str | Path) -> dict:
    """Check every file the manifest lists; BackupError naming the first bad file."""
    src = Path(src)
    manifest = read_manifest(src)
    files = manifest.get("files") or {}
    if not any(name.startswith(f"{DATABASE_DIR}/") for name in files):
        raise BackupError(f"Cadangan {src} tidak memuat ekspor basis data ({DATABASE_DIR}/).")
    problems = []
    for rel, expected in sorted(files.items()):
        path = src / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            problems.append(f"{rel}: nama berkas tidak sah di manifest")
        elif not path.is_file():
            problems.append(f"{rel}: berkas hilang")
        elif sha256_file(path) != expected:
            problems.append(f"{rel}: isi berubah (SHA-256 tidak cocok dengan manifest)")
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (dan {len(problems) - 5} lainnya)" if len(problems) > 5 else ""
        raise BackupError(
            f"Cadangan {src} tidak utuh, tidak ada yang dipulihkan: {shown}{more}. "
            "Pakai salinan cadangan lain."
        )
    return manifest


# Read from the export's schema.sql as data (never executed): where each sequence was.
_SEQUENCE_START = re.compile(r"^CREATE SEQUENCE (\w+) .*?\bSTART (\d+)\b", re.M)
_SEQUENCE_SLACK = 1_000_000  # how far past the highest id a sequence may be set


def _apply_migrations(db: Database, names: list[str]) -> None:
    """This program's migration files ``names`` (the backup's), in order; BackupError
    for a migration this program does not have."""
    known = {p.stem: p for p in MIGRATIONS_DIR.glob("*.sql")}
    unknown = [n for n in names if n not in known]
    if unknown or names != sorted(names):
        raise BackupError(
            "Cadangan dibuat oleh versi program lain (migrasi tidak dikenal: "
            f"{', '.join(unknown) or 'urutan'}); pulihkan dengan versi program pembuatnya."
        )
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        " name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    for name in names:
        db.execute(known[name].read_text(encoding="utf-8"))


def _load_tables(db: Database, export_dir: Path, manifest: dict) -> None:
    """Load every table of the backup from its Parquet file into the schema this
    program's migrations built. No SQL text of the backup runs (schema.sql and
    load.sql are not executed); table names must be tables of that schema, and file
    paths are passed as parameters (a folder named "Jum'at" is fine)."""
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        raise BackupError("Manifest cadangan tidak menyebut tabel-tabelnya; cadangan tidak sah.")
    ours = set(base_tables(db))
    unknown = sorted(t for t in tables if t not in ours)
    if unknown:
        raise BackupError(
            f"Cadangan memuat tabel yang tidak dikenal skema program ini: {', '.join(unknown)}; "
            "tidak ada yang dipulihkan."
        )
    for table in sorted(ours):
        db.execute(f'DELETE FROM "{table}"')  # rows the migrations seeded
    for table in sorted(tables):
        path = export_dir / f"{table}.parquet"
        if not path.is_file():
            raise BackupError(f"Berkas data tabel {table} tidak ada di cadangan; tidak dipulihkan.")
        try:
            db.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM read_parquet(?)', [str(path)])
        except SpmError as exc:
            raise BackupError(
                f"Data tabel {table} dari cadangan tidak cocok dengan skema; tidak ada yang "
                f"dipulihkan ({exc.detail or exc})."
            ) from None
    _advance_sequences(db, export_dir)


def _advance_sequences(db: Database, export_dir: Path) -> None:
    """Each sequence of the schema continues after the restored rows: past the highest
    id using it, and where the backup's sequence stood (read as a number, bounded)."""
    schema = export_dir / "schema.sql"
    text = schema.read_text(encoding="utf-8") if schema.is_file() else ""
    started = {name: int(start) for name, start in _SEQUENCE_START.findall(text)}
    for name, table, column in db.rows(
        "SELECT s.sequence_name, c.table_name, c.column_name FROM duckdb_sequences() s "
        "JOIN information_schema.columns c "
        "ON c.column_default = 'nextval(''' || s.sequence_name || ''')' "
        "WHERE c.table_schema = 'main' ORDER BY 1"
    ):
        highest = int(db.scalar(f'SELECT coalesce(max("{column}"), 0) FROM "{table}"'))
        target = min(max(highest + 1, started.get(name, 1)), highest + _SEQUENCE_SLACK)
        if target > 1:
            db.execute(f"SELECT max(nextval('{name}')) FROM range(?)", [target - 1])


def _check_target_empty(target: Path, store_root: Path) -> None:
    for path in (target, target.with_name(target.name + ".wal")):
        if path.exists():
            raise BackupError(
                f"Basis data tujuan {path} sudah ada; pemulihan hanya ke lokasi kosong. "
                "Pindahkan atau hapus berkas itu dulu, atau pilih --db lain."
            )
    if store_root.exists() and (not store_root.is_dir() or any(store_root.iterdir())):
        raise BackupError(
            f"Folder penyimpanan berkas {store_root} sudah berisi; pemulihan hanya ke lokasi "
            "kosong. Pindahkan folder itu dulu atau pilih --db di folder lain."
        )


def restore(
    src: str | Path, target: str | Path, *, store: str | Path | None = None
) -> RestoreResult:
    """Restore the backup folder ``src`` into the new database file ``target``."""
    src = Path(src).resolve()
    target = Path(target).resolve()
    store_root = Path(store).resolve() if store is not None else file_store.store_root(target)
    _check_target_empty(target, store_root)
    manifest = verify_backup(src)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_db = target.with_name(f".{target.name}.pemulihan")
    tmp_store = store_root.with_name(f".{store_root.name}.pemulihan")
    for leftover in (tmp_db, tmp_db.with_name(tmp_db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(tmp_store, ignore_errors=True)
    try:
        with Database.open(tmp_db, migrate=False) as db, db.transaction():
            # The schema is this program's (its migrations, as far as the backup had
            # them); only the data comes from the backup.
            _apply_migrations(db, list(manifest.get("migrations") or []))
            _load_tables(db, src / DATABASE_DIR, manifest)
            counts = table_counts(db)
            applied = db.applied_migrations() if "_migrations" in counts else []
            # Views are code (pipelines/db/sql): created by the migrator below.
            db.execute("DELETE FROM meta WHERE key = 'views_checksum'")
        if counts != manifest.get("tables"):
            raise BackupError(
                "Jumlah baris hasil pemulihan tidak sama dengan manifest cadangan; "
                "tidak ada yang dipulihkan. Pakai salinan cadangan lain."
            )
        if applied != manifest.get("migrations"):
            raise BackupError("Daftar migrasi hasil pemulihan tidak sama dengan manifest cadangan.")
        stored = 0
        prefix = f"{STORE_DIR}/"
        for rel, expected in sorted(manifest["files"].items()):
            if not rel.startswith(prefix):
                continue
            dest = tmp_store / rel[len(prefix) :]
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / rel, dest)
            if sha256_file(dest) != expected:
                raise BackupError(f"Salinan {rel} berbeda dari cadangan; ulangi pemulihan.")
            stored += 1
        _fsync_tree(tmp_store)
        # Files first, the database last: a database never exists without its files.
        if tmp_store.exists():
            if store_root.exists():
                store_root.rmdir()  # empty, checked above
            tmp_store.rename(store_root)
        # The views, and migrations newer than the backup if this program has any.
        Database.open(tmp_db).close()
        tmp_db.rename(target)
    except BaseException:
        for leftover in (tmp_db, tmp_db.with_name(tmp_db.name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(tmp_store, ignore_errors=True)
        raise
    return RestoreResult(target, store_root, counts, stored, manifest)


# -- check -----------------------------------------------------------------------------

# Tables whose rows record a file kept in the store: (table, hash column, what it is).
STORED_FILES = [
    ("submission", "sha256", "unggahan pengiriman"),
    ("siklus_bukti", "sha256", "bukti dukung"),
    ("skm_unggah", "sha256", "unggahan SKM"),
    ("dokumen_spm", "sha256", "dokumen Tim/Rencana Aksi SPM"),
    ("dokumen_tahapan", "sha256", "data dukung tahapan SPM"),
]
# Files kept inside the database: (table, bytes column, hash column, key columns).
BLOB_HASHES = [("laporan_berkas", "isi", "sha256", ("laporan_id", "urutan"))]
# Columns that point at another table's id: (column, table, what it is).
REFERENCES = [("submission_id", "submission", "pengiriman"), ("laporan_id", "laporan", "laporan")]


@dataclass
class CheckResult:
    problems: list[str]
    tables: int
    rows: int
    stored_files: int
    recorded_hashes: int

    @property
    def ok(self) -> bool:
        return not self.problems


def check(db: Database, *, store: str | Path | None = None) -> CheckResult:
    """List every problem found in the stored files and the database itself."""
    problems: list[str] = []
    store_root = Path(store) if store is not None else file_store.store_root(db)

    # 1. Migrations: all of this program's steps applied, none unknown.
    known = sorted(p.stem for p in MIGRATIONS_DIR.glob("*.sql"))
    applied = db.applied_migrations() if db.table_exists("_migrations") else []
    missing = [m for m in known if m not in applied]
    unknown = [m for m in applied if m not in known]
    if missing:
        problems.append(
            f"Migrasi belum dijalankan: {', '.join(missing)}; jalankan 'spm init' untuk "
            "melengkapinya."
        )
    if unknown:
        problems.append(
            f"Basis data memuat migrasi yang tidak dikenal program ini: {', '.join(unknown)} "
            "(dibuat oleh versi program yang lebih baru?)."
        )

    # 2. Every table readable end to end (DuckDB verifies block checksums on read).
    tables = base_tables(db)
    rows = 0
    for table in tables:
        try:
            rows += int(db.scalar(f'SELECT count(*) FROM "{table}"'))
            db.scalar(f'SELECT sum(hash(t)) FROM "{table}" AS t')
        except SpmError as exc:
            problems.append(f"Tabel {table} tidak dapat dibaca utuh: {exc}")
    for view in views(db):
        try:
            db.execute(f'SELECT * FROM "{view}" LIMIT 0').fetchall()
        except SpmError as exc:
            problems.append(f"View {view} tidak dapat dijalankan: {exc}")

    # 3. Every row that points at a submission (or report) points at one that exists.
    for column, parent, label in REFERENCES:
        if parent not in tables:
            continue
        for (table,) in db.rows(
            "SELECT DISTINCT c.table_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main' "
            "AND c.column_name = ? AND c.table_name <> ? ORDER BY 1",
            [column, parent],
        ):
            orphans = db.rows(
                f'SELECT d."{column}", count(*) FROM "{table}" d '
                f'LEFT JOIN "{parent}" p ON p.id = d."{column}" '
                f'WHERE d."{column}" IS NOT NULL AND p.id IS NULL GROUP BY 1 ORDER BY 1'
            )
            for ref, count in orphans:
                problems.append(
                    f"Tabel {table}: {count} baris menunjuk {label} #{ref} yang tidak ada."
                )

    # Files kept inside the database (report versions): bytes match their hash.
    for table, blob, column, keys in BLOB_HASHES:
        if table not in tables:
            continue
        key_sql = " || '/' || ".join(f'CAST("{k}" AS VARCHAR)' for k in keys)
        for key, name in db.rows(
            f'SELECT {key_sql}, nama_berkas FROM "{table}" '
            f'WHERE "{column}" IS DISTINCT FROM sha256("{blob}") ORDER BY 1'
        ):
            problems.append(
                f"Berkas {name} ({table} {key}) di basis data rusak: isinya tidak cocok "
                "dengan SHA-256 yang tercatat."
            )

    # 4. Stored files: content matches the hash in their name; no unreadable file.
    content: set[str] = set()
    stored = _files_under(store_root)
    for path in stored:
        rel = path.relative_to(store_root).as_posix()
        try:
            digest = sha256_file(path)
        except OSError as exc:
            problems.append(f"Berkas tersimpan {rel} tidak dapat dibaca: {exc}")
            continue
        content.add(digest)
        named = _HEX64.search(path.name)
        if named and named.group(0) != digest:
            problems.append(
                f"Berkas tersimpan {rel} rusak: isinya tidak cocok dengan SHA-256 pada namanya."
            )

    # 5. Every stored original and evidence file the database records is in the store.
    recorded = 0
    for table, column, label in STORED_FILES:
        if table not in tables:
            continue
        for ident, name, digest in db.rows(
            f'SELECT id, nama_berkas, "{column}" FROM "{table}" '
            f'WHERE "{column}" IS NOT NULL ORDER BY id'
        ):
            recorded += 1
            if digest not in content:
                problems.append(
                    f"Berkas {label} #{ident} ({name}, SHA-256 {digest[:12]}…) tidak ada "
                    f"atau rusak di penyimpanan {store_root}."
                )
    return CheckResult(problems, len(tables), rows, len(stored), recorded)
