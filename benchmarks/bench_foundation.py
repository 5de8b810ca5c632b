"""Foundation: `spm init`, `spm demo --scale national` and the database size."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import file_size_mb, median_seconds, spm


def run(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1000))

        def fresh_init() -> None:
            spm("init", "--db", str(Path(tmp) / f"init{next(counter)}.duckdb"))

        report("spm init (new file, whole process), median of 5", median_seconds(fresh_init), "s")
        existing = Path(tmp) / "init0.duckdb"
        report(
            "spm init again (nothing to change), median of 5",
            median_seconds(lambda: spm("init", "--db", str(existing))),
            "s",
        )

        babel = Path(tmp) / "babel.duckdb"
        report(
            "spm demo --scale babel (new file), 1 run",
            median_seconds(lambda: spm("demo", "--db", str(babel)), repeat=1),
            "s",
        )
        report("database size, Babel demo", file_size_mb(babel), "MB")

        national = Path(tmp) / "national.duckdb"
        report(
            "spm demo --scale national (new file), 1 run",
            median_seconds(
                lambda: spm("demo", "--db", str(national), "--scale", "national"), repeat=1
            ),
            "s",
            "514 kab/kota + 38 provinsi, 2022-2025",
        )
        report("database size, national demo", file_size_mb(national), "MB")
