"""An administrator withdraws a submission accepted by mistake, with a reason."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines import review
from pipelines.auth.access import Actor
from pipelines.cli.root import cli
from pipelines.errors import AccessDenied
from pipelines.ingest import withdraw
from pipelines.ingest.commit import ingest_file
from pipelines.ops import backup
from tests.ingest_helpers import ADMIN

TODAY = dt.date(2026, 11, 30)
REASON = "Berkas salah tahun, diunggah keliru oleh operator"


def spm_csv(path: Path, year: int, quarter: int, rows: dict[str, tuple[int, int]]) -> Path:
    lines = ["kode_wilayah,tahun,triwulan,kode_layanan,jumlah_sasaran,jumlah_terlayani"]
    lines += [f"19.01,{year},{quarter},{code},{s},{t}" for code, (s, t) in rows.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def data(db) -> list[tuple]:
    return db.rows(
        "SELECT tahun, triwulan, kode_layanan, jumlah_sasaran, jumlah_terlayani, submission_id "
        "FROM spm_data ORDER BY ALL"
    )


def test_withdrawing_the_2099_file_takes_it_out_of_every_figure(db, tmp_path):
    good = ingest_file(db, spm_csv(tmp_path / "a.csv", 2026, 3, {"PEND-K-01": (100, 90)}), ADMIN)
    # Accepted before periods that had not started were refused.
    bad = ingest_file(
        db,
        spm_csv(tmp_path / "b.csv", 2099, 1, {"PEND-K-01": (100, 95)}),
        ADMIN,
        today=dt.date(2099, 2, 1),
    )
    assert bad.accepted and db.scalar("SELECT max(tahun) FROM v_spm_wilayah") == 2099

    done = withdraw.tarik(db, ADMIN, bad.submission_id, REASON)

    assert (done.dihapus, done.dipulihkan) == (1, 0)
    assert db.scalar("SELECT max(tahun) FROM v_spm_wilayah") == 2026
    assert data(db) == [(2026, 3, "PEND-K-01", 100, 90, good.submission_id)]
    assert db.scalar("SELECT count(*) FROM submission WHERE id = ?", [bad.submission_id]) == 0
    kept = db.dicts("SELECT * FROM submission_ditarik")
    assert len(kept) == 1 and kept[0]["id"] == bad.submission_id
    assert kept[0]["alasan"] == REASON and kept[0]["ditarik_oleh"] == ADMIN.username
    assert kept[0]["tahun"] == 2099 and kept[0]["nama_berkas"] == "b.csv"
    assert "perubahan_nilai" in json.loads(kept[0]["rekaman"])
    log = db.dicts("SELECT * FROM audit_log WHERE aksi = 'tarik_pengiriman'")
    assert len(log) == 1 and log[0]["keterangan"] == REASON
    assert backup.check(db).ok, backup.check(db).problems


def test_withdrawing_a_correction_gives_the_earlier_values_back(db, tmp_path):
    first = ingest_file(
        db,
        spm_csv(tmp_path / "a.csv", 2026, 3, {"PEND-K-01": (100, 90), "KES-K-01": (50, 40)}),
        ADMIN,
        today=TODAY,
    )
    before = data(db)
    second = ingest_file(
        db,
        spm_csv(
            tmp_path / "b.csv",
            2026,
            3,
            {"PEND-K-01": (100, 99), "KES-K-01": (50, 40), "KES-K-02": (70, 60)},
        ),
        ADMIN,
        today=TODAY,
    )
    assert second.counts["baru"] == 1 and second.counts["berubah"] == 1
    review.verifikasi(db, ADMIN, second.submission_id)

    done = withdraw.tarik(db, ADMIN, second.submission_id, REASON)

    assert (done.dihapus, done.dipulihkan) == (1, 2)
    assert data(db) == before
    assert review.get(db, first.submission_id)["terbaru"]
    assert not db.scalar(
        "SELECT count(*) FROM submission_riwayat WHERE submission_id = ?", [second.submission_id]
    )
    assert backup.check(db).ok, backup.check(db).problems


def test_who_and_what_may_be_withdrawn(db, tmp_path):
    rows = {"PEND-K-01": (100, 90)}
    first = ingest_file(db, spm_csv(tmp_path / "a.csv", 2026, 3, rows), ADMIN, today=TODAY)
    rows["PEND-K-01"] = (100, 95)
    second = ingest_file(db, spm_csv(tmp_path / "b.csv", 2026, 3, rows), ADMIN, today=TODAY)
    analis = Actor("analis", "analis")
    with pytest.raises(AccessDenied, match="Hanya administrator"):
        withdraw.tarik(db, analis, second.submission_id, REASON)
    with pytest.raises(review.ReviewError, match="alasan"):
        withdraw.tarik(db, ADMIN, second.submission_id, "salah")
    with pytest.raises(review.ReviewError, match="sudah digantikan"):
        withdraw.tarik(db, ADMIN, first.submission_id, REASON)
    review.verifikasi(db, ADMIN, second.submission_id)
    review.finalkan(db, ADMIN, second.submission_id)
    with pytest.raises(review.Locked, match="buka kembali dulu"):
        withdraw.tarik(db, ADMIN, second.submission_id, REASON)
    assert db.scalar("SELECT count(*) FROM submission_ditarik") == 0


def test_cli_withdraw(db_path, db, tmp_path):
    sub = ingest_file(
        db, spm_csv(tmp_path / "a.csv", 2026, 3, {"PEND-K-01": (100, 90)}), ADMIN, today=TODAY
    )
    db.close()
    runner = CliRunner()
    args = ["review", "withdraw", "--db", str(db_path), str(sub.submission_id)]
    missing = runner.invoke(cli, args)
    assert missing.exit_code == 2
    result = runner.invoke(cli, [*args, "--reason", REASON])
    assert result.exit_code == 0, result.output
    assert f"Pengiriman #{sub.submission_id} ditarik: 1 baris data dihapus" in result.output
    listed = runner.invoke(cli, ["review", "withdrawn", "--db", str(db_path)])
    assert listed.exit_code == 0 and REASON in listed.output
    check = runner.invoke(cli, ["check", "--db", str(db_path)])
    assert check.exit_code == 0, check.output
