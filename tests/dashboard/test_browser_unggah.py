"""Unggah Data end to end in headless Chromium: choose files, read the summary, Simpan."""

from __future__ import annotations

import pytest

from pipelines.auth import users
from pipelines.auth.access import local_admin
from pipelines.core import reference
from pipelines.db.store import Database
from tests.browser import browser_page, log_in, page_errors, running_app, wait_for_app
from tests.ingest_helpers import fill, make_template, spm_values

pytestmark = pytest.mark.browser
PASSWORD = "Unggah-Data-2026!"


def test_upload_two_files_one_refused_then_save(tmp_path, artifacts):
    db_path = tmp_path / "spm.duckdb"
    with Database.open(db_path, wait_seconds=60) as db:
        reference.init_reference(db, by="test")
        users.add_user(db, local_admin("test"), "biro", "analis", PASSWORD, nama="Analis Biro")
        template = make_template(db, tmp_path / "t.xlsx", region="19.03", year=2025, tw=1)
    good = fill(template, tmp_path / "bangka_barat.xlsx", spm_values(["KES-K-01", "KES-K-02"]))
    bad = tmp_path / "salah.csv"
    bad.write_text(
        "kode_wilayah,tahun,triwulan,kode_layanan,jumlah_sasaran,jumlah_terlayani\n"
        "19.03,2025,1,PEND-K-01,-4,1\n"
    )
    with running_app(db_path) as url, browser_page() as page:
        log_in(page, url, "biro", PASSWORD)
        page.get_by_role("link", name="Unggah Data").click()
        wait_for_app(page, "Belum ada berkas yang dipilih")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            [str(good), str(bad)]
        )
        wait_for_app(page, "Ringkasan impor")
        body = page.inner_text("body")
        assert "1 berkas ditolak" in body
        page.get_by_role("button", name="Simpan 1 berkas").click()
        wait_for_app(page, "1 berkas tersimpan")
        page.screenshot(path=str(artifacts / "unggah.png"), full_page=True)
        assert [e for e in page_errors(page) if "ditolak" not in e] == []
    with Database.open(db_path, read_only=True, wait_seconds=60) as db:
        assert db.rows("SELECT kode_wilayah, nama_berkas FROM submission") == [
            ("19.03", "bangka_barat.xlsx")
        ]
        assert db.scalar("SELECT count(*) FROM spm_data") == 2
