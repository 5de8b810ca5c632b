"""The running app in headless Chromium: no error, known demo figures, screenshots."""

import shutil

import pytest

from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.ops.demo import users
from tests.browser import (
    browser_page,
    log_in,
    page_errors,
    publish_screenshot,
    running_app,
    wait_for_app,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(demo_db_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    with Database.open(path) as db:
        users.create_demo_accounts(db)
    with running_app(path) as url:
        yield url, path


def test_home_page_shows_demo_figures(app_url, artifacts):
    url, path = app_url
    with Database.open(path, read_only=True) as db:
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
        publish_screenshot(artifacts / "beranda.png", "screenshot-beranda.png")
