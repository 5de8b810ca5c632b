"""The figures' tables (pipelines/capaian/materi.py) always hold what the views compute:
random sequences of uploads, returns, verifications, finalisations, reopenings,
withdrawals and setting changes through the product's own functions, every table
compared with its view after each step."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pipelines import review
from pipelines.capaian import materi, query
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ingest import withdraw
from pipelines.ingest.commit import commit_rows
from pipelines.ingest.result import SubmissionMeta
from tests.ingest_helpers import ADMIN

pytestmark = pytest.mark.slow

SERVICES = {
    "19": ("spm-provinsi", ["PEND-P-01", "KES-P-01", "SOS-P-01"]),
    "19.01": ("spm-kabkota", ["PEND-K-01", "KES-K-01", "KES-K-02", "SOS-K-01"]),
    "19.02": ("spm-kabkota", ["PEND-K-01", "KES-K-01", "PU-K-01"]),
}
TODAY = dt.date(2026, 11, 30)

count = st.integers(0, 5_000)
kirim = st.tuples(
    st.just("kirim"),
    st.sampled_from(sorted(SERVICES)),
    st.sampled_from([2024, 2025]),
    st.integers(1, 4),
    st.lists(st.tuples(count, count, count, count), min_size=1, max_size=4),
)
langkah = st.tuples(
    st.sampled_from(["kembalikan", "verifikasi", "finalkan", "buka", "tarik"]),
    st.integers(0, 50),
)
setelan = st.tuples(
    st.just("setelan"),
    st.sampled_from(
        [
            {"bobot_penerima": 0.7, "bobot_mutu": 0.3},
            {"bobot_penerima": 0.8, "bobot_mutu": 0.2},
            {"metode_mutu": "per_item"},
            {"metode_mutu": "per_kelompok"},
            {"tanpa_mutu": "nol"},
            {"tanpa_mutu": "penerima_saja"},
        ]
    ),
)


def _send(db: Database, region: str, tahun: int, triwulan: int, values: list[tuple]) -> None:
    form, codes = SERVICES[region]
    rows = pd.DataFrame(
        [
            {
                "kode_wilayah": region,
                "tahun": tahun,
                "triwulan": triwulan,
                "kode_layanan": code,
                "jumlah_sasaran": sasaran,
                "jumlah_terlayani": terlayani,
                "mutu_barang_jasa_kebutuhan": kebutuhan,
                "mutu_barang_jasa_tersedia": tersedia,
            }
            for code, (sasaran, terlayani, kebutuhan, tersedia) in zip(codes, values, strict=False)
        ]
    )
    meta = SubmissionMeta(form, region, tahun, triwulan, nama_berkas=f"{region}.xlsx")
    commit_rows(db, rows, meta, ADMIN, today=TODAY)


def _step(db: Database, step: tuple) -> None:
    kind = step[0]
    if kind == "kirim":
        _send(db, *step[1:])
        return
    if kind == "setelan":
        settings.save(db, step[1], by="uji")
        return
    ids = [r[0] for r in db.rows("SELECT id FROM submission ORDER BY id")]
    if not ids:
        return
    sid = ids[step[1] % len(ids)]
    try:
        if kind == "kembalikan":
            review.kembalikan(db, ADMIN, sid, "Mohon diperiksa lagi.")
        elif kind == "verifikasi":
            review.verifikasi(db, ADMIN, sid)
        elif kind == "finalkan":
            review.finalkan(db, ADMIN, sid)
        elif kind == "buka":
            review.buka_kembali(db, ADMIN, sid, "Ada angka yang perlu diperbaiki")
        else:
            withdraw.tarik(db, ADMIN, sid, "Berkas salah isi, diunggah keliru oleh operator")
    except SpmError:  # a step the submission's state does not allow: nothing changes
        pass


def _assert_tables_equal_views(db: Database, after: tuple) -> None:
    differ = {table: n for table, n in materi.selisih(db).items() if n}
    assert not differ, f"after {after}: {differ}"


@hsettings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.one_of(kirim, kirim, langkah, langkah, setelan), min_size=2, max_size=5))
def test_every_table_equals_its_view_after_every_step(db, steps):
    for step in steps:
        _step(db, step)
        _assert_tables_equal_views(db, step)


def test_readers_read_the_tables_not_the_views(db):
    _send(db, "19.01", 2025, 2, [(100, 50, 10, 5)])
    before = query.capaian(db, 2025, 2, "19.01", level="wilayah")["nilai"].iloc[0]
    # The tables are what readers see: a change written behind the product's back (no
    # refresh) does not show until the figures are computed again.
    db.execute("UPDATE spm_data SET jumlah_terlayani = 100 WHERE kode_wilayah = '19.01'")
    assert query.capaian(db, 2025, 2, "19.01", level="wilayah")["nilai"].iloc[0] == before
    assert materi.selisih(db)["m_capaian_wilayah"] > 0
    materi.hitung_ulang(db)
    assert materi.selisih(db) == dict.fromkeys(materi.selisih(db), 0)
    after = query.capaian(db, 2025, 2, "19.01", level="wilayah")["nilai"].iloc[0]
    assert after > before


def test_a_failed_commit_leaves_the_tables_as_they_were(db):
    _send(db, "19.01", 2025, 2, [(100, 50, 10, 5)])
    before = db.df("SELECT * FROM m_capaian_layanan ORDER BY ALL")
    with pytest.raises(RuntimeError), db.transaction():
        _send(db, "19.01", 2025, 2, [(100, 90, 10, 10)])
        raise RuntimeError("the commit fails after its figures were refreshed")
    pd.testing.assert_frame_equal(db.df("SELECT * FROM m_capaian_layanan ORDER BY ALL"), before)


def test_opening_rebuilds_tables_made_under_other_definitions(db_path, db):
    _send(db, "19.01", 2025, 2, [(100, 50, 10, 5)])
    db.execute("DELETE FROM m_capaian_wilayah")
    db.set_meta("figures_basis", "definisi lama")
    db.close()
    with Database.open(db_path) as again:
        assert materi.selisih(again)["m_capaian_wilayah"] == 0
        assert again.scalar("SELECT count(*) FROM m_capaian_wilayah") > 0


def test_a_file_without_the_tables_says_how_to_get_them(db_path, db):
    _send(db, "19.01", 2025, 2, [(100, 50, 10, 5)])
    db.execute("DROP TABLE m_capaian_wilayah")  # a file last opened by an older version
    db.close()
    with (
        Database.open(db_path, read_only=True) as reader,
        pytest.raises(SpmError, match="spm recompute"),
    ):
        query.capaian(reader, 2025, 2, "19.01", level="wilayah")
    with Database.open(db_path) as writer:  # opening for writing builds them
        assert query.capaian(writer, 2025, 2, "19.01", level="wilayah")["nilai"].notna().all()
