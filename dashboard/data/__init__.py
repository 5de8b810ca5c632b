"""The app's data layer: the one way pages reach ``pipelines`` (no SQL here, no queries in pages).

Four things, each written once:

- :func:`read` runs a library function on a short-lived read-only connection, so the
  ``spm`` command and other writers are never locked out for longer than one query;
- :func:`write` runs a library function through the app's single writer
  (``pipelines/db/writer.py``), then drops every cached read so pages show the new state;
- :func:`actor` is the logged-in person (set by the login page);
- :func:`cached` caches a reader briefly, keyed by the database file and the logged-in
  person as well as its own arguments, so one person's rows are never served to
  another and tests on several databases never mix. A reader that names an ``actor``
  parameter gets the logged-in person; callers never pass the path or the actor.

The modules beside this one are named by capability (capaian, kelengkapan, ingest,
laporan, login, review, users, audit, settings, sop). Scoping by role happens in the
library, which takes the actor; this layer only passes it on.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from pipelines.auth.access import Actor
from pipelines.db import writer
from pipelines.db.store import Database, default_db_path
from pipelines.errors import AccessDenied

T = TypeVar("T")
CACHE_SECONDS = 30
# A page's reads come one after another within a second or so: the file stays open that
# long after each, so they share one DuckDB instance instead of opening the file each.
KEEP_OPEN_SECONDS = 1.0
ACTOR_KEY = "actor"  # st.session_state key of the logged-in person (see dashboard/auth.py)


def db_path() -> str:
    return str(default_db_path())


def read(func: Callable[[Database], T]) -> T:
    """Run ``func`` on a short-lived read-only connection (never waits for app writers);
    reference data it asks for again (settings, catalogs, regions) is answered from its
    first read (``Database.reference_reads``: a read changes none of them)."""
    with (
        writer.reading(db_path(), wait_seconds=5, keep_open=KEEP_OPEN_SECONDS) as db,
        db.reference_reads(),
    ):
        return func(db)


def write(func: Callable[[Database], T], *, atomic: bool = False) -> T:
    """Run ``func`` through the app's single writer, then drop cached reads.

    Library functions commit in their own transactions; ``atomic=True`` runs ``func``
    in one transaction instead (all of it or nothing).
    """
    result = writer.write(func, db_path(), atomic=atomic)
    st.cache_data.clear()
    return result


def _logged_in() -> Actor | None:
    """The logged-in person, or None before login."""
    who = st.session_state.get(ACTOR_KEY)
    return who if isinstance(who, Actor) else None


def actor() -> Actor:
    """The logged-in person; AccessDenied (a plain sentence) before login."""
    who = _logged_in()
    if who is None:
        raise AccessDenied("Silakan masuk terlebih dahulu untuk melihat data.")
    return who


def cached(func: Callable[..., T]) -> Callable[..., T]:
    """Cache ``func`` for ``CACHE_SECONDS``, keyed by the database file and the logged-in
    person besides its own arguments; a parameter named ``actor`` receives that person
    (AccessDenied before login)."""
    takes_actor = "actor" in inspect.signature(func).parameters

    def run(path: str, person: Actor | None, args: tuple, kwargs: dict) -> T:
        # ``path`` is part of the cache key only: read() opens the same file.
        return func(*args, **({**kwargs, "actor": person} if takes_actor else kwargs))

    # Streamlit keys a cache by the function's module, name and source: give each
    # cached reader its own key.
    run.__module__, run.__qualname__, run.__name__ = (
        func.__module__,
        func.__qualname__,
        func.__name__,
    )
    store = st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)(run)

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> T:
        return store(db_path(), actor() if takes_actor else _logged_in(), args, kwargs)

    return call
