"""Helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(func: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def spm(*args: str) -> None:
    """Run the real ``spm`` command in a new process (as a user would)."""
    subprocess.run(
        [sys.executable, "-m", "pipelines", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )


def file_size_mb(path: Path) -> float:
    size = path.stat().st_size
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        size += wal.stat().st_size
    return size / 1e6
