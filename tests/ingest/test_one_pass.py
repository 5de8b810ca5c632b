"""Uploaders see every problem of a file in its first check: a bad cell makes that cell
unusable, not the rest of the file; warnings, the deadline and the lock are told at
once; the deadline and the lock are also told before a file is chosen."""

from __future__ import annotations

import datetime as dt

from pipelines.auth.access import Actor
from pipelines.ingest import against_store, commit
from pipelines.ingest.validate import prepare
from tests.apptest import run_app, texts
from tests.ingest_helpers import fill, make_template

KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
# 2025 TW4 closed on 20 January 2026.
AFTER_DEADLINE = dt.date(2026, 2, 3)


def _messy_file(db, tmp_path, tw: int):
    template = make_template(db, tmp_path / "t.xlsx", region="19.01", year=2025, tw=tw)
    return fill(
        template,
        tmp_path / "isi.xlsx",
        {
            # a comment typed into a number cell
            "PEND-K-01": {"jumlah_sasaran": "belum ada data dari sekolah", "jumlah_terlayani": 5},
            # more people served than the sasaran
            "KES-K-01": {"jumlah_sasaran": 8000, "jumlah_terlayani": 8250},
        },
    )


def test_bad_cell_over_sasaran_and_closed_period_in_the_first_check(demo_db, tmp_path):
    path = _messy_file(demo_db, tmp_path, tw=4)
    result = prepare(demo_db, path, KAB, today=AFTER_DEADLINE).result
    assert not result.accepted
    texts_ = [p.text() for p in result.problems]
    bad_cell = [p for p in result.errors if "belum ada data dari sekolah" in p.message]
    assert len(bad_cell) == 1 and bad_cell[0].row and bad_cell[0].cell
    assert bad_cell[0].column.startswith("Jumlah sasaran (penerima) (")
    over = [p for p in result.warnings if "lebih besar dari jumlah sasaran" in p.message]
    assert len(over) == 1, texts_
    assert over[0].message.startswith(
        "Jumlah terlayani (8.250) lebih besar dari jumlah sasaran (8.000)"
    )
    closed = [
        p for p in result.errors if "Batas waktu pengisian periode ini telah lewat" in p.message
    ]
    assert len(closed) == 1, texts_
    assert "20 Januari 2026" in closed[0].message
    # Nothing was written.
    assert (
        demo_db.scalar(
            "SELECT count(*) FROM submission WHERE tahun = 2025 AND triwulan = 4 AND kode_wilayah = '19.01'"
        )
        == 0
    )


def test_bad_cell_and_locked_period_in_the_first_check(demo_db, tmp_path):
    # 19.01's 2025 TW3 is final in the demo: locked.
    path = _messy_file(demo_db, tmp_path, tw=3)
    admin = Actor("admin", "admin")
    result = prepare(demo_db, path, admin, today=AFTER_DEADLINE).result
    assert any("belum ada data dari sekolah" in p.message for p in result.errors)
    assert any(
        "sudah final" in p.message and "Kabupaten Bangka" in p.message for p in result.errors
    )
    assert any("lebih besar dari jumlah sasaran" in p.message for p in result.warnings)


def test_the_cli_shows_all_problems_at_once(demo_db, tmp_path):
    path = _messy_file(demo_db, tmp_path, tw=4)
    outcome = commit.ingest_file(demo_db, path, KAB, today=AFTER_DEADLINE)
    assert not outcome.committed
    assert len(outcome.errors) == 2 and len(outcome.warnings) >= 1


def test_state_told_before_a_file_is_chosen(demo_db):
    closed = against_store.upload_state(
        demo_db, KAB, "spm-kabkota", "19.01", 2025, 4, today=AFTER_DEADLINE
    )
    assert not closed.boleh and closed.singkat == "Ditutup"
    assert "20 Januari 2026" in closed.kalimat()
    locked = against_store.upload_state(
        demo_db, KAB, "spm-kabkota", "19.01", 2025, 3, today=AFTER_DEADLINE
    )
    assert not locked.boleh and locked.terkunci and "sudah final" in locked.kalimat()
    open_ = against_store.upload_state(
        demo_db, KAB, "spm-kabkota", "19.01", 2025, 4, today=dt.date(2026, 1, 10)
    )
    assert open_.boleh and open_.kalimat() == "Terbuka: batas waktu pengisian 20 Januari 2026."


def test_unggah_and_wilayah_saya_tell_the_state_before_a_file(demo_db_path):
    at = run_app(demo_db_path, "unggah.py", actor=KAB)
    at.number_input(key="tpl_year").set_value(2025).run()
    at.selectbox(key="tpl_tw").set_value(4).run()
    check_clean_except_state(at)
    shown = texts(at)
    assert "Triwulan IV 2025 — Ditutup: Batas waktu pengisian periode ini telah lewat" in shown
    assert "Belum ada berkas yang dipilih." in shown
    at = run_app(demo_db_path, "wilayah_saya.py", actor=KAB)
    assert not at.exception, at.exception
    table = at.table[0].value
    assert set(table["Unggah sekarang"]) >= {"Ditutup", "Terkunci (data final)"}


def check_clean_except_state(at) -> None:
    """The page ran; its only error box is the closed period it announces."""
    assert not at.exception, at.exception
    assert all("Ditutup" in e.value for e in at.error), [e.value for e in at.error]
