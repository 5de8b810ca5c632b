"""One DuckDB instance per database file in this process, shared by every
:class:`~pipelines.db.store.Database` of that file, and DuckDB's errors as one Indonesian
sentence (:func:`translate`)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.errors import DatabaseBusy, DatabaseError, SpmError

_GUARD = threading.Lock()


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("could not set lock" in text or "conflicting lock" in text)


def translate(exc: Exception) -> SpmError:
    """One Indonesian sentence for a DuckDB error; the driver's English text is kept on
    the exception (``detail``) for logs and developers, never shown as the message."""
    if isinstance(exc, duckdb.ConstraintException):
        error: SpmError = DatabaseError(
            "Data ditolak karena melanggar aturan basis data (misalnya data yang sama sudah "
            "ada atau ada isian wajib yang kosong); periksa berkas lalu coba lagi."
        )
    elif isinstance(exc, duckdb.CatalogException):
        error = DatabaseError(
            "Struktur basis data tidak lengkap atau belum disiapkan; jalankan 'spm init' "
            "terlebih dahulu."
        )
    elif isinstance(exc, duckdb.IOException) and _is_lock_error(exc):
        error = DatabaseBusy(
            "Basis data sedang dipakai oleh proses lain yang sedang menulis; "
            "coba lagi beberapa saat lagi."
        )
    elif isinstance(exc, duckdb.ConversionException | duckdb.OutOfRangeException):
        error = DatabaseError(
            "Sebuah nilai tidak dapat disimpan atau dihitung karena jenis atau besarnya tidak "
            "sesuai (misalnya teks di kolom angka, atau angka yang terlalu besar); periksa "
            "isian lalu coba lagi."
        )
    elif isinstance(exc, duckdb.IOException):
        error = DatabaseError(
            "Berkas basis data tidak dapat dibaca atau ditulis; periksa ruang disk dan hak "
            "akses folder data, lalu coba lagi."
        )
    else:
        error = DatabaseError(
            "Operasi basis data gagal; coba lagi, dan bila terulang laporkan kepada "
            "administrator beserta waktu kejadiannya."
        )
    error.detail = f"{type(exc).__name__}: {exc}"
    return error


# -- one DuckDB instance per file in this process ---------------------------------------
# DuckDB refuses a read-only and a read-write connection to the same file inside one
# process. So every Database of a file in this process is a cursor on one shared
# "anchor" connection: while someone writes, readers get cursors on the read-write
# anchor (they read the last commit and never wait for the writer); otherwise readers
# share a read-only anchor. A writer waits for the read-only readers of the moment to
# finish (new readers queue behind it), then opens the read-write anchor. The anchor
# is closed when its last user closes, so the file is held only while in use; a reader
# may ask (``keep_open``) for a read-only anchor to stay open a moment after it, so that
# the next reads of the same page reuse it instead of opening the file again (opening
# costs tens of milliseconds: DuckDB reads the catalog). A writer of this process
# closes such an idle anchor at once; another process waits at most that moment.

IN_PROCESS_WAIT_SECONDS = 30.0  # at least this long for this process's own users


class SharedFile:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.conn: duckdb.DuckDBPyConnection | None = None
        self.read_only = True
        self.users = 0
        self.opening = False
        self.writers_waiting = 0
        self.readers_by_thread: dict[int, int] = {}
        self.idle_since = 0.0  # when the last user left a kept-open anchor (monotonic)
        self.keep_open = 0.0  # how long it stays open after that
        self.closer: threading.Timer | None = None  # at most one pending close

    def acquire(
        self,
        path: Path,
        read_only: bool,
        deadline: float,
        on_wait: Callable[[float], None] | None,
    ) -> tuple[duckdb.DuckDBPyConnection, bool]:
        """A cursor for this user, and whether this call opened the anchor."""
        me = threading.get_ident()
        local_deadline = max(deadline, time.monotonic() + IN_PROCESS_WAIT_SECONDS)
        opener = False
        with self.cond:
            if not read_only:
                self.writers_waiting += 1
            try:
                while True:
                    if self.conn is not None and not read_only and self.users == 0:
                        self._close_anchor()  # an idle read-only anchor kept open a moment
                    if self.conn is not None:
                        if not self.read_only or (read_only and not self.writers_waiting):
                            return self._share(me, read_only), False
                        if not read_only and self.readers_by_thread.get(me):
                            raise DatabaseError(
                                "Basis data sudah dibuka hanya-baca oleh proses ini pada langkah "
                                "yang sama; tutup dulu sebelum membukanya untuk menulis."
                            )
                    elif not self.opening and (not read_only or not self.writers_waiting):
                        self.opening = opener = True
                        break
                    remaining = local_deadline - time.monotonic()
                    if remaining <= 0:
                        raise DatabaseBusy(
                            f"Basis data {path.name} sedang dipakai oleh bagian lain aplikasi ini; "
                            "coba lagi beberapa saat lagi."
                        )
                    self.cond.wait(min(remaining, 0.5))
            finally:
                if not read_only and not opener:
                    self.writers_waiting -= 1
        # This call opens the anchor; everyone else of this file waits for the outcome.
        try:
            conn = connect(path, read_only, deadline, on_wait)
        except BaseException:
            with self.cond:
                self.opening = False
                if not read_only:
                    self.writers_waiting -= 1
                self.cond.notify_all()
            raise
        with self.cond:
            self.opening = False
            if not read_only:
                self.writers_waiting -= 1
            self.conn, self.read_only = conn, read_only
            cursor = self._share(me, read_only)
            self.cond.notify_all()
        return cursor, True

    def _share(self, me: int, read_only: bool) -> duckdb.DuckDBPyConnection:
        assert self.conn is not None
        cursor = self.conn.cursor()
        self.users += 1
        if read_only:
            self.readers_by_thread[me] = self.readers_by_thread.get(me, 0) + 1
        return cursor

    def release(
        self,
        cursor: duckdb.DuckDBPyConnection,
        read_only: bool,
        owner: int,
        keep_open: float = 0.0,
    ) -> None:
        with contextlib.suppress(duckdb.Error):
            cursor.close()
        with self.cond:
            self.users -= 1
            if read_only:
                left = self.readers_by_thread.get(owner, 1) - 1
                if left:
                    self.readers_by_thread[owner] = left
                else:
                    self.readers_by_thread.pop(owner, None)
            if self.users == 0 and self.conn is not None:
                if keep_open > 0 and self.read_only and not self.writers_waiting:
                    self.idle_since, self.keep_open = time.monotonic(), keep_open
                    if self.closer is None:
                        self._close_later(keep_open)
                else:
                    self._close_anchor()
            self.cond.notify_all()

    def _close_later(self, seconds: float) -> None:
        self.closer = threading.Timer(seconds, self._close_idle)
        self.closer.daemon = True
        self.closer.start()

    def _close_idle(self) -> None:
        """Close a kept-open anchor nobody used for ``keep_open`` seconds; if someone did
        meanwhile, look again when their moment is over."""
        with self.cond:
            self.closer = None
            if self.users or self.conn is None or not self.read_only:
                return  # in use (its last user arms a new close) or closed already
            left = self.idle_since + self.keep_open - time.monotonic()
            if left > 0:
                self._close_later(left)
                return
            self._close_anchor()
            self.cond.notify_all()

    def _close_anchor(self) -> None:
        assert self.conn is not None
        with contextlib.suppress(duckdb.Error):
            self.conn.close()
        self.conn = None


_SHARED_FILES: dict[str, SharedFile] = {}


def shared_file(path: Path) -> SharedFile:
    key = str(path.resolve())
    with _GUARD:
        return _SHARED_FILES.setdefault(key, SharedFile())


def connect(
    db_path: Path, read_only: bool, deadline: float, on_wait: Callable[[float], None] | None
) -> duckdb.DuckDBPyConnection:
    """Connect, retrying while another process holds the file, until ``deadline``."""
    memory = str(db_path) == ":memory:"
    told = False
    delay = 0.05
    while True:
        try:
            return duckdb.connect(
                ":memory:" if memory else str(db_path), read_only=read_only and not memory
            )
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise translate(exc) from None
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
