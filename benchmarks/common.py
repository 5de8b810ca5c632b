"""Helpers shared by the benchmarks."""

from __future__ import annotations

import atexit
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SHARED: dict[str, Path] = {}


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


# Runs a command as its only child, then prints that child's peak resident memory (KiB)
# and the CPU seconds it used (user + system).
_MEASURED_CHILD = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(used.ru_maxrss, used.ru_utime + used.ru_stime)\n"
)


def spm_measured(*args: str) -> tuple[float, float, float]:
    """Run the real ``spm`` command in a new process: (seconds, CPU seconds, peak RSS
    in MB). CPU seconds depend less than seconds on what else runs on the machine."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _MEASURED_CHILD, sys.executable, "-m", "pipelines", *args],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    peak_kib, cpu = out.stdout.split()[-2:]
    return time.perf_counter() - start, float(cpu), int(peak_kib) / 1024


def file_size_mb(path: Path) -> float:
    size = path.stat().st_size
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        size += wal.stat().st_size
    return size / 1e6


def national_demo() -> Path:
    """The national demo (``spm init`` + ``spm demo --scale national``, 38 provinces,
    514 kab/kota, 2022-2025), built once per ``python -m benchmarks`` run and shared by
    the modules that only read it; copy it (:func:`national_demo_copy`) to change it."""
    if "national" not in _SHARED:
        folder = Path(tempfile.mkdtemp(prefix="bench-national-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "national.duckdb"
        spm("init", "--db", str(path))
        spm("demo", "--db", str(path), "--scale", "national")
        _SHARED["national"] = path
    return _SHARED["national"]


def national_demo_copy(target: Path) -> Path:
    """A private copy of :func:`national_demo` at ``target``."""
    shutil.copy(national_demo(), target)
    return target
