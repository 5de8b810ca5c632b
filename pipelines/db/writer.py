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
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ingest import commit, validate
from pipelines.ingest.limits import Limits
from pipelines.ingest.result import GALAT, IngestResult, Prepared, Problem

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
    path: str | Path | None = None, *, wait_seconds: float | None = None
) -> Iterator[Database]:
    """A short-lived read-only view of the database; close it by leaving the block."""
    db = Database.open(
        path,
        read_only=True,
        wait_seconds=READ_WAIT_SECONDS if wait_seconds is None else wait_seconds,
    )
    try:
        yield db
    finally:
        db.close()


def read(func: Callable[[Database], T], path: str | Path | None = None) -> T:
    """Run ``func`` on a short-lived read-only view and return its result."""
    with reading(path) as db:
        return func(db)


def ingest_in_turns(
    open_db: Callable[[bool], Database],
    path: str | Path,
    actor: Actor,
    *,
    dry_run: bool = False,
    original_name: str | None = None,
    bounds: Limits | None = None,
    read: Prepared | None = None,
) -> IngestResult:
    """Read one file holding nothing, check it on a read-only view, then commit it
    holding the writer only for the commit (``open_db(read_only)`` opens the database).

    Used by ``spm ingest`` so a long batch never keeps the app (or another ``spm
    ingest``) out of the file for longer than one file's commit: the file is parsed with
    the database closed (the upload limits ``bounds`` are read first when not given),
    the checks against the stored data happen under a shared read-only lock. A problem
    of this file (a database error included) is a galat on its result, so the batch goes
    on with the next file.
    """
    name = original_name or Path(path).name
    try:
        if bounds is None:
            with open_db(True) as db:
                bounds = validate.limits(db)
        # ``read``: the file parsed already (spm ingest FOLDER reads ahead in the pool)
        prepared = (
            read if read is not None else validate.read_file(path, bounds, original_name=name)
        )
        if prepared.form is not None:  # else refused while reading: nothing to look up
            with open_db(True) as db:
                prepared = validate.check_read(db, prepared, actor)
    except SpmError as exc:
        result = IngestResult(file_name=name)
        result.problems.append(Problem(GALAT, None, None, None, str(exc)))
        return result
    result = prepared.result
    result.dry_run = dry_run
    if not result.accepted or dry_run:
        return result
    try:
        with open_db(False) as db:
            # The commit re-reads the current rows inside its own transaction.
            return commit.commit_or_refuse(db, prepared, actor)
    except SpmError as exc:  # e.g. the database held by another writer for too long
        result.accepted = False
        result.problems.append(Problem(GALAT, None, None, None, str(exc)))
        return result
