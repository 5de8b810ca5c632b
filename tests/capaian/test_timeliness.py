"""Timeliness is judged against the original deadline: an admin's exception allows a
late upload and is shown beside it ("terlambat, dengan perpanjangan s.d. ..."), never
hides it; completeness counts on time, late with an exception and late apart."""

from __future__ import annotations

import datetime as dt

from pipelines import review
from pipelines.auth import deadlines
from pipelines.auth.access import Actor
from pipelines.capaian import completeness
from pipelines.db.store import Database
from pipelines.ingest import commit
from pipelines.ingest.result import SubmissionMeta
from pipelines.ingest.validate import prepare
from tests.apptest import check_clean, run_app, texts
from tests.ingest_helpers import fill, make_template

ADMIN = Actor("admin", "admin")
ANALIS = Actor("analis", "analis")
KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
UPLOADED = dt.datetime(2026, 2, 3, 10, 15)  # 2025 TW4 closed on 20 January 2026
EXTENDED = dt.date(2026, 2, 15)
LABEL = "terlambat, dengan perpanjangan s.d. 15 Februari 2026"


def _late_upload_with_exception(db: Database, tmp_path) -> int:
    deadlines.beri_pengecualian(
        db,
        ADMIN,
        form="spm-kabkota",
        kode_wilayah="19.01",
        tahun=2025,
        triwulan=4,
        batas_baru=EXTENDED,
        alasan="Banjir merusak server dinas kesehatan",
    )
    template = make_template(db, tmp_path / "t.xlsx", region="19.01", year=2025, tw=4)
    path = fill(
        template,
        tmp_path / "isi.xlsx",
        {"KES-K-01": {"jumlah_sasaran": 900, "jumlah_terlayani": 850, "permasalahan": "x"}},
    )
    prepared = prepare(db, path, KAB, today=UPLOADED.date())
    assert prepared.result.accepted, [p.text() for p in prepared.result.problems]
    assert prepared.result.late  # allowed by the exception, late all the same
    meta = SubmissionMeta("spm-kabkota", "19.01", 2025, 4, diunggah_pada=UPLOADED)
    outcome = commit.commit_rows(db, prepared.rows, meta, KAB, today=UPLOADED.date())
    assert outcome.late
    return outcome.submission_id


def test_exception_allows_the_upload_and_never_hides_lateness(demo_db, tmp_path):
    sid = _late_upload_with_exception(demo_db, tmp_path)
    assert demo_db.scalar("SELECT terlambat FROM submission WHERE id = ?", [sid]) is True
    rows = completeness.kelengkapan(
        demo_db, 2025, 4, "spm-kabkota", today=dt.date(2026, 3, 1)
    ).set_index("kode_wilayah")
    assert rows.loc["19.01", "status_kirim"] == "terlambat, dengan perpanjangan"
    assert rows.loc["19.01", "keterangan_kirim"] == LABEL
    assert rows.loc["19.01", "batas_resmi"] == dt.date(2026, 1, 20)
    summary = completeness.ringkasan_kelengkapan(
        demo_db, 2025, 4, "spm-kabkota", per="form", today=dt.date(2026, 3, 1)
    ).iloc[0]
    assert summary.terlambat_perpanjangan == 1
    assert (
        summary.diterima == summary.tepat_waktu + summary.terlambat_perpanjangan + summary.terlambat
    )
    assert summary.tepat_waktu == (rows["status_kirim"] == "tepat waktu").sum()
    queue = review.antrean(demo_db, ANALIS).set_index("submission_id")
    assert queue.loc[sid, "waktu_kirim"] == LABEL
    assert review.keterangan_waktu(review.get(demo_db, sid)) == LABEL


def test_kelengkapan_and_review_pages_show_late_with_exception(demo_db_path, tmp_path):
    with Database.open(demo_db_path) as db:
        _late_upload_with_exception(db, tmp_path)
    at = run_app(demo_db_path, "kelengkapan.py")
    check_clean(at)
    at.selectbox(key="_w_tahun").set_value(2025).run()
    at.selectbox(key="_w_triwulan_kelengkapan").set_value(4).run()
    assert "1 terlambat dengan perpanjangan" in texts(at)
    detail = at.dataframe[0].value
    assert LABEL in set(detail["Status"])
    # The deadline beside it is the original one, which the lateness is judged against;
    # a region is named once, an OPD by its own name.
    row = detail.set_index("Pelapor").loc["Kabupaten Bangka"]
    assert (row["Batas waktu"], row["Status"]) == ("20 Januari 2026", LABEL)
    assert "Dinas Kesehatan" in set(detail["Pelapor"])
    at = run_app(demo_db_path, "pemeriksaan.py", actor=ANALIS)
    assert not at.exception, at.exception
    queues = [d.value for d in at.dataframe if "Waktu kirim" in d.value.columns]
    assert LABEL in set(queues[0]["Waktu kirim"])


def test_a_report_not_yet_sent_says_until_when_its_exception_runs(demo_db):
    # In the demo Kabupaten Bangka Tengah has not sent 2025 TW4.
    deadlines.beri_pengecualian(
        demo_db,
        ADMIN,
        form="spm-kabkota",
        kode_wilayah="19.04",
        tahun=2025,
        triwulan=4,
        batas_baru=EXTENDED,
        alasan="Kepala dinas baru dilantik, data sedang direkap",
    )
    rows = completeness.kelengkapan(
        demo_db, 2025, 4, "spm-kabkota", today=dt.date(2026, 2, 1)
    ).set_index("kode_wilayah")
    assert rows.loc["19.04", "status_kirim"] == "belum dikirim"
    assert rows.loc["19.04", "keterangan_kirim"] == (
        "belum dikirim (perpanjangan s.d. 15 Februari 2026)"
    )
    assert not rows.loc["19.04", "lewat_batas"]
