"""The one boundary to the DuckDB file.

Everything that touches the database goes through :class:`Database`:

- values are always passed as parameters (``?``), never formatted into SQL;
- writes run in :meth:`Database.transaction`, which rolls back on any exception;
- DuckDB's own exceptions are translated into :class:`SpmError` subclasses whose
  message is a plain Indonesian sentence for the user (``instances.translate``);
- DuckDB lets only one process open a file for writing. A second process that
  finds the file held gets :class:`DatabaseBusy` (after waiting a bounded time if
  asked to), never a lock traceback; inside this process every Database of a file
  shares one DuckDB instance (:mod:`pipelines.db.instances`).

Schema changes are migrations: ordered ``.sql`` files in ``pipelines/db/migrations``,
each applied once and recorded in ``_migrations`` (the sqlite-utils pattern). Views
live in ``pipelines/db/sql`` and are re-created whenever their text changes.
"""

from __future__ import annotations

import contextlib
import copy
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from pipelines.db import frames
from pipelines.db.instances import SharedFile, connect, shared_file, translate
from pipelines.db.views import VIEWS_DIR, views_checksum
from pipelines.errors import DatabaseError, NotInitialised

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_DB = DATA_DIR / "spm.duckdb"

T = TypeVar("T")
Params = Sequence[Any] | dict[str, Any] | None

# Writers inside one process (e.g. several Streamlit sessions) take turns here;
# across processes DuckDB's file lock decides, see Database.open().
_PROCESS_WRITE_LOCKS: dict[str, threading.RLock] = {}
_PROCESS_WRITE_LOCKS_GUARD = threading.Lock()


def default_db_path() -> Path:
    """The database file: ``$SPM_DB`` if set, otherwise ``data/spm.duckdb``."""
    env = os.environ.get("SPM_DB")
    return Path(env) if env else DEFAULT_DB


def migration_names() -> list[str]:
    """The migrations this code ships, in the order they apply (a database made by this
    code has exactly these in ``_migrations``)."""
    return [path.stem for path in sorted(MIGRATIONS_DIR.glob("*.sql"))]


def _process_lock(path: Path) -> threading.RLock:
    key = str(path.resolve()) if path.name != ":memory:" else f":memory:{id(path)}"
    with _PROCESS_WRITE_LOCKS_GUARD:
        return _PROCESS_WRITE_LOCKS.setdefault(key, threading.RLock())


class Database:
    """A connection to the SPM database with transactions and translated errors."""

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        path: Path,
        read_only: bool,
        shared: SharedFile | None = None,
    ) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self._write_lock = _process_lock(path)
        self._in_transaction = False
        self._before_commit: dict[str, tuple[Callable[[Database, dict], None], dict]] = {}
        self._shared = shared
        self._owner = threading.get_ident()
        self._closed = False
        self._remembered: dict[tuple, Any] | None = None  # see reference_reads()
        self._keep_open = 0.0  # see open()

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
        keep_open: float = 0.0,
    ) -> Database:
        """Open the database file, waiting up to ``wait_seconds`` for a lock.

        ``on_wait`` is called once, with the remaining wait, when the file is held by
        another process, so a CLI can tell the user it is waiting its turn.
        ``keep_open`` (read-only): seconds the file stays open after the last reader
        closes, for the next read to reuse (see ``instances.SharedFile``).
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
        if memory:
            return cls._finish(
                cls(connect(db_path, read_only, deadline, on_wait), db_path, read_only), migrate
            )
        shared = shared_file(db_path)
        cursor, opened = shared.acquire(db_path, read_only, deadline, on_wait)
        db = cls(cursor, db_path, read_only, shared)
        db._keep_open = keep_open
        # Only the opener of a read-write instance migrates; later users share its work.
        return cls._finish(db, migrate and opened)

    @classmethod
    def _finish(cls, db: Database, migrate: bool) -> Database:
        if migrate and not db.read_only:
            try:
                db.migrate()
            except BaseException:
                db.close()
                raise
        return db

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._shared is not None:
            self._shared.release(self.conn, self.read_only, self._owner, self._keep_open)
        else:
            with contextlib.suppress(duckdb.Error):
                self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries -------------------------------------------------------------------
    def execute(self, sql: str, params: Params = None):
        try:
            return self.conn.execute(sql, params) if params is not None else self.conn.execute(sql)
        except duckdb.Error as exc:
            raise translate(exc) from None

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            self.conn.executemany(sql, rows)
        except duckdb.Error as exc:
            raise translate(exc) from None

    def _fetch(self, sql: str, params: Params, how: Callable[[Any], T]) -> T:
        """Run a query and fetch its result; errors of either step are translated
        (DuckDB raises many of them, conversions for one, only while fetching)."""
        try:
            cur = self.conn.execute(sql, params) if params is not None else self.conn.execute(sql)
            return how(cur)
        except duckdb.Error as exc:
            raise translate(exc) from None

    def df(self, sql: str, params: Params = None) -> pd.DataFrame:
        """The query's result as the DataFrame DuckDB's ``.df()`` gives, fetched through
        Arrow (:mod:`pipelines.db.frames`: a third of the time for wide results)."""
        try:
            relation = self.conn.sql(sql, params=params)
            return frames.frame(relation) if relation is not None else pd.DataFrame()
        except duckdb.Error as exc:
            raise translate(exc) from None

    def rows(self, sql: str, params: Params = None) -> list[tuple]:
        return self._fetch(sql, params, lambda cur: cur.fetchall())

    def dicts(self, sql: str, params: Params = None) -> list[dict]:
        def fetch(cur) -> list[dict]:
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

        return self._fetch(sql, params, fetch)

    def scalar(self, sql: str, params: Params = None) -> Any:
        rows = self._fetch(sql, params, lambda cur: cur.fetchall())
        return rows[0][0] if rows else None

    @contextlib.contextmanager
    def registered(self, name: str, frame: pd.DataFrame) -> Iterator[str]:
        """Expose a DataFrame to SQL as ``name`` for the duration of the block."""
        try:
            self.conn.complete()  # DuckDB refuses to register while a result is open
            self.conn.register(name, frame)
        except duckdb.Error as exc:
            raise translate(exc) from None
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
        """Whether a table or view ``name`` exists (DuckDB's catalog functions: a fifth
        of the time of ``information_schema.tables``)."""
        return bool(
            self.scalar(
                "SELECT count(*) FROM (SELECT table_name AS name FROM duckdb_tables() "
                "UNION ALL SELECT view_name FROM duckdb_views()) WHERE name = ?",
                [name],
            )
        )

    def tables_with_column(self, column: str) -> list[str]:
        """The tables (not views) of the database having ``column``, by name."""
        return [
            r[0]
            for r in self.rows(
                "SELECT DISTINCT c.table_name FROM information_schema.columns c "
                "JOIN information_schema.tables t USING (table_schema, table_name) "
                "WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main' "
                "AND c.column_name = ? ORDER BY 1",
                [column],
            )
        ]

    # -- reference data read once per block --------------------------------------------
    @contextlib.contextmanager
    def reference_reads(self) -> Iterator[Database]:
        """Within the block, reference data (settings, catalogs, regions, the deadline
        calendar) read through :meth:`remember` is queried once and then answered from
        memory: checking and committing a file asks for them many times, a query each.
        Use it only around work that does not change them itself (an upload's check and
        commit); what another writer changes meanwhile is seen from the next block on,
        as from a snapshot taken at the block's first read."""
        if self._remembered is not None:  # nested: the outer block's memory
            yield self
            return
        self._remembered = {}
        try:
            yield self
        finally:
            self._remembered = None

    def remember(self, key: tuple, load: Callable[[], T]) -> T:
        """``load()``, or inside :meth:`reference_reads` its first answer for ``key``
        (a copy, so a caller changing it changes nothing for the next)."""
        if self._remembered is None:
            return load()
        if key not in self._remembered:
            self._remembered[key] = load()
        return _copy(self._remembered[key])

    # -- transactions ----------------------------------------------------------------
    @contextlib.contextmanager
    def write_turn(self) -> Iterator[Database]:
        """Hold this process's writer turn for the file (re-entrant; transaction() takes
        it too), for work that commits in several transactions of its own."""
        if self.read_only:
            raise DatabaseError("Basis data dibuka hanya-baca; perubahan tidak dapat disimpan.")
        with self._write_lock:
            yield self

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
                raise translate(exc) from None
            self._in_transaction = True
            self._before_commit = {}
            try:
                yield self
                while self._before_commit:  # work that must land with this commit
                    _, (func, state) = self._before_commit.popitem()
                    func(self, state)
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
                    raise translate(exc) from None
            finally:
                self._in_transaction = False
                self._before_commit = {}

    def before_commit(self, key: str, func: Callable[[Database, dict], None]) -> dict | None:
        """Have ``func(db, state)`` run once just before the current transaction commits
        (inside it); returns ``state``, a dict the caller fills meanwhile, the same one for
        every call with ``key`` in this transaction. Outside a transaction returns None:
        the caller does its work at once."""
        if not self._in_transaction:
            return None
        if key not in self._before_commit:
            self._before_commit[key] = (func, {})
        return self._before_commit[key][1]

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
        from pipelines.capaian import materi  # the figures' tables are built on the views

        materi.pastikan(self)
        return applied

    def _refresh_views(self) -> None:
        checksum = views_checksum()
        current = self.scalar("SELECT value FROM meta WHERE key = 'views_checksum'")
        if current == checksum:
            return
        with self.transaction():
            for path in sorted(VIEWS_DIR.glob("*.sql")):
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


def _copy(value: Any) -> Any:
    """A copy of a remembered answer: frames and containers copied, scalars as they are."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    if isinstance(value, dict | list):
        return copy.deepcopy(value)
    return value
