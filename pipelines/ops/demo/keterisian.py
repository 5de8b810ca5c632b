"""The demo's half-filled form: many regions fill only the index (domain.md), so one
kabupaten sends its latest triwulan with sasaran and terlayani but without anggaran and
tahapan, and its keterisian formulir shows it beside its capaian."""

from __future__ import annotations

import pandas as pd

# (tahun, triwulan, kode_wilayah): the period sent half-filled.
SETENGAH_TERISI = (2025, 4, "19.03")
KOSONG = [
    "anggaran_rencana",
    "anggaran_realisasi",
    "tahap_pengumpulan_data",
    "tahap_penghitungan_kebutuhan",
    "tahap_penyusunan_rencana",
    "tahap_pelaksanaan",
]


def kosongkan(spm: pd.DataFrame) -> pd.DataFrame:
    """``spm`` with the cells of :data:`KOSONG` left empty for :data:`SETENGAH_TERISI`."""
    tahun, triwulan, wilayah = SETENGAH_TERISI
    spm = spm.copy()
    hit = (spm["tahun"] == tahun) & (spm["triwulan"] == triwulan) & (spm["kode_wilayah"] == wilayah)
    for column in KOSONG:
        spm[column] = spm[column].astype(object)
        spm.loc[hit, column] = None
    return spm
