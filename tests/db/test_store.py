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
