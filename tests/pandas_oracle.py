"""The SPM computation written again in pandas, for comparison only.

The app, CLI and reports read the SQL views (``pipelines/db/sql``). This second,
independent implementation exists to (1) time the same work in pandas in
``bench_capaian`` and (2) cross-check the views on the demo data in the tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.core import settings
from pipelines.db.store import Database

KEY = ["kode_wilayah", "tahun", "triwulan"]


def load(db: Database) -> dict[str, pd.DataFrame]:
    """The raw tables the computation needs, plus the settings in force."""
    return {
        "spm": db.df(
            "SELECT kode_wilayah, tahun, triwulan, kode_layanan, jumlah_sasaran, "
            "jumlah_terlayani, mutu_barang_jasa_kebutuhan, mutu_barang_jasa_tersedia, "
            "mutu_sdm_kebutuhan, mutu_sdm_tersedia FROM spm_data"
        ),
        "mutu": db.df(
            "SELECT kode_wilayah, tahun, triwulan, kode_layanan, kelompok, kebutuhan, tersedia "
            "FROM spm_mutu"
        ),
        "wilayah": db.df("SELECT kode, tingkat, kode_provinsi FROM wilayah"),
        "layanan": db.df("SELECT kode, urusan FROM layanan"),
        "settings": settings.current(db),
    }


def _kategori(nilai: np.ndarray, bands: list[dict]) -> np.ndarray:
    ordered = sorted(bands, key=lambda b: b["min"])
    mins = np.array([b["min"] for b in ordered], dtype=float)
    names = np.array([b["nama"] for b in ordered], dtype=object)
    idx = np.searchsorted(mins, np.round(nilai, 6), side="right") - 1
    out = names[np.clip(idx, 0, None)]
    return np.where(np.isnan(nilai), None, out)


def _ratio(num: pd.Series, den: pd.Series) -> np.ndarray:
    n = num.astype(float).fillna(0).to_numpy()
    d = den.astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, np.minimum(n / d, 1.0) * 100, np.nan)


def _kelompok(d: pd.DataFrame, items: pd.DataFrame | None, kelompok: str) -> np.ndarray:
    """capaian of one mutu kelompok per row (method per_kelompok): its item rows pooled,
    sum(min(tersedia, kebutuhan)) / sum(kebutuhan) over items with kebutuhan > 0, or
    the row's pair where the kelompok has no item rows."""
    prefix = "mutu_barang_jasa" if kelompok == "barang_jasa" else "mutu_sdm"
    pair = _ratio(d[f"{prefix}_tersedia"], d[f"{prefix}_kebutuhan"])
    if items is None or items.empty:
        return pair
    own = items[items["kelompok"] == kelompok].copy()
    need = own["kebutuhan"].astype(float)
    own["need"] = need.where(need > 0)
    own["met"] = np.minimum(own["tersedia"].astype(float).fillna(0), need).where(need > 0)
    keys = [*KEY, "kode_layanan"]
    pooled = own.groupby(keys)[["need", "met"]].sum(min_count=1).reset_index()
    pooled["has"] = True
    merged = d[keys].merge(pooled, on=keys, how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (merged["met"] / merged["need"] * 100).to_numpy(dtype=float)
    return np.where(merged["has"].fillna(False).to_numpy(dtype=bool), ratio, pair)


def compute(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every figure: layanan, urusan, wilayah (with change), province aggregate."""
    st = t["settings"]
    wp, wm, bands = st["bobot_penerima"], st["bobot_mutu"], st["kategori"]
    d = t["spm"].merge(t["layanan"], left_on="kode_layanan", right_on="kode").drop(columns="kode")
    d = d.merge(t["wilayah"], left_on="kode_wilayah", right_on="kode").drop(columns="kode")
    sas = d["jumlah_sasaran"].astype(float).to_numpy()
    ter = d["jumlah_terlayani"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pen = np.where(sas > 0, np.minimum(ter / sas, 1.0) * 100, np.nan)
    bj = _kelompok(d, t.get("mutu"), "barang_jasa")
    sdm = _kelompok(d, t.get("mutu"), "sdm")
    count = (~np.isnan(bj)).astype(int) + (~np.isnan(sdm)).astype(int)
    with np.errstate(invalid="ignore"):
        mutu = np.where(count > 0, (np.nan_to_num(bj) + np.nan_to_num(sdm)) / count, np.nan)
    nilai = np.where(np.isnan(pen), np.nan, np.where(np.isnan(mutu), pen, wp * pen + wm * mutu))
    d["capaian_penerima"], d["capaian_mutu"], d["nilai"] = pen, mutu, nilai
    d["kategori"] = np.where(sas == 0, "Tidak ada sasaran", _kategori(nilai, bands))
    d["kurang_terlayani"] = np.clip(sas - ter, 0, None)

    urusan = (
        d.groupby([*KEY, "urusan"], sort=False)
        .agg(nilai=("nilai", "mean"), jumlah_layanan=("nilai", "size"))
        .reset_index()
    )
    urusan["kategori"] = _kategori(urusan["nilai"].to_numpy(), bands)
    wilayah = urusan.groupby(KEY, sort=False).agg(nilai=("nilai", "mean")).reset_index()
    wilayah["kategori"] = _kategori(wilayah["nilai"].to_numpy(), bands)

    def change(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        last_year = frame[[*keys, "nilai"]].assign(tahun=frame["tahun"] + 1)
        last_q = frame[[*keys, "nilai"]].assign(triwulan=frame["triwulan"] + 1)
        out = frame.merge(last_year, on=keys, how="left", suffixes=("", "_tahun_lalu"))
        out = out.merge(last_q, on=keys, how="left", suffixes=("", "_triwulan_lalu"))
        out["selisih_tahun_lalu"] = out["nilai"] - out["nilai_tahun_lalu"]
        out["selisih_triwulan_lalu"] = out["nilai"] - out["nilai_triwulan_lalu"]
        return out

    d = change(d, [*KEY, "kode_layanan"])
    urusan = change(urusan, [*KEY, "urusan"])
    wilayah = change(wilayah, KEY)

    tingkat = t["wilayah"].set_index("kode")
    wilayah["kode_provinsi"] = wilayah["kode_wilayah"].map(tingkat["kode_provinsi"])
    wilayah["tingkat"] = wilayah["kode_wilayah"].map(tingkat["tingkat"])
    kab = wilayah[wilayah["tingkat"] == "kabupaten/kota"]
    mean = (
        kab.groupby(["kode_provinsi", "tahun", "triwulan"])["nilai"]
        .mean()
        .rename("nilai_rata_rata_kabkota")
    )
    dk = d[(d["tingkat"] == "kabupaten/kota") & d["nilai"].notna()]
    weighted = (
        dk.assign(w=dk["nilai"] * dk["jumlah_sasaran"])
        .groupby(["kode_provinsi", "tahun", "triwulan", "urusan", "kode_layanan"])[
            ["w", "jumlah_sasaran"]
        ]
        .sum()
    )
    weighted = (weighted["w"] / weighted["jumlah_sasaran"]).rename("n").reset_index()
    weighted = (
        weighted.groupby(["kode_provinsi", "tahun", "triwulan", "urusan"])["n"]
        .mean()
        .groupby(["kode_provinsi", "tahun", "triwulan"])
        .mean()
        .rename("nilai_tertimbang_sasaran")
    )
    provinsi = pd.concat([mean, weighted], axis=1).reset_index()
    for col, kat in (
        ("nilai_rata_rata_kabkota", "kategori_rata_rata_kabkota"),
        ("nilai_tertimbang_sasaran", "kategori_tertimbang_sasaran"),
    ):
        provinsi[kat] = _kategori(provinsi[col].to_numpy(), bands)
    return {"layanan": d, "urusan": urusan, "wilayah": wilayah, "provinsi": provinsi}
