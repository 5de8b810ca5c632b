"""Properties of the SPM computation that must hold for any input (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from pipelines.capaian import materi
from pipelines.core import reference, settings
from pipelines.db.store import Database
from tests.capaian_helpers import kirim, layanan

pytestmark = pytest.mark.slow

KAB_SERVICES = [
    "PEND-K-01",
    "PEND-K-02",
    "KES-K-01",
    "KES-K-02",
    "KES-K-03",
    "PU-K-01",
    "SOS-K-01",
    "SOS-K-02",
]
PROPERTY = hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

count = st.integers(min_value=0, max_value=5_000_000)
pair = st.tuples(st.integers(0, 100_000), st.integers(0, 150_000))
service = st.tuples(count, count, pair, pair)


@pytest.fixture(scope="module")
def pdb():
    # In memory: the same DuckDB engine and views, without a disk flush per example.
    database = Database.open(":memory:")
    reference.init_reference(database, by="test")
    yield database
    database.close()


def _fresh(db: Database) -> None:
    with db.transaction():
        db.execute("DELETE FROM spm_data")
        db.execute("DELETE FROM submission")
        materi.ubah_semua(db)


def _send(db: Database, kode_wilayah: str, services: list[tuple]) -> None:
    rows = [
        layanan(code, s, t, bj=bj, sdm=sdm)
        for code, (s, t, bj, sdm) in zip(KAB_SERVICES, services, strict=False)
    ]
    kirim(db, kode_wilayah, 2025, 3, rows)


def _figures(db: Database, kode_wilayah: str) -> tuple[list[dict], list[dict], list[dict]]:
    args = [kode_wilayah]
    return (
        db.dicts("SELECT * FROM v_spm_layanan WHERE kode_wilayah = ? ORDER BY kode_layanan", args),
        db.dicts("SELECT * FROM v_spm_urusan WHERE kode_wilayah = ? ORDER BY urusan", args),
        db.dicts("SELECT * FROM v_spm_wilayah WHERE kode_wilayah = ?", args),
    )


@PROPERTY
@given(services=st.lists(service, min_size=1, max_size=len(KAB_SERVICES)))
def test_nilai_and_capaian_stay_within_0_and_100(pdb, services):
    _fresh(pdb)
    _send(pdb, "19.01", services)
    layanan_rows, urusan_rows, wilayah_rows = _figures(pdb, "19.01")
    for r in layanan_rows:
        if r["jumlah_sasaran"] == 0:
            assert r["nilai"] is None and r["kategori"] == "Tidak ada sasaran"
            continue
        assert 0 <= r["capaian_penerima"] <= 100
        assert r["capaian_mutu"] is None or 0 <= r["capaian_mutu"] <= 100
        assert 0 <= r["nilai"] <= 100
    for r in urusan_rows + wilayah_rows:
        assert r["nilai"] is None or 0 <= r["nilai"] <= 100 + 1e-9


@PROPERTY
@given(
    services=st.lists(service, min_size=1, max_size=len(KAB_SERVICES)),
    which=st.integers(0, len(KAB_SERVICES) - 1),
    more=st.integers(1, 1_000_000),
)
def test_raising_terlayani_never_lowers_capaian(pdb, services, which, more):
    _fresh(pdb)
    which %= len(services)
    raised = list(services)
    s, t, bj, sdm = raised[which]
    raised[which] = (s, t + more, bj, sdm)
    _send(pdb, "19.01", services)
    _send(pdb, "19.02", raised)
    before, after = _figures(pdb, "19.01"), _figures(pdb, "19.02")
    for level_before, level_after in zip(before, after, strict=True):
        assert len(level_before) == len(level_after)
        for b, a in zip(level_before, level_after, strict=True):
            for column in ("capaian_penerima", "nilai"):
                if column in b and b[column] is not None:
                    assert a[column] >= b[column] - 1e-9, (column, b, a)


def _band_of(bands: list[dict], nilai: float) -> str:
    x = round(nilai, 6)
    return max((b for b in bands if b["min"] <= x), key=lambda b: b["min"])["nama"]


@PROPERTY
@given(
    mins=st.sets(st.floats(0.5, 100, allow_nan=False).map(lambda v: round(v, 2)), max_size=6),
    services=st.lists(service, min_size=1, max_size=len(KAB_SERVICES)),
)
def test_category_always_matches_the_bands_in_force(pdb, mins, services):
    _fresh(pdb)
    bands = [{"nama": f"Kelas {i}", "min": m} for i, m in enumerate(sorted(mins | {0.0}))]
    settings.save(pdb, {"kategori": bands}, by="properti")
    _send(pdb, "19.01", services)
    for rows in _figures(pdb, "19.01"):
        for r in rows:
            if r["nilai"] is None or (isinstance(r["nilai"], float) and math.isnan(r["nilai"])):
                continue
            assert r["kategori"] == _band_of(bands, r["nilai"]), r
    agg = pdb.dicts(
        "SELECT nilai_rata_rata_kabkota AS n, kategori_rata_rata_kabkota AS k "
        "FROM v_capaian_provinsi WHERE kode_provinsi = '19'"
    )
    for r in agg:
        if r["n"] is not None:
            assert r["k"] == _band_of(bands, r["n"])
