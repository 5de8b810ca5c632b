"""Reports for the Laporan page (``pipelines.laporan``): choices, preview, versions and
files, their PDFs (LibreOffice); building, finalising and exporting through the app's
single writer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.data import actor, cached, read, write
from dashboard.data import capaian as data_capaian
from pipelines.auth.access import Actor
from pipelines.capaian.status_data import StatusData, uraian_kiriman
from pipelines.db.store import Database
from pipelines.laporan import data as laporan_data
from pipelines.laporan import pdf, records
from pipelines.laporan.bundle import export_bundle


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
    label_versi_data: str  # 'Data per 20 Januari 2026 09.37, 11 berkas'
    versi_setting: int | None
    status: StatusData
    belum_diverifikasi: list[str]  # '#46 SPM Kabupaten Bangka Selatan (diajukan)'


def can_write() -> bool:
    """Whether the logged-in person may build, finalise and export (admin, analis)."""
    return actor().is_privileged


def pilihan() -> Pilihan:
    """Years with SPM data in the served province, newest first, and its regions."""
    pil = data_capaian.pilihan()
    wilayah = pd.DataFrame(
        {
            "kode": pil.wilayah["kode"],
            "label": [
                f"Provinsi {n}" if t == "provinsi" else n
                for n, t in zip(pil.wilayah["nama"], pil.wilayah["tingkat"], strict=True)
            ],
        }
    )
    return Pilihan(pil.tahun, wilayah)


@cached
def pratinjau(tahun: int, triwulan: int | None, region: str) -> Pratinjau:
    def run(db: Database) -> Pratinjau:
        d = laporan_data.collect(db, tahun, triwulan, region, preview=True)
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
            label_versi_data=d.label_versi_data,
            versi_setting=d.versi_setting,
            status=d.status,
            belum_diverifikasi=[uraian_kiriman(r) for r in d.belum_diverifikasi.itertuples()],
        )

    return read(run)


@cached
def belum_diverifikasi(laporan_id: int) -> list[str]:
    """The submissions behind a draft's figures that are not yet verified, as now."""
    return read(lambda db: records.belum_diverifikasi(db, laporan_id))


@cached
def daftar(tahun: int, *, actor: Actor) -> pd.DataFrame:
    return read(lambda db: records.list_reports(db, tahun, actor=actor))


@cached
def berkas(laporan_id: int) -> list[records.Berkas]:
    return read(lambda db: records.files(db, laporan_id))


def _writer() -> Actor:
    """The logged-in person, refused early unless they may build reports (admin, analis);
    report writes are the library's own commits, one per step."""
    who = actor()
    records.check_can_write(who)
    return who


def buat(tahun: int, triwulan: int | None, region: str, progress) -> records.Hasil:
    who = _writer()
    return write(
        lambda db: records.generate(db, tahun, triwulan, region, by=who.username, progress=progress)
    )


def finalkan(laporan_id: int, paksa: bool = False) -> dict:
    """Finalise; ``paksa`` even while data behind it is not yet verified (recorded)."""
    who = _writer()

    def run(db: Database) -> dict:
        record = records.finalise(db, laporan_id, by=who.username, paksa=paksa)
        records.sync_sop(db, record["tahun"], who)
        return record

    return write(run)


def ekspor(laporan_id: int) -> tuple[str, bytes]:
    who = _writer()

    def run(db: Database) -> tuple[str, bytes]:
        result = export_bundle(db, laporan_id, by=who.username)
        records.sync_sop(db, records.get(db, laporan_id)["tahun"], who)
        return result

    return write(run)


# -- PDFs (LibreOffice) ---------------------------------------------------------------------
PDF_TIDAK_TERSEDIA = pdf.PASANG


def pdf_tersedia() -> bool:
    """Whether LibreOffice is installed here (else the page says how to get PDFs)."""
    return pdf.available()


def pdf_sumber(stored: list[records.Berkas]) -> list[records.Berkas]:
    """The stored files that get a PDF (the narrative, the provincial workbook)."""
    return pdf.wanted(stored)


@st.cache_data(max_entries=20, show_spinner="Menyusun PDF dengan LibreOffice…")
def _pdf(name: str, digest: str, _content: bytes, stamp: dt.datetime) -> bytes:
    return pdf.convert(name, _content, stamp)


def pdf_dari(berkas_laporan: records.Berkas, record: dict) -> bytes:
    """The PDF of one stored file, made once per file content (keyed by its SHA-256)."""
    stamp = record.get("difinalkan_pada") or record["dibuat_pada"]
    if pd.isna(stamp):
        stamp = record["dibuat_pada"]
    return _pdf(berkas_laporan.nama_berkas, berkas_laporan.sha256, berkas_laporan.isi, stamp)
