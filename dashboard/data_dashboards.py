"""Cached data for the dashboard pages (Ringkasan, Capaian, Peta, LPPD, Kelengkapan).

The capaian views are read once per database, person and cache period for the whole
served province (:func:`pipelines.dashboards.spm_wilayah` and friends, each on a
short-lived read-only connection); the per-page figures are selections of those frames
made by the pure functions of :mod:`pipelines.dashboards`, so changing a filter costs
no query. Rows are limited to what the logged-in person may see (``access.scope``, as
in ``dashboard/data_capaian.py``): the actor is an argument of every cached function,
so one person's rows are never served to another. The database path is part of every
cache key, so tests and several databases never mix.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.data import CACHE_SECONDS, read, session_actor
from pipelines.auth.access import Actor
from pipelines.capaian import completeness
from pipelines.capaian import dashboards as q

LAYOUT_DIR = Path(__file__).resolve().parents[1] / "data" / "peta"


def _cached(func):
    return st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)(func)


@_cached
def _pilihan(path: str, actor: Actor) -> q.Pilihan:
    del path
    return read(lambda db: q.pilihan(db, actor))


def pilihan(path: str) -> q.Pilihan:
    """Periods, regions (those the person may see), urusan and category bands."""
    return _pilihan(path, session_actor())


# The whole-province frames every page selects from, by name.
_FRAMES = {
    "wilayah": q.spm_wilayah,
    "urusan": q.spm_urusan,
    "layanan": q.spm_layanan,
    "provinsi": q.provinsi,
    "lppd_ikk": q.lppd_ikk_semua,
    "lppd_kelengkapan": q.lppd_kelengkapan_semua,
}


@_cached
def _frame_cached(path: str, name: str, actor: Actor) -> pd.DataFrame:
    del path
    return read(lambda db: _FRAMES[name](db, actor))


def _frame(path: str, name: str) -> pd.DataFrame:
    """One of ``_FRAMES``, limited to what the logged-in person may see."""
    return _frame_cached(path, name, session_actor())


def _wilayah(path: str) -> pd.DataFrame:
    return _frame(path, "wilayah")


def _urusan(path: str) -> pd.DataFrame:
    return _frame(path, "urusan")


def _layanan(path: str) -> pd.DataFrame:
    return _frame(path, "layanan")


def _provinsi(path: str) -> pd.DataFrame:
    return _frame(path, "provinsi")


def _lppd_ikk(path: str) -> pd.DataFrame:
    return _frame(path, "lppd_ikk")


def _lppd_kelengkapan(path: str) -> pd.DataFrame:
    return _frame(path, "lppd_kelengkapan")


def ip_spm_provinsi(path: str, tahun: int, triwulan: int) -> q.IpSpmProvinsi:
    return q.ip_spm_provinsi(_provinsi(path), tahun, triwulan)


def peringkat_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    return q.peringkat_wilayah(pilihan(path), _wilayah(path), tahun, triwulan)


def ip_spm_semua_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    """Every region of the province, the province's own services included."""
    return q.peringkat_wilayah(pilihan(path), _wilayah(path), tahun, triwulan, kabkota_saja=False)


def urusan_per_wilayah(path: str, tahun: int, triwulan: int) -> pd.DataFrame:
    return q.urusan_per_wilayah(_urusan(path), tahun, triwulan)


def tren_tahunan(path: str, triwulan: int) -> pd.DataFrame:
    return q.tren_tahunan(pilihan(path), _wilayah(path), _provinsi(path), triwulan)


def layanan_tertinggal(path: str, tahun: int, triwulan: int, n: int = 5) -> pd.DataFrame:
    return q.layanan_tertinggal(_layanan(path), tahun, triwulan, n)


def capaian_layanan(
    path: str, tahun: int, triwulan: int, kode_wilayah: str, urusan: str | None
) -> pd.DataFrame:
    return q.capaian_layanan(_layanan(path), tahun, triwulan, kode_wilayah, urusan)


@_cached
def _proyeksi(path: str, tahun: int, triwulan: int, kode_wilayah: str, actor: Actor):
    del path
    return read(lambda db: q.proyeksi_layanan(db, tahun, triwulan, kode_wilayah, actor))


def progres_triwulan(
    path: str, tahun: int, kode_wilayah: str, kode_layanan: str | None
) -> pd.DataFrame:
    layanan = _layanan(path)
    reported = layanan[(layanan["kode_wilayah"] == kode_wilayah) & (layanan["tahun"] == tahun)]
    proyeksi = None
    if not reported.empty and int(reported["triwulan"].max()) < 4:
        last = int(reported["triwulan"].max())
        proyeksi = _proyeksi(path, tahun, last, kode_wilayah, session_actor())
    return q.progres_triwulan(layanan, proyeksi, tahun, kode_wilayah, kode_layanan)


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


def lppd_urusan(path: str, tahun: int) -> pd.DataFrame:
    return q.lppd_urusan(_lppd_ikk(path), tahun)


def lppd_kelengkapan(path: str, tahun: int) -> pd.DataFrame:
    return q.lppd_kelengkapan(_lppd_kelengkapan(path), tahun)


@_cached
def lppd_daftar_ikk(path: str) -> pd.DataFrame:
    del path
    return read(q.lppd_daftar_ikk)


def lppd_banding(path: str, tahun: int, kode_ikk: str) -> pd.DataFrame:
    return q.lppd_banding(_lppd_ikk(path), tahun, kode_ikk)


def lppd_tren(path: str) -> pd.DataFrame:
    return q.lppd_tren(_lppd_ikk(path))


# --- Kelengkapan (pipelines.completeness) ---------------------------------------------


@_cached
def _kelengkapan_ringkas(path, tahun, triwulan, form, per, actor: Actor) -> pd.DataFrame:
    del path
    return read(
        lambda db: completeness.ringkasan_kelengkapan(db, tahun, triwulan, form, per, actor=actor)
    )


def kelengkapan_ringkas(
    path: str, tahun: int, triwulan: int | None, form: str | None = None, per: str = "form"
) -> pd.DataFrame:
    """Expected, received, on time, late, missing (completeness.ringkasan_kelengkapan)."""
    return _kelengkapan_ringkas(path, tahun, triwulan, form, per, session_actor())


@_cached
def _kelengkapan_rinci(path, tahun, triwulan, form, actor: Actor) -> pd.DataFrame:
    del path
    return read(lambda db: completeness.kelengkapan(db, tahun, triwulan, form, actor=actor))


def kelengkapan_rinci(
    path: str, tahun: int, triwulan: int | None, form: str | None = None
) -> pd.DataFrame:
    """One row per expected report with its status (completeness.kelengkapan)."""
    return _kelengkapan_rinci(path, tahun, triwulan, form, session_actor())


def kelengkapan_per_unit(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return q.kelengkapan_per_unit(frame, label)


def tabel_kelengkapan(rinci: pd.DataFrame) -> pd.DataFrame:
    return q.tabel_kelengkapan(rinci)
