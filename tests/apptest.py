"""Helpers to run the real app entry file under Streamlit's AppTest."""

from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def run_app(db_path: Path, page: str | None = None, timeout: float = 60) -> AppTest:
    """Run the app against ``db_path``; ``page`` is a page file name, e.g. 'beranda.py'."""
    os.environ["SPM_DB"] = str(db_path)
    at = AppTest.from_file(APP, default_timeout=timeout)
    if page is not None:
        at.switch_page(f"app_pages/{page}")
    at.run()
    return at


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
