"""Every dashboard page in headless Chromium: no error, charts drawn, screenshots saved."""

import shutil
from pathlib import Path

import pytest

from pipelines import users
from pipelines.store import Database
from tests.browser import browser_page, log_in, open_page, page_errors, running_app, wait_for_app

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = [
    ("ringkasan", "Ringkasan", "Peringkat kabupaten/kota"),
    ("capaian", "Capaian", "IP-SPM setiap wilayah"),
    ("peta", "Peta", "Peta IP-SPM kabupaten/kota"),
    ("lppd", "LPPD", "Perbandingan antarwilayah"),
    ("kelengkapan", "Kelengkapan", "Kelengkapan dan ketepatan waktu"),
]


@pytest.fixture(scope="module")
def app_url(demo_db_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("browser-dash") / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    with Database.open(path) as db:
        users.create_demo_accounts(db)
    with running_app(path) as url:
        yield url


def test_every_dashboard_page_opens_without_error(app_url, artifacts):
    with browser_page() as page:
        log_in(page, app_url, "analis")
        for slug, title, text in PAGES:
            open_page(page, title)
            wait_for_app(page, text, timeout=60_000)
            # charts are drawn by Vega in the page: wait for their canvases/SVGs
            page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=30_000)
            page.wait_for_timeout(800)
            assert page_errors(page) == [], slug
            assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1, slug
            page.screenshot(path=str(artifacts / f"dasbor-{slug}.png"), full_page=True)
    shutil.copy(artifacts / "dasbor-ringkasan.png", DOCS / "screenshot-ringkasan.png")


def test_filters_survive_navigation_in_the_browser(app_url):
    with browser_page() as page:
        log_in(page, app_url, "analis")
        open_page(page, "Ringkasan")
        wait_for_app(page, "Peringkat kabupaten/kota", timeout=60_000)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="2023").click()
        wait_for_app(page, "Triwulan IV 2023", timeout=60_000)
        page.get_by_test_id("stSidebarNav").get_by_text("Peta").click()
        wait_for_app(page, "Peta IP-SPM kabupaten/kota", timeout=60_000)
        wait_for_app(page, "Triwulan IV 2023", timeout=60_000)
        assert page_errors(page) == []
