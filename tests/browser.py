"""A running app (real Streamlit server) and headless Chromium for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipelines.db.store import Database
from pipelines.ops.demo import users as demo_users

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(db_path: Path, env: dict[str, str] | None = None, log: Path | None = None):
    """Start ``streamlit run dashboard/server.py`` on a free port; yield its URL. The
    server's output goes to ``log`` (default: ``server.log`` beside the database)."""
    with app_process(db_path, env, log) as (url, _):
        yield url


@contextmanager
def app_process(
    db_path: Path, env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """:func:`running_app`, yielding its URL and the server's process (its memory is
    measured by ``benchmarks/bench_memory.py``)."""
    port = free_port()
    log = log or db_path.with_name("server.log")
    log_file = log.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "server.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "SPM_DB": str(db_path), **(env or {})},
        stdout=log_file,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Streamlit did not start: {log.read_text(encoding='utf-8')}")
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log_file.close()


@contextmanager
def demo_app(template: Path, folder: Path) -> Iterator[tuple[str, Path]]:
    """A running app on a copy of ``template`` (a demo database) in ``folder``, with the
    demo accounts (password 'demo'); yields (URL, the copy's path)."""
    path = folder / "demo.duckdb"
    shutil.copy(template, path)
    with Database.open(path) as db:
        demo_users.create_demo_accounts(db)
    with running_app(path) as url:
        yield url, path


@contextmanager
def browser_page():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="id-ID")
        try:
            yield page
        finally:
            browser.close()


def wait_for_app(page, text: str, timeout: float = 30_000) -> None:
    """Wait until Streamlit finished running the page and ``text`` is visible."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


def page_errors(page) -> list[str]:
    """Streamlit error boxes and exceptions visible on the page."""
    return page.locator(
        "[data-testid='stException'], [data-testid='stAlertContentError']"
    ).all_inner_texts()


def log_in(page, url: str, username: str, password: str = "demo", timeout: float = 30_000) -> None:
    """Open the app and log in through the login page (the app shows nothing before);
    ``timeout`` (ms) for each wait, longer where the landing page is heavy."""
    page.goto(url)
    wait_for_app(page, "Nama pengguna", timeout=timeout)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    wait_for_app(page, "Masuk sebagai", timeout=timeout)


def open_page(page, title: str) -> None:
    """Go to a page of the app through the sidebar (a reload would start a new session,
    which has to log in again)."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()


DOCS = ROOT / "docs"


def publish_screenshot(source: Path, name: str) -> None:
    """Copy a test screenshot into docs/ for the README, only when asked
    (``make screenshots`` sets SPM_UPDATE_DOCS=1), so a test run leaves the tree clean."""
    if os.environ.get("SPM_UPDATE_DOCS") == "1":
        shutil.copy(source, DOCS / name)
