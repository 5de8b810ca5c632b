"""Every page, as every demo role, in headless Chromium: no English string of
Streamlit's own (uploader, multiselect, forms, sidebar), every page of the role in the
sidebar, Indonesian months on the Siklus page's Gantt, and no deprecation warning in
the server's log."""

import re

import pytest

from tests import browser
from tests.browser import browser_page, log_in, page_errors

pytestmark = pytest.mark.browser

ROLES = ["admin", "analis", "pimpinan", "kab-19.01", "opd-dinkes"]
ENGLISH = [
    "Browse files",
    "Drag and drop",
    "Choose options",
    "Choose an option",
    "Press Ctrl+Enter",
    "Press Enter",
    "View more",
    "View less",
    "Upload",
    "per file",
    "yyyy",
]
ENGLISH_MONTHS = re.compile(r"\b(May|Aug|Oct|Dec)\b")
INDONESIAN_MONTHS = re.compile(r"\b(Mei|Agu|Okt|Des)\b")


@pytest.fixture(scope="module")
def app(accounts_db_template, tmp_path_factory):
    """The demo database with its review history, SOP cycles and demo accounts; yields
    (URL, the server's log file)."""
    folder = tmp_path_factory.mktemp("browser_bahasa")
    with browser.demo_app(accounts_db_template, folder) as (url, path):
        yield url, path.with_name("server.log")


def settle(page) -> None:
    """Wait until the page's run is over (twice: a page may rerun once as it loads)."""
    for _ in range(2):
        page.wait_for_timeout(700)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
        )


def nav_titles(page) -> list[str]:
    links = page.get_by_test_id("stSidebarNav").locator("a")
    links.first.wait_for(timeout=60_000)  # the sidebar draws after the page's first run
    # a link reads "<icon ligature>\n\n<title>"
    return [t.strip().split("\n")[-1] for t in links.all_inner_texts() if t.strip()]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_indonesian(app, role, artifacts):
    url, log = app
    with browser_page() as page:
        log_in(page, url, role, timeout=60_000)
        titles = nav_titles(page)
        assert len(titles) >= 7, titles
        nav = page.get_by_test_id("stSidebarNav").inner_text()
        assert "View" not in nav
        seen = {}
        for title in titles:
            page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
            settle(page)
            body = page.locator("body").inner_text()
            seen[title] = [w for w in ENGLISH if w in body]
            assert page_errors(page) == [], (role, title)
            if title == "Siklus SOP":
                svg = " ".join(page.locator("svg text").all_text_contents())
                assert INDONESIAN_MONTHS.search(svg), svg[:500]
                assert not ENGLISH_MONTHS.search(svg), ENGLISH_MONTHS.findall(svg)
                page.screenshot(path=str(artifacts / f"siklus-{role}.png"), full_page=True)
        assert {t: w for t, w in seen.items() if w} == {}
    text = log.read_text(encoding="utf-8")
    assert not re.search(r"deprecat", text, re.I), text[-2000:]
