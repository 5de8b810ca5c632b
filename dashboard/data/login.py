"""Logging in and sessions (``pipelines.auth``): passwords, single sign-on, whether an
account is still active, the session length, the signed tokens that keep a login
through a reload, and the audit records of logging out."""

from __future__ import annotations

import time

import pandas as pd

from dashboard.data import cached, read, write
from pipelines.auth import audit, sessions, users
from pipelines.auth.access import Actor
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.ops.demo import users as demo_users

DEFAULT_SESSION_MINUTES = 60


@cached
def session_minutes() -> int:
    """Minutes of inactivity after which a session ends (setting ``sesi_kedaluwarsa_menit``)."""
    try:
        value = read(lambda db: settings.current(db).get("sesi_kedaluwarsa_menit"))
    except Exception:  # no database yet: the default applies
        return DEFAULT_SESSION_MINUTES
    return int(value) if isinstance(value, int | float) and value > 0 else DEFAULT_SESSION_MINUTES


def account_now(username: str) -> tuple[bool, Actor | None]:
    """(known, actor now): whether the account exists, and its current state if active.

    Not cached: disabling an account (also from the CLI) takes effect on the next rerun.
    """

    def look(db: Database) -> tuple[bool, Actor | None]:
        return users.exists(db, username), users.current(db, username)

    return read(look)


@cached
def demo_logins() -> pd.DataFrame:
    """The demo accounts the login page lists (empty unless the database is a demo)."""
    return read(demo_users.demo_logins)


def login(username: str, password: str, source: str | None = None) -> Actor:
    return write(lambda db: users.authenticate(db, username, password, source=source))


def login_email(email: str) -> Actor:
    return write(lambda db: users.actor_for_email(db, email))


def record(by: Actor | str, aksi: str, objek: str | None = None) -> None:
    write(lambda db: audit.record(db, by, aksi, objek))


# -- sessions that survive a reload (pipelines.auth.sessions) ---------------------------


def start_session(username: str) -> str:
    """A new login session; its signed token, valid for the session timeout."""
    return write(lambda db: sessions.start(db, username, session_minutes()))


def session_user(token: str | None) -> str | None:
    """The account a reloaded browser's token names, if the token is still valid."""
    found = read(lambda db: sessions.check(db, token))
    return None if found is None else found.username


def token_age_seconds(token: str | None) -> float | None:
    """Seconds since the token was issued (None if it is not valid)."""
    found = read(lambda db: sessions.read(db, token))
    return None if found is None else max(0.0, time.time() - found.issued)


def renew_session(token: str) -> str | None:
    """The same session with a new expiry, or None if it is no longer valid."""
    return read(lambda db: sessions.renew(db, token, session_minutes()))


def end_session(token: str | None, reason: str) -> None:
    if token:
        write(lambda db: sessions.end(db, token, reason))
