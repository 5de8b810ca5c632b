"""The one boundary to the DuckDB file.

Everything that touches the database goes through :class:`Database`:

- values are always passed as parameters (``?``), never formatted into SQL;
- writes run in :meth:`Database.transaction`, which rolls back on any exception;
- DuckDB's own exceptions are translated here into :class:`SpmError` subclasses
  whose message is a plain Indonesian sentence for the user;
- DuckDB lets only one process open a file for writing. A second process that
  finds the file held gets :class:`DatabaseBusy` (after waiting a bounded time if
  asked to), never a lock traceback.

Schema changes are migrations: ordered ``.sql`` files in ``pipelines/migrations``,
each applied once and recorded in ``_migrations`` (the sqlite-utils pattern). Views
live in ``pipelines/sql`` and are re-created whenever their text changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VIEWS_DIR = Path(__file__).resolve().parent / "sql"
DEFAULT_DB = DATA_DIR / "spm.duckdb"

# Writers inside one process (e.g. several Streamlit sessions) take turns here;
# across processes DuckDB's file lock decides, see Database.open().
_PROCESS_WRITE_LOCKS: dict[str, threading.RLock] = {}
_PROCESS_WRITE_LOCKS_GUARD = threading.Lock()


class SpmError(Exception):
    """An error whose message is meant for the user (Indonesian, one sentence)."""


class DatabaseBusy(SpmError):
    """Another process holds the database file."""


class DatabaseError(SpmError):
    """The database refused an operation (constraint, corrupt file, bad query)."""


class NotInitialised(SpmError):
    """The database has not been prepared with ``spm init``."""


def default_db_path() -> Path:
    """The database file: ``$SPM_DB`` if set, otherwise ``data/spm.duckdb``."""
    env = os.environ.get("SPM_DB")
    return Path(env) if env else DEFAULT_DB


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("could not set lock" in text or "conflicting lock" in text)


def _translate(exc: Exception) -> SpmError:
    text = str(exc)
    if isinstance(exc, duckdb.ConstraintException):
        return DatabaseError(f"Data ditolak karena melanggar aturan basis data: {text}")
    if isinstance(exc, duckdb.CatalogException):
        return DatabaseError(
            "Struktur basis data tidak lengkap; jalankan 'spm init' terlebih dahulu "
            f"(rincian: {text})."
        )
    if isinstance(exc, duckdb.IOException) and _is_lock_error(exc):
        return DatabaseBusy(
            "Basis data sedang dipakai oleh proses lain yang sedang menulis; "
            "coba lagi beberapa saat lagi."
        )
    return DatabaseError(f"Operasi basis data gagal: {text}")


def _process_lock(path: Path) -> threading.RLock:
    key = str(path.resolve()) if path.name != ":memory:" else f":memory:{id(path)}"
    with _PROCESS_WRITE_LOCKS_GUARD:
        return _PROCESS_WRITE_LOCKS.setdefault(key, threading.RLock())


class Database:
    """A connection to the SPM database with transactions and translated errors."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self._write_lock = _process_lock(path)
        self._in_transaction = False

    # -- opening -----------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        wait_seconds: float = 0.0,
        on_wait: Callable[[float], None] | None = None,
        migrate: bool = True,
    ) -> Database:
        """Open the database file, waiting up to ``wait_seconds`` for a lock.

        ``on_wait`` is called once, with the remaining wait, when the file is held by
        another process, so a CLI can tell the user it is waiting its turn.
        """
        db_path = Path(path) if path is not None else default_db_path()
        memory = str(db_path) == ":memory:"
        if read_only and not memory and not db_path.exists():
            raise NotInitialised(
                f"Basis data {db_path} belum ada; jalankan 'spm init' (atau 'make run' "
                "untuk data demo) terlebih dahulu."
            )
        if not memory:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        told = False
        delay = 0.05
        while True:
            try:
                conn = duckdb.connect(
                    ":memory:" if memory else str(db_path), read_only=read_only and not memory
                )
                break
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise _translate(exc) from None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise DatabaseBusy(
                        f"Basis data {db_path.name} sedang dipakai oleh proses lain "
                        "(misalnya aplikasi atau perintah spm lain yang sedang menulis); "
                        "tunggu sampai proses itu selesai lalu coba lagi."
                    ) from None
                if on_wait is not None and not told:
                    on_wait(remaining)
                    told = True
                time.sleep(min(delay, remaining))
                delay = min(delay * 2, 0.5)
        db = cls(conn, db_path, read_only)
        if migrate and not db.read_only:
            db.migrate()
        return db

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries -------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None):
        try:
            return self.conn.execute(sql, params) if params is not None else self.conn.execute(sql)
        except duckdb.Error as exc:
            raise _translate(exc) from None

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            self.conn.executemany(sql, rows)
        except duckdb.Error as exc:
            raise _translate(exc) from None

    def df(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        return self.execute(sql, params).df()

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple]:
        return self.execute(sql, params).fetchall()

    def dicts(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict]:
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        rows = self.execute(sql, params).fetchall()
        return rows[0][0] if rows else None

    @contextlib.contextmanager
    def registered(self, name: str, frame: pd.DataFrame) -> Iterator[str]:
        """Expose a DataFrame to SQL as ``name`` for the duration of the block."""
        try:
            self.conn.complete()  # DuckDB refuses to register while a result is open
            self.conn.register(name, frame)
        except duckdb.Error as exc:
            raise _translate(exc) from None
        try:
            yield name
        finally:
            with contextlib.suppress(duckdb.Error):
                self.conn.complete()
                self.conn.unregister(name)

    def insert_df(self, table: str, frame: pd.DataFrame) -> int:
        """Append a DataFrame to ``table`` by column name (table name is code, not input)."""
        if frame.empty:
            return 0
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        with self.registered(f"_insert_{id(frame)}", frame) as name:
            self.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM "{name}"')
        return len(frame)

    def table_exists(self, name: str) -> bool:
        return bool(
            self.scalar(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
            )
        )

    # -- transactions ----------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """Run a block atomically: commit at the end, roll back on any exception.

        Nested calls join the outer transaction. Writers of the same file inside this
        process take turns on a process-wide lock.
        """
        if self.read_only:
            raise DatabaseError("Basis data dibuka hanya-baca; perubahan tidak dapat disimpan.")
        if self._in_transaction:
            yield self
            return
        with self._write_lock:
            try:
                self.conn.execute("BEGIN TRANSACTION")
            except duckdb.Error as exc:
                raise _translate(exc) from None
            self._in_transaction = True
            try:
                yield self
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    self.conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except duckdb.Error as exc:
                    with contextlib.suppress(duckdb.Error):
                        self.conn.execute("ROLLBACK")
                    raise _translate(exc) from None
            finally:
                self._in_transaction = False

    # -- schema --------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending migrations in name order and refresh changed views.

        Returns the names of the migrations applied now.
        """
        self.execute(
            "CREATE TABLE IF NOT EXISTS _migrations ("
            " name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
        )
        done = {r[0] for r in self.rows("SELECT name FROM _migrations")}
        applied = []
        for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
            if path.stem in done:
                continue
            with self.transaction():
                self.execute(path.read_text(encoding="utf-8"))
                self.execute("INSERT INTO _migrations (name) VALUES (?)", [path.stem])
            applied.append(path.stem)
        self._refresh_views()
        return applied

    def _refresh_views(self) -> None:
        files = sorted(VIEWS_DIR.glob("*.sql"))
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        checksum = digest.hexdigest()
        current = self.scalar("SELECT value FROM meta WHERE key = 'views_checksum'")
        if current == checksum:
            return
        with self.transaction():
            for path in files:
                self.execute(path.read_text(encoding="utf-8"))
            self.execute(
                "INSERT INTO meta (key, value) VALUES ('views_checksum', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [checksum],
            )

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT name FROM _migrations ORDER BY name")]

    def meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", [key])

    def set_meta(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def open_db(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    wait_seconds: float = 0.0,
    on_wait: Callable[[float], None] | None = None,
) -> Database:
    """Shorthand for :meth:`Database.open`."""
    return Database.open(path, read_only=read_only, wait_seconds=wait_seconds, on_wait=on_wait)
