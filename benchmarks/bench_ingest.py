"""Ingestion: one kab/kota file in-process and 514 files in one `spm ingest` batch, vs openpyxl.

The floor is openpyxl's bare open + read of every cell of the same files.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from benchmarks import targets
from benchmarks.common import spm_measured
from pipelines.auth.access import local_admin
from pipelines.core import reference
from pipelines.db.store import Database
from pipelines.ingest import templates
from pipelines.ingest.commit import ingest_file

ACTOR = local_admin("bench")


def _filled(db: Database, spec: templates.TemplateSpec, path: Path, seed: int) -> Path:
    """A template filled in memory the way a kabupaten would (every input cell)."""
    wb = templates.build(db, spec)
    ws = wb[templates.DATA_SHEET]
    keys = [c.value for c in ws[templates.KEY_ROW]]
    col = {k: keys.index(k) + 1 for k in keys}
    for i, r in enumerate(range(templates.FIRST_DATA_ROW, ws.max_row + 1)):
        sasaran = 1000 + (seed * 37 + i * 101) % 5000
        values = {
            "jumlah_sasaran": sasaran,
            "jumlah_terlayani": sasaran * 9 // 10,
            "mutu_barang_jasa_kebutuhan": 40,
            "mutu_barang_jasa_tersedia": 35,
            "mutu_sdm_kebutuhan": 6,
            "mutu_sdm_tersedia": 5,
            "anggaran_rencana": 150_000_000,
            "anggaran_realisasi": 120_000_000,
            "tahap_pengumpulan_data": "Ya",
            "tahap_penghitungan_kebutuhan": "Ya",
            "tahap_penyusunan_rencana": "Ya",
            "tahap_pelaksanaan": "Tidak",
            "permasalahan": "Tenaga pelaksana kurang",
            "solusi": "Penambahan tenaga",
        }
        for key, value in values.items():
            ws.cell(row=r, column=col[key]).value = value
    wb.save(path)
    return path


def _floor(path: Path) -> None:
    """The least any reader must do: open the workbook and read every cell."""
    wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def run(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = Database.open(root / "bench.duckdb")
        reference.init_reference(db, by="bench")

        # One kabupaten file: five different periods, each a real new submission.
        singles = [
            _filled(
                db, templates.TemplateSpec("spm-kabkota", "19.01", 2025, q), root / f"s{q}.xlsx", q
            )
            for q in (1, 2, 3, 4)
        ] + [
            _filled(
                db, templates.TemplateSpec("spm-kabkota", "19.02", 2025, 1), root / "s5.xlsx", 5
            )
        ]
        times = []
        for path in singles:
            start = time.perf_counter()
            result = ingest_file(db, path, ACTOR)
            times.append(time.perf_counter() - start)
            assert result.committed, result.summary()
        one = statistics.median(times)
        floor_one = statistics.median(_timed(_floor, p) for p in singles)
        targets.record("ingest_one_s", one)
        targets.record("ingest_one_floor_s", floor_one)
        report("ingest one kabupaten file (29 rows), median of 5", one * 1000, "ms")
        report("  floor: openpyxl open + read same file, median", floor_one * 1000, "ms",
               f"ingest = {one / floor_one:.1f} x floor")  # fmt: skip

        # 514 files, one per kabupaten/kota, in one batch: the real 'spm ingest FOLDER'.
        regions = db.df("SELECT kode FROM wilayah WHERE tingkat = 'kabupaten/kota' ORDER BY kode")[
            "kode"
        ].tolist()
        folder = root / "batch"
        folder.mkdir()
        start = time.perf_counter()
        files = [
            _filled(
                db, templates.TemplateSpec("spm-kabkota", code, 2024, 4), folder / f"{code}.xlsx", i
            )
            for i, code in enumerate(regions)
        ]
        made = time.perf_counter() - start
        start = time.perf_counter()
        for path in files:
            _floor(path)
        floor_all = time.perf_counter() - start
        db.close()  # the command opens it, as a user's would
        batch, cpu, peak = spm_measured("ingest", "--db", str(root / "bench.duckdb"),
                                        str(folder), "-q")  # fmt: skip
        with Database.open(root / "bench.duckdb", read_only=True) as check:
            accepted = check.scalar(
                "SELECT count(*) FROM submission WHERE tahun = 2024 AND triwulan = 4"
            )
        assert accepted == len(files), accepted
        targets.record("ingest_batch_files", len(files))
        targets.record("ingest_batch_s", batch)
        targets.record("ingest_batch_floor_s", floor_all)
        report(f"spm ingest FOLDER: {len(files)} kab/kota files, one batch", batch, "s",
               f"{batch / len(files) * 1000:.0f} ms per file, whole process")  # fmt: skip
        report("  its CPU time (user + system) and peak memory", cpu, "s", f"{peak:.0f} MB")
        report(f"  floor: openpyxl open + read the {len(files)} files", floor_all, "s",
               f"ingest = {batch / floor_all:.1f} x floor")  # fmt: skip
        report(f"  (making the {len(files)} filled templates)", made, "s")


def _timed(func, *args) -> float:
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start
