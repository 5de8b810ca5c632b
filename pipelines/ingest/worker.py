"""Reading an uploaded file in a process of its own, bounded in time and memory.

The app serves everyone from one process. Parsing a file there would hold Python (and,
under a read-only view, the database) for as long as the file takes, so one hostile or
broken upload could stall every other session, logins included. :func:`read_bounded`
runs :func:`pipelines.ingest.validate.read_file` in a child process instead: the child
gets at most ``Limits.memory_mb`` of address space and is killed after
``Limits.seconds``; either way the file is refused with one Indonesian sentence. At
most as many children run at once as the machine has cores (at least 2): more uploads
at the same moment wait their turn instead of taking all memory and processors. The
child never opens the database; the checks against it run afterwards, briefly, in the
caller (:func:`pipelines.ingest.validate.check_read`).

Run as ``python -m pipelines.ingest.worker FILE NAME OUT LIMITS_JSON``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from pipelines.ingest.limits import Limits, whole
from pipelines.ingest.result import GALAT, IngestResult, Prepared, Problem

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MEMORY_EXIT = 86  # the child's exit status when the memory bound was reached
_SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))  # children at once


def _refused(name: str, message: str) -> Prepared:
    import pandas as pd

    result = IngestResult(file_name=name)
    result.problems.append(Problem(GALAT, None, None, None, message))
    return Prepared(result, pd.DataFrame())


def read_bounded(path: str | Path, bounds: Limits, *, original_name: str | None = None) -> Prepared:
    """:func:`pipelines.ingest.validate.read_file` in a child process within ``bounds``."""
    name = original_name or Path(path).name
    with tempfile.TemporaryDirectory(prefix="spm-periksa-") as tmp:
        out = Path(tmp) / "hasil.pickle"
        command = [
            sys.executable,
            "-m",
            "pipelines.ingest.worker",
            str(path),
            name,
            str(out),
            json.dumps(dataclasses.asdict(bounds)),
        ]
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
        try:
            with _SLOTS:
                done = subprocess.run(
                    command,
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=bounds.seconds,
                )
        except subprocess.TimeoutExpired:  # run() has killed the child
            return _refused(
                name,
                f"Pemeriksaan berkas dihentikan karena melebihi {whole(bounds.seconds)} detik "
                "(batas waktu pemeriksaan); berkas ini terlalu rumit untuk dibaca. Salin data "
                "saja ke templat baru lalu unggah kembali.",
            )
        if done.returncode == 0 and out.exists():
            # Our own child wrote it a moment ago from the file it read: trusted.
            return pickle.loads(out.read_bytes())
        if done.returncode == MEMORY_EXIT or done.returncode < 0:
            return _refused(
                name,
                f"Pemeriksaan berkas dihentikan karena memerlukan lebih dari "
                f"{whole(bounds.memory_mb)} MB memori (batas pemeriksaan); salin data saja ke "
                "templat baru lalu unggah kembali.",
            )
        return _refused(
            name,
            "Berkas tidak dapat diperiksa karena kesalahan tak terduga; simpan ulang berkas "
            "di Excel sebagai .xlsx lalu unggah kembali, dan bila terulang laporkan kepada "
            "administrator.",
        )


def main(argv: list[str]) -> int:
    path, name, out, raw = argv
    bounds = Limits(**json.loads(raw))
    limit = int(bounds.memory_mb) * 1024 * 1024
    try:
        import resource  # POSIX only: elsewhere the time bound still holds
    except ImportError:
        pass
    else:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from pipelines.ingest.validate import read_file

        prepared = read_file(path, bounds, original_name=name)
        Path(out).write_bytes(pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        return MEMORY_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
