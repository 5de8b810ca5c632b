"""The running app in headless Chromium: no error, known demo figures, screenshots."""

import pytest

from pipelines.core import fmt
from pipelines.db.store import Database
from tests import browser
from tests.browser import browser_page, log_in, page_errors, wait_for_app

pytestmark = pytest.mark.browser


def test_home_page_shows_demo_figures(demo_app_url, artifacts):
    url, path = demo_app_url
    with Database.open(path, read_only=True, wait_seconds=60) as db:
        nilai = db.scalar(
            "SELECT nilai FROM v_spm_wilayah WHERE kode_wilayah = '19.71' "
            "ORDER BY tahun DESC, triwulan DESC LIMIT 1"
        )
    with browser_page() as page:
        log_in(page, url, "analis")
        wait_for_app(page, "IP-SPM terakhir per wilayah")
        assert page_errors(page) == []
        body = page.inner_text("body")
        assert "Kepulauan Bangka Belitung" in body
        assert "Deploy" not in body
        table = page.locator("[data-testid='stTable']").first
        assert fmt.angka(nilai, 2) in table.inner_text()
        page.screenshot(path=str(artifacts / "beranda.png"), full_page=True)
        browser.publish_screenshot(artifacts / "beranda.png", "screenshot-beranda.png")
