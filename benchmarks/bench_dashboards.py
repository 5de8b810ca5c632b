"""Pages: server-side time to render every page (AppTest), national and Babel demo.

"Data not cached" clears Streamlit's data cache before each run (every query and
chart rebuilt), "cached" runs the page again as a person clicking around would.
Every page of ``dashboard/app_pages`` runs on the national demo as the role that uses
it (analis; ``pengguna`` as admin, ``wilayah_saya`` as a kabupaten uploader); the five
dashboards also on the Babel demo.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from benchmarks import targets
from benchmarks.common import national_demo_copy, spm
from pipelines.auth.access import Actor

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGES_DIR = ROOT / "dashboard" / "app_pages"
DASHBOARDS = ["ringkasan.py", "capaian.py", "peta.py", "lppd.py", "kelengkapan.py"]
REPEAT = 3
AIM = 0.3  # seconds, every page at national scale (issue 15)
ANALIS = Actor("analis", "analis")
ACTORS = {
    "pengguna.py": Actor("admin", "admin"),
    "wilayah_saya.py": Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01"),
}


def every_page() -> list[str]:
    """Every page a logged-in person can open (the login page aside)."""
    return sorted(
        p.name for p in PAGES_DIR.glob("*.py") if p.name not in ("__init__.py", "masuk.py")
    )


def _render_times(db: Path, page: str, cold: bool) -> float:
    """Median seconds of AppTest runs of ``page`` (logged in as the role that uses it);
    ``cold`` clears the data cache first (every query and chart rebuilt), else only the
    page runs."""
    os.environ["SPM_DB"] = str(db)
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["actor"] = ACTORS.get(page, ANALIS)  # as the login page leaves it
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


def _measure(report, db: Path, label: str, pages: list[str], aim: float) -> dict[str, float]:
    cold_times = {}
    for page in pages:
        name = page.removesuffix(".py")
        cold = cold_times[name] = _render_times(db, page, cold=True)
        over = " — over" if cold > aim else ""
        report(f"{name}, {label}, data not cached (median of {REPEAT})", cold, "s",
               f"aim ≤ {aim:g} s{over}")  # fmt: skip
        if page in DASHBOARDS:
            warm = _render_times(db, page, cold=False)
            report(f"{name}, {label}, data cached (median of {REPEAT})", warm, "s")
    return cold_times


def run(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        national = national_demo_copy(Path(tmp) / "national.duckdb")
        times = _measure(report, national, "national demo", every_page(), AIM)
        targets.record("page_render_national_s", times)
        babel = Path(tmp) / "babel.duckdb"
        spm("init", "--db", str(babel))
        spm("demo", "--db", str(babel))
        _measure(report, babel, "Babel demo", DASHBOARDS, AIM)
