"""The content-addressed file store: original uploads and evidence files, by SHA-256.

Files live in ``$SPM_STORE`` if set, otherwise in ``store/`` next to the database file
(``data/store`` for an in-memory database). Uploads are kept as
``<store>/<sha[:2]>/<sha><suffix>``, evidence files as ``<store>/evidence/<sha[:2]>/<sha>``.
A file is written once, under a temporary name and renamed into place, so a reader never
sees half a file and the same content always has the same path. Reading evidence back
checks its hash. The database records who stored what; this module only keeps bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pipelines.db.store import DATA_DIR, Database
from pipelines.errors import SpmError


class StoredFileMissing(SpmError):
    """A file the database refers to is missing from the store or does not match its hash."""


def store_root(db_or_path: Database | str | Path) -> Path:
    """The store of a database (open, or only a path, e.g. a restore target)."""
    env = os.environ.get("SPM_STORE")
    if env:
        return Path(env)
    path = db_or_path.path if isinstance(db_or_path, Database) else Path(db_or_path)
    if str(path) == ":memory:":
        return DATA_DIR / "store"
    return Path(path).resolve().parent / "store"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_once(target: Path, data: bytes) -> Path:
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# -- original uploads ---------------------------------------------------------------------
def upload_path(db: Database, digest: str, suffix: str) -> Path:
    return store_root(db) / digest[:2] / f"{digest}{suffix.lower()}"


def keep_upload(db: Database, data: bytes, digest: str, suffix: str) -> Path:
    """Keep an uploaded file's original bytes by their hash (written once)."""
    return _write_once(upload_path(db, digest, suffix), data)


# -- evidence files -------------------------------------------------------------------------
def evidence_root(db: Database) -> Path:
    return store_root(db) / "evidence"


def evidence_path(db: Database, digest: str) -> Path:
    return evidence_root(db) / digest[:2] / digest


def keep_evidence(db: Database, content: bytes) -> str:
    """Keep an evidence file by its hash; returns the SHA-256."""
    digest = sha256(content)
    _write_once(evidence_path(db, digest), content)
    return digest


def read_evidence(db: Database, digest: str, name: str) -> bytes:
    """The exact bytes of an evidence file, checked against its hash."""
    path = evidence_path(db, digest)
    try:
        content = path.read_bytes()
    except OSError:
        raise StoredFileMissing(
            f"Berkas bukti {name} tidak ditemukan di {path.parent}; pulihkan folder store "
            "dari cadangan."
        ) from None
    if sha256(content) != digest:
        raise StoredFileMissing(
            f"Berkas bukti {name} di {path} rusak (sidik SHA-256 berbeda); pulihkan dari cadangan."
        )
    return content
