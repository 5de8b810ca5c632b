"""Login and role pages in headless Chromium: the uploader's region only, wrong
password refused, the analyst's review queue; screenshots for the docs."""

import pytest

from tests import browser
from tests.browser import browser_page, log_in, page_errors, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(accounts_db_template, tmp_path_factory):
    """The demo database with its review history and demo accounts."""
    folder = tmp_path_factory.mktemp("browser_roles")
    with browser.demo_app(accounts_db_template, folder) as (url, _):
        yield url


def test_login_page_refuses_a_wrong_password(app_url, artifacts):
    with browser_page() as page:
        page.goto(app_url)
        wait_for_app(page, "Akun demo")
        page.get_by_label("Nama pengguna").wait_for()
        page.locator("[data-testid='stDataFrame'] canvas").first.wait_for()
        page.wait_for_timeout(500)  # let the grid draw its rows
        page.screenshot(path=str(artifacts / "masuk.png"), full_page=True)
        browser.publish_screenshot(artifacts / "masuk.png", "screenshot-masuk.png")
        page.get_by_label("Nama pengguna").fill("analis")
        page.get_by_label("Kata sandi").fill("Salah-Sekali-77")
        page.get_by_role("button", name="Masuk", exact=True).click()
        wait_for_app(page, "Nama pengguna atau kata sandi salah")
        body = page.inner_text("body")
        assert "Salah-Sekali-77" not in body and "IP-SPM" not in body


def test_uploader_sees_only_its_region(app_url, artifacts):
    with browser_page() as page:
        log_in(page, app_url, "kab-19.02")
        wait_for_app(page, "Periode dan batas waktu")  # uploaders land on their own periods
        page.get_by_role("link", name="Beranda").click()
        wait_for_app(page, "IP-SPM terakhir per wilayah")
        table = page.locator("[data-testid='stTable']").first.inner_text()
        assert "Kabupaten Belitung" in table and "Bangka" not in table
        page.get_by_role("link", name="Wilayah saya").click()
        wait_for_app(page, "Periode dan batas waktu")
        assert page_errors(page) == []
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Pemeriksaan" not in nav and "Jejak audit" not in nav
        page.screenshot(path=str(artifacts / "wilayah_saya.png"), full_page=True)
        browser.publish_screenshot(artifacts / "wilayah_saya.png", "screenshot-wilayah-saya.png")


def test_analyst_review_queue(app_url, artifacts):
    with browser_page() as page:
        log_in(page, app_url, "analis")
        page.get_by_role("link", name="Pemeriksaan").click()
        wait_for_app(page, "Data dibanding periode sebelumnya")
        assert page_errors(page) == []
        assert page.get_by_role("button", name="Verifikasi").count() == 1
        page.screenshot(path=str(artifacts / "pemeriksaan.png"), full_page=True)
        browser.publish_screenshot(artifacts / "pemeriksaan.png", "screenshot-pemeriksaan.png")
