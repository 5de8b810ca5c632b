"""Dashboards: server-side time to render each page (AppTest), national and Babel demo."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from benchmarks.common import spm
from pipelines.auth.access import Actor

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["ringkasan.py", "capaian.py", "peta.py", "lppd.py", "kelengkapan.py"]
REPEAT = 3
ANALIS = Actor("analis", "analis")


def _render_times(db: Path, page: str, cold: bool) -> float:
    """Median seconds of AppTest runs of ``page`` (logged in as an analyst); ``cold``
    clears the data cache first (every query and chart rebuilt), else only the page runs."""
    os.environ["SPM_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["actor"] = ANALIS  # as the login page leaves it
    at.session_state["terakhir_aktif"] = time.time()
    at.switch_page(f"app_pages/{page}")
    at.run()  # imports and first render, not counted
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception}")
    times = []
    for _ in range(REPEAT):
        if cold:
            st.cache_data.clear()
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        babel = Path(tmp) / "babel.duckdb"
        spm("init", "--db", str(babel))
        spm("demo", "--db", str(babel))
        national = Path(tmp) / "national.duckdb"
        spm("init", "--db", str(national))
        spm("demo", "--db", str(national), "--scale", "national")
        for label, db, aim in (("national", national, 1.0), ("Babel", babel, 0.3)):
            for page in PAGES:
                cold = _render_times(db, page, cold=True)
                warm = _render_times(db, page, cold=False)
                name = page.removesuffix(".py")
                report(
                    f"{name}, {label} demo, data not cached (median of {REPEAT})",
                    cold,
                    "s",
                    f"aim < {aim:g} s" + (" — over" if cold > aim else ""),
                )
                report(f"{name}, {label} demo, data cached (median of {REPEAT})", warm, "s")
