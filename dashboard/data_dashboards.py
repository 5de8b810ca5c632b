"""Cached data for the dashboard pages (Ringkasan, Capaian, Peta, LPPD, Kelengkapan).

The views are read once per database and cache period for the whole served province
(:func:`pipelines.dashboards.spm_wilayah` and friends, each on a short-lived read-only
connection); the per-page figures are selections of those frames made by the pure
functions of :mod:`pipelines.dashboards`, so changing a filter costs no query. The
database path is part of every cache key, so tests and several databases never mix.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.data import CACHE_SECONDS, read
from pipelines import dashboards as q
from pipelines import settings

LAYOUT_DIR = Path(__file__).resolve().parents[1] / "data" / "peta"


def _cached(func):
    return st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)(func)


@_cached
def pilihan(path: str) -> q.Pilihan:
    del path
    return read(q.pilihan)


@_cached
def _wilayah(path: str) -> pd.DataFrame:
    del path
    return read(q.spm_wilayah)


@_cached
def _urusan(path: str) -> pd.DataFrame:
    del path
    return read(q.spm_urusan)


@_cached
def _layanan(path: str) -> pd.DataFrame:
    del path
    return read(q.spm_layanan)


@_cached
def _biaya_satuan(path: str) -> dict:
    del path
    return read(lambda db: settings.current(db).get("biaya_satuan") or {})


def ip_spm_provinsi(path: str, tahun: int, triwulan: int) -> q.IpSpmProvinsi:
    return q.ip_spm_provinsi(pilihan(path), _wilayah(path), tahun, triwulan)


def peringkat_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    return q.peringkat_wilayah(pilihan(path), _wilayah(path), tahun, triwulan)


def ip_spm_semua_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    """Every region of the province, the province's own services included."""
    return q.peringkat_wilayah(pilihan(path), _wilayah(path), tahun, triwulan, kabkota_saja=False)


def urusan_per_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    return q.urusan_per_wilayah(_urusan(path), tahun, triwulan)


def tren_tahunan(path: str, triwulan: int) -> pd.DataFrame:
    return q.tren_tahunan(pilihan(path), _wilayah(path), triwulan)


def layanan_tertinggal(path: str, tahun: int, triwulan: int, n: int = 5) -> pd.DataFrame:
    return q.layanan_tertinggal(
        pilihan(path), _layanan(path), _biaya_satuan(path), tahun, triwulan, n
    )


def capaian_layanan(
    path: str, tahun: int, triwulan: int, kode_wilayah: str, urusan: str | None
) -> pd.DataFrame:
    return q.capaian_layanan(_layanan(path), tahun, triwulan, kode_wilayah, urusan)


def progres_triwulan(
    path: str, tahun: int, kode_wilayah: str, kode_layanan: str | None
) -> pd.DataFrame:
    return q.progres_triwulan(_layanan(path), tahun, kode_wilayah, kode_layanan)


@_cached
def penjelasan(
    path: str, kode_wilayah: str, tahun: int, triwulan: int, kode_layanan: str
) -> q.Penjelasan | None:
    del path
    return read(lambda db: q.penjelasan(db, kode_wilayah, tahun, triwulan, kode_layanan))


@st.cache_resource
def layouts() -> dict[str, pd.DataFrame]:
    """Hand-made tile layouts shipped in data/peta/tile_grid_<province>.csv."""
    out = {}
    for file in sorted(LAYOUT_DIR.glob("tile_grid_*.csv")):
        out[file.stem.removeprefix("tile_grid_")] = pd.read_csv(file, dtype={"kode": str})
    return out


def peta(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    return q.peta(pilihan(path), _wilayah(path), layouts(), tahun, triwulan)


def punya_tata_letak(provinsi: str) -> bool:
    return provinsi in layouts()


@_cached
def lppd_urusan(path: str, tahun: int) -> pd.DataFrame:
    del path
    return read(lambda db: q.lppd_urusan(db, tahun))


@_cached
def lppd_kelengkapan(path: str, tahun: int) -> pd.DataFrame:
    del path
    return read(lambda db: q.lppd_kelengkapan(db, tahun))


@_cached
def lppd_daftar_ikk(path: str) -> pd.DataFrame:
    del path
    return read(q.lppd_daftar_ikk)


@_cached
def lppd_ikk(path: str, tahun: int, kode_ikk: str) -> pd.DataFrame:
    del path
    return read(lambda db: q.lppd_ikk(db, tahun, kode_ikk))


@_cached
def lppd_tren(path: str) -> pd.DataFrame:
    del path
    return read(q.lppd_tren)


@_cached
def kelengkapan_periode(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    del path
    return read(lambda db: q.kelengkapan_periode(db, tahun, triwulan))
