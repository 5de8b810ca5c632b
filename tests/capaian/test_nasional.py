"""The national reader (``pipelines/capaian/nasional.py``) on a national file built from
three province installations (fixture ``national_set``): each province's figures read
nationally are the ones its own installation gives through ``query``."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.auth.access import Actor
from pipelines.capaian import nasional, query
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, NotInitialised, SpmError


@pytest.fixture
def national(national_set):
    with nasional.open_nasional(national_set.national) as db:
        yield db


def _province(national_set, kode: str) -> Database:
    return Database.open(national_set.folder / f"p{kode}.duckdb", read_only=True)


@pytest.mark.parametrize("level", query.LEVELS)
def test_a_provinces_figures_read_nationally_are_its_own(national, national_set, level):
    for kode in national_set.provinces:
        read = nasional.capaian(national, 2025, 2, level=level, provinsi=kode)
        with _province(national_set, kode) as db:
            own = query.capaian(db, 2025, 2, level=level, provinsi=kode)
        assert len(read) > 0
        pd.testing.assert_frame_equal(read, own, check_exact=True)


def test_province_aggregates_projection_and_lppd_read_alike(national, national_set):
    kode = "31"
    with _province(national_set, kode) as db:
        own = {
            "agregat": query.agregat_provinsi(db, 2025, 3, kode),
            "urusan": query.agregat_provinsi(db, 2025, 3, kode, per_urusan=True),
            "proyeksi": query.proyeksi(db, 2025, 2, level="urusan", provinsi=kode),
            "lppd": query.lppd_capaian(db, 2024, provinsi=kode),
            "kelengkapan": query.lppd_kelengkapan(db, 2024, provinsi=kode),
        }
    read = {
        "agregat": nasional.agregat_provinsi(national, 2025, 3, kode),
        "urusan": nasional.agregat_provinsi(national, 2025, 3, kode, per_urusan=True),
        "proyeksi": nasional.proyeksi(national, 2025, 2, level="urusan", provinsi=kode),
        "lppd": nasional.lppd_capaian(national, 2024, provinsi=kode),
        "kelengkapan": nasional.lppd_kelengkapan(national, 2024, provinsi=kode),
    }
    for name, frame in own.items():
        assert len(frame) > 0, name
        pd.testing.assert_frame_equal(read[name], frame, check_exact=True, obj=name)


def test_every_province_at_once_and_their_ranking(national, national_set):
    every = nasional.agregat_provinsi(national, 2025, 2)
    assert every["kode_provinsi"].tolist() == list(national_set.provinces)
    ranked = nasional.peringkat_provinsi(national, 2025, 2)
    assert ranked["peringkat"].tolist() == [1, 2, 3]
    assert ranked["nilai_rata_rata_kabkota"].is_monotonic_decreasing
    assert set(ranked["kode_provinsi"]) == set(national_set.provinces)
    assert {"status_kabkota", "status_provinsi", "versi_setting"} <= set(ranked.columns)


def test_periods_sources_and_how_the_file_was_built(national, national_set):
    periods = nasional.periode_tersedia(national)
    assert periods[["tahun", "triwulan"]].iloc[0].tolist() == [2025, 4]
    assert len(periods) == 8 and (periods["jumlah_provinsi"] == 3).all()
    assert periods["jumlah_kabkota"].max() == 18
    sumber = nasional.sumber(national)
    assert sumber["nama_provinsi"].tolist()[0] == "Kepulauan Bangka Belitung"
    built = nasional.dibangun(national)
    assert built["jenis"] == "nasional" and "0001_foundation" in built["migrasi"]


def test_national_figures_are_for_those_who_see_a_whole_province(national):
    for role in ("admin", "analis", "pimpinan"):
        assert len(nasional.capaian(national, 2025, 2, level="wilayah", actor=Actor(role, role)))
    uploader = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
    with pytest.raises(AccessDenied, match="pimpinan, analis dan administrator"):
        nasional.agregat_provinsi(national, 2025, 2, actor=uploader)


def test_only_a_national_file_opens(national_set, tmp_path):
    with pytest.raises(NotInitialised, match="spm nasional --from FOLDER"):
        nasional.open_nasional(tmp_path / "tidak-ada.duckdb")
    with pytest.raises(SpmError, match="bukan berkas data nasional"):
        nasional.open_nasional(national_set.combined)
    with (
        pytest.raises(SpmError, match="Triwulan 5 tidak ada"),
        nasional.open_nasional(national_set.national) as db,
    ):
        nasional.capaian(db, 2025, 5)
