"""Data access for the report page: cached reads, short-lived writes (no queries in pages)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.data import CACHE_SECONDS, read
from pipelines.auth.access import Actor
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.errors import AccessDenied
from pipelines.laporan import bundle
from pipelines.laporan import data as laporan_data
from pipelines.laporan import records as laporan_mod


@dataclass
class Pilihan:
    tahun: list[int]
    wilayah: pd.DataFrame  # kode, label (province first, then its kabupaten/kota)


@dataclass
class Pratinjau:
    periode: str
    triwulan: int
    provinsi: pd.DataFrame  # urusan, nilai, kategori (empty for a kabupaten/kota)
    provinsi_ip: dict | None
    kabkota: pd.DataFrame  # kode, nama, nilai, kategori, peringkat, nilai_lalu, melapor
    agregat: dict | None
    jumlah_kendala: int
    jumlah_ikk: int
    versi_data: str
    versi_setting: int | None


def actor() -> Actor:
    """The logged-in person (the app's login puts it in the session)."""
    who = st.session_state.get("actor")
    if who is None:
        raise AccessDenied("Silakan masuk terlebih dahulu.")
    return who


def can_write() -> bool:
    who = st.session_state.get("actor")
    return who is not None and who.is_privileged


def _pilihan(db: Database) -> Pilihan:
    prov = settings.served_province(db)
    years = [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT d.tahun FROM spm_data d JOIN wilayah w ON w.kode = d.kode_wilayah "
            "WHERE w.kode_provinsi = ? ORDER BY d.tahun DESC",
            [prov],
        )
    ]
    wilayah = db.df(
        "SELECT kode, CASE WHEN tingkat = 'provinsi' THEN 'Provinsi ' || nama ELSE nama END "
        "AS label FROM wilayah WHERE kode_provinsi = ? "
        "ORDER BY tingkat DESC, kode",
        [prov],
    )
    return Pilihan(years, wilayah)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def pilihan(path: str) -> Pilihan:
    del path
    return read(_pilihan)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def pratinjau(path: str, tahun: int, triwulan: int | None, region: str) -> Pratinjau:
    del path

    def run(db: Database) -> Pratinjau:
        d = laporan_data.collect(db, tahun, triwulan, region)
        return Pratinjau(
            periode=d.periode,
            triwulan=d.triwulan,
            provinsi=d.provinsi_urusan[["urusan", "nilai", "kategori", "nilai_lalu"]]
            if not d.provinsi_urusan.empty
            else pd.DataFrame(),
            provinsi_ip=d.provinsi_wilayah,
            kabkota=d.kabkota_wilayah,
            agregat=d.agregat_kabkota,
            jumlah_kendala=len(d.kendala),
            jumlah_ikk=len(d.ikk),
            versi_data=d.versi_data,
            versi_setting=d.versi_setting,
        )

    return read(run)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def daftar_laporan(path: str, tahun: int) -> pd.DataFrame:
    del path
    return read(lambda db: laporan_mod.list_reports(db, tahun))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def berkas(path: str, laporan_id: int) -> list[laporan_mod.Berkas]:
    del path
    return read(lambda db: laporan_mod.files(db, laporan_id))


def _write(func):
    """Report writes go through the app's single writer (they manage their own commits)."""
    laporan_mod.check_can_write(actor())
    return data.write(func, atomic=False)


def buat(tahun: int, triwulan: int | None, region: str, progress) -> laporan_mod.Hasil:
    return _write(
        lambda db: laporan_mod.generate(
            db, tahun, triwulan, region, by=actor().username, progress=progress
        )
    )


def finalkan(laporan_id: int) -> dict:
    def run(db: Database) -> dict:
        record = laporan_mod.finalise(db, laporan_id, by=actor().username)
        laporan_mod.sync_sop(db, record["tahun"], actor())
        return record

    return _write(run)


def ekspor(laporan_id: int) -> tuple[str, bytes]:
    def run(db: Database) -> tuple[str, bytes]:
        result = bundle.export_bundle(db, laporan_id, by=actor().username)
        laporan_mod.sync_sop(db, laporan_mod.get(db, laporan_id)["tahun"], actor())
        return result

    return _write(run)
