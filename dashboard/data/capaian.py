"""SPM and LPPD figures for the pages (``pipelines.capaian``), limited to what the
logged-in person may see (the library scopes by the actor).

The capaian views are read once per database, person and cache period for the whole
served province (:func:`pipelines.capaian.dashboards.spm_wilayah` and friends); the
per-page figures are selections of those frames made by the pure functions of
:mod:`pipelines.capaian.dashboards`, so changing a filter costs no query. The home
page's overview, the service table of one region and period, and one figure explained
come from :mod:`pipelines.capaian.overview` and :mod:`pipelines.capaian.query`.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data import cached, read
from pipelines.auth.access import Actor
from pipelines.capaian import dashboards as q
from pipelines.capaian import overview as overview_mod
from pipelines.capaian import query, status_data
from pipelines.capaian.explain import Explanation, explain
from pipelines.core import reference


@cached
def overview(actor: Actor) -> overview_mod.Overview:
    """The home page's figures."""
    return read(lambda db: overview_mod.overview(db, actor))


@cached
def pilihan(actor: Actor) -> q.Pilihan:
    """Periods, regions (those the person may pick), urusan and category bands."""
    return read(lambda db: q.pilihan(db, actor))


# The whole-province frames every dashboard page selects from, by name.
_FRAMES = {
    "wilayah": q.spm_wilayah,
    "urusan": q.spm_urusan,
    "layanan": q.spm_layanan,
    "provinsi": q.provinsi,
    "lppd_ikk": q.lppd_ikk_semua,
    "lppd_kelengkapan": q.lppd_kelengkapan_semua,
}


@cached
def _frame(name: str, actor: Actor) -> pd.DataFrame:
    return read(lambda db: _FRAMES[name](db, actor))


# -- SPM -----------------------------------------------------------------------------------


def ip_spm_provinsi(tahun: int, triwulan: int) -> q.IpSpmProvinsi:
    return q.ip_spm_provinsi(_frame("provinsi"), tahun, triwulan)


def status_periode(tahun: int, triwulan: int) -> status_data.StatusData:
    """How much of the data behind the period's figures is not yet verified."""
    return q.status_periode(pilihan(), _frame("layanan"), tahun, triwulan)


def ringkasan_provinsi(prov: q.IpSpmProvinsi, status: status_data.StatusData) -> pd.DataFrame:
    """The province's figures as one row, columns named as in the reports' CSV."""
    return q.ringkasan_provinsi(pilihan(), prov, status)


def peringkat_wilayah(tahun: int, triwulan: int) -> pd.DataFrame:
    """IP-SPM per kabupaten/kota (never the province among them)."""
    return q.peringkat_wilayah(pilihan(), _frame("wilayah"), tahun, triwulan)


def ip_spm_wilayah(tahun: int, triwulan: int, kode_wilayah: str) -> dict | None:
    """The IP-SPM row (nilai, kategori, status_submission) of one region and period, or
    None when it has none the person may see."""
    return q.ip_spm_wilayah(_frame("wilayah"), tahun, triwulan, kode_wilayah)


def urusan_per_wilayah(tahun: int, triwulan: int) -> pd.DataFrame:
    return q.urusan_per_wilayah(_frame("urusan"), tahun, triwulan)


def tren_tahunan(triwulan: int) -> pd.DataFrame:
    return q.tren_tahunan(pilihan(), _frame("wilayah"), _frame("provinsi"), triwulan)


def layanan_tertinggal(tahun: int, triwulan: int, n: int = 5) -> pd.DataFrame:
    return q.layanan_tertinggal(_frame("layanan"), tahun, triwulan, n)


def capaian_layanan(
    tahun: int, triwulan: int, kode_wilayah: str, urusan: str | None
) -> pd.DataFrame:
    return q.capaian_layanan(_frame("layanan"), tahun, triwulan, kode_wilayah, urusan)


@cached
def _proyeksi(tahun: int, triwulan: int, kode_wilayah: str, actor: Actor) -> pd.DataFrame:
    return read(lambda db: q.proyeksi_layanan(db, tahun, triwulan, kode_wilayah, actor))


def progres_triwulan(tahun: int, kode_wilayah: str, kode_layanan: str | None) -> pd.DataFrame:
    """Terlayani per triwulan towards the year's sasaran, with the year-end projection
    while the year is not complete."""
    layanan = _frame("layanan")
    reported = layanan[(layanan["kode_wilayah"] == kode_wilayah) & (layanan["tahun"] == tahun)]
    proyeksi = None
    if not reported.empty and int(reported["triwulan"].max()) < 4:
        proyeksi = _proyeksi(tahun, int(reported["triwulan"].max()), kode_wilayah)
    return q.progres_triwulan(layanan, proyeksi, tahun, kode_wilayah, kode_layanan)


def peta(tahun: int, triwulan: int) -> pd.DataFrame:
    """Each kabupaten/kota with its IP-SPM and category, and whether it has a shape."""
    return q.peta(pilihan(), _frame("wilayah"), tahun, triwulan)


def bentuk_kabkota(provinsi: str) -> dict[str, dict]:
    """The shapes of the province's kabupaten/kota (GeoJSON features by code)."""
    return reference.bentuk_kabkota(provinsi)


# -- one region and period, one figure explained --------------------------------------------


@cached
def layanan_wilayah(tahun: int, triwulan: int, kode_wilayah: str, actor: Actor) -> pd.DataFrame:
    """Every service figure of one region and period with its submission, straight from
    the capaian API (``pipelines.capaian.query.capaian``)."""
    return read(lambda db: query.capaian(db, tahun, triwulan, kode_wilayah, actor=actor))


@cached
def periode_tersedia(actor: Actor) -> pd.DataFrame:
    """Region x year x triwulan with SPM data, among the regions the person may pick."""
    return read(lambda db: query.periode_tersedia(db, actor=actor))


@cached
def explanation(
    kode_wilayah: str, tahun: int, triwulan: int, kode_layanan: str, actor: Actor
) -> Explanation:
    return read(lambda db: explain(db, kode_wilayah, tahun, triwulan, kode_layanan, actor=actor))


# -- LPPD ----------------------------------------------------------------------------------


def lppd_urusan(tahun: int) -> pd.DataFrame:
    return q.lppd_urusan(_frame("lppd_ikk"), tahun)


def lppd_kelengkapan(tahun: int) -> pd.DataFrame:
    return q.lppd_kelengkapan(_frame("lppd_kelengkapan"), tahun)


@cached
def lppd_daftar_ikk() -> pd.DataFrame:
    return read(q.lppd_daftar_ikk)


def lppd_banding(tahun: int, kode_ikk: str) -> pd.DataFrame:
    return q.lppd_banding(_frame("lppd_ikk"), tahun, kode_ikk)


def lppd_tren() -> pd.DataFrame:
    return q.lppd_tren(_frame("lppd_ikk"))
