"""One writer inside the app process: many threads writing and reading one file."""

from __future__ import annotations

import threading

import pytest

from pipelines.db import writer
from pipelines.db.store import Database
from pipelines.errors import DatabaseBusy, DatabaseError
from tests.db.holder import holding

pytestmark = pytest.mark.slow

ROWS_PER_WRITE = 5


def _insert_batch(tag: str, pause: threading.Event | None = None):
    def work(db: Database) -> int:
        for i in range(ROWS_PER_WRITE):
            db.execute(
                "INSERT INTO audit_log (pengguna, aksi, objek) VALUES (?, 'uji-tulis', ?)",
                [tag, str(i)],
            )
            if pause is not None:
                pause.wait(0.002)
        return ROWS_PER_WRITE

    return work


def test_many_writers_and_readers_in_threads(db_path, db):
    db.close()
    errors: list[BaseException] = []
    seen_counts: list[int] = []
    writers_done = threading.Event()
    pause = threading.Event()

    def write_one(n: int) -> None:
        try:
            writer.write(_insert_batch(f"sesi-{n}", pause), db_path)
        except BaseException as exc:  # collected, asserted below
            errors.append(exc)

    def read_loop() -> None:
        try:
            while not writers_done.is_set():
                with writer.reading(db_path) as view:
                    seen_counts.append(
                        view.scalar("SELECT count(*) FROM audit_log WHERE aksi = 'uji-tulis'")
                    )
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=read_loop) for _ in range(6)]
    writers = [threading.Thread(target=write_one, args=(n,)) for n in range(30)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join(timeout=300)
    writers_done.set()
    for t in readers:
        t.join(timeout=300)

    assert errors == []
    with Database.open(db_path, read_only=True) as view:
        per_session = view.rows(
            "SELECT pengguna, count(*) FROM audit_log WHERE aksi = 'uji-tulis' GROUP BY 1"
        )
    # Every write landed exactly once, whole.
    assert sorted(per_session) == sorted((f"sesi-{n}", ROWS_PER_WRITE) for n in range(30))
    # Readers only ever saw whole writes (never a half-written one).
    assert seen_counts and all(c % ROWS_PER_WRITE == 0 for c in seen_counts)


def test_a_reader_reads_the_last_commit_while_a_write_is_open(db_path, db):
    db.close()
    writer.write(_insert_batch("pertama"), db_path)
    inside = threading.Event()
    release = threading.Event()

    def slow_write(view: Database) -> None:
        _insert_batch("kedua")(view)
        inside.set()
        assert release.wait(120)

    thread = threading.Thread(target=writer.write, args=(slow_write, db_path))
    thread.start()
    try:
        assert inside.wait(120)
        # The write is still open here; a reader gets the committed state at once.
        with writer.reading(db_path) as view:
            seen = view.rows("SELECT DISTINCT pengguna FROM audit_log WHERE aksi = 'uji-tulis'")
        assert seen == [("pertama",)]
        assert thread.is_alive()
    finally:
        release.set()
        thread.join(timeout=120)
    with writer.reading(db_path) as view:
        assert view.scalar("SELECT count(*) FROM audit_log WHERE aksi = 'uji-tulis'") == 10


def test_a_writer_waits_for_open_readers_instead_of_failing(db_path, db):
    db.close()
    reader = Database.open(db_path, read_only=True)  # an app read in progress
    done = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            writer.write(_insert_batch("menunggu"), db_path)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    # The writer cannot start while the read-only instance is open; it waits, no error.
    assert not done.wait(0.5)
    assert reader.scalar("SELECT count(*) FROM audit_log WHERE pengguna = 'menunggu'") == 0
    reader.close()
    thread.join(timeout=120)
    assert errors == []
    with writer.reading(db_path) as view:
        assert view.scalar("SELECT count(*) FROM audit_log WHERE pengguna = 'menunggu'") == 5


def test_write_rolls_back_everything_on_error(db_path, db):
    db.close()

    def failing(view: Database) -> None:
        _insert_batch("gagal")(view)
        raise ValueError("berkas rusak")

    with pytest.raises(ValueError):
        writer.write(failing, db_path)
    with writer.reading(db_path) as view:
        assert view.scalar("SELECT count(*) FROM audit_log WHERE pengguna = 'gagal'") == 0


def test_read_then_write_in_the_same_step_is_refused_clearly(db_path, db):
    db.close()
    with writer.reading(db_path), pytest.raises(DatabaseError) as info:
        Database.open(db_path)
    assert "tutup dulu" in str(info.value)
    writer.write(_insert_batch("sesudah"), db_path)  # and the file is usable afterwards


# What the other process (say, ``spm ingest`` in a terminal) writes while it holds the file.
CLI_WRITE = "INSERT INTO audit_log (pengguna, aksi) VALUES ('cli', 'uji-tulis')"


def test_app_writer_waits_its_turn_behind_another_process(db_path, db):
    db.close()
    with holding(db_path, 1.5, CLI_WRITE):
        writer.write(_insert_batch("aplikasi"), db_path, wait_seconds=60)
    with writer.reading(db_path) as view:
        users = view.rows("SELECT pengguna, count(*) FROM audit_log GROUP BY 1 ORDER BY 1")
    assert ("aplikasi", 5) in users and ("cli", 1) in users


def test_app_writer_gives_up_with_a_clear_message(db_path, db):
    db.close()
    with holding(db_path, 3, CLI_WRITE), pytest.raises(DatabaseBusy) as info:
        writer.write(_insert_batch("aplikasi"), db_path, wait_seconds=0.3)
    assert "sedang dipakai oleh proses lain" in str(info.value)


def test_work_with_its_own_transactions_still_holds_the_writer_turn(db_path, db):
    db.close()
    inside = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def own_transactions(view: Database) -> None:
        with view.transaction():
            _insert_batch("pertama")(view)
        inside.set()
        assert release.wait(120)
        with view.transaction():
            _insert_batch("pertama-lagi")(view)
        order.append("pertama selesai")

    def second() -> None:
        writer.write(_insert_batch("kedua"), db_path)
        order.append("kedua selesai")

    first = threading.Thread(
        target=writer.write, args=(own_transactions, db_path), kwargs={"atomic": False}
    )
    first.start()
    assert inside.wait(120)
    other = threading.Thread(target=second)
    other.start()
    # Between the first work's two commits, the second writer waits for its turn.
    other.join(timeout=0.5)
    assert other.is_alive()
    release.set()
    first.join(timeout=120)
    other.join(timeout=120)
    assert order == ["pertama selesai", "kedua selesai"]
    with writer.reading(db_path) as view:
        assert view.scalar("SELECT count(*) FROM audit_log WHERE aksi = 'uji-tulis'") == 15
