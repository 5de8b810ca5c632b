"""Login sessions that survive a browser reload: a signed, expiring token.

After a password (or single sign-on) login the app puts a token in an HttpOnly cookie
(``dashboard/cookie.py``); a reload opens a new Streamlit session, which reads the
cookie and continues the login while the token is valid:

- the token is ``v1.<payload>.<HMAC-SHA256>``; the payload names the account, a random
  session id, when it was issued and when it expires (the session timeout after the
  last renewal). The key is ``$SPM_SESI_KUNCI`` or a random key kept beside the
  database file (``<database>.kunci-sesi``, readable by its owner only);
- the session id's SHA-256 is a row of ``sesi_login``: logout ends that row, a
  password change or disabling the account ends every row of the account
  (:func:`end_all`, called by :mod:`pipelines.auth.users`), so a copied token is
  worthless afterwards.

Whether the account is still active (and its role now) is the caller's check
(``users.current``), as for every rerun of a logged-in session.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.db.store import Database

COOKIE = "spm_sesi"
KEY_ENV = "SPM_SESI_KUNCI"
VERSION = "v1"
_PROCESS_KEY = secrets.token_bytes(32)  # for an in-memory database only


@dataclass(frozen=True)
class Token:
    """What a valid token says."""

    username: str
    sid: str
    issued: float
    expires: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_file(db: Database) -> Path | None:
    path = Path(str(db.path))
    return None if str(path) == ":memory:" else path.with_name(path.name + ".kunci-sesi")


def _key(db: Database) -> bytes:
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode()
    path = key_file(db)
    if path is None:  # an in-memory database: a key for this process only
        return _PROCESS_KEY
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes()
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


def _sign(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def _make(db: Database, username: str, sid: str, minutes: float, now: float) -> str:
    payload = {"u": username, "s": sid, "i": now, "x": now + minutes * 60}
    body = f"{VERSION}.{_b64(json.dumps(payload, separators=(',', ':')).encode())}"
    return f"{body}.{_sign(_key(db), body)}"


def read(db: Database, token: str | None, now: float | None = None) -> Token | None:
    """The token's content when its signature holds and it has not expired."""
    if not token or token.count(".") != 2:
        return None
    version, payload, signature = token.split(".")
    body = f"{version}.{payload}"
    if version != VERSION or not hmac.compare_digest(signature, _sign(_key(db), body)):
        return None
    try:
        data = json.loads(_unb64(payload))
        found = Token(str(data["u"]), str(data["s"]), float(data["i"]), float(data["x"]))
    except (ValueError, KeyError, TypeError):
        return None
    return found if found.expires > (time.time() if now is None else now) else None


def _row_id(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start(db: Database, username: str, minutes: float, now: float | None = None) -> str:
    """A new login session for ``username``; returns its token (valid ``minutes``)."""
    now = time.time() if now is None else now
    sid = secrets.token_urlsafe(32)
    db.execute(
        "INSERT INTO sesi_login (id, username, dibuat_pada) VALUES (?, ?, ?)",
        [_row_id(sid), username, dt.datetime.fromtimestamp(now)],
    )
    return _make(db, username, sid, minutes, now)


def check(db: Database, token: str | None, now: float | None = None) -> Token | None:
    """The token's content when it is valid: signed, not expired, its session not ended."""
    found = read(db, token, now)
    if found is None:
        return None
    alive = db.scalar(
        "SELECT count(*) FROM sesi_login WHERE id = ? AND username = ? AND berakhir_pada IS NULL",
        [_row_id(found.sid), found.username],
    )
    return found if alive else None


def renew(db: Database, token: str, minutes: float, now: float | None = None) -> str | None:
    """The same session with a new expiry (``minutes`` from now); None if not valid."""
    now = time.time() if now is None else now
    found = check(db, token, now)
    return None if found is None else _make(db, found.username, found.sid, minutes, now)


def end(db: Database, token: str | None, reason: str = "keluar") -> None:
    """End the session a token names (logout); an invalid token changes nothing."""
    found = read(db, token)
    if found is not None:
        db.execute(
            "UPDATE sesi_login SET berakhir_pada = ?, alasan_berakhir = ? "
            "WHERE id = ? AND berakhir_pada IS NULL",
            [dt.datetime.now(), reason, _row_id(found.sid)],
        )


def end_all(db: Database, username: str, reason: str) -> None:
    """End every open session of an account (password changed, account disabled)."""
    db.execute(
        "UPDATE sesi_login SET berakhir_pada = ?, alasan_berakhir = ? "
        "WHERE username = ? AND berakhir_pada IS NULL",
        [dt.datetime.now(), reason, username],
    )
