"""Reading an uploaded file in a process of its own, bounded in time and memory.

The app serves everyone from one process. Parsing a file there would hold Python (and,
under a read-only view, the database) for as long as the file takes, so one hostile or
broken upload could stall every other session, logins included. :func:`read_bounded`
runs :func:`pipelines.ingest.validate.read_file` in a child process instead: the child
gets at most ``Limits.memory_mb`` of address space and is killed after
``Limits.seconds``; either way the file is refused with one Indonesian sentence. The
child never opens the database; the checks against it run afterwards, briefly, in the
caller (:func:`pipelines.ingest.validate.check_read`).

The children are a pool: at most as many as the machine has cores (at least 2) work at
once, more uploads at the same moment wait their turn instead of taking all memory and
processors. A child is started once, with its imports done before it takes a file (so
an upload does not pay for starting Python, and its time bound counts the reading
only), and serves file after file; one that was stopped (time, memory) or failed is
replaced, and each is replaced after ``JOBS_PER_CHILD`` files so its memory starts
fresh.

Run as ``python -m pipelines.ingest.worker MEMORY_MB``: it says ``siap`` on stdout,
then per line of stdin (JSON: ``path``, ``name``, ``out``, ``bounds``) reads the file,
writes the pickled :class:`Prepared` to ``out`` and says ``selesai`` (or ``memori``
when its memory bound was reached; it then exits).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import pickle
import queue
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pipelines.ingest.limits import Limits, whole
from pipelines.ingest.result import GALAT, IngestResult, Prepared, Problem

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SLOTS = max(2, os.cpu_count() or 2)  # children at work at once
JOBS_PER_CHILD = 50
START_SECONDS = 120  # a child's start (its imports), on a busy machine
_slots = threading.BoundedSemaphore(SLOTS)
_idle: queue.LifoQueue[_Child] = queue.LifoQueue()


def _refused(name: str, message: str) -> Prepared:
    import pandas as pd

    result = IngestResult(file_name=name)
    result.problems.append(Problem(GALAT, None, None, None, message))
    return Prepared(result, pd.DataFrame())


class _Child:
    """One warm worker process, with the memory bound it was started with."""

    def __init__(self, memory_mb: float) -> None:
        self.memory_mb = memory_mb
        self.jobs = 0
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines.ingest.worker", str(int(memory_mb))],
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        if self.answer(START_SECONDS) != "siap":
            self.stop()
            raise OSError("the upload worker did not start")

    def answer(self, seconds: float) -> str | None:
        """The child's next line within ``seconds``; None when it said nothing (or died)."""
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], max(seconds, 0))
        if not ready:
            return None
        return self.proc.stdout.readline().strip() or None

    def ask(self, request: dict, seconds: float) -> str | None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except OSError:
            return None
        self.jobs += 1
        return self.answer(seconds)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            self.proc.wait(timeout=10)


def _take(memory_mb: float) -> _Child:
    """An idle child started with ``memory_mb`` (a new one when there is none)."""
    while True:
        try:
            child = _idle.get_nowait()
        except queue.Empty:
            return _Child(memory_mb)
        if child.memory_mb == memory_mb and child.proc.poll() is None:
            return child
        child.stop()  # the setting changed, or it died meanwhile


def read_bounded(path: str | Path, bounds: Limits, *, original_name: str | None = None) -> Prepared:
    """:func:`pipelines.ingest.validate.read_file` in a child process within ``bounds``."""
    name = original_name or Path(path).name
    with tempfile.TemporaryDirectory(prefix="spm-periksa-") as tmp, _slots:
        out = Path(tmp) / "hasil.pickle"
        request = {
            "path": str(path),
            "name": name,
            "out": str(out),
            "bounds": dataclasses.asdict(bounds),
        }
        try:
            child = _take(bounds.memory_mb)
        except OSError:
            return _refused(name, _GAGAL)
        started = time.monotonic()
        said = child.ask(request, bounds.seconds)
        if said == "selesai" and out.exists():
            if child.jobs < JOBS_PER_CHILD:
                _idle.put(child)
            else:
                child.stop()
            # Our own child wrote it a moment ago from the file it read: trusted.
            return pickle.loads(out.read_bytes())
        child.stop()
        if said is None and time.monotonic() - started >= bounds.seconds:
            return _refused(
                name,
                f"Pemeriksaan berkas dihentikan karena melebihi {whole(bounds.seconds)} detik "
                "(batas waktu pemeriksaan); berkas ini terlalu rumit untuk dibaca. Salin data "
                "saja ke templat baru lalu unggah kembali.",
            )
        if said == "memori" or (child.proc.returncode or 0) < 0:  # stopped by its bound
            return _refused(
                name,
                f"Pemeriksaan berkas dihentikan karena memerlukan lebih dari "
                f"{whole(bounds.memory_mb)} MB memori (batas pemeriksaan); salin data saja ke "
                "templat baru lalu unggah kembali.",
            )
        return _refused(name, _GAGAL)


def read_many(paths: list[Path], bounds: Limits, *, ahead: int = 2 * SLOTS) -> Iterator[Prepared]:
    """:func:`read_bounded` of each of ``paths``, in their order, read ahead by the pool
    (at most ``ahead`` files waiting to be taken), so a batch's files are parsed on every
    core while the caller checks and commits the ones before."""
    with ThreadPoolExecutor(max_workers=SLOTS) as pool:
        waiting: deque[Future[Prepared]] = deque()
        for path in paths:
            waiting.append(pool.submit(read_bounded, path, bounds))
            if len(waiting) >= ahead:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


_GAGAL = (
    "Berkas tidak dapat diperiksa karena kesalahan tak terduga; simpan ulang berkas di Excel "
    "sebagai .xlsx lalu unggah kembali, dan bila terulang laporkan kepada administrator."
)


def _at_memory_bound(limit: int) -> bool:
    """Whether this process's address space came within 5 % of ``limit`` (Linux's
    VmPeak; elsewhere unknown: False)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) * 1024 >= 0.95 * limit
    return False


def main(argv: list[str]) -> int:
    limit = int(argv[0]) * 1024 * 1024
    try:
        import resource  # POSIX only: elsewhere the time bound still holds
    except ImportError:
        pass
    else:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from pipelines.ingest.validate import read_file

    print("siap", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            prepared = read_file(
                request["path"], Limits(**request["bounds"]), original_name=request["name"]
            )
            Path(request["out"]).write_bytes(
                pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL)
            )
        except BaseException as exc:
            # calamine (Rust) panics instead when an allocation fails in its code
            if isinstance(exc, MemoryError) or _at_memory_bound(limit):
                print("memori", flush=True)
                return 1
            raise
        print("selesai", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
