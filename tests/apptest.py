"""Helpers to run the real app entry file under Streamlit's AppTest."""

from __future__ import annotations

import os
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pipelines.auth.access import Actor

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
ADMIN = Actor("admin", "admin")


def run_app(
    db_path: Path,
    page: str | None = None,
    timeout: float = 60,
    actor: Actor | None = ADMIN,
) -> AppTest:
    """Run the app against ``db_path``; ``page`` is a page file name, e.g. 'beranda.py'.

    The session starts logged in as ``actor`` (default: an administrator), as the login
    page would leave it; ``actor=None`` starts logged out, on the login page.
    """
    os.environ["SPM_DB"] = str(db_path)
    at = AppTest.from_file(APP, default_timeout=timeout)
    if actor is not None:
        at.session_state["actor"] = actor
        at.session_state["terakhir_aktif"] = time.time()
    if page is not None:
        at.switch_page(f"app_pages/{page}")
    at.run()
    return at


def check_clean(at: AppTest) -> None:
    """The page ran without an exception and without an error box."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> str:
    """All the text the page shows, for assertions."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "metric",
    ):
        for el in getattr(at, kind):
            parts.append(str(getattr(el, "value", "")))
            label = getattr(el, "label", None)
            if label:
                parts.append(str(label))
    return "\n".join(parts)
