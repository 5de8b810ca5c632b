"""Cached access to the computed SPM and LPPD figures (``pipelines.capaian``) for pages.

Every function takes the database path first (part of the cache key) and returns
what ``pipelines.capaian`` returns; pages never query the database themselves.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data import CACHE_SECONDS, read
from pipelines import capaian as capaian_mod


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def capaian(
    path: str,
    tahun: int | None,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    level: str = "layanan",
    provinsi: str | None = None,
) -> pd.DataFrame:
    del path
    return read(
        lambda db: capaian_mod.capaian(db, tahun, triwulan, kode_wilayah, level, provinsi=provinsi)
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def agregat_provinsi(
    path: str, tahun: int | None, triwulan: int | None = None, per_urusan: bool = False
) -> pd.DataFrame:
    del path
    return read(lambda db: capaian_mod.agregat_provinsi(db, tahun, triwulan, per_urusan=per_urusan))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def kebutuhan(
    path: str,
    tahun: int,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    provinsi: str | None = None,
    terbesar: int | None = None,
) -> pd.DataFrame:
    del path
    return read(
        lambda db: capaian_mod.kebutuhan(
            db, tahun, triwulan, kode_wilayah, provinsi=provinsi, terbesar=terbesar
        )
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def proyeksi(
    path: str,
    tahun: int,
    triwulan: int,
    kode_wilayah: str | None = None,
    level: str = "wilayah",
    provinsi: str | None = None,
) -> pd.DataFrame:
    del path
    return read(
        lambda db: capaian_mod.proyeksi(db, tahun, triwulan, kode_wilayah, level, provinsi=provinsi)
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def lppd_capaian(
    path: str, tahun: int | None = None, kode_wilayah: str | None = None, provinsi=None
) -> pd.DataFrame:
    del path
    return read(lambda db: capaian_mod.lppd_capaian(db, tahun, kode_wilayah, provinsi=provinsi))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def lppd_kelengkapan(
    path: str, tahun: int | None = None, kode_wilayah: str | None = None, provinsi=None
) -> pd.DataFrame:
    del path
    return read(lambda db: capaian_mod.lppd_kelengkapan(db, tahun, kode_wilayah, provinsi=provinsi))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def periode_tersedia(path: str) -> pd.DataFrame:
    del path
    return read(capaian_mod.periode_tersedia)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def explanation(
    path: str, kode_wilayah: str, tahun: int, triwulan: int, kode_layanan: str
) -> capaian_mod.Explanation:
    del path
    return read(lambda db: capaian_mod.explain(db, kode_wilayah, tahun, triwulan, kode_layanan))
