import subprocess
import sys
import time

import pytest

from pipelines.db.store import Database
from pipelines.errors import DatabaseBusy, DatabaseError, NotInitialised
from tests.db.holder import holding


def test_migrations_are_recorded_once(db_path):
    with Database.open(db_path) as db:
        first = db.applied_migrations()
        assert first and first[0] == "0001_foundation"
    with Database.open(db_path) as db:
        assert db.migrate() == []
        assert db.applied_migrations() == first
        when = db.rows("SELECT applied_at FROM _migrations")
        assert all(row[0] is not None for row in when)


def test_transaction_rolls_back_on_error(db):
    before = db.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO audit_log (pengguna, aksi) VALUES (?, ?)", ["x", "coba"])
        raise RuntimeError("boom")
    assert db.scalar("SELECT count(*) FROM audit_log") == before


def test_driver_errors_are_translated(db):
    with pytest.raises(DatabaseError) as info:
        db.execute(
            "INSERT INTO wilayah VALUES (?, ?, ?, ?, ?)",
            ["19", "Dobel", "provinsi", "Provinsi", "19"],
        )
    assert "melanggar aturan" in str(info.value)


# DuckDB streams results: this query fails only while its rows are fetched.
LATE_FAILURE = (
    "SELECT CASE WHEN i = 3000000 THEN CAST('x' || i AS INTEGER) ELSE i END AS v "
    "FROM range(5000000) t(i)"
)


@pytest.mark.parametrize("fetch", ["df", "rows", "dicts", "scalar"])
def test_errors_raised_while_fetching_are_translated(db, fetch):
    with pytest.raises(DatabaseError) as info:
        getattr(db, fetch)(LATE_FAILURE)
    message = str(info.value)
    assert "nilai tidak dapat disimpan atau dihitung" in message
    # The driver's English stays out of the sentence, kept for logs only.
    assert "Conversion Error" not in message and "INT32" not in message
    assert "Conversion Error" in info.value.detail


def test_read_only_open_of_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(NotInitialised) as info:
        Database.open(tmp_path / "none.duckdb", read_only=True)
    assert "spm init" in str(info.value)


def test_second_process_gets_clear_message(db_path):
    Database.open(db_path).close()
    with holding(db_path, 120, kill=True):
        start = time.monotonic()
        with pytest.raises(DatabaseBusy) as info:
            Database.open(db_path, wait_seconds=0.5)
        assert time.monotonic() - start >= 0.5
        assert "sedang dipakai oleh proses lain" in str(info.value)
        with pytest.raises(DatabaseBusy):
            Database.open(db_path, read_only=True)


def test_waiting_writer_gets_its_turn(db_path):
    Database.open(db_path).close()
    told = []
    with (
        holding(db_path, 1.5),
        Database.open(db_path, wait_seconds=30, on_wait=told.append) as db,
    ):
        assert db.scalar("SELECT value FROM meta WHERE key = 'held'") == "yes"
    assert len(told) == 1


def test_cli_reports_busy_database_without_traceback(db_path):
    Database.open(db_path).close()
    with holding(db_path, 120, kill=True):
        result = subprocess.run(
            [sys.executable, "-m", "pipelines", "init", "--db", str(db_path)],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "SPM_DB_WAIT": "1"},
            timeout=120,
        )
    assert result.returncode == 1
    assert "menunggu giliran" in result.stderr
    assert "sedang dipakai oleh proses lain" in result.stderr
    assert "Traceback" not in result.stderr


def _anchor(db_path):
    from pipelines.db import instances

    return instances.shared_file(db_path).conn


def test_reads_kept_open_share_one_instance_then_release_the_file(db_path):
    Database.open(db_path).close()
    with Database.open(db_path, read_only=True, keep_open=1.0) as db:
        first = _anchor(db_path)
        assert db.scalar("SELECT 1") == 1
    # Closed by its only reader, the file stays open for the next read of the page...
    assert _anchor(db_path) is first
    with Database.open(db_path, read_only=True, keep_open=1.0) as db:
        assert _anchor(db_path) is first
    # ...and is let go once nobody used it for that long: another process can write.
    time.sleep(1.5)
    assert _anchor(db_path) is None
    with holding(db_path, 0):
        pass
    with Database.open(db_path, read_only=True) as db:
        assert db.scalar("SELECT value FROM meta WHERE key = 'held'") == "yes"
    assert _anchor(db_path) is None  # without keep_open the file is closed at once


def test_a_writer_of_this_process_does_not_wait_for_a_kept_open_read(db_path):
    Database.open(db_path).close()
    with Database.open(db_path, read_only=True, keep_open=60) as db:
        db.scalar("SELECT 1")
    start = time.monotonic()
    with Database.open(db_path) as db, db.transaction():
        db.execute("INSERT INTO meta VALUES ('geschrieben', 'ja')")
    assert time.monotonic() - start < 5
    with Database.open(db_path, read_only=True) as db:
        assert db.scalar("SELECT value FROM meta WHERE key = 'geschrieben'") == "ja"


def test_another_process_waits_for_a_kept_open_read_only_that_long(db_path):
    Database.open(db_path).close()
    with Database.open(db_path, read_only=True, keep_open=10.0) as db:
        db.scalar("SELECT 1")
    # The CLI waits its turn (SPM_DB_WAIT, 60 s by default) and gets it.
    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "init", "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "menunggu giliran" in result.stderr


def test_kept_open_reads_and_writes_from_many_threads(db_path):
    import threading

    Database.open(db_path).close()
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(40):
                with Database.open(db_path, read_only=True, keep_open=0.05, wait_seconds=30) as db:
                    db.scalar("SELECT count(*) FROM meta")
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    def writer() -> None:
        try:
            for i in range(15):
                with Database.open(db_path, wait_seconds=30) as db, db.transaction():
                    db.execute("INSERT INTO meta VALUES (?, 'x')", [f"tulis-{i}"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(6)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    time.sleep(0.5)
    assert _anchor(db_path) is None  # nobody reads: the file is let go
    with holding(db_path, 0):  # and another process can write it
        pass
    with Database.open(db_path, read_only=True) as db:
        assert db.scalar("SELECT count(*) FROM meta WHERE key LIKE 'tulis-%'") == 15
