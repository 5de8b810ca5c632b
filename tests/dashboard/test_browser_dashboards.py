"""Every dashboard page in headless Chromium: no error, charts drawn, screenshots saved."""

import pytest

from pipelines.core import fmt
from pipelines.db.store import Database
from tests import browser
from tests.browser import browser_page, page_errors, publish_screenshot, wait_for_app

pytestmark = pytest.mark.browser

PAGES = [
    ("Ringkasan", "Peringkat kabupaten/kota"),
    ("Capaian", "IP-SPM kabupaten/kota —"),
    ("Peta", "Peta IP-SPM kabupaten/kota"),
    ("LPPD", "Perbandingan antarwilayah"),
    ("Kelengkapan", "Kelengkapan dan ketepatan waktu"),
]


def log_in(page, url: str, username: str) -> None:
    """tests.browser.log_in with room for a slow machine (the Ringkasan renders first)."""
    browser.log_in(page, url, username, timeout=120_000)


def open_page(page, title: str, text: str) -> None:
    """Navigate inside the session and wait for the page's charts."""
    browser.open_page(page, title)
    wait_for_app(page, text, timeout=60_000)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # let Vega finish drawing


def test_every_dashboard_page_opens_without_error(demo_app_url, artifacts):
    app_url, _ = demo_app_url
    with browser_page() as page:
        page.set_viewport_size({"width": 1400, "height": 2400})
        log_in(page, app_url, "pimpinan")
        # leaders land on the Ringkasan
        wait_for_app(page, "Peringkat kabupaten/kota", timeout=60_000)
        for title, text in PAGES:
            open_page(page, title, text)
            assert page_errors(page) == [], title
            charts = page.locator("[data-testid='stVegaLiteChart']")
            assert charts.count() >= 1, title
            page.screenshot(path=str(artifacts / f"dasbor-{title.lower()}.png"))
    publish_screenshot(artifacts / "dasbor-ringkasan.png", "screenshot-ringkasan.png")


def test_filters_survive_navigation_in_the_browser(demo_app_url):
    app_url, _ = demo_app_url
    with browser_page() as page:
        log_in(page, app_url, "analis")
        open_page(page, "Ringkasan", "Peringkat kabupaten/kota")
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="2023").click()
        wait_for_app(page, "Triwulan IV 2023", timeout=60_000)
        open_page(page, "Peta", "Peta IP-SPM kabupaten/kota")
        wait_for_app(page, "Triwulan IV 2023", timeout=60_000)
        assert page_errors(page) == []


def test_peta_draws_the_seven_babel_shapes_with_values_on_hover(demo_app_url, artifacts):
    app_url, path = demo_app_url
    with Database.open(path, read_only=True, wait_seconds=60) as db:
        nilai = db.scalar(
            "SELECT nilai FROM v_spm_wilayah WHERE kode_wilayah = '19.06' "
            "AND tahun = 2025 AND triwulan = 4"
        )
    with browser_page() as page:
        log_in(page, app_url, "pimpinan")
        open_page(page, "Peta", "Peta IP-SPM kabupaten/kota")
        shapes = page.locator("path[aria-roledescription='geoshape']")
        shapes.first.wait_for(timeout=60_000)
        assert shapes.count() == 7  # the province's kabupaten/kota, each its own shape
        assert page.get_by_text("Tidak tampil di peta").count() == 0
        table = page.locator("[data-testid='stDataFrame']").first
        table.wait_for()
        # hover a shape: its name and IP-SPM in the tooltip
        target = None
        for i in range(shapes.count()):
            label = shapes.nth(i).get_attribute("aria-label") or ""
            if "Belitung Timur" in label:
                target = shapes.nth(i)
        assert target is not None
        target.hover(force=True)  # its label lies on top and shows the same tooltip
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=10_000)
        text = tooltip.inner_text()
        assert "Kabupaten Belitung Timur" in text and "IP-SPM" in text
        assert fmt.angka(nilai, 2) in text
        page.screenshot(path=str(artifacts / "peta.png"))
    publish_screenshot(artifacts / "peta.png", "screenshot-peta.png")
