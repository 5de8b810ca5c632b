"""Files committed together (one transaction, one refresh of the figures) land exactly as
they would one by one; a file refused only at the commit is refused alone."""

from __future__ import annotations

import shutil

import pandas as pd

from pipelines.auth.access import Actor
from pipelines.capaian import materi
from pipelines.db.store import Database
from pipelines.ingest import commit, validate
from pipelines.ingest.commit import ingest_file
from tests.ingest_helpers import ADMIN, ON_TIME, fill, kab_codes, make_template, spm_values

REGIONS = ["19.01", "19.02", "19.03"]


def _uploader(region: str) -> Actor:
    return Actor(f"kab-{region}", "pengunggah_kabkota", kode_wilayah=region)


def _files(db: Database, tmp_path, tag: str, sasaran: int) -> list:
    codes = kab_codes(db)
    return [
        fill(
            make_template(db, tmp_path / f"t-{region}.xlsx", region=region),
            tmp_path / f"{tag}-{region}.xlsx",
            spm_values(codes, sasaran=sasaran + i, terlayani=sasaran // 2),
        )
        for i, region in enumerate(REGIONS)
    ]


def _checked(db: Database, paths, actors):
    bounds = validate.limits(db)
    return [
        (validate.check_read(db, validate.read_file(p, bounds), a, today=ON_TIME), a)
        for p, a in zip(paths, actors, strict=True)
    ]


# What a commit writes, without the moments it was written at.
_STATE = {
    "submission": "SELECT * EXCLUDE (diunggah_pada) FROM submission",
    "spm_data": "SELECT * FROM spm_data",
    "perubahan_nilai": "SELECT * FROM perubahan_nilai",
    "validasi_peringatan": "SELECT * FROM validasi_peringatan",
    "audit_log": "SELECT * EXCLUDE (id, waktu) FROM audit_log WHERE aksi = 'unggah'",
    "m_capaian_wilayah": "SELECT * FROM m_capaian_wilayah",
    "m_capaian_provinsi": "SELECT * FROM m_capaian_provinsi",
}


def _state(db: Database) -> dict[str, pd.DataFrame]:
    return {
        name: db.df(sql + " ORDER BY ALL").reset_index(drop=True) for name, sql in _STATE.items()
    }


def test_a_group_lands_as_its_files_would_one_by_one(db, tmp_path):
    first = _files(db, tmp_path, "a", 1000)
    for path, region in zip(first, REGIONS, strict=True):
        assert ingest_file(db, path, _uploader(region), today=ON_TIME).committed
    db.close()
    together_path = tmp_path / "bersama.duckdb"
    shutil.copy(tmp_path / "spm.duckdb", together_path)

    with Database.open(tmp_path / "spm.duckdb") as alone:
        second = _files(alone, tmp_path, "b", 2000)
        actors = [_uploader(r) for r in REGIONS]
        one_by_one = [
            commit.commit_or_refuse(alone, p, a, today=ON_TIME)
            for p, a in _checked(alone, second, actors)
        ]
        expected = _state(alone)
    with Database.open(together_path) as together:
        group = _checked(together, second, actors)
        results = commit.commit_group(together, group, today=ON_TIME)
        got = _state(together)
        assert not any(materi.selisih(together).values())  # figures equal their views

    assert [r.committed for r in results] == [True, True, True]
    assert [(r.submission_id, r.counts, r.late) for r in results] == [
        (r.submission_id, r.counts, r.late) for r in one_by_one
    ]
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)
    # each file is its uploader's, in the submission and in the audit trail
    assert set(got["submission"]["diunggah_oleh"]) == {f"kab-{r}" for r in REGIONS}
    assert set(got["audit_log"]["pengguna"]) == {f"kab-{r}" for r in REGIONS}


def test_a_file_locked_after_its_check_is_refused_alone(db, tmp_path):
    first = _files(db, tmp_path, "a", 1000)
    stored = ingest_file(db, first[1], ADMIN, today=ON_TIME)
    group = _checked(db, _files(db, tmp_path, "b", 2000), [ADMIN] * 3)
    assert all(p.result.accepted for p, _ in group)
    # Between the check and the commit the Biro finalises 19.02's stored period.
    db.execute("UPDATE submission SET status = 'final' WHERE id = ?", [stored.submission_id])
    materi.ubah_submission(db, stored.submission_id)  # as the review step would

    results = commit.commit_group(db, group, today=ON_TIME)

    assert [r.committed for r in results] == [True, False, True]
    assert any("sudah final" in p.message for p in results[1].errors)
    assert sorted(r[0] for r in db.rows("SELECT DISTINCT kode_wilayah FROM spm_data")) == REGIONS
    assert (
        db.scalar(
            "SELECT count(*) FROM spm_data WHERE kode_wilayah = '19.02' AND submission_id <> ?",
            [stored.submission_id],
        )
        == 0
    )
    assert not any(materi.selisih(db).values())


def test_two_files_for_one_period_land_in_their_order(db, tmp_path):
    template = make_template(db, tmp_path / "t.xlsx")
    codes = kab_codes(db)
    earlier = fill(template, tmp_path / "a.xlsx", spm_values(codes, sasaran=1000))
    later = fill(template, tmp_path / "b.xlsx", spm_values(codes, sasaran=3000))
    other = _files(db, tmp_path, "c", 500)[1]
    group = _checked(db, [earlier, other, later], [ADMIN] * 3)

    results = commit.commit_group(db, group, today=ON_TIME)

    assert [r.committed for r in results] == [True, True, True]
    assert results[2].counts["berubah"] == len(codes)  # against the earlier file
    assert results[2].submission_id > results[0].submission_id
    assert (
        db.scalar("SELECT min(jumlah_sasaran) FROM spm_data WHERE kode_wilayah = '19.01'") == 3000
    )
    assert not any(materi.selisih(db).values())
