"""SOP cycle: what the Siklus SOP page computes on each (uncached) load."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from benchmarks.common import median_seconds, spm
from pipelines.db.store import Database
from pipelines.sop import cycle, performance


def run(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.duckdb"
        spm("demo", "--db", str(path))
        today = dt.date(2026, 11, 20)
        with Database.open(path, read_only=True) as db:
            report(
                "cycle.steps (one cycle, with auto-detection), median of 5",
                median_seconds(lambda: cycle.steps(db, 2026, today=today)),
                "s",
            )
            report(
                "performance.across_cycles (4 demo cycles), median of 5",
                median_seconds(lambda: performance.across_cycles(db, today=today)),
                "s",
            )
        report(
            "spm siklus show --format csv (whole process), median of 3",
            median_seconds(
                lambda: spm(
                    "siklus", "show", "--db", str(path), "--year", "2026", "--format", "csv"
                ),
                repeat=3,
            ),
            "s",
        )
