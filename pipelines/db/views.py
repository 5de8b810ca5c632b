"""Where the figure definitions (the SQL views of ``sql/``) are, and their checksum."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

VIEWS_DIR = Path(__file__).resolve().parent / "sql"


@functools.cache  # the files are this code's: they do not change while it runs
def views_checksum() -> str:
    """SHA-256 over the view files (names and text): the figure definitions of this code,
    recorded in ``meta`` as ``views_checksum`` by every database this code opened for
    writing."""
    digest = hashlib.sha256()
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
