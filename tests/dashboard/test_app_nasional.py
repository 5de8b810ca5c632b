"""The Nasional page (AppTest) on a national file built from three province
installations (``national_set``): every province listed, the three ranked by the mean
IP-SPM of their kabupaten/kota as the national file holds it, unverified data marked,
uploaders refused; without a national file the page says how to build one."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.auth.access import Actor
from pipelines.capaian import nasional
from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA
from pipelines.core import fmt
from tests.apptest import check_clean, run_app, texts

PIMPINAN = Actor("pimpinan", "pimpinan")


@pytest.fixture
def national_file(national_set, monkeypatch):
    monkeypatch.setenv("SPM_NASIONAL", str(national_set.national))
    return national_set.national


def test_leader_sees_every_province_and_the_three_ranked(national_file, demo_db_path):
    at = run_app(demo_db_path, "nasional.py", actor=PIMPINAN)
    check_clean(at)
    with nasional.open_nasional(national_file) as db:
        periode = nasional.periode_tersedia(db)
        tahun, triwulan = int(periode["tahun"][0]), int(periode["triwulan"][0])
        expected = nasional.peringkat_provinsi(db, tahun, triwulan)
    table = at.dataframe[0].value
    assert len(table) == 38  # every province, with or without figures
    ranked = table[table["Peringkat"] != "–"]
    assert list(ranked["Provinsi"]) == list(expected["nama_provinsi"])
    shown = [v.rstrip("*") for v in ranked[RATA_KABKOTA.nama]]
    assert shown == [fmt.angka(v, 2) for v in expected["nilai_rata_rata_kabkota"]]
    assert list(ranked[IP_SPM_PEMPROV.nama]) == [
        fmt.angka(v, 2) for v in expected["nilai_provinsi"]
    ]
    assert set(table.loc[table["Peringkat"] == "–", RATA_KABKOTA.nama]) == {"–"}
    # the demo leaves some kab/kota submissions unverified: marked and counted
    marked = [v.endswith("*") for v in ranked[RATA_KABKOTA.nama]]
    belum = [int(v) > 0 for v in ranked["Kab/kota belum diverifikasi"]]
    assert marked == belum and any(belum)
    assert f"{sum(belum)} dari 3 provinsi memuat data" in texts(at)
    # the map of the provinces and the bars of the three ranked
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    assert charts[0].proto.spec.count('"Feature"') == 38  # every province has a shape


def test_without_a_national_file_the_page_is_not_offered(demo_db_path, monkeypatch):
    monkeypatch.setenv("SPM_NASIONAL", str(demo_db_path.parent / "tidak-ada.duckdb"))
    at = run_app(demo_db_path, "nasional.py", actor=PIMPINAN)
    check_clean(at)
    assert "38 provinsi" not in texts(at)
    assert texts(at).startswith("Ringkasan Capaian SPM")  # the leader's home page instead


@pytest.mark.parametrize("role", ["pengunggah_kabkota", "pengunggah_opd"])
def test_uploaders_are_not_offered_the_page(national_file, demo_db_path, role):
    who = Actor("u", role, kode_wilayah="19.01" if role == "pengunggah_kabkota" else None)
    at = run_app(demo_db_path, "nasional.py", actor=who)
    assert "38 provinsi" not in texts(at)
    assert "Sumber data setiap provinsi" not in texts(at)


def test_the_source_of_each_province_is_listed(national_file, demo_db_path):
    at = run_app(demo_db_path, "nasional.py", actor=PIMPINAN)
    sources = at.dataframe[1].value
    assert list(sources["Berkas"]) == ["p19.duckdb", "p31.duckdb", "p65.duckdb"]
    assert pd.Series(sources["Data demo"]).isin(["Ya", "Tidak"]).all()
