"""The pages of the other two seeds in headless Chromium, as each demo role uses them:
the Biro watching the kabupaten/kota LPPD, leaders reading the chart, a kabupaten/kota
running its own cycle and uploading its SKM (a bad file refused, then the fixed one
saved), an OPD seeing only its complaints; the printable standar pelayanan."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from pipelines.db.store import Database
from tests.browser import browser_page, log_in, open_page, page_errors, wait_for_app

pytestmark = pytest.mark.browser


def test_the_biro_watches_every_kabkota_and_leaders_see_the_chart(demo_app_url, artifacts):
    url, _ = demo_app_url
    with browser_page() as page:
        log_in(page, url, "analis")
        open_page(page, "Pemantauan LPPD/LKPj")
        wait_for_app(page, "Rincian per kabupaten/kota")
        assert page_errors(page) == []
        page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
        body = page.inner_text("body")
        assert "Batas waktu: 31 Maret 2026" in body and "Daftar pengingat" in body
        page.screenshot(path=str(artifacts / "pemantauan_lppd.png"), full_page=True)
    with browser_page() as page:
        log_in(page, url, "pimpinan", timeout=60_000)
        open_page(page, "Pemantauan LPPD/LKPj")
        wait_for_app(page, "Posisi setiap kabupaten/kota")
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.wait_for()
        assert page_errors(page) == []
        assert "Daftar pengingat" not in page.inner_text("body")
        chart.screenshot(path=str(artifacts / "pemantauan_lppd_pimpinan.png"))


def test_a_kabkota_runs_its_cycle_and_uploads_its_skm(demo_app_url, artifacts, tmp_path):
    url, path = demo_app_url
    with browser_page() as page:
        log_in(page, url, "kab-19.01")
        open_page(page, "Siklus SOP")
        wait_for_app(page, "Rencana dan realisasi")
        assert page_errors(page) == []
        body = page.inner_text("body")
        assert "Kabupaten Bangka" in body and "Batas waktu" in body
        assert "Pelaksanaan Penerapan dan Pelaporan SPM" not in body  # not the Biro's SOP

        open_page(page, "Survei Kepuasan (SKM)")
        wait_for_app(page, "Unggah hasil SKM")
        assert page_errors(page) == []
        with page.expect_download() as info:
            page.get_by_role("button", name="Unduh templat jawaban SKM").click()
        template = tmp_path / "templat.xlsx"
        info.value.save_as(template)
        wb = openpyxl.load_workbook(template)
        ws = wb["Jawaban"]
        year = dt.date.today().year
        for row in range(4, 9):
            ws.cell(row=row, column=2, value=dt.date(year, 1, 10))
            for col in range(3, 12):
                ws.cell(row=row, column=col, value=3 + (row + col) % 2)
        ws["E6"] = 7  # a score outside 1-4
        bad = tmp_path / "skm_bangka_salah.xlsx"
        wb.save(bad)
        uploader = page.locator("[data-testid='stFileUploader']").first
        uploader.locator("input[type='file']").set_input_files(str(bad))
        wait_for_app(page, "DITOLAK (1 galat)")
        with page.expect_download() as info:
            page.get_by_role("button", name="Unduh laporan galat (.xlsx)").click()
        report = tmp_path / "laporan_galat.xlsx"
        info.value.save_as(report)
        listed = openpyxl.load_workbook(report)["Daftar Masalah"]
        problem = [c.value for c in listed[5]]
        assert (
            problem[1:5] == ["Jawaban", 6, "u3 (E)", "E6"] and "nilai 7 di luar 1-4" in problem[5]
        )
        ws["E6"] = 4
        good = tmp_path / "skm_bangka.xlsx"
        wb.save(good)
        uploader.locator("input[type='file']").set_input_files(str(good))
        wait_for_app(page, "dapat diterima (5 responden")
        page.get_by_role("button", name="Simpan jawaban SKM").click()
        wait_for_app(page, "DITERIMA sebagai unggahan SKM")
        assert page_errors(page) == []
        page.screenshot(path=str(artifacts / "skm_unggah.png"), full_page=True)
    with Database.open(path, read_only=True, wait_seconds=60) as db:
        stored = db.rows(
            "SELECT jumlah_responden, diunggah_oleh FROM skm_unggah WHERE kode_unit = 'bagpem-19.01' "
            "AND tahun = ? AND status = 'berlaku'",
            [dt.date.today().year],
        )
    assert stored == [(5, "kab-19.01")]


def test_the_printable_standar_and_the_ikm_page(demo_app_url, artifacts, tmp_path):
    url, _ = demo_app_url
    with browser_page() as page:
        log_in(page, url, "opd-dinkes")
        open_page(page, "Standar Pelayanan")
        wait_for_app(page, "Penyampaian Pelayanan (Service Delivery)")
        wait_for_app(page, "Maklumat Pelayanan")
        assert page_errors(page) == []
        with page.expect_download() as info:
            page.get_by_role("button", name="Unduh versi cetak (HTML, A4)").click()
        html = tmp_path / "cetak.html"
        info.value.save_as(html)
        printable = html.read_text(encoding="utf-8")
        assert (
            "MAKLUMAT PELAYANAN" in printable
            and "Pengelolaan Pelayanan (Manufacturing)" in printable
        )
        page.goto(html.as_uri())
        page.screenshot(path=str(artifacts / "standar_cetak.png"), full_page=True)
    with browser_page() as page:
        log_in(page, url, "analis")
        open_page(page, "Survei Kepuasan (SKM)")
        wait_for_app(page, "Unit yang belum survei")
        page.locator("[data-testid='stVegaLiteChart']").nth(1).wait_for()
        assert page_errors(page) == []
        page.screenshot(path=str(artifacts / "skm.png"), full_page=True)


def test_complaints_as_the_biro_and_as_an_opd(demo_app_url, artifacts):
    url, _ = demo_app_url
    with browser_page() as page:
        log_in(page, url, "analis")
        open_page(page, "Pengaduan")
        wait_for_app(page, "Lewat batas waktu")
        assert page_errors(page) == []
        page.locator("[data-testid='stDataFrame']").first.wait_for()
        wait_for_app(page, "Pelapor:")  # the details come after the list
        body = page.inner_text("body")
        # The complaint picked for details: the Biro does not see who complained.
        assert "Pelapor: (dirahasiakan) · Kontak: (dirahasiakan)" in body
        page.screenshot(path=str(artifacts / "pengaduan.png"), full_page=True)
    with browser_page() as page:
        log_in(page, url, "opd-dinkes")
        open_page(page, "Pengaduan")
        wait_for_app(page, "Daftar pengaduan")
        wait_for_app(page, "Unit: Dinas Kesehatan")  # the details come after the list
        assert page_errors(page) == []
        body = page.inner_text("body")
        assert "Dinas Pekerjaan Umum" not in body and "UPTD Sistem Administrasi" not in body
        assert "Unit: Dinas Kesehatan" in body and "(dirahasiakan)" not in body
