"""The demo's mutu items: for the services the sample catalog details
(``data/katalog/mutu_item_sampel.csv``: hypertension, diabetes, pregnant women), the
kebutuhan and tersedia of each B.1/B.2 item instead of one pair per kelompok; every other
service keeps today's pair."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.core import forms, mutu_item
from pipelines.db.store import Database

KEYS = ["kode_wilayah", "tahun", "triwulan", "kode_layanan"]
PAIRS = {"barang_jasa": "mutu_barang_jasa", "sdm": "mutu_sdm"}


def catalog(db: Database) -> pd.DataFrame:
    """The sample catalog's items (read, not loaded: :func:`load_catalog` does that
    with the demo's other writes)."""
    return mutu_item.read_file(db, mutu_item.SAMPLE_FILE)


def load_catalog(db: Database) -> None:
    """Put the sample catalog in force (the same file again makes no new version)."""
    mutu_item.load(db, mutu_item.SAMPLE_FILE, by="demo")


def rincian(
    rng: np.random.Generator, spm: pd.DataFrame, catalog: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``spm`` without the pairs of the kelompok ``catalog`` details, and their item rows
    (``forms.MUTU_COLUMNS``): each item needs a steady share of the pair's kebutuhan (at
    least 1 where the pair needs any) and has about the pair's share of it."""
    spm = spm.copy()
    parts = []
    for kelompok, prefix in PAIRS.items():
        items = catalog.loc[catalog["kelompok"] == kelompok, ["kode_layanan", "kode_item"]]
        if items.empty:
            continue
        need_col, have_col = f"{prefix}_kebutuhan", f"{prefix}_tersedia"
        hit = spm["kode_layanan"].isin(items["kode_layanan"])
        rows = spm.loc[hit, [*KEYS, need_col, have_col]].merge(items, on="kode_layanan")
        # a steady weight per region and item, so kebutuhan keeps its level through the year
        weights = rows[["kode_wilayah", "kode_item"]].drop_duplicates()
        weights = weights.sort_values(["kode_wilayah", "kode_item"]).reset_index(drop=True)
        weights["bobot"] = rng.uniform(0.4, 1.6, len(weights))
        rows = rows.merge(weights, on=["kode_wilayah", "kode_item"])
        per_service = items.groupby("kode_layanan").size()
        need = rows[need_col].to_numpy(dtype=float)
        have = rows[have_col].to_numpy(dtype=float)
        share = rows["bobot"].to_numpy() / rows["kode_layanan"].map(per_service).to_numpy()
        item_need = np.where(need > 0, np.maximum(np.round(need * share), 1), need)
        rate = np.divide(have, need, out=np.zeros_like(need), where=need > 0)
        noise = rng.normal(0, 0.12, len(rows))
        item_have = np.round(item_need * np.clip(rate + noise, 0, 1.2))
        parts.append(
            pd.DataFrame(
                {
                    **{k: rows[k].to_numpy() for k in KEYS},
                    "kode_item": rows["kode_item"].to_numpy(),
                    "kelompok": kelompok,
                    "kebutuhan": pd.array(item_need, dtype="Int64"),
                    "tersedia": pd.array(item_have, dtype="Int64"),
                }
            )
        )
        for col in (need_col, have_col):
            spm[col] = spm[col].astype("Int64")
            spm.loc[hit & spm["kode_layanan"].isin(items["kode_layanan"]), col] = pd.NA
    columns = forms.keys(forms.MUTU_FORM)
    items_out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return spm, items_out[columns]
