"""Backup -> delete -> restore, refusals that protect data, and `spm check`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.cli.root import cli
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.ops import backup
from pipelines.ops.backup import BackupError


def _store_file(store: Path, content: bytes, suffix: str = ".xlsx") -> str:
    digest = hashlib.sha256(content).hexdigest()
    path = store / digest[:2] / f"{digest}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return digest


def _add_upload(db: Database, store: Path, content: bytes, region: str = "19.01") -> int:
    """A submission whose original file is in the store, as an upload leaves it."""
    digest = _store_file(store, content)
    with db.transaction():
        sub_id = db.scalar(
            "INSERT INTO submission (form, kode_wilayah, tahun, triwulan, nama_berkas, sha256, "
            "diunggah_oleh, diunggah_pada, jumlah_baris) "
            "VALUES ('spm-kabkota', ?, 2026, 1, ?, ?, 'uji', ?, 0) RETURNING id",
            [region, f"spm_{region}.xlsx", digest, dt.datetime(2026, 4, 2, 9, 30)],
        )
    return sub_id


def _snapshot(db: Database) -> dict[str, list]:
    """Every table (exactly) and view, fully, in a stable order.

    Views sum doubles; the sum's last bits depend on row order, which a restore may
    change, so view figures are compared to 9 decimals.
    """
    out = {}
    views = backup.views(db)
    for name in backup.base_tables(db) + views:
        frame = db.df(f'SELECT * FROM "{name}"')
        if name in views:
            floats = frame.select_dtypes("float").columns
            frame[floats] = frame[floats].round(9)
        frame = frame.sort_values(list(frame.columns), ignore_index=True)
        out[name] = frame.astype(str).values.tolist()
    return out


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): backup.sha256_file(p)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def live(demo_db_path: Path) -> tuple[Path, Path]:
    """The Babel demo plus two real uploads' files in the store next to it."""
    store = files.store_root(demo_db_path)
    with Database.open(demo_db_path) as db:
        _add_upload(db, store, b"isi berkas kabupaten satu", "19.01")
        _add_upload(db, store, b"isi berkas kota dua", "19.71")
        _store_file(store / "bukti", b"bukti dukung SOP", ".pdf")
    return demo_db_path, store


def test_backup_delete_restore_gives_identical_results_and_files(live, tmp_path):
    db_path, store = live
    with Database.open(db_path) as db:
        before = _snapshot(db)
        result = backup.backup(db, tmp_path / "cadangan", created_by="uji")
    files_before = _hashes(store)
    assert result.stored_files == 3
    manifest = json.loads((tmp_path / "cadangan" / "manifest.json").read_text())
    assert manifest["created_by"] == "uji"
    assert manifest["tables"]["submission"] == before_count(before, "submission")
    assert manifest["migrations"][0] == "0001_foundation"

    # Disaster: the database and every stored file are gone.
    db_path.unlink()
    shutil.rmtree(store)

    restored = backup.restore(tmp_path / "cadangan", db_path)
    assert restored.stored_files == 3
    with Database.open(db_path, read_only=True) as db:
        assert _snapshot(db) == before
    assert _hashes(store) == files_before

    # Work continues after the restore: new ids follow the old ones.
    with Database.open(db_path) as db:
        old_max = db.scalar("SELECT max(id) FROM submission")
        new_id = _add_upload(db, store, b"unggahan sesudah pemulihan")
        assert new_id > old_max
        assert backup.check(db).ok


def before_count(snapshot: dict[str, list], table: str) -> int:
    return len(snapshot[table])


def _rewrite_manifest(src: Path) -> None:
    """What an attacker who edits a backup does: recompute every hash."""
    path = src / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["files"] = {rel: backup.sha256_file(src / rel) for rel in manifest["files"]}
    path.write_text(json.dumps(manifest))


def test_restore_runs_no_sql_text_from_the_backup(live, tmp_path):
    db_path, _ = live
    with Database.open(db_path) as db:
        before = _snapshot(db)
        backup.backup(db, tmp_path / "cadangan", created_by="uji")
    written = tmp_path / "ditulis-penyerang.csv"
    export = tmp_path / "cadangan" / "database"
    for name in ("schema.sql", "load.sql"):
        with open(export / name, "a", encoding="utf-8") as handle:
            handle.write(f"\nCOPY (SELECT 'rahasia' AS isi) TO '{written}' (HEADER);\n")
            handle.write("CREATE TABLE penyusup (x INTEGER);\n")
    _rewrite_manifest(tmp_path / "cadangan")

    target = tmp_path / "pulih" / "spm.duckdb"
    backup.restore(tmp_path / "cadangan", target)
    assert not written.exists()
    with Database.open(target, read_only=True) as db:
        assert _snapshot(db) == before
        assert "penyusup" not in backup.base_tables(db)


def test_a_backup_with_a_table_the_schema_does_not_have_is_refused(live, tmp_path):
    db_path, _ = live
    with Database.open(db_path) as db:
        db.execute("CREATE TABLE penyusup AS SELECT 1 AS x")
        backup.backup(db, tmp_path / "cadangan", created_by="uji")
    target = tmp_path / "pulih" / "spm.duckdb"
    with pytest.raises(BackupError) as info:
        backup.restore(tmp_path / "cadangan", target)
    assert "tidak dikenal skema program ini: penyusup" in str(info.value)
    assert not target.exists()


def test_a_backup_in_a_folder_named_with_an_apostrophe_restores(live, tmp_path):
    db_path, _ = live
    folder = tmp_path / "Jum'at" / "cadangan Jum'at"
    with Database.open(db_path) as db:
        before = _snapshot(db)
        backup.backup(db, folder, created_by="uji")
    target = tmp_path / "pulih Jum'at" / "spm.duckdb"
    backup.restore(folder, target)
    with Database.open(target) as db:
        assert _snapshot(db) == before
        assert backup.check(db).ok


def test_restore_refuses_a_location_that_is_not_empty(live, tmp_path):
    db_path, store = live
    with Database.open(db_path) as db:
        backup.backup(db, tmp_path / "cadangan", created_by="uji")
    size = db_path.stat().st_size
    with pytest.raises(BackupError) as info:
        backup.restore(tmp_path / "cadangan", db_path)
    assert "sudah ada" in str(info.value) and "lokasi kosong" in str(info.value)
    assert db_path.stat().st_size == size

    other = tmp_path / "lain" / "spm.duckdb"
    (other.parent / "store").mkdir(parents=True)
    (other.parent / "store" / "berkas.txt").write_text("milik orang lain")
    with pytest.raises(BackupError) as info:
        backup.restore(tmp_path / "cadangan", other)
    assert "sudah berisi" in str(info.value)
    assert not other.exists()


def test_restore_verifies_every_hash_first_and_names_the_bad_file(live, tmp_path):
    db_path, _ = live
    with Database.open(db_path) as db:
        backup.backup(db, tmp_path / "cadangan", created_by="uji")
    stored = sorted((tmp_path / "cadangan" / "store").rglob("*.xlsx"))[0]
    stored.write_bytes(stored.read_bytes() + b"!")
    target = tmp_path / "baru" / "spm.duckdb"
    with pytest.raises(BackupError) as info:
        backup.restore(tmp_path / "cadangan", target)
    assert stored.relative_to(tmp_path / "cadangan").as_posix() in str(info.value)
    assert "SHA-256 tidak cocok" in str(info.value)
    assert not target.exists() and not (target.parent / "store").exists()

    (tmp_path / "cadangan" / "database" / "spm_data.parquet").unlink()
    with pytest.raises(BackupError) as info:
        backup.restore(tmp_path / "cadangan", target)
    assert "database/spm_data.parquet: berkas hilang" in str(info.value)


def test_backup_refuses_a_folder_with_something_in_it(live, tmp_path):
    db_path, _ = live
    out = tmp_path / "cadangan"
    out.mkdir()
    (out / "lama.txt").write_text("cadangan lama")
    with Database.open(db_path) as db, pytest.raises(BackupError) as info:
        backup.backup(db, out, created_by="uji")
    assert "tidak kosong" in str(info.value)
    assert sorted(p.name for p in out.iterdir()) == ["lama.txt"]


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(BackupError) as info:
        backup.restore(tmp_path, tmp_path / "x" / "spm.duckdb")
    assert "bukan folder cadangan SPM" in str(info.value)


def test_check_lists_every_problem(live):
    db_path, store = live
    with Database.open(db_path) as db:
        assert backup.check(db).ok
        first = db.scalar("SELECT min(id) FROM submission WHERE sha256 IS NOT NULL")
        digest = db.scalar("SELECT sha256 FROM submission WHERE id = ?", [first])
        # A stored original disappears, another is altered on disk.
        next(store.rglob(f"{digest}*")).unlink()
        other = db.scalar("SELECT max(sha256) FROM submission WHERE id <> ?", [first])
        altered = next(store.rglob(f"{other}*"))
        altered.write_bytes(b"diubah di luar aplikasi")
        # A figure whose submission is gone, and a migration that never ran.
        with db.transaction():
            db.execute(
                "UPDATE spm_data SET submission_id = 999999 WHERE kode_wilayah = '19.01' "
                "AND tahun = 2022 AND triwulan = 1"
            )
            db.execute("DELETE FROM _migrations WHERE name = '0002_access'")
        result = backup.check(db)
    text = "\n".join(result.problems)
    assert f"pengiriman #{first}" in text and "tidak ada atau rusak di penyimpanan" in text
    assert altered.name in text and "rusak" in text
    assert "Tabel spm_data" in text and "#999999 yang tidak ada" in text
    assert "Migrasi belum dijalankan: 0002_access" in text
    # The altered file also leaves its submission without an intact original.
    assert text.count("tidak ada atau rusak di penyimpanan") == 2
    assert len(result.problems) == 5


def test_cli_backup_restore_check(live, tmp_path):
    db_path, store = live
    runner = CliRunner()
    out = tmp_path / "cadangan"
    result = runner.invoke(cli, ["backup", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Cadangan dibuat" in result.output and "3 berkas tersimpan" in result.output

    target = tmp_path / "pulih" / "spm.duckdb"
    result = runner.invoke(cli, ["restore", str(out), "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert "dipulihkan" in result.output

    result = runner.invoke(cli, ["check", "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert "Tidak ada masalah" in result.output

    result = runner.invoke(cli, ["restore", str(out), "--db", str(target)])
    assert result.exit_code == 1
    assert "Galat:" in result.output and "lokasi kosong" in result.output
    assert "Traceback" not in result.output

    for path in (target.parent / "store").rglob("*.xlsx"):
        path.unlink()
    result = runner.invoke(cli, ["check", "--db", str(target)])
    assert result.exit_code == 1
    assert "Ditemukan 2 masalah" in result.output
    assert result.output.count("tidak ada atau rusak di penyimpanan") == 2


def test_only_an_administrator_may_back_up(live, tmp_path):
    db_path, _ = live
    with Database.open(db_path) as db:
        db.execute("INSERT INTO pengguna (username, nama, peran) VALUES ('ana', 'Ana', 'analis')")
    result = CliRunner().invoke(
        cli, ["--as", "ana", "backup", "--db", str(db_path), "--out", str(tmp_path / "c")]
    )
    assert result.exit_code == 1
    assert "Hanya administrator" in result.output
    assert not (tmp_path / "c").exists()


def test_store_folder_is_the_one_uploads_use(db_path, db, monkeypatch):

    assert files.store_root(db_path) == files.store_root(db)
    monkeypatch.setenv("SPM_STORE", str(db_path.parent / "lain"))
    assert files.store_root(db_path) == files.store_root(db) == db_path.parent / "lain"


def test_check_verifies_report_files_kept_in_the_database(demo_db):
    with demo_db.transaction():
        demo_db.execute(
            "INSERT INTO laporan (id, jenis, tahun, triwulan, kode_wilayah, versi, dibuat_oleh, "
            "dibuat_pada, versi_data, isi_sha256) VALUES (1, 'rekap-kabkota', 2025, 1, '19', 1, "
            "'uji', current_timestamp, 'v', 'x')"
        )
        demo_db.execute(
            "INSERT INTO laporan_berkas VALUES (1, 1, 'rekap.csv', 'csv', 'Rekap', ?, 3, ?)",
            [hashlib.sha256(b"abc").hexdigest(), b"abc"],
        )
    assert backup.check(demo_db).ok
    demo_db.execute("UPDATE laporan_berkas SET isi = ? WHERE laporan_id = 1", [b"abd"])
    demo_db.execute(
        "INSERT INTO laporan_berkas SELECT 7, 1, 'x.csv', 'csv', 'X', sha256(''), 0, ''"
    )
    problems = backup.check(demo_db).problems
    assert any("rekap.csv" in p and "rusak" in p for p in problems), problems
    assert any("laporan #7 yang tidak ada" in p for p in problems), problems
