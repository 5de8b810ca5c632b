"""The national view's data (page Nasional): the national analytics file built by
``spm nasional``, read-only, through :mod:`pipelines.capaian.nasional`.

Cached by the file's path and modification time, so a rebuilt file is read anew."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.data import CACHE_SECONDS, actor
from pipelines.auth.access import Actor
from pipelines.capaian import nasional
from pipelines.capaian.status_data import VERIFIED
from pipelines.core import reference
from pipelines.ops.nasional import default_path


def berkas() -> Path | None:
    """The national file when it has been built, else None (the page is not offered)."""
    path = default_path()
    return path if path.is_file() else None


def _versi() -> tuple[str, float]:
    path = default_path()
    return str(path), path.stat().st_mtime


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _periode(versi: tuple[str, float], person: Actor) -> pd.DataFrame:
    with nasional.open_nasional(versi[0]) as db:
        return nasional.periode_tersedia(db, actor=person)


def periode() -> pd.DataFrame:
    """Year x triwulan with figures, newest first (tahun, triwulan, jumlah_provinsi)."""
    return _periode(_versi(), actor())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _provinsi(versi: tuple[str, float], person: Actor, tahun: int, triwulan: int) -> pd.DataFrame:
    with nasional.open_nasional(versi[0]) as db:
        ranked = nasional.peringkat_provinsi(db, tahun, triwulan, actor=person)
        wilayah = nasional.capaian(
            db,
            tahun,
            triwulan,
            level="wilayah",
            columns="kode_wilayah, status_submission",
            actor=person,
        )
        sumber = nasional.sumber(db, actor=person)
    kab = wilayah[wilayah["kode_wilayah"].str.contains(".", regex=False)].copy()
    kab["kode_provinsi"] = kab["kode_wilayah"].str.split(".").str[0]
    kab["belum"] = ~kab["status_submission"].isin(VERIFIED)
    belum = kab.groupby("kode_provinsi")["belum"].sum().rename("jumlah_kabkota_belum_diverifikasi")
    out = ranked.merge(belum, left_on="kode_provinsi", right_index=True, how="left")
    out["jumlah_kabkota_belum_diverifikasi"] = (
        out["jumlah_kabkota_belum_diverifikasi"].fillna(0).astype(int)
    )
    return out.merge(
        sumber[["kode_provinsi", "nama_berkas", "diubah_pada"]], on="kode_provinsi", how="left"
    )


def provinsi(tahun: int, triwulan: int) -> pd.DataFrame:
    """Every province of the file in one period, ranked by the mean IP-SPM of its
    kabupaten/kota (``peringkat``), with its own Pemerintah Provinsi IP-SPM, how many of
    its kabupaten/kota rest on data not yet verified, and the file it came from."""
    return _provinsi(_versi(), actor(), tahun, triwulan)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _sumber(versi: tuple[str, float], person: Actor) -> tuple[pd.DataFrame, dict[str, str]]:
    with nasional.open_nasional(versi[0]) as db:
        return nasional.sumber(db, actor=person), nasional.dibangun(db)


def sumber() -> tuple[pd.DataFrame, dict[str, str]]:
    """Where each province's figures come from, and the file's own record."""
    return _sumber(_versi(), actor())


@st.cache_data(show_spinner=False)
def bentuk_provinsi() -> dict[str, dict]:
    """The shapes of the 38 provinces (GeoJSON features by code)."""
    return reference.bentuk_provinsi()
