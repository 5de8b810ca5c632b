"""National roll-up: `spm nasional` over 38 province databases made from the national demo.

Each province installation is a fresh ``spm init --province XX`` database holding that
province's data, copied out of the national demo (``pipelines/ops/demo/nasional.py``). Then the
real ``spm nasional --from DIR --out FILE`` runs in its own process: time, peak
resident memory and file sizes. The national file is compared with the national demo
itself (one database holding the same data): every figure of every table must be
equal. Last, the national reader's time for every figure of one period.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks import targets
from benchmarks.common import file_size_mb, median_seconds, national_demo, spm_measured
from pipelines.capaian import nasional as reader
from pipelines.capaian import query
from pipelines.db.store import Database
from pipelines.ops.demo.nasional import fresh_installation, province_database
from pipelines.ops.nasional import FIGURES


def _every_figure(db: Database, tahun: int, triwulan: int) -> int:
    rows = sum(len(reader.capaian(db, tahun, triwulan, level=lv)) for lv in query.LEVELS)
    rows += sum(len(reader.proyeksi(db, tahun, triwulan, level=lv)) for lv in query.LEVELS)
    rows += len(reader.agregat_provinsi(db, tahun, triwulan))
    rows += len(reader.agregat_provinsi(db, tahun, triwulan, per_urusan=True))
    rows += len(reader.peringkat_provinsi(db, tahun, triwulan))
    rows += len(reader.lppd_capaian(db, tahun - 1))
    rows += len(reader.lppd_kelengkapan(db, tahun - 1))
    return rows


def _differences(national: Path, demo: Path) -> tuple[int, int]:
    """(rows compared, rows that differ either way) between the national file's tables
    and the demo's views, every column but the installation's settings version."""
    compared = differ = 0
    with Database.open(":memory:", migrate=False) as db:
        db.execute("ATTACH ? AS nasional (READ_ONLY)", [str(national)])
        db.execute("ATTACH ? AS demo (READ_ONLY)", [str(demo)])
        for table, (view, _) in FIGURES.items():
            names = [
                r[0]
                for r in db.rows(
                    "SELECT column_name FROM information_schema.columns WHERE table_catalog = "
                    "'nasional' AND table_name = ? AND column_name <> 'versi_setting' "
                    "ORDER BY ordinal_position",
                    [table],
                )
            ]
            cols = ", ".join(f'"{n}"' for n in names)
            a, b = f"SELECT {cols} FROM nasional.{table}", f"SELECT {cols} FROM demo.{view}"
            compared += db.scalar(f"SELECT count(*) FROM nasional.{table}")
            differ += db.scalar(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})")
            differ += db.scalar(f"SELECT count(*) FROM ({b} EXCEPT ALL {a})")
    return compared, differ


def run(report) -> None:
    demo = national_demo()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "provinsi"
        folder.mkdir()
        with Database.open(demo, read_only=True) as db:
            provinces = [
                r[0] for r in db.rows("SELECT kode FROM wilayah WHERE tingkat = 'provinsi'")
            ]
        template = fresh_installation(tmp / "kosong.duckdb")
        start = time.perf_counter()
        for kode in provinces:
            province_database(demo, folder / f"spm-{kode}.duckdb", [kode], template=template)
        report(f"making {len(provinces)} province databases from the demo",
               time.perf_counter() - start, "s", "not part of the roll-up")  # fmt: skip
        sizes = [file_size_mb(p) for p in folder.glob("*.duckdb")]
        report("province database files, all together", sum(sizes), "MB",
               f"{min(sizes):.1f} to {max(sizes):.1f} MB each")  # fmt: skip
        report("national demo (the same data in one file)", file_size_mb(demo), "MB")

        out = tmp / "nasional.duckdb"
        seconds, cpu, peak = spm_measured("nasional", "--from", str(folder), "--out", str(out))
        megabytes = file_size_mb(out)
        report(f"spm nasional --from DIR ({len(provinces)} files), whole process", seconds, "s")
        report("  its CPU time (user + system)", cpu, "s")
        report("  its peak resident memory", peak, "MB")
        report("  national file", megabytes, "MB")
        for key, value in (
            ("rollup_provinces", len(provinces)),
            ("rollup_s", seconds),
            ("rollup_cpu_s", cpu),
            ("rollup_mb", megabytes),
            ("rollup_peak_mb", peak),
        ):
            targets.record(key, value)

        compared, differ = _differences(out, demo)
        report("national figures equal to the demo's (rows compared)", compared, "rows",
               f"{differ} differ")  # fmt: skip
        assert differ == 0, f"{differ} rows of the national file differ from the demo's views"

        with reader.open_nasional(out) as db:
            report(
                "national reader: every figure of one period, 2025 TW2",
                median_seconds(lambda: _every_figure(db, 2025, 2)),
                "s",
                "all 38 provinces",
            )
            report(
                "national reader: ranking of the 38 provinces, 2025 TW2",
                median_seconds(lambda: reader.peringkat_provinsi(db, 2025, 2)),
                "s",
            )
