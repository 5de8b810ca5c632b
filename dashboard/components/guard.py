"""Page guards: who may open a page, and the one-line stop when there is nothing to show."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from dashboard import data
from pipelines.auth.access import ROLE_LABELS, ROLES, Actor


def require_roles(roles: Iterable[str]) -> Actor:
    """The logged-in person, if their role is one of ``roles``; otherwise say whose page
    this is and stop (the navigation hides it too, and the library refuses anyway)."""
    actor = data.actor()
    allowed = frozenset(roles)
    if actor.role not in allowed:
        names = ", ".join(ROLE_LABELS[r] for r in ROLES if r in allowed)
        st.error(f"Halaman ini hanya untuk {names}. Anda masuk sebagai {ROLE_LABELS[actor.role]}.")
        st.stop()
    return actor


def stop_if_empty(empty: bool | pd.DataFrame, message: str) -> None:
    """Say in one line that there is nothing to show (``message``) and stop the page."""
    if isinstance(empty, pd.DataFrame):
        empty = empty.empty
    if empty:
        st.info(message)
        st.stop()
