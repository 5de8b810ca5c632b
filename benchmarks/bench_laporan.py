"""Reports: the Babel province package (7 regions) and the national rekap (514 regions)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.common import file_size_mb, median_seconds, national_demo, spm
from pipelines.db.store import Database
from pipelines.laporan import records as laporan
from pipelines.laporan.data import collect
from pipelines.laporan.xlsx_rekap_kabkota import workbook_rekap_kabkota


def run(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        babel = Path(tmp) / "babel.duckdb"
        spm("demo", "--db", str(babel))
        with Database.open(babel, read_only=True) as db:
            report(
                "Babel: read the figures (collect), median of 5",
                median_seconds(lambda: collect(db, 2025, 4)),
                "s",
            )
            data = collect(db, 2025, 4)
            report(
                "Babel: build all files (3 XLSX, DOCX, CSV), median of 5",
                median_seconds(lambda: laporan.build_files(data)),
                "s",
                "7 kab/kota + provinsi",
            )
        work = Path(tmp) / "work.duckdb"

        def generate() -> None:
            shutil.copy(babel, work)
            with Database.open(work) as db:
                laporan.generate(db, 2025, 4, by="bench")

        report(
            "Babel: generate (read, build, store the draft), median of 5",
            median_seconds(generate),
            "s",
            "includes copying the 10 MB demo file",
        )

        national = national_demo()
        report("national demo database size", file_size_mb(national), "MB")
        with Database.open(national, read_only=True) as db:
            report(
                "national: read the figures of 514 kab/kota, median of 3",
                median_seconds(lambda: collect(db, 2025, 4, nasional=True), repeat=3),
                "s",
            )
            data = collect(db, 2025, 4, nasional=True)
        sizes = []

        def rekap() -> None:
            sizes.append(len(workbook_rekap_kabkota(data)))

        report(
            "national rekap workbook (515 sheets, write-only), median of 3",
            median_seconds(rekap, repeat=3),
            "s",
            f"{sizes[-1] / 1e6:.1f} MB" if sizes else "",
        )
