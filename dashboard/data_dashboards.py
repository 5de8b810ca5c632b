"""Cached data for the dashboard pages (Ringkasan, Capaian, Peta, LPPD, Kelengkapan).

Thin ``st.cache_data`` wrappers around :mod:`pipelines.dashboards`; each opens the
database read-only for the one call (``dashboard.data.read``) and closes it. The
database path is part of every cache key, so tests and several databases never mix.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.data import CACHE_SECONDS, read
from pipelines import dashboards as q

LAYOUT_DIR = Path(__file__).resolve().parents[1] / "data" / "peta"


def _cached(func):
    return st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)(func)


@_cached
def pilihan(path: str) -> q.Pilihan:
    del path
    return read(q.pilihan)


@_cached
def ip_spm_provinsi(path: str, tahun: int, triwulan: int) -> q.IpSpmProvinsi:
    del path
    return read(lambda db: q.ip_spm_provinsi(db, tahun, triwulan))


@_cached
def peringkat_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    del path
    return read(lambda db: q.peringkat_wilayah(db, tahun, triwulan))


@_cached
def urusan_per_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    del path
    return read(lambda db: q.urusan_per_wilayah(db, tahun, triwulan))


@_cached
def tren_tahunan(path: str, triwulan: int) -> pd.DataFrame:
    del path
    return read(lambda db: q.tren_tahunan(db, triwulan))


@_cached
def layanan_tertinggal(path: str, tahun: int, triwulan: int, n: int = 5) -> pd.DataFrame:
    del path
    return read(lambda db: q.layanan_tertinggal(db, tahun, triwulan, n))


@_cached
def ip_spm_semua_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    del path
    return read(lambda db: q.ip_spm_semua_wilayah(db, tahun, triwulan))


@_cached
def capaian_layanan(
    path: str, tahun: int, triwulan: int, kode_wilayah: str, urusan: str | None
) -> pd.DataFrame:
    del path
    return read(lambda db: q.capaian_layanan(db, tahun, triwulan, kode_wilayah, urusan))


@_cached
def progres_triwulan(
    path: str, tahun: int, kode_wilayah: str, kode_layanan: str | None
) -> pd.DataFrame:
    del path
    return read(lambda db: q.progres_triwulan(db, tahun, kode_wilayah, kode_layanan))


@_cached
def penjelasan(
    path: str, kode_wilayah: str, tahun: int, triwulan: int, kode_layanan: str
) -> q.Penjelasan | None:
    del path
    return read(lambda db: q.penjelasan(db, kode_wilayah, tahun, triwulan, kode_layanan))


def _layouts() -> dict[str, pd.DataFrame]:
    """Hand-made tile layouts shipped in data/peta/tile_grid_<province>.csv."""
    out = {}
    for file in sorted(LAYOUT_DIR.glob("tile_grid_*.csv")):
        out[file.stem.removeprefix("tile_grid_")] = pd.read_csv(file, dtype={"kode": str})
    return out


@_cached
def peta(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    """Tiles (kode, nama, kolom, baris) with the IP-SPM and category of each region."""
    del path
    layouts = _layouts()

    def build(db):
        tiles = q.tata_letak_peta(db, layouts)
        nilai = q.peringkat_wilayah(db, tahun, triwulan)
        return tiles.merge(
            nilai[["kode_wilayah", "nilai", "kategori", "selisih_tahun_lalu"]],
            left_on="kode",
            right_on="kode_wilayah",
            how="left",
        ).drop(columns="kode_wilayah")

    return read(build)


def punya_tata_letak(provinsi: str) -> bool:
    return (LAYOUT_DIR / f"tile_grid_{provinsi}.csv").exists()


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
