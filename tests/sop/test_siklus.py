"""The SOP cycle: planned dates by hand, steps moving, revision time, evidence, auto steps."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.auth.access import Actor
from pipelines.cli.root import cli
from pipelines.core import settings
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import AccessDenied
from pipelines.laporan import bundle
from pipelines.laporan import records as laporan
from pipelines.sop import cycle, detect, evidence, performance, step, transitions
from pipelines.sop import definition as sop

D = dt.date
ADMIN = Actor("analis1", "analis")
TODAY = D(2026, 11, 20)
# Holidays of 2026 used by these tests, set by hand without the holidays package's
# calendar (tests/sop/test_workdays.py checks that one).
LIBUR_2026 = ["2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-20", "2026-05-14"]


@pytest.fixture
def cycle_db(db):
    settings.save(db, {"libur_nasional": LIBUR_2026, "libur_resmi_otomatis": False}, by="test")
    cycle.start(db, 2026, actor=ADMIN)
    return db


def test_2026_cycle_has_15_steps_with_planned_dates_from_standard_times(cycle_db):
    frame = cycle.steps(cycle_db, 2026, today=TODAY)
    assert len(frame) == 15
    plan = {
        r.kode: (r.rencana_mulai, r.rencana_selesai, r.tahun_laporan) for r in frame.itertuples()
    }
    # 1 Jan 2026 (Thursday) is a holiday: both phases start on Friday 2 January. A step
    # in minggu/bulan ends on the last working day of its period.
    expected = {
        # Phase A implements 2026, one step after another.
        "A1": (D(2026, 1, 2), D(2026, 1, 2), 2026),  # 1 hari kerja
        "A2": (D(2026, 1, 5), D(2026, 1, 15), 2026),  # 2 minggu to Sun 18; 16 Jan a holiday
        "A3": (D(2026, 1, 19), D(2026, 2, 18), 2026),  # 1 bulan
        "A4": (D(2026, 2, 19), D(2026, 2, 25), 2026),  # 1 minggu
        "A5": (D(2026, 2, 26), D(2026, 3, 25), 2026),  # 1 bulan
        "A6": (D(2026, 3, 26), D(2027, 3, 25), 2026),  # 12 bulan
        "A7": (D(2027, 3, 26), D(2027, 6, 25), 2026),  # 3 bulan (26 March 2027 is a Friday)
        "A8": (D(2027, 6, 28), D(2027, 8, 27), 2026),  # 26/27 June are a weekend; 2 bulan
        # Phase B reports 2025.
        "B1": (D(2026, 1, 2), D(2026, 1, 22), 2025),  # 3 minggu
        "B2": (D(2026, 1, 23), D(2026, 2, 20), 2025),  # 1 bulan to Sun 22 Feb: Fri 20
        "B3": (D(2026, 2, 23), D(2026, 2, 27), 2025),  # 1 minggu to Sun 1 March: Fri 27
        "B4": (D(2026, 3, 2), D(2026, 4, 1), 2025),  # 1 bulan
        "B5": (D(2026, 4, 2), D(2026, 5, 1), 2025),  # 1 bulan
        "B6": (D(2026, 5, 4), D(2026, 5, 8), 2025),  # 2-3 May a weekend; 1 minggu to Fri 8
        "B7": (D(2026, 5, 11), D(2026, 5, 11), 2025),  # 1 hari kerja
    }
    assert plan == expected
    assert list(frame["kode"]) == list(expected)
    assert set(frame["status"]) == {"belum mulai"}


def test_working_days_skip_weekends_and_configured_holidays():
    cal = sop.Calendar(D.fromisoformat(d) for d in LIBUR_2026)
    # Wednesday 13 May + 3 hari kerja: 13, (14 holiday), 15, (weekend), 18.
    assert cal.end_of(D(2026, 5, 13), 3, "hari") == D(2026, 5, 18)
    assert cal.next_working_day(D(2026, 3, 19)) == D(2026, 3, 23)  # Nyepi, Idul Fitri, weekend
    assert cal.working_days(D(2026, 1, 1), D(2026, 1, 31)) == 20  # 22 weekdays minus 2 holidays
    assert cal.end_of(D(2026, 1, 31), 1, "bulan") == D(2026, 2, 27)  # clamped month
    assert sop.add_months(D(2026, 12, 15), 3) == D(2027, 3, 15)


def test_start_on_a_given_date_and_twice_is_refused(db):
    frame = cycle.start(db, 2027, actor=ADMIN, mulai=D(2027, 1, 9))  # a Saturday
    assert frame["rencana_mulai"].min() == D(2027, 1, 11)
    with pytest.raises(step.SiklusError, match="sudah dimulai"):
        cycle.start(db, 2027, actor=ADMIN)


def test_completing_steps_in_order_moves_the_cycle(cycle_db):
    db = cycle_db
    first = cycle.summary(cycle.steps(db, 2026, today=TODAY)).set_index("fase")
    assert first.loc["B", "langkah_sekarang"] == "B1" and first.loc["B", "selesai"] == 0
    day = D(2026, 1, 5)
    for nomor in range(1, 8):
        kode = f"B{nomor}"
        transitions.start_step(db, 2026, kode, actor=ADMIN, tanggal=day, today=TODAY)
        mid = cycle.summary(cycle.steps(db, 2026, today=TODAY)).set_index("fase")
        assert mid.loc["B", "langkah_sekarang"] == kode
        assert mid.loc["B", "status_sekarang"] == "berjalan"
        day = day + dt.timedelta(days=7)
        transitions.finish_step(db, 2026, kode, actor=ADMIN, tanggal=day, today=TODAY)
        after = cycle.summary(cycle.steps(db, 2026, today=TODAY)).set_index("fase")
        assert after.loc["B", "selesai"] == nomor
        current = after.loc["B", "langkah_sekarang"]
        assert current == f"B{nomor + 1}" if nomor < 7 else pd.isna(current)
        day = day + dt.timedelta(days=1)
    frame = cycle.steps(db, 2026, today=TODAY).set_index("kode")
    assert (frame.loc["B1":"B7", "status"] == "selesai").all()
    assert frame.loc["A1", "status"] == "belum mulai"
    # Phase A is untouched; B1 took 6 working days against 15 (3 minggu): not late.
    assert frame.loc["B1", "hari_terukur"] == 6 and not frame.loc["B1", "terlambat"]
    # B7's standard is 1 hari kerja; it took a week: late.
    assert frame.loc["B7", "terlambat"]


def test_step_rules_are_explained(cycle_db):
    db = cycle_db
    with pytest.raises(step.SiklusError, match="belum dimulai"):
        transitions.finish_step(db, 2026, "A1", actor=ADMIN, today=TODAY)
    with pytest.raises(step.SiklusError, match="belum terjadi"):
        transitions.start_step(db, 2026, "A1", actor=ADMIN, tanggal=D(2026, 12, 1), today=TODAY)
    transitions.start_step(db, 2026, "A1", actor=ADMIN, tanggal=D(2026, 1, 5), today=TODAY)
    with pytest.raises(step.SiklusError, match="sebelum langkah itu dimulai"):
        transitions.finish_step(db, 2026, "A1", actor=ADMIN, tanggal=D(2026, 1, 2), today=TODAY)
    with pytest.raises(step.SiklusError, match="tidak ada di siklus 2026"):
        transitions.start_step(db, 2026, "C9", actor=ADMIN, today=TODAY)
    with pytest.raises(AccessDenied):
        transitions.start_step(db, 2026, "A2", actor=Actor("pim", "pimpinan"), today=TODAY)
    with pytest.raises(step.SiklusError, match="belum dimulai"):
        cycle.steps(db, 2030)


def test_revision_loop_adds_to_revision_time_not_to_measured_time(cycle_db):
    db = cycle_db
    # A2 without revision: Monday 5 Jan to Friday 16 Jan (with holiday 16 Jan) = 9 working days.
    transitions.start_step(db, 2026, "A2", actor=ADMIN, tanggal=D(2026, 1, 5), today=TODAY)
    transitions.finish_step(db, 2026, "A2", actor=ADMIN, tanggal=D(2026, 1, 15), today=TODAY)
    # B1 the same 9 working days of work, but sent back on Thursday 8 January and back
    # on Wednesday 21 January: 8, 9, 12-15, 19, 20 January (8 working days) waiting.
    transitions.start_step(db, 2026, "B1", actor=ADMIN, tanggal=D(2026, 1, 5), today=TODAY)
    transitions.send_back(
        db, 2026, "B1", actor=ADMIN, tanggal=D(2026, 1, 8), alasan="Surat salah", today=TODAY
    )
    mid = cycle.steps(db, 2026, today=D(2026, 1, 12)).set_index("kode")
    assert mid.loc["B1", "status"] == "menunggu perbaikan"
    assert mid.loc["B1", "hari_perbaikan"] == 3  # 8, 9, 12 January so far
    assert mid.loc["B1", "hari_terukur"] == 3  # 5, 6, 7 January
    transitions.resume_step(db, 2026, "B1", actor=ADMIN, tanggal=D(2026, 1, 21), today=TODAY)
    transitions.finish_step(db, 2026, "B1", actor=ADMIN, tanggal=D(2026, 1, 27), today=TODAY)
    frame = cycle.steps(db, 2026, today=TODAY).set_index("kode")
    assert frame.loc["A2", "hari_terukur"] == 9 and frame.loc["A2", "hari_perbaikan"] == 0
    assert frame.loc["B1", "hari_perbaikan"] == 8
    assert frame.loc["B1", "jumlah_perbaikan"] == 1
    # 5-27 January has 16 working days; 8 waiting, 8 of work.
    assert frame.loc["B1", "hari_terukur"] == 8
    assert not frame.loc["B1", "terlambat"]  # within 15 hari kerja of its 3 minggu
    rev = transitions.revisions(db, 2026, "B1")
    assert list(rev["alasan"]) == ["Surat salah"]
    # A second loop from a finished step reopens it and adds again.
    transitions.send_back(db, 2026, "B1", actor=ADMIN, tanggal=D(2026, 2, 2), today=TODAY)
    transitions.resume_step(db, 2026, "B1", actor=ADMIN, tanggal=D(2026, 2, 4), today=TODAY)
    transitions.finish_step(db, 2026, "B1", actor=ADMIN, tanggal=D(2026, 2, 5), today=TODAY)
    again = cycle.steps(db, 2026, today=TODAY).set_index("kode")
    # Waiting from the premature finish: 27 Jan - 3 Feb (6 working days) more. Work is
    # now 5-7 Jan, 21-26 Jan and 4-5 Feb: 3 + 4 + 2 = 9 working days.
    assert again.loc["B1", "hari_perbaikan"] == 14
    assert again.loc["B1", "hari_terukur"] == 9


def test_evidence_round_trips_byte_for_byte(cycle_db, db_path):
    db = cycle_db
    content = bytes(range(256)) * 300 + b"\x00SK Tim Penerapan SPM\r\n"
    first = evidence.attach(db, 2026, "A2", "SK Tim SPM 2026.pdf", content, actor=ADMIN)
    second = evidence.attach(
        db, 2026, "a2", "salinan.pdf", content, actor=ADMIN, keterangan="salinan"
    )
    name, back = evidence.read(db, first)
    assert name == "SK Tim SPM 2026.pdf" and back == content
    listed = evidence.listing(db, 2026, "A2")
    assert list(listed["id"]) == [first, second]
    assert set(listed["diunggah_oleh"]) == {"analis1"}
    digest = listed["sha256"].iloc[0]
    stored = db_path.parent / "store" / "evidence" / digest[:2] / digest
    assert stored.read_bytes() == content
    assert len(list(stored.parent.iterdir())) == 1  # same bytes stored once
    assert cycle.steps(db, 2026, today=TODAY).set_index("kode").loc["A2", "jumlah_bukti"] == 2
    stored.write_bytes(content[:-1] + b"X")
    with pytest.raises(step.SiklusError, match="rusak"):
        evidence.read(db, first)
    with pytest.raises(step.SiklusError, match="kosong"):
        evidence.attach(db, 2026, "A2", "kosong.pdf", b"", actor=ADMIN)


def _submission(db: Database, form: str, wilayah: str, opd: str | None, status: str, when):
    db.execute(
        "INSERT INTO submission (form, kode_wilayah, tahun, triwulan, kode_opd, diunggah_oleh, "
        "diunggah_pada, status) VALUES (?, ?, 2025, 4, ?, 'x', ?, ?)",
        [form, wilayah, opd, when, status],
    )


def test_steps_the_system_sees_complete_themselves(cycle_db):
    db = cycle_db
    opds = [
        r[0] for r in db.rows("SELECT DISTINCT kode_opd FROM layanan WHERE tingkat = 'provinsi'")
    ]
    regions = [
        r[0]
        for r in db.rows(
            "SELECT kode FROM wilayah WHERE kode_provinsi = '19' AND tingkat <> 'provinsi'"
        )
    ]
    for i, opd in enumerate(opds):
        status = "draf" if i == 0 else "diajukan"
        _submission(db, "spm-provinsi", "19", opd, status, dt.datetime(2026, 2, 2 + i, 9))
    for i, kode in enumerate(regions[:-1]):
        _submission(db, "spm-kabkota", kode, None, "final", dt.datetime(2026, 3, 2 + i, 9))
    # Another province's kabupaten (a database holding several, as the national demo
    # does) counts for none of this province's steps.
    _submission(db, "spm-kabkota", "15.01", None, "final", dt.datetime(2026, 1, 5, 9))
    frame = cycle.steps(db, 2026, today=TODAY).set_index("kode")
    assert frame.loc["B2", "status"] == "selesai"
    assert frame.loc["B2", "selesai"] == D(2026, 2, 1 + len(opds))
    assert "perangkat daerah" in frame.loc["B2", "selesai_otomatis"]
    assert frame.loc["B3", "status"] == "belum mulai"  # one OPD only has a draft
    assert frame.loc["B4", "status"] == "belum mulai"  # one region missing
    _submission(db, "spm-provinsi", "19", opds[0], "diajukan", dt.datetime(2026, 2, 20, 9))
    _submission(db, "spm-kabkota", regions[-1], None, "diajukan", dt.datetime(2026, 3, 25, 9))
    frame = cycle.steps(db, 2026, today=TODAY).set_index("kode")
    assert frame.loc["B3", "selesai"] == D(2026, 2, 20)
    assert frame.loc["B4", "selesai"] == D(2026, 3, 25)
    assert frame.loc["B4", "mulai"] == D(2026, 3, 2)  # the province's first, not 15.01's
    assert frame.loc["B5", "status"] == "belum mulai"
    assert detect.sync(db, 2026, actor=ADMIN) == ["B2", "B3", "B4"]
    stored = cycle.steps(db, 2026, today=TODAY, detect_auto=False).set_index("kode")
    assert stored.loc["B4", "selesai"] == D(2026, 3, 25)
    assert stored.loc["B4", "status"] == "selesai"
    assert detect.sync(db, 2026, actor=ADMIN) == []


def test_final_and_exported_report_completes_b5_to_b7(demo_db):
    """B5 when the yearly report of Y-1 is final, B6/B7 when it was exported (pipelines.laporan)."""
    db = demo_db
    before = cycle.steps(db, 2026, today=TODAY).set_index("kode")
    assert before.loc["B5", "status"] == "menunggu perbaikan"
    # A final TW2 report is not the yearly report.
    tw2 = laporan.generate(db, 2025, 2, by="analis1").laporan
    laporan.finalise(db, tw2["id"], by="analis1")
    assert cycle.steps(db, 2026, today=TODAY).set_index("kode").loc["B5", "status"] != "selesai"
    draft = laporan.generate(db, 2025, 4, by="analis1").laporan
    assert cycle.steps(db, 2026, today=TODAY).set_index("kode").loc["B5", "status"] != "selesai"
    # (the demo's 2025 TW4 still has a file waiting for verification: finalised anyway)
    final = laporan.finalise(db, draft["id"], by="analis1", paksa=True)
    mid = cycle.steps(db, 2026, today=TODAY).set_index("kode")
    assert mid.loc["B5", "status"] == "selesai"
    assert mid.loc["B5", "selesai"] == final["difinalkan_pada"].date()
    assert "difinalkan" in mid.loc["B5", "selesai_otomatis"]
    assert mid.loc["B6", "status"] == "belum mulai"
    bundle.export_bundle(db, draft["id"], by="analis1")
    after = cycle.steps(db, 2026, today=TODAY).set_index("kode")
    assert list(after.loc["B5":"B7", "status"]) == ["selesai"] * 3
    # Read with the other years' cycles (the performance page does), each year still
    # sees only its own report year's data.
    together = detect.detect_years(db, [2025, 2026, 2027])
    assert {k for k, _ in together[2026]} == {"B"} and ("B", 7) in together[2026]
    for year in (2025, 2026, 2027):
        assert together[year] == detect.detect_years(db, [year])[year]
    assert ("B", 5) not in together[2025] and ("B", 5) not in together[2027]
    assert detect.sync(db, 2026, actor=ADMIN) == ["B5", "B6", "B7"]
    stored = cycle.steps(db, 2026, today=TODAY, detect_auto=False).set_index("kode")
    assert (stored.loc["B5":"B7", "status"] == "selesai").all()
    # The open revision of B5 was closed when it completed.
    assert transitions.revisions(db, 2026, "B5")["selesai"].notna().all()


def test_sop_load_versions_and_validates(db, tmp_path):
    first = sop.ensure_loaded(db)
    assert first.versi == 1 and len(first.steps) == 15
    other = tmp_path / "sop_lain.yaml"
    text = sop.SHIPPED_SOP.read_text(encoding="utf-8").replace(
        "duration: {value: 3, unit: minggu}", "duration: {value: 2, unit: minggu}"
    )
    other.write_text(text, encoding="utf-8")
    second = sop.load(db, other, by="admin")
    assert second.versi == 2
    assert {s.kode: s.waktu_baku for s in second.steps}["B1"] == "2 minggu"
    assert sop.load(db, other, by="admin").versi == 2  # same text, same version
    bad = tmp_path / "rusak.yaml"
    bad.write_text(text.replace("unit: bulan", "unit: tahun", 1), encoding="utf-8")
    with pytest.raises(sop.SopError, match="fase A langkah ke-3.*duration"):
        sop.load(db, bad, by="admin")
    assert sop.current(db).versi == 2


def test_cli_start_show_step_and_evidence(db, db_path, tmp_path):
    db.close()
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, [*args, "--db", str(db_path)], catch_exceptions=False)

    result = run("siklus", "start", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert "15 langkah" in result.output
    result = run("siklus", "step", "start", "--year", "2026", "A1", "--date", "2026-01-05")
    assert result.exit_code == 0, result.output
    result = run("siklus", "step", "assign", "--year", "2026", "A1", "Rina Marlina")
    assert result.exit_code == 0, result.output
    result = run("siklus", "step", "finish", "--year", "2026", "A1", "--date", "2026-01-06")
    assert result.exit_code == 0, result.output
    result = run("siklus", "step", "note", "--year", "2026", "A1", "Disposisi diterima")
    assert result.exit_code == 0, result.output
    bukti = tmp_path / "disposisi.pdf"
    bukti.write_bytes(b"%PDF-1.4\n\x00\xff disposisi")
    result = run("siklus", "step", "attach", "--year", "2026", "A1", str(bukti))
    assert result.exit_code == 0, result.output
    out = tmp_path / "kembali.pdf"
    result = run("siklus", "evidence", "get", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == bukti.read_bytes()
    result = run("siklus", "show", "--year", "2026", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 15
    a1 = rows[0]
    assert (a1["fase"], a1["nomor"], a1["status"]) == ("A", "1", "selesai")
    assert (a1["mulai"], a1["selesai"], a1["penanggung_jawab"]) == (
        "2026-01-05",
        "2026-01-06",
        "Rina Marlina",
    )
    # 1 January is New Year (holidays package): A1 is planned on Friday 2 January.
    assert a1["rencana_mulai"] == "2026-01-02" and a1["waktu_baku"] == "1 hari kerja"
    assert rows[8]["fase"] == "B" and rows[8]["rencana_selesai"] == "2026-01-22"
    result = run("siklus", "show", "--year", "2026")
    assert result.exit_code == 0 and "Sekretaris Daerah" in result.output
    result = runner.invoke(
        cli, ["siklus", "step", "finish", "--year", "2026", "B1", "--db", str(db_path)]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Galat: Langkah B1 belum dimulai")
    result = run("siklus", "start", "--year", "2026")
    assert result.exit_code == 1 and "sudah dimulai" in result.output
    result = run("sop", "show")
    assert "versi 1" in result.output


def test_demo_cycles_are_deterministic_and_show_late_steps(demo_db):
    assert cycle.years(demo_db) == [2023, 2024, 2025, 2026]
    perf = performance.across_cycles(demo_db, today=TODAY)
    by_step = performance.by_step(perf).set_index("kode")
    assert by_step.loc["B2", "selalu_terlambat"]
    # No finished cycle to compare gives the same columns as some.
    assert list(performance.across({})) == list(perf) == performance.ACROSS_COLUMNS
    assert not by_step.loc["A4", "selalu_terlambat"]
    current = cycle.steps(demo_db, 2026, today=TODAY).set_index("kode")
    assert current.loc["B5", "status"] == "menunggu perbaikan"
    assert current.loc["A6", "status"] == "berjalan"
    week = cycle.this_week(cycle.steps(demo_db, 2026, today=TODAY), TODAY)
    assert {"B5", "A6"} <= set(week["kode"])


def test_evidence_dir_is_next_to_database(db_path: Path, db):
    assert files.evidence_root(db) == db_path.resolve().parent / "store" / "evidence"


def test_cli_sop_load_is_for_the_administrator(db, db_path, tmp_path):
    db.execute(
        "INSERT INTO pengguna (username, nama, peran) VALUES ('analis1', 'Analis', 'analis')"
    )
    db.close()
    other = tmp_path / "sop_provinsi_lain.yaml"
    other.write_text(
        sop.SHIPPED_SOP.read_text(encoding="utf-8").replace(
            "title: Pelaksanaan Penerapan dan Pelaporan SPM", "title: SOP Provinsi Lain"
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    refused = runner.invoke(
        cli, ["--as", "analis1", "sop", "load", str(other), "--db", str(db_path)]
    )
    assert refused.exit_code == 1
    assert "Hanya administrator" in refused.output
    loaded = runner.invoke(cli, ["sop", "load", str(other), "--db", str(db_path)])
    assert loaded.exit_code == 0, loaded.output
    assert "SOP 'SOP Provinsi Lain' versi 1 berlaku: 15 langkah dalam 2 fase." in loaded.output
    started = runner.invoke(cli, ["siklus", "start", "--year", "2027", "--db", str(db_path)])
    assert started.exit_code == 0, started.output
    with Database.open(db_path, read_only=True) as check:
        assert check.scalar("SELECT sop_versi FROM siklus WHERE tahun = 2027") == 1
        assert sop.current(check).judul == "SOP Provinsi Lain"
