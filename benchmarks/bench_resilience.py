"""Resilience: 50 simultaneous uploads through the app's writer, reads meanwhile, backup/restore/check.

Runs on a national demo database (38 provinces, 514 kabupaten/kota, SPM 2022-2025).
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from openpyxl import load_workbook

from benchmarks import targets
from benchmarks.common import file_size_mb, national_demo_copy
from pipelines.auth.access import Actor
from pipelines.db import writer
from pipelines.db.store import Database
from pipelines.ingest import templates
from pipelines.ops import backup

UPLOADS = 50
READERS = 4  # dashboards refreshing meanwhile, each every READ_PAUSE seconds
READ_PAUSE = 0.1


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def regions(path: Path, count: int, spread: bool = False) -> list[str]:
    """``count`` kab/kota; with ``spread``, taken across all provinces in turn."""
    order = (
        "row_number() OVER (PARTITION BY kode_provinsi ORDER BY kode), kode" if spread else "kode"
    )
    with Database.open(path, read_only=True) as db:
        return [
            r[0]
            for r in db.rows(
                f"SELECT kode FROM wilayah WHERE tingkat = 'kabupaten/kota' ORDER BY {order} LIMIT ?",
                [count],
            )
        ]


def concurrent(
    work: list, path: Path, report, label: str, note: str = "", readers: int = READERS
) -> tuple[float, list[float], list[float]]:
    """Start every job at once (threads, as Streamlit sessions are); read meanwhile.

    Returns (wall time, job latencies, read latencies) in seconds.
    """
    start_gate = threading.Barrier(len(work) + 1)
    latencies: list[float] = []
    errors: list[BaseException] = []
    reads: list[float] = []
    done = threading.Event()

    def run(job) -> None:
        start_gate.wait()
        started = time.perf_counter()
        try:
            job()
        except BaseException as exc:
            errors.append(exc)
        latencies.append(time.perf_counter() - started)

    def read_loop() -> None:
        while not done.is_set():
            started = time.perf_counter()
            with writer.reading(path) as db:
                db.scalar("SELECT count(*) FROM submission")
                db.df(
                    "SELECT * FROM v_spm_wilayah WHERE kode_wilayah = '19.01' "
                    "ORDER BY tahun, triwulan"
                )
            reads.append(time.perf_counter() - started)
            done.wait(READ_PAUSE)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    reader_threads = [threading.Thread(target=read_loop) for _ in range(readers)]
    for t in threads + reader_threads:
        t.start()
    wall = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    done.set()
    for t in reader_threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} jobs failed, first: {errors[0]!r}")
    report(f"{label}: all {len(work)} done, wall time", wall, "s", note)
    report(f"{label}: latency p50", percentile(latencies, 0.5), "s")
    report(f"{label}: latency p95", percentile(latencies, 0.95), "s")
    report(f"{label}: reads meanwhile, p50", percentile(reads, 0.5) * 1000, "ms", f"n={len(reads)}")
    report(f"{label}: reads meanwhile, p95", percentile(reads, 0.95) * 1000, "ms")
    return wall, latencies, reads


def filled_uploads(path: Path, folder: Path, codes: list[str]) -> list[tuple[str, Path]]:
    """One SPM kab/kota file per region for 2026 TW4: the ingest module's own template,
    filled in with openpyxl as an operator would."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    with Database.open(path, read_only=True) as db:
        for n, region in enumerate(codes):
            spec = templates.TemplateSpec("spm-kabkota", region, 2026, 4)
            blank = templates.write(db, spec, folder / f"templat_{spec.file_name()}")
            wb = load_workbook(blank)
            ws = wb[templates.DATA_SHEET]
            keys = [c.value for c in ws[templates.KEY_ROW]]
            col = {k: i + 1 for i, k in enumerate(keys) if k}
            for r in range(templates.FIRST_DATA_ROW, ws.max_row + 1):
                if not ws.cell(row=r, column=col["kode_layanan"]).value:
                    continue
                values = {
                    "jumlah_sasaran": 1000 + n + r,
                    "jumlah_terlayani": 900 + n,
                    "mutu_barang_jasa_kebutuhan": 20,
                    "mutu_barang_jasa_tersedia": 18,
                    "mutu_sdm_kebutuhan": 5,
                    "mutu_sdm_tersedia": 4,
                    "anggaran_rencana": 150_000_000,
                    "anggaran_realisasi": 120_000_000 + n,
                    "tahap_pengumpulan_data": "Ya",
                    "tahap_penghitungan_kebutuhan": "Ya",
                    "tahap_penyusunan_rencana": "Ya",
                    "tahap_pelaksanaan": "Tidak",
                }
                for key, value in values.items():
                    # only the cells an operator can type in (item rows open just their
                    # kelompok's pair; an itemised kelompok's pair is locked on the row)
                    if key in col and not ws.cell(row=r, column=col[key]).protection.locked:
                        ws.cell(row=r, column=col[key]).value = value
            filled = folder / spec.file_name()
            wb.save(filled)
            out.append((region, filled))
    return out


def app_uploads(path: Path, tmp: Path, report) -> None:
    """50 operators of 50 kab/kota (across the country) press Simpan at the same moment.

    Each goes through the Unggah Data page's own functions: check the file (read-only),
    then save it through the app's single writer.
    """
    import os

    os.environ["SPM_DB"] = str(path)
    from dashboard.data import ingest as data_ingest

    codes = regions(path, UPLOADS, spread=True)
    uploads = filled_uploads(path, tmp / "unggahan", codes)
    results = []

    def job_for(region: str, file: Path):
        actor = Actor(f"operator-{region}", "pengunggah_kabkota", kode_wilayah=region)

        def job() -> None:
            checked = data_ingest.check_files([(file.name, file.read_bytes())], actor)
            results.extend(data_ingest.save(checked, actor))

        return job

    wall, latencies, reads = concurrent(
        [job_for(r, f) for r, f in uploads],
        path,
        report,
        "50 uploads through the app (check + save)",
        "from 50 kab/kota",
    )
    refused = [r.summary() for r in results if not r.committed]
    assert not refused, refused
    with Database.open(path, read_only=True) as db:
        landed = db.rows(
            "SELECT kode_wilayah, count(*) FROM submission WHERE tahun = 2026 AND triwulan = 4 "
            "AND form = 'spm-kabkota' GROUP BY 1"
        )
        assert sorted(landed) == sorted((c, 1) for c in codes), landed
        problems = backup.check(db).problems
    assert not problems, problems
    once = sum(1 for code, count in landed if code in codes and count == 1)
    report("50 uploads landed exactly once", once, "files")
    for key, value in (
        ("uploads_n", len(codes)),
        ("uploads_landed", once),
        ("uploads_wall_s", wall),
        ("uploads_p95_s", percentile(latencies, 0.95)),
        ("uploads_reads_p95_s", percentile(reads, 0.95)),
        ("uploads_reads_n", len(reads)),
    ):
        targets.record(key, value)


def sql_commits(path: Path, report) -> None:
    """The writer alone: 50 transactions the size of a kab/kota upload (45 SPM rows)."""
    codes = regions(path, UPLOADS)

    def job_for(region: str):
        def work(db: Database) -> None:
            db.execute(
                "INSERT INTO submission (form, kode_wilayah, tahun, triwulan, diunggah_oleh, "
                "diunggah_pada, jumlah_baris) VALUES ('spm-kabkota', ?, 2026, 1, 'bench', "
                "current_timestamp, 0)",
                [region],
            )
            sub = db.scalar("SELECT currval('submission_id_seq')")
            db.execute(
                "INSERT INTO spm_data (kode_wilayah, tahun, triwulan, kode_layanan, "
                "jumlah_sasaran, jumlah_terlayani, submission_id) "
                "SELECT ?, 2026, 1, kode, 1000, 900, ? FROM layanan "
                "WHERE tingkat = 'kabupaten/kota'",
                [region, sub],
            )

        return lambda: writer.write(work, path)

    concurrent([job_for(r) for r in codes], path, report, "50 upload-sized commits")
    with Database.open(path, read_only=True) as db:
        landed = db.scalar(
            "SELECT count(DISTINCT kode_wilayah) FROM submission WHERE diunggah_oleh = 'bench'"
        )
    assert landed == UPLOADS, landed


def backup_restore_check(path: Path, tmp: Path, report) -> None:
    with Database.open(path) as db:
        started = time.perf_counter()
        result = backup.backup(db, tmp / "cadangan", created_by="bench")
        report("spm backup, national demo", time.perf_counter() - started, "s")
    report("backup size", result.bytes / 1e6, "MB", f"database file {file_size_mb(path):.1f} MB")
    started = time.perf_counter()
    backup.restore(tmp / "cadangan", tmp / "pulih" / "spm.duckdb")
    report("spm restore (verify hashes, import), national demo", time.perf_counter() - started, "s")
    with Database.open(tmp / "pulih" / "spm.duckdb", read_only=True) as db:
        started = time.perf_counter()
        checked = backup.check(db)
        report("spm check, national demo", time.perf_counter() - started, "s")
    assert checked.ok, checked.problems


def run(report) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = national_demo_copy(tmp / "national.duckdb")
        report("national demo database", file_size_mb(path), "MB")
        app_uploads(path, tmp, report)
        sql_commits(path, report)
        backup_restore_check(path, tmp, report)
