"""`spm template` and `spm ingest` as a user runs them, plus a SIGKILL mid-commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook

from pipelines.cli.root import cli
from pipelines.core import reference
from pipelines.db.store import Database
from tests.ingest_helpers import TABLES, fill, spm_values

ROOT = Path(__file__).resolve().parents[2]
CODES = ["PEND-K-01", "KES-K-01", "KES-K-02"]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def prepared_db(tmp_path) -> Path:
    path = tmp_path / "spm.duckdb"
    with Database.open(path) as db:
        reference.init_reference(db, by="test")
    return path


def filled_template(db_path: Path, tmp_path: Path, region="19.01", tw=2, name="isi.xlsx") -> Path:
    out = tmp_path / f"t_{region}_{tw}.xlsx"
    result = invoke(
        "template", "--db", db_path, "--form", "spm-kabkota", "--region", region,
        "--year", 2025, "--triwulan", tw, "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Templat ditulis: {out}" in result.output
    return fill(out, tmp_path / name, spm_values(CODES))


def snapshot(db_path: Path) -> dict:
    with Database.open(db_path, read_only=True) as db:
        return {t: db.df(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def assert_same(a: dict, b: dict) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_template_and_ingest(tmp_path):
    db_path = prepared_db(tmp_path)
    good = filled_template(db_path, tmp_path)
    result = invoke("ingest", "--db", db_path, good)
    assert result.exit_code == 0, result.output
    assert "DITERIMA sebagai pengiriman #1" in result.output
    assert "Selesai: 1 dari 1 berkas diterima, 0 ditolak." in result.output
    again = invoke("ingest", "--db", db_path, good)
    assert again.exit_code == 0, again.output
    assert "tidak ada perubahan" in again.output


def test_template_for_provincial_opd_and_lppd(tmp_path):
    db_path = prepared_db(tmp_path)
    out = tmp_path / "p.xlsx"
    result = invoke(
        "template", "--db", db_path, "--form", "spm-provinsi", "--region", "19",
        "--year", 2025, "--triwulan", 1, "--opd", "dinsos", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["Data"]
    codes = [r[3] for r in ws.iter_rows(min_row=6, values_only=True)]
    assert codes == ["SOS-P-01", "SOS-P-02", "SOS-P-03", "SOS-P-04", "SOS-P-05"]
    lppd = tmp_path / "l.xlsx"
    result = invoke(
        "template", "--db", db_path, "--form", "lppd-ikk", "--region", "19.03",
        "--year", 2024, "--out", lppd,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_template_user_error_is_one_sentence(tmp_path):
    db_path = prepared_db(tmp_path)
    result = invoke(
        "template", "--db", db_path, "--form", "spm-kabkota", "--region", "19",
        "--year", 2025, "--triwulan", 1, "--out", tmp_path / "x.xlsx",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.startswith("Galat: ") and "Traceback" not in result.output


def test_batch_with_a_bad_file_exits_1_and_writes_an_error_report(tmp_path):
    db_path = prepared_db(tmp_path)
    folder = tmp_path / "masuk"
    folder.mkdir()
    filled_template(db_path, folder, region="19.01", name="a_1901.xlsx")
    filled_template(db_path, folder, region="19.02", name="b_1902.xlsx")
    (folder / "c_rusak.xlsx").write_bytes(b"bukan excel" * 50)
    for t in folder.glob("t_*.xlsx"):
        t.unlink()
    reports = tmp_path / "laporan"
    result = invoke("ingest", "--db", db_path, folder, "--error-reports", reports)
    assert result.exit_code == 1, result.output
    assert "[1/3] a_1901.xlsx: DITERIMA" in result.output
    assert "[3/3] c_rusak.xlsx: DITOLAK" in result.output
    assert "Selesai: 2 dari 3 berkas diterima, 1 ditolak." in result.output
    assert (reports / "c_rusak_laporan_galat.xlsx").exists()
    with Database.open(db_path, read_only=True) as db:
        assert db.scalar("SELECT count(*) FROM submission") == 2


def test_dry_run_saves_nothing(tmp_path):
    db_path = prepared_db(tmp_path)
    good = filled_template(db_path, tmp_path)
    before = snapshot(db_path)
    result = invoke("ingest", "--db", db_path, "--dry-run", good)
    assert result.exit_code == 0, result.output
    assert "belum disimpan" in result.output and "uji coba" in result.output
    assert_same(before, snapshot(db_path))


def test_usage_error_exits_2(tmp_path):
    db_path = prepared_db(tmp_path)
    assert invoke("ingest", "--db", db_path, tmp_path / "tidak_ada.xlsx").exit_code == 2
    assert invoke("ingest", "--db", db_path).exit_code == 2


def test_ingest_as_an_uploader_of_another_region_is_refused(tmp_path):
    db_path = prepared_db(tmp_path)
    with Database.open(db_path) as db:
        db.execute(
            "INSERT INTO pengguna (username, peran, kode_wilayah) "
            "VALUES ('kab1902', 'pengunggah_kabkota', '19.02')"
        )
    good = filled_template(db_path, tmp_path)
    result = invoke("--as", "kab1902", "ingest", "--db", db_path, good)
    assert result.exit_code == 1
    assert "hanya dapat mengunggah data wilayah 19.02" in result.output
    with Database.open(db_path, read_only=True) as db:
        assert db.scalar("SELECT count(*) FROM spm_data") == 0


PAUSED_INGEST = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipelines.ingest.commit import ingest_file
    from pipelines.auth.access import local_admin
    from pipelines.db.store import Database

    class PausedInCommit(Database):
        # Stop after the last write of the commit, before COMMIT, and wait to be killed.
        def insert_df(self, table, frame):
            count = super().insert_df(table, frame)
            if table == "audit_log" and self._in_transaction:
                Path(sys.argv[3]).write_text("di tengah commit")
                time.sleep(600)
            return count

    db = PausedInCommit.open(sys.argv[1])
    ingest_file(db, sys.argv[2], local_admin("kill-test"))
    """
)


def test_sigkill_in_the_middle_of_a_commit_leaves_the_database_as_before(tmp_path):
    db_path = prepared_db(tmp_path)
    first = filled_template(db_path, tmp_path, name="pertama.xlsx")
    assert invoke("ingest", "--db", db_path, first).exit_code == 0
    values = spm_values(CODES, sasaran=5000, terlayani=4000)
    second = fill(tmp_path / "t_19.01_2.xlsx", tmp_path / "kedua.xlsx", values)
    before = snapshot(db_path)

    marker = tmp_path / "marker"
    script = tmp_path / "paused.py"
    script.write_text(PAUSED_INGEST)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db_path), str(second), str(marker)], env=env, cwd=ROOT
    )
    try:
        for _ in range(1200):
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the ingest process never reached the commit"
        # The uncommitted rows are there, inside the killed process's transaction.
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert_same(before, snapshot(db_path))
    # And the database still works: the same file goes in cleanly afterwards.
    result = invoke("ingest", "--db", db_path, second)
    assert result.exit_code == 0, result.output
    assert "3 berubah" in result.output
