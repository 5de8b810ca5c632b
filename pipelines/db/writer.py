"""The app's single writer: every write the app makes goes through :func:`write`.

In the last days before a deadline many Streamlit sessions upload at once. Inside
the app process they are threads, and all of them write the same DuckDB file:

- :func:`write` opens the file for writing (through :class:`pipelines.db.store.Database`,
  which keeps one DuckDB instance per file in this process), runs the caller's work
  in one transaction and closes. The process-wide writer lock of the store makes the
  transactions take turns, so there is exactly one writer at a time and no write
  conflicts; a caller returns only after its COMMIT, so "confirmed" means on disk.
- :func:`reading` gives a read-only :class:`Database`. While a write is under way it
  is a cursor on the writer's instance: it reads the last committed state and never
  waits for the writer's transaction. Otherwise readers share a read-only instance,
  so other processes (the ``spm`` command) can still get the file between uses.
- Another process holding the file (e.g. ``spm ingest`` in a terminal) makes
  :func:`write` wait its turn for up to ``wait_seconds``, then fail with
  :class:`pipelines.errors.DatabaseBusy`, a plain Indonesian sentence.

Why not a queue with one writer thread? The store's per-file lock already gives a
single writer with the same ordering guarantees, the caller's own thread keeps its
Streamlit context for errors, and there is no thread to start, watch or stop.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ingest import commit, validate
from pipelines.ingest.limits import Limits
from pipelines.ingest.result import IngestResult, Prepared

T = TypeVar("T")

# How long an app write waits for another process (the CLI) to release the file.
WRITE_WAIT_SECONDS = float(os.environ.get("SPM_APP_WRITE_WAIT", "60"))
# How long an app read waits for another process that is writing.
READ_WAIT_SECONDS = float(os.environ.get("SPM_APP_READ_WAIT", "10"))


def write(
    func: Callable[[Database], T],
    path: str | Path | None = None,
    *,
    atomic: bool = True,
    wait_seconds: float | None = None,
) -> T:
    """Run ``func(db)`` as this process's single writer and return its result.

    With ``atomic`` (the default) ``func`` runs in one transaction: all of it is
    committed before this returns, or none of it is. Pass ``atomic=False`` for work
    that commits in several transactions of its own (e.g. one per uploaded file, so
    one refused file does not undo the others). Either way ``func`` runs as the only
    writer of this process: keep slow reading and checking out of it.
    """
    db = Database.open(
        path, wait_seconds=WRITE_WAIT_SECONDS if wait_seconds is None else wait_seconds
    )
    try:
        if not atomic:
            # func commits in its own transactions; the writer's turn is still held for
            # the whole call, so even its statements outside a transaction never run
            # beside another session's write.
            with db.write_turn():
                return func(db)
        with db.transaction():
            return func(db)
    finally:
        db.close()


@contextlib.contextmanager
def reading(
    path: str | Path | None = None, *, wait_seconds: float | None = None, keep_open: float = 0.0
) -> Iterator[Database]:
    """A short-lived read-only view of the database; close it by leaving the block
    (``keep_open``: see :meth:`Database.open`)."""
    db = Database.open(
        path,
        read_only=True,
        wait_seconds=READ_WAIT_SECONDS if wait_seconds is None else wait_seconds,
        keep_open=keep_open,
    )
    try:
        yield db
    finally:
        db.close()


def read(func: Callable[[Database], T], path: str | Path | None = None) -> T:
    """Run ``func`` on a short-lived read-only view and return its result."""
    with reading(path) as db:
        return func(db)


@dataclasses.dataclass(eq=False)
class _Saving:
    """One session's files waiting for the writer."""

    path: str | None
    files: list[Prepared]
    actor: Actor
    done: bool = False
    error: BaseException | None = None


_waiting: list[_Saving] = []
_waiting_lock = threading.Lock()  # guards _waiting
_combining = threading.Lock()  # one session at a time commits what is waiting


def commit_files(
    files: list[Prepared], actor: Actor, path: str | Path | None = None
) -> list[IngestResult]:
    """Commit checked files through the single writer; each file's result says whether
    it landed (a refusal that only the commit finds is a galat on that file).

    Sessions pressing Simpan at the same moment are committed together: whoever gets
    the writer commits every file waiting at that moment, its own and the other
    sessions', in one transaction (:func:`pipelines.ingest.commit.commit_group`: each
    file all or nothing, the figures refreshed once), and each session returns once its
    files are committed. So fifty uploads cost a few commits, not fifty."""
    mine = _Saving(None if path is None else str(path), list(files), actor)
    with _waiting_lock:
        _waiting.append(mine)
    with _combining:
        if not mine.done:
            with _waiting_lock:
                batch = [w for w in _waiting if w.path == mine.path]
                _waiting[:] = [w for w in _waiting if w.path != mine.path]
            try:
                write(
                    lambda db: commit.commit_group(
                        db, [(f, w.actor) for w in batch for f in w.files]
                    ),
                    mine.path,
                    atomic=False,
                )
            except BaseException as exc:  # e.g. the file held by another process
                for w in batch:
                    w.error = exc
                raise
            finally:
                for w in batch:
                    w.done = True
    if mine.error is not None:
        raise mine.error
    return [f.result for f in mine.files]


# A batch (``spm ingest FOLDER``) checks and commits this many files per turn of holding
# the file: one transaction and one refresh of the figures for them all, the file held
# for about a second and a half (their checks and the commit) between turns.
TURN_FILES = int(os.environ.get("SPM_INGEST_TURN_FILES", "16"))


def ingest_in_turns(
    open_db: Callable[[bool], Database],
    reads: Iterable[tuple[Path, Prepared | None]],
    actor: Actor,
    *,
    bounds: Limits,
    dry_run: bool = False,
) -> Iterator[IngestResult]:
    """Check and commit files, holding the database only in short turns; yields each
    file's result in order. ``reads``: each file's path with its read (None: read it
    here within the upload limits ``bounds``); ``open_db(read_only)`` opens the database.

    Used by ``spm ingest`` so a long batch never keeps the app (or another ``spm
    ingest``) out of the file for longer than one turn: up to :data:`TURN_FILES` files
    are read first with the database closed, then checked against it and their accepted
    ones committed together (:func:`pipelines.ingest.commit.commit_group`: one
    transaction, the figures refreshed once, each file still all or nothing) in one
    opening of the file. A problem of one file (a database error included) is a galat
    on its result, so the batch goes on with the next file.
    """
    pending = iter(reads)
    while turn := list(itertools.islice(pending, TURN_FILES)):
        prepared = [
            read if read is not None else validate.read_file(path, bounds) for path, read in turn
        ]
        yield from _check_and_commit(open_db, prepared, actor, dry_run)


def _check_and_commit(
    open_db: Callable[[bool], Database], prepared: list[Prepared], actor: Actor, dry_run: bool
) -> list[IngestResult]:
    """One turn of :func:`ingest_in_turns`."""
    try:
        with open_db(dry_run) as db, db.reference_reads():
            for item in prepared:
                if item.form is not None:  # else refused while reading
                    # the commit below counts the rows new and changed: not twice
                    validate.check_read(db, item, actor, counts=dry_run)
                item.result.dry_run = dry_run
            if not dry_run:
                commit.commit_group(db, [(p, actor) for p in prepared])
    except SpmError as exc:  # e.g. the database held by another writer for too long
        commit.refuse_unsaved(prepared, str(exc))
    return [p.result for p in prepared]
