"""Figures a Biro can sign, in headless Chromium on the demo: the leaders' marker on
unverified data, each role's own landing page, an upload summary and problem messages
that fit a 1440 px screen, a download that keeps the version list open, and the admin
page staying on its tab after granting a deadline exception."""

from __future__ import annotations

import pytest

from pipelines.db.store import Database
from pipelines.laporan import records
from tests.browser import browser_page, log_in, open_page, page_errors, wait_for_app
from tests.ingest_helpers import fill, make_template

pytestmark = pytest.mark.browser
WIDE = {"width": 1440, "height": 1000}


def _fits(page, selector: str) -> list[tuple[int, int]]:
    """(scrollWidth, clientWidth) of each element matching ``selector``."""
    return page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].map(e => [e.scrollWidth, e.clientWidth])",
        selector,
    )


def test_leaders_see_which_data_is_not_yet_verified(demo_app_url, artifacts):
    url, _ = demo_app_url
    with browser_page() as page:
        page.set_viewport_size(WIDE)
        log_in(page, url, "pimpinan", timeout=60_000)
        wait_for_app(page, "Angka belum final", timeout=60_000)
        body = page.inner_text("body")
        assert "1 dari 5 kabupaten/kota yang melapor belum diverifikasi" in body
        assert "Rata-rata IP-SPM kabupaten/kota" in body
        assert "IP-SPM Pemerintah Provinsi (layanan kewenangan provinsi)" in body
        assert page_errors(page) == []
        page.screenshot(path=str(artifacts / "ringkasan_belum_final.png"), full_page=True)


@pytest.mark.parametrize(
    ("user", "landing", "absent"),
    [
        ("kab-19.01", "Periode dan batas waktu", ["Ringkasan", "Peta"]),
        ("opd-dinkes", "Periode dan batas waktu", ["Ringkasan", "Peta", "LPPD"]),
    ],
)
def test_uploaders_land_on_their_own_periods(demo_app_url, artifacts, user, landing, absent):
    url, _ = demo_app_url
    with browser_page() as page:
        page.set_viewport_size(WIDE)
        log_in(page, url, user, timeout=60_000)
        wait_for_app(page, landing, timeout=60_000)
        wait_for_app(page, "Unggah sekarang")
        nav = page.get_by_test_id("stSidebarNav").inner_text().splitlines()
        for title in absent:
            assert title not in nav, nav
        assert "Unggah sekarang" in page.inner_text("body")
        assert page_errors(page) == []
        page.screenshot(path=str(artifacts / f"landing_{user}.png"), full_page=True)


def test_upload_summary_and_messages_fit_a_1440_px_screen(demo_app_url, tmp_path, artifacts):
    url, db_path = demo_app_url
    long_comment = (
        "data belum lengkap karena sebagian puskesmas di pulau-pulau kecil belum mengirim "
        "laporan bulanan mereka ke dinas kesehatan kabupaten"
    )
    with Database.open(db_path, read_only=True, wait_seconds=60) as db:
        template = make_template(db, tmp_path / "t.xlsx", region="19.02", year=2025, tw=4)
    messy = fill(
        template,
        tmp_path / "pengisian_kabupaten_belitung_triwulan_iv_perbaikan_kedua.xlsx",
        {"KES-K-01": {"jumlah_sasaran": long_comment, "jumlah_terlayani": 5}},
    )
    with browser_page() as page:
        page.set_viewport_size(WIDE)
        log_in(page, url, "kab-19.02", timeout=60_000)
        open_page(page, "Unggah Data")
        wait_for_app(page, "Belum ada berkas yang dipilih", timeout=60_000)
        # The period being filled now is offered first, its deadline told before a file
        # is chosen.
        assert "Terbuka: batas waktu pengisian" in page.inner_text("body")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(messy))
        wait_for_app(page, "Ringkasan impor", timeout=60_000)
        summary = page.locator("[data-testid='stTable']").first
        # The heading arrives before the table under it: wait for the table's header.
        summary.locator("thead th").last.wait_for(timeout=60_000)
        headers = summary.locator("thead th").all_inner_texts()
        assert [h.strip() for h in headers][-1] == "Status"
        for scroll, client in _fits(page, "[data-testid='stTable']"):
            assert scroll <= client + 1, (scroll, client)  # no column cut off
        # Every problem message is shown in full, wrapped inside its cell.
        body = page.inner_text("body")
        # the typed paragraph is quoted as its first 40 characters, the sentence in full
        assert f"'{long_comment[:40]}…' bukan angka; perbaiki isian sel ini." in body
        assert "Batas waktu pengisian periode ini telah lewat (20 Januari 2026)" in body
        for scroll, client in _fits(page, "[data-testid='stTable'] td"):
            assert scroll <= client + 1, (scroll, client)
        page.screenshot(path=str(artifacts / "unggah_1440.png"), full_page=True)


def test_a_download_keeps_the_version_list_open(demo_app_url, artifacts):
    url, db_path = demo_app_url
    with browser_page() as page:
        page.set_viewport_size(WIDE)
        log_in(page, url, "analis", timeout=60_000)
        open_page(page, "Laporan")
        wait_for_app(page, "Buat draf laporan", timeout=60_000)
        assert "max_id" not in page.inner_text("body")
        # Build the draft on the page: its confirmation sits above the version list.
        page.get_by_role("button", name="Buat draf laporan").click()
        wait_for_app(page, "Draf tersimpan", timeout=120_000)
        with Database.open(db_path, read_only=True, wait_seconds=60) as db:
            rid = int(records.list_reports(db, 2025)["id"].max())
        version = page.locator("[data-testid='stExpander']").filter(has_text=f"#{rid} ")
        version.locator("summary").click()
        finalkan = version.get_by_role("button", name="Finalkan")
        finalkan.wait_for(timeout=60_000)  # the version's content is drawn
        assert "Data per 20 Januari 2026 09.37, 11 berkas" in version.inner_text()
        with page.expect_download():
            version.get_by_role("button", name="Data SPM (CSV)").click()
        page.wait_for_timeout(2500)
        wait_for_app(page, "Versi laporan tahun 2025", timeout=60_000)
        assert version.locator("details").get_attribute("open") is not None
        assert finalkan.is_visible()
        assert "#46 SPM Kabupaten Bangka Selatan (diajukan)" in version.inner_text()
        page.screenshot(path=str(artifacts / "laporan_versi_terbuka.png"), full_page=True)


def test_admin_stays_on_the_exception_tab(demo_app_url, artifacts):
    url, _ = demo_app_url
    with browser_page() as page:
        page.set_viewport_size(WIDE)
        log_in(page, url, "admin", timeout=60_000)
        open_page(page, "Pengguna dan batas waktu")
        wait_for_app(page, "Pengecualian batas waktu", timeout=60_000)
        page.get_by_role("tab", name="Pengecualian batas waktu").click()
        wait_for_app(page, "Beri pengecualian batas waktu")
        page.get_by_label("Alasan (wajib)").fill("Kantor dinas terdampak banjir bandang.")
        page.get_by_role("button", name="Beri pengecualian").click()
        wait_for_app(page, "Pengecualian batas waktu diberikan.")
        page.wait_for_timeout(1000)
        selected = page.locator("[role='tab'][aria-selected='true']").inner_text()
        assert "Pengecualian batas waktu" in selected
        assert page.get_by_text("Beri pengecualian batas waktu").is_visible()
        page.screenshot(path=str(artifacts / "pengguna_tab_tetap.png"), full_page=True)
