"""Figures for the home page (Beranda): what is in the database at a glance."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.capaian import labels
from pipelines.core import reference, settings
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
    ip_spm_terakhir: pd.DataFrame  # kode_wilayah, nama_wilayah, tahun, triwulan, nilai,
    # kategori, status_submission
    demo: bool

    @property
    def kosong(self) -> bool:
        return self.pengiriman_per_tahun.empty


def overview(db: Database, actor: Actor | None = None) -> Overview:
    """What the database holds; with ``actor``, only what that person may see."""
    prov = settings.served_province(db)
    in_province, params = reference.dalam_provinsi(prov)
    per_year = db.df(
        "SELECT tahun, form, kode_wilayah, kode_opd, count(*) AS jumlah FROM submission "
        f"WHERE {in_province} GROUP BY ALL ORDER BY tahun, form",
        params,
    )
    if actor is not None:
        per_year = access.restrict(per_year, actor)
    per_year = per_year.groupby(["tahun", "form"], as_index=False)["jumlah"].sum()
    latest = db.df(
        f"""
        WITH last AS (
            SELECT kode_wilayah, max(tahun * 10 + triwulan) AS periode
            FROM m_capaian_wilayah WHERE {in_province}
            GROUP BY kode_wilayah
        )
        SELECT v.kode_wilayah, v.nama_wilayah, v.tahun, v.triwulan, v.nilai, v.kategori,
               v.status_submission
        FROM m_capaian_wilayah v JOIN last l
          ON l.kode_wilayah = v.kode_wilayah AND l.periode = v.tahun * 10 + v.triwulan
        ORDER BY v.kode_wilayah
        """,
        params,
    )
    if actor is not None:
        latest = access.restrict(latest, actor).reset_index(drop=True)
    # The province's own row is its own services' figure, named as such everywhere.
    own = latest["kode_wilayah"] == prov
    latest.loc[own, "nama_wilayah"] = labels.nama_pemprov(reference.nama_wilayah(db, prov))
    return Overview(
        provinsi_kode=prov,
        provinsi_nama=reference.nama_wilayah(db, prov),
        jumlah_kabkota=len(reference.kabkota(db, prov)),
        jumlah_layanan=len(reference.layanan(db)),
        jumlah_ikk=db.scalar("SELECT count(*) FROM ikk"),
        ikk_sampel=bool(db.scalar("SELECT bool_or(sampel) FROM ikk")),
        pengiriman_per_tahun=per_year,
        ip_spm_terakhir=latest,
        demo=db.meta("demo") == "true",
    )
