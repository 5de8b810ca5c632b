"""The Siklus SOP page through the app's entry file (AppTest)."""

import datetime as dt

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.sop import cycle, transitions
from tests.apptest import run_app, texts


def test_siklus_page_shows_demo_cycles(demo_db_path):
    at = run_app(demo_db_path, "siklus.py")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    shown = texts(at)
    assert "Siklus SOP" in shown
    assert "Yang harus dilakukan minggu ini" in shown
    assert "Kinerja SOP antarsiklus" in shown
    assert "Selalu melewati waktu baku" in shown and "B2" in shown
    assert len(at.get("vega_lite_chart")) == 2
    labels = {m.label: m.value for m in at.metric}
    assert any(label.startswith("Fase B (tahun") for label in labels)
    # A past, finished cycle.
    at.selectbox(key="siklus_tahun").set_value(2023).run()
    assert not at.exception and not at.error
    labels = {m.label: m.value for m in at.metric}
    assert labels["Fase B (tahun 2022)"] == "7 dari 7 selesai"


def test_siklus_page_updates_a_step_through_the_library(demo_db_path):
    at = run_app(demo_db_path, "siklus.py")
    at.selectbox(key="siklus_tahun").set_value(2026).run()
    at.selectbox(key="siklus_langkah").set_value("B5").run()
    assert not at.exception
    next(b for b in at.button if b.label == "Perbaikan diterima, lanjutkan").click().run()
    assert not at.exception, at.exception
    assert "Langkah B5 berjalan lagi." in texts(at)
    with Database.open(demo_db_path, read_only=True) as db:
        step = cycle.steps(db, 2026).set_index("kode").loc["B5"]
        assert step["status"] == "berjalan"
        assert transitions.revisions(db, 2026, "B5")["selesai"].notna().all()
    at.selectbox(key="siklus_langkah").set_value("B7").run()
    next(b for b in at.button if b.label == "Mulai langkah").click().run()
    assert not at.exception
    with Database.open(demo_db_path, read_only=True) as db:
        assert cycle.steps(db, 2026).set_index("kode").loc["B7", "status"] == "berjalan"
    # A refused action shows the library's Indonesian sentence, and changes nothing.
    at.selectbox(key="siklus_langkah").set_value("A6").run()
    at.date_input(key="siklus_tanggal").set_value(dt.date(2026, 1, 2)).run()
    next(b for b in at.button if b.label == "Selesai").click().run()
    assert not at.exception
    assert any("sebelum langkah itu dimulai" in e.value for e in at.error)
    with Database.open(demo_db_path, read_only=True) as db:
        assert cycle.steps(db, 2026).set_index("kode").loc["A6", "status"] == "berjalan"


def test_siklus_page_starts_the_first_cycle(db, db_path):
    db.close()
    at = run_app(db_path, "siklus.py")
    assert not at.exception
    assert "Belum ada siklus SOP" in texts(at)
    at.number_input[0].set_value(2026)
    next(b for b in at.button if b.label == "Mulai siklus").click().run()
    assert not at.exception, at.exception
    assert "Siklus 2026 dimulai." in texts(at)
    with Database.open(db_path, read_only=True) as db2:
        assert len(cycle.steps(db2, 2026)) == 15


def test_leaders_read_the_cycle_without_changing_it(demo_db_path):
    at = run_app(demo_db_path, "siklus.py", actor=Actor("pimpinan", "pimpinan"))
    assert not at.exception, at.exception
    assert not at.error
    shown = texts(at)
    assert "Kinerja SOP antarsiklus" in shown
    assert "Hanya analis dan administrator" in shown
    labels = {b.label for b in at.button}
    assert not labels & {"Mulai langkah", "Selesai", "Kembalikan untuk perbaikan"}
    assert len(at.get("vega_lite_chart")) == 2
