"""Nothing lost with real uploads: a SIGKILL mid-batch, seven `spm ingest` processes at
once, many app sessions saving at once, and backup -> delete -> restore."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from pipelines.auth.access import Actor
from pipelines.core import reference
from pipelines.db import files as file_store
from pipelines.db.store import Database
from pipelines.ops import backup
from tests.ingest_helpers import fill, make_template, spm_values

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BABEL_KABKOTA = ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]
YEAR = 2025
CONFIRMED = re.compile(r"(\S+\.xlsx): DITERIMA sebagai pengiriman #(\d+)")


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def _spm(*args: object, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(**env),
        timeout=300,
    )


@pytest.fixture
def prepared(tmp_path: Path) -> Path:
    path = tmp_path / "spm.duckdb"
    with Database.open(path) as db:
        reference.init_reference(db, by="test")
    return path


def _kabkota_codes(db_path: Path) -> list[str]:
    with Database.open(db_path, read_only=True) as db:
        return [
            r[0]
            for r in db.rows(
                "SELECT kode FROM layanan WHERE tingkat = 'kabupaten/kota' ORDER BY urutan"
            )
        ]


def _files(
    db_path: Path, folder: Path, periods: list[tuple[str, int]], year: int = YEAR
) -> list[Path]:
    """One filled SPM kab/kota template per (region, triwulan), as an uploader makes it."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = _kabkota_codes(db_path)
    blanks = folder.parent / "templat"
    out = []
    with Database.open(db_path, read_only=True) as db:
        for n, (region, tw) in enumerate(periods):
            template = make_template(
                db, blanks / f"{region}_{year}_{tw}.xlsx", region=region, year=year, tw=tw
            )
            name = f"{n:02d}_spm_{region}_{year}_TW{tw}.xlsx"
            out.append(fill(template, folder / name, spm_values(codes, sasaran=1000 + n)))
    return out


def _assert_whole(db_path: Path) -> list[dict]:
    """Every submission is whole: its rows, its stored original, nothing dangling."""
    with Database.open(db_path, read_only=True) as db:
        subs = db.dicts("SELECT * FROM submission ORDER BY id")
        for sub in subs:
            rows = db.scalar("SELECT count(*) FROM spm_data WHERE submission_id = ?", [sub["id"]])
            assert rows == sub["jumlah_baris"] > 0, sub
        result = backup.check(db)
    assert result.ok, result.problems
    return subs


KEY = ("form", "kode_wilayah", "tahun", "triwulan")


def test_sigkill_during_a_batch_ingest_loses_nothing_confirmed(prepared, tmp_path):
    periods = [(r, tw) for tw in (1, 2) for r in BABEL_KABKOTA]  # 14 files
    folder = tmp_path / "masuk"
    files = _files(prepared, folder, periods)

    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "ingest", "--db", str(prepared), "--quiet", folder],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(SPM_INGEST_TURN_FILES="2"),  # turns of two files: a kill falls between
    )
    confirmed: dict[str, int] = {}
    try:
        for line in proc.stdout:
            match = CONFIRMED.search(line)
            if match:
                confirmed[match.group(1)] = int(match.group(2))
            if len(confirmed) == 3:
                proc.send_signal(signal.SIGKILL)  # power cut in the middle of the batch
                break
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL, "the batch finished before the kill"

    # Restart: every confirmed upload is there, each whole; nothing half-written.
    subs = _assert_whole(prepared)
    by_id = {s["id"]: s for s in subs}
    for name, sub_id in confirmed.items():
        assert sub_id in by_id, f"{name} was confirmed as #{sub_id} but is gone"
        assert by_id[sub_id]["nama_berkas"] == name
    assert len(subs) < len(files)

    # Running the batch again completes it: each file lands exactly once.
    result = _spm("ingest", "--db", prepared, "--quiet", folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Selesai: {len(files)} dari {len(files)} berkas diterima" in result.stdout
    subs = _assert_whole(prepared)
    keys = [tuple(s[k] for k in KEY) for s in subs]
    assert sorted(keys) == sorted(("spm-kabkota", r, YEAR, tw) for r, tw in periods)


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pipelines.db.store import Database
    db = Database.open(sys.argv[1])
    with db.transaction():
        print("holding", flush=True)
        sys.stdin.readline()
    db.close()
    """
)


def test_seven_spm_ingest_processes_at_once_all_succeed(prepared, tmp_path):
    files = _files(prepared, tmp_path / "masuk", [(r, 2) for r in BABEL_KABKOTA])
    # Someone is writing when all seven start, so every one of them must wait its turn.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(prepared)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(),
    )
    assert holder.stdout.readline().strip() == "holding"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pipelines", "ingest", "--db", str(prepared), str(f)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=_env(SPM_DB_WAIT="240"),
        )
        for f in files
    ]
    try:
        # Each one says it is waiting (stderr) before the holder lets go.
        for proc in procs:
            assert "menunggu giliran" in proc.stderr.readline()
        holder.stdin.write("\n")
        holder.stdin.flush()
        outputs = [proc.communicate(timeout=300) for proc in procs]
    finally:
        holder.kill() if holder.poll() is None else None
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, out + err
        assert "DITERIMA" in out and "Traceback" not in err
    subs = _assert_whole(prepared)
    assert sorted(s["kode_wilayah"] for s in subs) == sorted(BABEL_KABKOTA)


def test_many_app_sessions_saving_at_once_land_exactly_once(prepared, tmp_path, monkeypatch):
    """The Unggah Data page's own functions (check, then save) from parallel sessions."""
    monkeypatch.setenv("SPM_DB", str(prepared))
    from dashboard.data import ingest as data_ingest

    # Each kab/kota operator sends 2026 TW4 (open until January 2027) while an analyst
    # back-fills 2025 TW2 for the same region: 14 sessions pressing Simpan together.
    now = [(r, 4) for r in BABEL_KABKOTA]
    backfill = [(r, 2) for r in BABEL_KABKOTA]
    jobs = [
        (f, Actor(f"operator-{r}", "pengunggah_kabkota", kode_wilayah=r))
        for f, (r, _) in zip(_files(prepared, tmp_path / "kini", now, 2026), now, strict=True)
    ] + [
        (f, Actor("analis-biro", "analis"))
        for f in _files(prepared, tmp_path / "susulan", backfill, YEAR)
    ]
    errors: list[BaseException] = []
    results = []
    start = threading.Barrier(len(jobs))

    def session(path: Path, actor: Actor) -> None:
        try:
            start.wait()
            checked = data_ingest.check_files([(path.name, path.read_bytes())], actor)
            results.extend(data_ingest.save(checked, actor))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=session, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert errors == []
    assert len(results) == len(jobs) and all(r.committed for r in results), [
        (r.summary(), [p.text() for p in r.problems]) for r in results if not r.committed
    ]
    subs = _assert_whole(prepared)
    assert sorted(tuple(s[k] for k in KEY) for s in subs) == sorted(
        [("spm-kabkota", r, 2026, tw) for r, tw in now]
        + [("spm-kabkota", r, YEAR, tw) for r, tw in backfill]
    )
    assert {s["diunggah_oleh"] for s in subs} == {f"operator-{r}" for r in BABEL_KABKOTA} | {
        "analis-biro"
    }


def test_backup_delete_restore_with_real_uploads(prepared, tmp_path):
    files = _files(prepared, tmp_path / "masuk", [("19.01", 1), ("19.71", 1), ("19.01", 2)])
    result = _spm("ingest", "--db", prepared, *files)
    assert result.returncode == 0, result.stdout + result.stderr
    store = file_store.store_root(prepared)
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in store.rglob("*.xlsx")}
    assert len(hashes) == 3
    with Database.open(prepared, read_only=True) as db:
        before = {t: db.df(f'SELECT * FROM "{t}" ORDER BY ALL') for t in backup.base_tables(db)}
        trend = db.df("SELECT * FROM v_spm_wilayah ORDER BY ALL").round(9)

    assert _spm("backup", "--db", prepared, "--out", tmp_path / "cadangan").returncode == 0
    prepared.unlink()
    shutil.rmtree(store)
    result = _spm("restore", tmp_path / "cadangan", "--db", prepared)
    assert result.returncode == 0, result.stdout + result.stderr

    with Database.open(prepared, read_only=True) as db:
        for table, frame in before.items():
            after = db.df(f'SELECT * FROM "{table}" ORDER BY ALL')
            assert after.equals(frame), table
        assert db.df("SELECT * FROM v_spm_wilayah ORDER BY ALL").round(9).equals(trend)
    assert {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in store.rglob("*.xlsx")
    } == hashes
    assert _spm("check", "--db", prepared).returncode == 0


def test_sessions_waiting_for_the_writer_are_committed_together(prepared, tmp_path):
    """While the writer is busy, files saved by several sessions wait; the next session to
    get the writer commits them all in one transaction (one refresh of the figures), and
    each session gets its own file's result."""
    from pipelines.capaian import materi
    from pipelines.db import writer
    from pipelines.ingest import validate

    periods = [(r, 4) for r in BABEL_KABKOTA]  # 2026 TW4: open until January 2027
    paths = _files(prepared, tmp_path / "masuk", periods, 2026)
    actors = [Actor(f"operator-{r}", "pengunggah_kabkota", kode_wilayah=r) for r, _ in periods]
    with Database.open(prepared, read_only=True) as db:
        bounds = validate.limits(db)
        checked = [
            validate.check_read(db, validate.read_file(p, bounds), a)
            for p, a in zip(paths, actors, strict=True)
        ]
    assert all(c.result.accepted for c in checked)

    busy, release = threading.Event(), threading.Event()

    def long_review(db: Database) -> None:  # another session's write holds the writer
        busy.set()
        release.wait(60)

    holder = threading.Thread(target=writer.write, args=(long_review, prepared))
    holder.start()
    assert busy.wait(60)
    results: dict[str, object] = {}

    def session(item, actor) -> None:
        (results[actor.username],) = writer.commit_files([item], actor, prepared)

    sessions = [
        threading.Thread(target=session, args=pair) for pair in zip(checked, actors, strict=True)
    ]
    for t in sessions:
        t.start()
    # every session waits: the first for the writer itself, the others in the queue
    deadline = time.monotonic() + 60
    while len(writer._waiting) < len(sessions) - 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for t in sessions + [holder]:
        t.join(timeout=120)

    assert all(results[a.username].committed for a in actors)
    assert [results[a.username].kode_wilayah for a in actors] == [r for r, _ in periods]
    subs = _assert_whole(prepared)
    assert sorted((s["kode_wilayah"], s["diunggah_oleh"]) for s in subs) == sorted(
        (r, f"operator-{r}") for r, _ in periods
    )
    # the first session's batch (taken before the others queued), then one transaction
    # for all the rest: two commit moments for seven files
    assert len({s["diunggah_pada"] for s in subs}) <= 2
    with Database.open(prepared, read_only=True) as db:
        assert not any(materi.selisih(db).values())
