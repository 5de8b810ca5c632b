"""Memory: the app server's resident memory (RSS) on the national demo, page by page.

A real Streamlit server (``streamlit run dashboard/app.py``) on a copy of the national
demo; headless Chromium (Debian's, driven by Playwright as ``tests/browser.py`` does)
logs in as the analyst and opens every page of the sidebar in turn, waiting until the
page has finished. After each page the server process's RSS is read
(``/proc/PID/status``, VmRSS), and at the end its peak (VmHWM). Aim: under 400 MB.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks import targets
from benchmarks.common import national_demo_copy
from tests.browser import CHROMIUM, app_process, browser_page, log_in

AIM_MB = 400
PAGE_TIMEOUT_MS = 180_000


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of process ``pid`` in MB (``VmHWM``: its peak so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def _finished(page) -> None:
    """Wait until Streamlit has run the page (no status widget for a moment)."""
    for _ in range(2):  # a page may rerun once right after its first run
        page.wait_for_timeout(400)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=PAGE_TIMEOUT_MS,
        )


def run(report) -> None:
    if CHROMIUM is None:
        print("  Chromium is not installed ('make browser' installs it): not measured")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = national_demo_copy(Path(tmp) / "national.duckdb")  # with its demo accounts
        with app_process(path) as (url, server), browser_page() as page:
            report("server started, nobody logged in", rss_mb(server.pid), "MB")
            start = time.perf_counter()
            log_in(page, url, "analis", timeout=PAGE_TIMEOUT_MS)
            _finished(page)
            links = page.get_by_test_id("stSidebarNav").locator("a")
            titles = [text.split("\n")[-1].strip() for text in links.all_inner_texts()]
            per_page = {}
            for i, title in enumerate(titles):
                if i:  # the first one is where the login lands
                    href = links.nth(i).get_attribute("href")
                    links.nth(i).click()
                    page.wait_for_url(href, timeout=PAGE_TIMEOUT_MS)
                    _finished(page)
                errors = page.locator("[data-testid='stException']").all_inner_texts()
                if errors:
                    raise RuntimeError(f"{title}: {errors[0][:300]}")
                per_page[title] = rss_mb(server.pid)
                over = " — over" if per_page[title] >= AIM_MB else ""
                report(f"after opening {title}", per_page[title], "MB", f"aim < {AIM_MB}{over}")
            peak = rss_mb(server.pid, "VmHWM")
            report("peak over the visit (VmHWM)", peak, "MB")
            report(f"visiting the {len(titles)} pages, login included",
                   time.perf_counter() - start, "s")  # fmt: skip
    targets.record("memory_per_page_mb", per_page)
    targets.record("memory_peak_mb", peak)
