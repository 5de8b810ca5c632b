"""Run every ``benchmarks/bench_*.py`` (or those named on the command line) and print
their figures. Each module has ``run(report)``; ``report(name, value, unit, note)``
prints one line. Figures are medians of a few runs on this machine. At the end, the
targets of issue 15 beside what this run measured (``benchmarks/targets.py``)."""

from __future__ import annotations

import importlib
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import streamlit.config as streamlit_config
import streamlit.logger as streamlit_logger

from benchmarks import targets

HERE = Path(__file__).resolve().parent


def quiet_streamlit() -> None:
    """Streamlit run outside a server (AppTest, the app's data layer) logs a warning
    about its missing runtime on every call; this output is for the figures."""
    streamlit_config.get_option("logger.level")  # parse the config first: it sets the level
    streamlit_config.set_option("logger.level", "error")
    streamlit_logger.set_log_level("error")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    """The machine's load average: how much else ran on its cores meanwhile."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} over 1 / 5 / 15 min"


PROBE = "speed probe (1 million Python additions)"


def host_speed() -> float:
    """Milliseconds of the same small pure-Python work (median of 3): a shared machine's
    speed moves between runs and within one, and the figures move with it."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def report(name: str, value: float, unit: str, note: str = "") -> None:
    print(f"  {name:<58} {value:>12,.3f} {unit:<6} {note}", flush=True)


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in HERE.glob("bench_*.py"))
    begun = time.perf_counter()
    quiet_streamlit()
    probe_at_start = host_speed()
    print(f"Machine: {machine()}; {PROBE} {probe_at_start:.0f} ms")
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"\n[{name}] {(module.__doc__ or '').strip().splitlines()[0]}", flush=True)
        start = time.perf_counter()
        module.run(report)
        print(
            f"  ({time.perf_counter() - start:.1f} s in all; {load()}; "
            f"{PROBE} {host_speed():.0f} ms)"
        )
    print(
        f"\nTargets of issue 15 (same run, same machine; {time.perf_counter() - begun:.0f} s "
        f"in all; {load()}; {PROBE} {host_speed():.0f} ms at the end, "
        f"{probe_at_start:.0f} ms at the start)"
    )
    print("\n".join(targets.table()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
