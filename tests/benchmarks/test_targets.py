"""``make bench``'s closing table: each target of issue 15 judged from this run's figures."""

from __future__ import annotations

import pytest

from benchmarks import targets


@pytest.fixture(autouse=True)
def measured(monkeypatch):
    monkeypatch.setattr(targets, "MEASURED", {})


def block(figure: str) -> str:
    lines = targets.table()
    return lines[lines.index(f"  {figure}") + 1]


def test_a_target_met_or_not_is_said_with_the_ratio_of_the_same_run():
    targets.record("ingest_one_s", 0.012)
    targets.record("ingest_one_floor_s", 0.010)
    line = block("one kab/kota file, check + commit, in-process")
    assert line.endswith("|  tercapai") and "12,0 ms = 1,2 × openpyxl's" in line
    targets.record("ingest_one_s", 0.105)
    assert block("one kab/kota file, check + commit, in-process").endswith("|  belum")


def test_both_halves_of_a_double_target_count():
    for key, value in (("ingest_batch_files", 514), ("ingest_batch_floor_s", 2.0)):
        targets.record(key, value)
    targets.record("ingest_batch_s", 14.0)  # under 15 s but 7 x the floor
    assert block("514 files in one `spm ingest` batch").endswith("|  belum")
    targets.record("ingest_batch_s", 5.5)
    assert block("514 files in one `spm ingest` batch").endswith("|  tercapai")


def test_slower_than_the_oracle_is_said_so_and_unmeasured_figures_are_named():
    targets.record("core_duckdb_s", 1.06)
    targets.record("core_pandas_s", 0.22)
    line = block("core figures, DuckDB vs the pandas oracle on frames in memory")
    assert "(DuckDB 4,8 × slower)" in line and line.endswith("|  belum")
    assert block("every figure of all 16 periods").endswith("|  tidak diukur")


def test_every_page_and_the_memory_peak_must_be_within_the_target():
    targets.record("page_render_national_s", {"ringkasan": 0.9, "capaian": 0.2})
    line = block("page render, data not cached (AppTest), national demo")
    assert "1 of 2 pages ≤ 0,3 s; slowest ringkasan 0,90 s" in line and line.endswith("belum")
    targets.record("memory_per_page_mb", {"Beranda": 250.0, "Laporan": 319.0})
    targets.record("memory_peak_mb", 401.0)
    figure = "app's resident memory (Streamlit server), national demo, every page"
    assert block(figure).endswith("|  belum") and "(after Laporan)" in block(figure)
    targets.record("memory_peak_mb", 330.0)
    assert block(figure).endswith("|  tercapai")
