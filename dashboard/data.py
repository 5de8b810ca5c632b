"""The app's data layer: cached wrappers around ``pipelines`` (no queries in pages).

The app opens the database for each read and closes it right after, so that the
``spm`` command and other writers are never locked out for longer than one query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from pipelines.auth.access import Actor
from pipelines.capaian import overview as overview_mod
from pipelines.db import writer
from pipelines.db.store import Database, default_db_path
from pipelines.errors import AccessDenied, SpmError

T = TypeVar("T")
CACHE_SECONDS = 30


def db_path() -> str:
    return str(default_db_path())


def read(func: Callable[[Database], T]) -> T:
    """Run ``func`` on a short-lived read-only connection (never waits for app writers)."""
    with writer.reading(db_path(), wait_seconds=5) as db:
        return func(db)


def session_actor() -> Actor:
    """The logged-in person (set by the login page); data wrappers scope by it.

    Pass it to cached functions as an argument, so that it is part of the cache key
    and one person's rows are never served to another.
    """
    actor = st.session_state.get("actor")
    if not isinstance(actor, Actor):
        raise AccessDenied("Silakan masuk terlebih dahulu untuk melihat data.")
    return actor


def write(func: Callable[[Database], T], *, atomic: bool = True) -> T:
    """Run ``func`` through the app's single writer, then drop cached reads.

    Every write the app makes goes through here (see ``pipelines/writer.py``).
    """
    result = writer.write(func, db_path(), atomic=atomic)
    st.cache_data.clear()
    return result


def show_error_and_stop(exc: SpmError) -> None:
    st.error(f"{exc}")
    st.stop()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def overview(path: str, actor: Actor | None = None) -> overview_mod.Overview:
    """The home page's figures, limited to what ``actor`` may see."""
    del path  # part of the cache key only
    return read(lambda db: overview_mod.overview(db, actor))
