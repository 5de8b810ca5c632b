"""A period that has not started yet is refused for everyone; the administrator may
open the next triwulan early; a submission can be withdrawn with a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines.auth.access import Actor
from pipelines.core import settings
from pipelines.ingest.commit import ingest_file
from tests.ingest_helpers import ADMIN

TODAY = dt.date(2026, 11, 30)  # TW4 2026


def spm_csv(path: Path, year: int, quarter: int, region: str = "19.01") -> Path:
    path.write_text(
        "kode_wilayah,tahun,triwulan,kode_layanan,jumlah_sasaran,jumlah_terlayani\n"
        f"{region},{year},{quarter},PEND-K-01,100,90\n"
        f"{region},{year},{quarter},KES-K-01,50,40\n",
        encoding="utf-8",
    )
    return path


def lppd_csv(path: Path, year: int) -> Path:
    path.write_text(
        f"kode_wilayah,tahun,kode_ikk,pembilang,penyebut,capaian\n19.01,{year},"
        + "{ikk},80,100,\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("actor", [ADMIN, Actor("kab", "pengunggah_kabkota", "19.01")])
def test_a_file_for_2099_is_refused_and_writes_nothing(db, tmp_path, actor):
    result = ingest_file(db, spm_csv(tmp_path / "2099.csv", 2099, 1), actor, today=TODAY)
    assert not result.accepted
    assert any("Periode TW1 2099 belum dimulai" in p.message for p in result.errors)
    assert any("sampai periode TW4 2026" in p.message for p in result.errors)
    assert db.scalar("SELECT count(*) FROM submission") == 0
    assert db.scalar("SELECT count(*) FROM spm_data") == 0


def test_the_current_triwulan_is_open_and_the_next_only_when_the_admin_opens_it(db, tmp_path):
    now = ingest_file(db, spm_csv(tmp_path / "tw4.csv", 2026, 4), ADMIN, today=TODAY)
    assert now.accepted, [p.text() for p in now.problems]

    early = spm_csv(tmp_path / "tw1.csv", 2027, 1)
    refused = ingest_file(db, early, ADMIN, today=TODAY)
    assert not refused.accepted
    assert any("belum dimulai" in p.message for p in refused.errors)

    settings.save(db, {"buka_triwulan_berikutnya": True}, by="admin", note="uji")
    assert ingest_file(db, early, ADMIN, today=TODAY).accepted
    later = ingest_file(db, spm_csv(tmp_path / "tw2.csv", 2027, 2), ADMIN, today=TODAY)
    assert not later.accepted


def test_lppd_of_a_year_not_begun_is_refused(db, tmp_path):
    ikk = db.scalar("SELECT kode_ikk FROM ikk ORDER BY urutan LIMIT 1")
    for year, accepted in ((2026, True), (2027, False)):
        path = lppd_csv(tmp_path / f"lppd{year}.csv", year)
        path.write_text(path.read_text().replace("{ikk}", ikk))
        result = ingest_file(db, path, ADMIN, today=TODAY)
        assert result.accepted is accepted, [p.text() for p in result.problems]
