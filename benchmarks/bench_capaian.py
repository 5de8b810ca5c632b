"""Capaian at national scale: every figure as readers read it (the tables the views'
results are kept in) vs a count(*) floor vs pandas; what keeping them costs.

Reads the national demo (514 kab/kota + 38 provinsi x 29/14 services x 4 triwulan x
4 years, built with the real ``spm`` command, shared by the benchmarks), then reports
medians of 5 runs:

- the floor: ``SELECT count(*) FROM spm_data`` (and reading spm_data into pandas);
- each figure set through the API the app and CLI use (``pipelines.capaian``), for
  one period (what a page asks for) and for all periods;
- everything at once (all views, all levels, all periods);
- the same core computation (layanan, urusan, wilayah with change, province
  aggregate) in pandas, from frames already in memory and including loading them;
- what the figures' tables cost a writer (on a copy): rebuilding all of them
  (``spm recompute``, a settings change) and refreshing one region's two years (what
  every upload's commit adds).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks import targets
from benchmarks.common import median_seconds, national_demo, national_demo_copy
from pipelines.capaian import materi, query
from pipelines.capaian.explain import explain
from pipelines.db.store import Database
from tests import pandas_oracle


def _every_figure(db: Database, tahun: int | None, triwulan: int | None) -> int:
    rows = 0
    for level in query.LEVELS:
        rows += len(query.capaian(db, tahun, triwulan, level=level))
    for prov in (None,):
        rows += len(query.agregat_provinsi(db, tahun, triwulan, prov))
        rows += len(query.agregat_provinsi(db, tahun, triwulan, prov, per_urusan=True))
    if tahun is not None and triwulan is not None:
        for level in query.LEVELS:
            rows += len(query.proyeksi(db, tahun, triwulan, level=level))
    else:
        for table in ("m_proyeksi_layanan", "m_proyeksi_urusan", "m_proyeksi_wilayah"):
            rows += len(db.df(f"SELECT * FROM {table}"))
    rows += len(query.lppd_capaian(db, tahun))
    rows += len(query.lppd_kelengkapan(db, tahun, provinsi="19"))
    return rows


def run(report) -> None:
    path = national_demo()
    with Database.open(path, read_only=True) as db:  # read as the app does
        report(
            "load average (1 min) while measuring",
            os.getloadavg()[0],
            "",
            f"on {os.cpu_count()} cores shared with other work",
        )
        n = db.scalar("SELECT count(*) FROM spm_data")
        report("spm_data rows (national demo)", n, "rows")
        report(
            "floor: SELECT count(*) FROM spm_data",
            median_seconds(lambda: db.scalar("SELECT count(*) FROM spm_data")),
            "s",
        )
        report(
            "floor: spm_data read into pandas (all columns)",
            median_seconds(lambda: db.df("SELECT * FROM spm_data")),
            "s",
        )
        for level in query.LEVELS:
            report(
                f"capaian level={level}, 2025 TW2, all regions",
                median_seconds(lambda level=level: query.capaian(db, 2025, 2, level=level)),
                "s",
            )
        report(
            "province aggregate (38 provinces), 2025 TW2",
            median_seconds(lambda: query.agregat_provinsi(db, 2025, 2, "19")),
            "s",
        )
        report(
            "projection level=wilayah, 2025 TW2",
            median_seconds(lambda: query.proyeksi(db, 2025, 2)),
            "s",
        )
        report(
            "explain one figure",
            median_seconds(lambda: explain(db, "19.01", 2024, 2, "KES-K-01")),
            "s",
        )
        one_period = median_seconds(lambda: _every_figure(db, 2025, 2))
        targets.record("figures_one_period_s", one_period)
        report("every figure for one period (all views/levels), 2025 TW2", one_period, "s")
        for level in query.LEVELS:
            report(
                f"capaian level={level}, all 16 periods",
                median_seconds(lambda level=level: query.capaian(db, level=level)),
                "s",
            )
        all_periods = median_seconds(lambda: _every_figure(db, None, None), repeat=3)
        targets.record("figures_all_periods_s", all_periods)
        report("every figure, all periods (all views/levels)", all_periods, "s", "median of 3")
        frames = pandas_oracle.load(db)
        in_pandas = median_seconds(lambda: pandas_oracle.compute(frames))
        targets.record("core_pandas_s", in_pandas)
        report(
            "pandas: same core computation, frames in memory",
            in_pandas,
            "s",
            "layanan+urusan+wilayah+change+province",
        )
        report(
            "pandas: same, including loading the frames",
            median_seconds(lambda: pandas_oracle.compute(pandas_oracle.load(db))),
            "s",
        )
        core = {
            "capaian_layanan": "kode_wilayah, tahun, triwulan, kode_layanan, capaian_penerima, "
            "capaian_mutu, nilai, kategori, kurang_terlayani, selisih_tahun_lalu, "
            "selisih_triwulan_lalu",
            "capaian_urusan": "kode_wilayah, tahun, triwulan, urusan, nilai, kategori, "
            "selisih_tahun_lalu, selisih_triwulan_lalu",
            "capaian_wilayah": "kode_wilayah, tahun, triwulan, nilai, kategori, "
            "selisih_tahun_lalu, selisih_triwulan_lalu",
        }
        in_duckdb = median_seconds(
            lambda: [
                *(db.df(f"SELECT {cols} FROM m_{m}") for m, cols in core.items()),
                db.df(
                    "SELECT kode_provinsi, tahun, triwulan, nilai_rata_rata_kabkota, "
                    "kategori_rata_rata_kabkota, nilai_tertimbang_sasaran, "
                    "kategori_tertimbang_sasaran FROM m_capaian_provinsi"
                ),
            ]
        )
        targets.record("core_duckdb_s", in_duckdb)
        report(
            "DuckDB: same core figures as pandas (same columns)",
            in_duckdb,
            "s",
            f"pandas / DuckDB = {in_pandas / in_duckdb:.1f}",
        )
        report(
            "DuckDB views: all columns (incl. texts), all periods",
            median_seconds(
                lambda: [
                    db.df(f"SELECT * FROM {v}")
                    for v in (
                        "v_capaian_layanan",
                        "v_capaian_urusan",
                        "v_capaian_wilayah",
                        "v_capaian_provinsi",
                    )
                ]
            ),
            "s",
        )
    _writer_cost(report)


def _writer_cost(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = national_demo_copy(Path(tmp) / "national.duckdb")
        with Database.open(path) as db:
            full = median_seconds(lambda: materi.hitung_ulang(db), repeat=3)
            targets.record("figures_recompute_s", full)
            report("spm recompute: every figure table from the data", full, "s", "median of 3")
            one = median_seconds(lambda: materi.ubah(db, [("19.01", 2025)]), repeat=7)
            targets.record("figures_refresh_one_s", one)
            report(
                "refresh at commit: one region, its year and the next (11 tables)",
                one,
                "s",
                "added to every upload's commit",
            )
