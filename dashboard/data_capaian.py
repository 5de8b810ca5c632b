"""Cached access to the computed SPM and LPPD figures (``pipelines.capaian``) for pages.

Every function takes the database path first (part of the cache key) and returns
what ``pipelines.capaian`` returns; pages never query the database themselves.
Rows are limited to what the logged-in person may see (``access.scope``): an
uploader gets only its own region's (or its OPD's provincial services') figures.
The actor is passed to the cached functions, so it is part of the cache key.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data import CACHE_SECONDS, read, session_actor
from pipelines.auth.access import Actor
from pipelines.capaian import query as capaian_mod
from pipelines.capaian.explain import Explanation, explain


def capaian(
    path: str,
    tahun: int | None,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    level: str = "layanan",
    provinsi: str | None = None,
) -> pd.DataFrame:
    return _scoped(path, "capaian", tahun, triwulan, kode_wilayah, level, provinsi=provinsi)


def agregat_provinsi(
    path: str, tahun: int | None, triwulan: int | None = None, per_urusan: bool = False
) -> pd.DataFrame:
    return _scoped(path, "agregat_provinsi", tahun, triwulan, per_urusan=per_urusan)


def kebutuhan(
    path: str,
    tahun: int,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    provinsi: str | None = None,
    terbesar: int | None = None,
) -> pd.DataFrame:
    return _scoped(
        path, "kebutuhan", tahun, triwulan, kode_wilayah, provinsi=provinsi, terbesar=terbesar
    )


def proyeksi(
    path: str,
    tahun: int,
    triwulan: int,
    kode_wilayah: str | None = None,
    level: str = "wilayah",
    provinsi: str | None = None,
) -> pd.DataFrame:
    return _scoped(path, "proyeksi", tahun, triwulan, kode_wilayah, level, provinsi=provinsi)


def lppd_capaian(
    path: str, tahun: int | None = None, kode_wilayah: str | None = None, provinsi=None
) -> pd.DataFrame:
    return _scoped(path, "lppd_capaian", tahun, kode_wilayah, provinsi=provinsi)


def lppd_kelengkapan(
    path: str, tahun: int | None = None, kode_wilayah: str | None = None, provinsi=None
) -> pd.DataFrame:
    return _scoped(path, "lppd_kelengkapan", tahun, kode_wilayah, provinsi=provinsi)


def periode_tersedia(path: str) -> pd.DataFrame:
    return _periode_tersedia(path, session_actor())


def explanation(
    path: str, kode_wilayah: str, tahun: int, triwulan: int, kode_layanan: str
) -> Explanation:
    return _explanation(path, kode_wilayah, tahun, triwulan, kode_layanan, session_actor())


# -- cached, scoped ---------------------------------------------------------------------


def _scoped(path: str, name: str, *args, **kwargs) -> pd.DataFrame:
    """``pipelines.capaian.<name>(db, *args, **kwargs)``, cached, limited to what the
    logged-in person may see."""
    return _scoped_cached(path, name, args, tuple(sorted(kwargs.items())), session_actor())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _scoped_cached(path: str, name: str, args: tuple, kwargs: tuple, actor: Actor) -> pd.DataFrame:
    del path
    func = getattr(capaian_mod, name)
    return read(lambda db: func(db, *args, actor=actor, **dict(kwargs)))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _periode_tersedia(path: str, actor: Actor) -> pd.DataFrame:
    del path
    return read(lambda db: capaian_mod.periode_tersedia(db, actor=actor))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _explanation(
    path: str, kode_wilayah: str, tahun: int, triwulan: int, kode_layanan: str, actor: Actor
) -> Explanation:
    del path
    return read(lambda db: explain(db, kode_wilayah, tahun, triwulan, kode_layanan, actor=actor))
