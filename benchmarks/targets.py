"""The targets of issue 15 (fast at national scale) beside what this run measured.

Bench modules :func:`record` their figures as they measure them; after the last module
``python -m benchmarks`` prints :func:`table`: each figure of the issue's table with its
target and ``tercapai`` (met) or ``belum`` (not yet), every ratio taken from floors
measured in this same run on this machine. A figure whose module did not run (e.g.
``python -m benchmarks bench_capaian``) is ``tidak diukur``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipelines.core.fmt import angka

MEASURED: dict[str, Any] = {}


def record(key: str, value: Any) -> None:
    MEASURED[key] = value


def _s(seconds: float) -> str:
    return f"{angka(seconds, 2)} s"


def _ms(seconds: float) -> str:
    return f"{angka(seconds * 1000, 1)} ms" if seconds < 1 else _s(seconds)


def _x(ratio: float) -> str:
    return f"{angka(ratio, 1)} ×"


@dataclass(frozen=True)
class Target:
    figure: str
    target: str
    keys: tuple[str, ...]
    # measured values (in ``keys`` order) -> (what was measured, whether the target is met;
    # None: no target, only measured)
    judge: Callable[..., tuple[str, bool | None]]


def _ingest_one(one: float, floor: float) -> tuple[str, bool]:
    ratio = one / floor
    return f"{_ms(one)} = {_x(ratio)} openpyxl's bare open+read ({_ms(floor)})", ratio <= 1.5


def _ingest_batch(n: int, batch: float, floor: float) -> tuple[str, bool]:
    ratio = batch / floor
    return (
        f"{n} files {_s(batch)} ({_ms(batch / n)} per file), {_x(ratio)} floor ({_s(floor)})",
        batch <= 15 and ratio <= 3,
    )


def _uploads(n: int, landed: int, wall: float, p95: float) -> tuple[str, bool]:
    text = f"{landed} of {n} landed once, {_s(wall)} in all (p95 {_s(p95)})"
    return text, landed == n and wall <= 5


def _reads(p95: float, count: int) -> tuple[str, bool]:
    return f"p95 {_ms(p95)} over {count} reads", p95 < 0.3


def _oracle(duckdb: float, pandas: float) -> tuple[str, bool]:
    ratio = pandas / duckdb
    how = f"{_x(ratio)} faster" if ratio >= 1 else f"{_x(1 / ratio)} slower"
    return f"DuckDB {_s(duckdb)} vs pandas {_s(pandas)} (DuckDB {how})", ratio >= 10


def _pages(times: dict[str, float]) -> tuple[str, bool]:
    slowest = max(times, key=times.get)
    within = sum(t <= 0.3 for t in times.values())
    return (
        f"{within} of {len(times)} pages ≤ 0,3 s; slowest {slowest} {_s(times[slowest])}",
        within == len(times),
    )


def _memory(per_page: dict[str, float], peak: float) -> tuple[str, bool]:
    largest = max(per_page, key=per_page.get)
    return (
        f"after each page at most {angka(per_page[largest])} MB (after {largest}); "
        f"peak while rendering {angka(peak)} MB",
        peak < 400,
    )


def _rollup(
    provinces: int, seconds: float, cpu: float, megabytes: float, peak: float
) -> tuple[str, None]:
    return (
        f"{provinces} province files: {_s(seconds)} ({_s(cpu)} CPU), file "
        f"{angka(megabytes, 1)} MB, peak memory {angka(peak)} MB",
        None,
    )


TARGETS = [
    Target(
        "one kab/kota file, check + commit, in-process",
        "≤ 1,5 × that openpyxl floor",
        ("ingest_one_s", "ingest_one_floor_s"),
        _ingest_one,
    ),
    Target(
        "514 files in one `spm ingest` batch",
        "≤ 15 s, and ≤ 3 × the floor",
        ("ingest_batch_files", "ingest_batch_s", "ingest_batch_floor_s"),
        _ingest_batch,
    ),
    Target(
        "50 simultaneous uploads through the app's own functions",
        "all land exactly once, ≤ 5 s in all",
        ("uploads_n", "uploads_landed", "uploads_wall_s", "uploads_p95_s"),
        _uploads,
    ),
    Target(
        "  dashboard reads meanwhile",
        "p95 < 300 ms",
        ("uploads_reads_p95_s", "uploads_reads_n"),
        _reads,
    ),
    Target(
        "every figure of one period, national demo",
        "≤ 50 ms",
        ("figures_one_period_s",),
        lambda s: (_ms(s), s <= 0.05),
    ),
    Target(
        "every figure of all 16 periods",
        "≤ 0,3 s",
        ("figures_all_periods_s",),
        lambda s: (_s(s), s <= 0.3),
    ),
    Target(
        "core figures, DuckDB vs the pandas oracle on frames in memory",
        "DuckDB ≥ 10 × faster than the oracle",
        ("core_duckdb_s", "core_pandas_s"),
        _oracle,
    ),
    Target(
        "  keeping the figures: refresh in an upload's commit; `spm recompute`",
        "measured (no target)",
        ("figures_refresh_one_s", "figures_recompute_s"),
        lambda one, full: (f"{_ms(one)} per commit; all tables {_s(full)}", None),
    ),
    Target(
        "page render, data not cached (AppTest), national demo",
        "every page ≤ 0,3 s",
        ("page_render_national_s",),
        _pages,
    ),
    Target(
        "app's resident memory (Streamlit server), national demo, every page",
        "< 400 MB",
        ("memory_per_page_mb", "memory_peak_mb"),
        _memory,
    ),
    Target(
        "national roll-up (`spm nasional`), 38 province databases",
        "measured (no target)",
        ("rollup_provinces", "rollup_s", "rollup_cpu_s", "rollup_mb", "rollup_peak_mb"),
        _rollup,
    ),
]


def table() -> list[str]:
    """Two lines per target: the figure, then what was measured, the target and the
    verdict."""
    lines = []
    for t in TARGETS:
        if all(k in MEASURED for k in t.keys):
            measured, met = t.judge(*(MEASURED[k] for k in t.keys))
            verdict = "–" if met is None else ("tercapai" if met else "belum")
        else:
            measured, verdict = "–", "tidak diukur"
        lines.append(f"  {t.figure}")
        lines.append(f"      {measured}  |  target: {t.target}  |  {verdict}")
    return lines
