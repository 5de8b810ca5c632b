"""Another process that holds the database file as its writer, for the tests of waiting
for a turn (the store's, the app writer's and the CLI's)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pipelines.db.store import Database
    db = Database.open(sys.argv[1])
    with db.transaction():
        db.execute(sys.argv[3])
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    db.close()
    """
)


@contextlib.contextmanager
def holding(
    db_path: Path,
    seconds: float,
    statement: str = "INSERT INTO meta VALUES ('held', 'yes')",
    *,
    kill: bool = False,
) -> Iterator[subprocess.Popen]:
    """Another process writes ``statement`` to ``db_path`` and holds its transaction
    for ``seconds``; the block runs once it holds it. Afterwards the process is waited
    for (it commits), or killed with ``kill``."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path), str(seconds), statement],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        if kill:
            proc.kill()
        proc.wait(timeout=60)
