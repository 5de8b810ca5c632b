"""Figures for the home page (Beranda): what is in the database at a glance."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.core import settings
from pipelines.db.store import Database


@dataclass
class Overview:
    provinsi_kode: str
    provinsi_nama: str
    jumlah_kabkota: int
    jumlah_layanan: int
    jumlah_ikk: int
    ikk_sampel: bool
    pengiriman_per_tahun: pd.DataFrame  # tahun, form, jumlah
    ip_spm_terakhir: pd.DataFrame  # kode_wilayah, nama_wilayah, tahun, triwulan, nilai, kategori
    demo: bool

    @property
    def kosong(self) -> bool:
        return self.pengiriman_per_tahun.empty


def overview(db: Database, actor: Actor | None = None) -> Overview:
    """What the database holds; with ``actor``, only what that person may see."""
    prov = settings.served_province(db)
    name = db.scalar("SELECT nama FROM wilayah WHERE kode = ?", [prov]) or prov
    per_year = db.df(
        "SELECT s.tahun, s.form, s.kode_wilayah, s.kode_opd, count(*) AS jumlah "
        "FROM submission s JOIN wilayah w ON w.kode = s.kode_wilayah WHERE w.kode_provinsi = ? "
        "GROUP BY ALL ORDER BY s.tahun, s.form",
        [prov],
    )
    if actor is not None:
        per_year = access.restrict(per_year, actor)
    per_year = per_year.groupby(["tahun", "form"], as_index=False)["jumlah"].sum()
    latest = db.df(
        """
        WITH last AS (
            SELECT kode_wilayah, max(tahun * 10 + triwulan) AS periode
            FROM v_spm_wilayah v JOIN wilayah w ON w.kode = v.kode_wilayah
            WHERE w.kode_provinsi = ?
            GROUP BY kode_wilayah
        )
        SELECT v.kode_wilayah, v.nama_wilayah, v.tahun, v.triwulan, v.nilai, v.kategori
        FROM v_spm_wilayah v JOIN last l
          ON l.kode_wilayah = v.kode_wilayah AND l.periode = v.tahun * 10 + v.triwulan
        ORDER BY v.kode_wilayah
        """,
        [prov],
    )
    if actor is not None:
        latest = access.restrict(latest, actor).reset_index(drop=True)
    return Overview(
        provinsi_kode=prov,
        provinsi_nama=name,
        jumlah_kabkota=db.scalar(
            "SELECT count(*) FROM wilayah WHERE kode_provinsi = ? AND tingkat = 'kabupaten/kota'",
            [prov],
        ),
        jumlah_layanan=db.scalar("SELECT count(*) FROM layanan"),
        jumlah_ikk=db.scalar("SELECT count(*) FROM ikk"),
        ikk_sampel=bool(db.scalar("SELECT bool_or(sampel) FROM ikk")),
        pengiriman_per_tahun=per_year,
        ip_spm_terakhir=latest,
        demo=db.meta("demo") == "true",
    )
