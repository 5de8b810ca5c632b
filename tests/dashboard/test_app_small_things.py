"""Smaller things that cost trust (issue 13, point 8), each through the real thing: the
Capaian drill-down never adds sasaran of different services, the Kelengkapan chart
never puts six OPD reports beside one per kabupaten/kota, an unknown region is an error,
and an error report uploaded again gets one fresh list of problems."""

from __future__ import annotations

import io

from click.testing import CliRunner
from openpyxl import load_workbook

from pipelines.capaian import completeness, dashboards
from pipelines.cli.root import cli
from pipelines.ingest import error_report
from pipelines.ingest.validate import prepare
from tests.apptest import check_clean, run_app, texts
from tests.ingest_helpers import ADMIN, fill, make_template


def test_capaian_drill_down_never_adds_sasaran_across_services(demo_db_path):
    at = run_app(demo_db_path, "capaian.py")
    at.selectbox(key="_w_wilayah").set_value("19.02").run()
    check_clean(at)
    labels = [m.label for m in at.metric]
    assert "Sasaran" not in labels and "Belum terlayani" not in labels
    assert "Layanan yang sasarannya belum terlayani penuh" in labels
    # The progress towards the sasaran is one service at a time.
    options = at.selectbox(key="_w_layanan").options
    assert options and all(" — " in o for o in options)
    assert not any("Semua layanan" in o for o in options)
    assert "Kemajuan per triwulan menuju sasaran 2025 — " in texts(at)


def test_kelengkapan_per_region_counts_only_one_unit_per_report(demo_db):
    per_wilayah = completeness.ringkasan_kelengkapan(demo_db, 2025, 4, per="wilayah")
    units = dashboards.kelengkapan_per_unit(per_wilayah, "nama_wilayah")
    # One SPM report per kabupaten/kota for the quarter; the province's six OPD reports
    # are counted per OPD instead, never on this axis.
    assert set(units["diharapkan"]) == {1}
    assert "Kepulauan Bangka Belitung" not in set(units["nama"])
    per_opd = completeness.ringkasan_kelengkapan(demo_db, 2025, 4, per="opd")
    assert len(dashboards.kelengkapan_per_unit(per_opd, "nama_opd")) == 6


def test_kelengkapan_page_draws_regions_and_opd_apart(demo_db_path):
    at = run_app(demo_db_path, "kelengkapan.py")
    check_clean(at)
    shown = texts(at)
    assert "Per wilayah" in shown and "Per perangkat daerah provinsi" in shown
    assert "SPM provinsi dihitung per perangkat daerah" in shown


def test_unknown_region_is_an_error(demo_db_path):
    result = CliRunner().invoke(
        cli, ["capaian", "--db", str(demo_db_path), "--year", "2025", "--region", "99.99"]
    )
    assert result.exit_code == 1
    assert "Kode wilayah '99.99' tidak dikenal" in result.output
    known = CliRunner().invoke(
        cli, ["capaian", "--db", str(demo_db_path), "--year", "2031", "--region", "19.01"]
    )
    assert known.exit_code == 0  # a known region without data is simply empty


def test_error_report_uploaded_again_gets_one_fresh_list(db, tmp_path):
    template = make_template(db, tmp_path / "t.xlsx", region="19.01", year=2025, tw=2)
    bad = fill(template, tmp_path / "isi.xlsx", {"PEND-K-01": {"jumlah_sasaran": "banyak"}})
    first = prepare(db, bad, ADMIN).result
    report = tmp_path / "isi_laporan_galat.xlsx"
    report.write_bytes(error_report.build(bad.read_bytes(), bad.name, first))
    # The uploader fixes the red cell in the report itself and uploads the report.
    wb = load_workbook(report)
    cell = next(p.cell for p in first.errors if p.cell)
    wb["Data"][cell].value = 1000
    wb.save(report)
    second = prepare(db, report, ADMIN).result
    assert not any("banyak" in p.message for p in second.problems)
    again = load_workbook(io.BytesIO(error_report.build(report.read_bytes(), report.name, second)))
    assert again.sheetnames.count(error_report.LIST_SHEET) == 1
    assert not any(name.startswith(error_report.LIST_SHEET + "1") for name in again.sheetnames)
    fixed = again["Data"][cell]
    assert fixed.comment is None  # the stale mark is gone
    assert fixed.fill != error_report.ERROR_FILL


def test_laporan_downloads_never_rerun_and_versions_keep_their_state(demo_db_path):
    from pipelines.db.store import Database
    from pipelines.laporan import records

    with Database.open(demo_db_path) as db:
        records.generate(db, 2025, 4, by="analis")
    at = run_app(demo_db_path, "laporan.py")
    check_clean(at)
    buttons = at.get("download_button")
    assert len(buttons) >= 5
    # A download does not rerun the page, so nothing above or around it moves...
    assert all(b.proto.ignore_rerun for b in buttons)
    # ...and each version is a keyed, tracked expander: an action inside leaves it open.
    assert at.expander and all(e.proto.id.endswith("laporan_buka_1") for e in at.expander)


def test_admin_page_tracks_its_tab(accounts_db_path):
    from pipelines.auth.access import Actor

    at = run_app(accounts_db_path, "pengguna.py", actor=Actor("admin", "admin"))
    check_clean(at)
    tabs = at.tabs
    assert [t.label for t in tabs][2] == "Pengecualian batas waktu"
    assert "pengguna_tab" in at.session_state  # the chosen tab outlives a rerun
