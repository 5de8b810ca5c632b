"""The Nasional page in headless Chromium, with a national file built from three
province installations: offered to a leader, the 38 provinces drawn as shapes with a
hover value, no English string of Streamlit's own; not offered to an uploader."""

import shutil

import pytest

from pipelines.db.store import Database
from pipelines.ops.demo import users as demo_users
from tests.browser import browser_page, log_in, open_page, page_errors, running_app, wait_for_app
from tests.dashboard.test_browser_bahasa import ENGLISH

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def national_app(demo_db_template, national_set, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-nasional")
    path = folder / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    with Database.open(path) as db:
        demo_users.create_demo_accounts(db)
    with running_app(path, env={"SPM_NASIONAL": str(national_set.national)}) as url:
        yield url


def test_leader_sees_the_provinces_on_the_map_with_a_hover_value(national_app, artifacts):
    with browser_page() as page:
        page.set_viewport_size({"width": 1440, "height": 2400})
        log_in(page, national_app, "pimpinan", timeout=120_000)
        open_page(page, "Nasional")
        wait_for_app(page, "Peringkat provinsi", timeout=60_000)
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)  # let Vega finish drawing
        assert page_errors(page) == []
        shapes = chart.locator("path[aria-roledescription='geoshape']")
        assert shapes.count() == 38
        shapes.nth(0).hover(force=True)  # its label lies on top and shows the same tooltip
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=10_000)
        assert "IP-SPM" in tooltip.inner_text()
        body = page.inner_text("body")
        assert [w for w in ENGLISH if w in body] == []
        assert "dari 3 provinsi memuat data kabupaten/kota yang belum diverifikasi" in body
        page.screenshot(path=str(artifacts / "nasional.png"))


def test_an_uploader_is_not_offered_the_page(national_app):
    with browser_page() as page:
        log_in(page, national_app, "kab-19.01", timeout=120_000)
        nav = page.get_by_test_id("stSidebarNav").inner_text()
        assert "Nasional" not in nav and "Wilayah saya" in nav
