"""The Siklus SOP page in headless Chromium: demo cycles, Gantt, evidence upload/download."""

import pytest

from pipelines.db.store import Database
from pipelines.sop import evidence
from tests import browser
from tests.browser import browser_page, log_in, page_errors, wait_for_app

pytestmark = pytest.mark.browser


def test_siklus_page_in_the_browser(demo_db_template, tmp_path, artifacts):
    with browser.demo_app(demo_db_template, tmp_path) as (url, path), browser_page() as page:
        log_in(page, url, "analis")
        page.get_by_role("link", name="Siklus SOP").click()
        wait_for_app(page, "Kinerja SOP antarsiklus")
        assert page_errors(page) == []
        body = page.inner_text("body")
        assert "Yang harus dilakukan minggu ini" in body
        assert "Rencana dan realisasi" in body
        charts = page.locator("[data-testid='stVegaLiteChart']")
        charts.nth(1).wait_for()
        assert charts.count() == 2
        page.screenshot(path=str(artifacts / "siklus.png"), full_page=True)
        # Upload evidence for the selected step (the first one, A1) and download it back.
        content = bytes(range(256)) * 40 + "Disposisi Sekda — SPM".encode()
        upload = tmp_path / "disposisi_sekda.pdf"
        upload.write_bytes(content)
        uploader = page.locator("[data-testid='stFileUploader']").first  # the evidence one
        uploader.locator("input[type='file']").set_input_files(str(upload))
        uploader.get_by_text("disposisi_sekda.pdf").wait_for()
        page.get_by_role("button", name="Simpan bukti").click()
        wait_for_app(page, "Bukti disposisi_sekda.pdf disimpan")
        page.get_by_text("disposisi_sekda.pdf", exact=False).first.wait_for()
        assert page_errors(page) == []
        with page.expect_download() as info:
            page.get_by_role("button", name="Unduh").first.click()
        downloaded = tmp_path / "unduhan.pdf"
        info.value.save_as(downloaded)
        assert downloaded.read_bytes() == content
    with Database.open(path, read_only=True, wait_seconds=60) as db:
        listed = evidence.listing(db, 2026)
    assert list(listed["nama_berkas"]) == ["disposisi_sekda.pdf"]
    browser.publish_screenshot(artifacts / "siklus.png", "screenshot-siklus.png")
