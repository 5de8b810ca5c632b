"""A button's action on a form page: run it, then confirm after the rerun, or show why the
library refused it right there, so the person can correct the form and try again."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from pipelines.errors import SpmError


def show_confirmation(key: str) -> None:
    """The confirmation of the action that ran before this rerun, if any."""
    if st.session_state.get(key):
        st.success(st.session_state.pop(key))


def act(action: Callable[[], object], message: str, key: str) -> None:
    """Run ``action``; on success keep ``message`` under ``key`` and rerun, on a
    refusal show its Indonesian sentence in place."""
    try:
        action()
    except SpmError as exc:
        st.error(str(exc))
    else:
        st.session_state[key] = message
        st.rerun()
