"""SOP performance across cycles: every finished step measured against its standard
time, and per step how often it runs late (the steps that always do)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.auth.access import Actor
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.sop import cycle
from pipelines.sop.step import PROVINSI

ACROSS_COLUMNS = [
    "kode_wilayah",
    "tahun",
    "fase",
    "nomor",
    "kode",
    "aktivitas",
    "waktu_baku",
    "hari_baku",
    "hari_terukur",
    "hari_perbaikan",
    "rasio",
    "terlambat",
]
BY_STEP_COLUMNS = [
    "kode",
    "aktivitas",
    "siklus",
    "terlambat",
    "rasio_rata",
    "rasio_maks",
    "hari_perbaikan_rata",
    "selalu_terlambat",
]


def across_cycles(
    db: Database,
    *,
    today: dt.date | None = None,
    sop: str = PROVINSI,
    wilayah: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """Every finished step of every cycle of procedure ``sop`` (of ``wilayah``; default
    the province served for the Biro's SOP, every region ``actor`` may see for the
    others): measured against standard working days."""
    if wilayah is None and sop == PROVINSI:
        wilayah = settings.served_province(db)
    refs = [r for r in cycle.cycles(db, sop, actor=actor) if wilayah in (None, r.wilayah)]
    found = cycle.steps_of(db, refs, today=today)
    frames = [found[r] for r in refs if r in found and len(found[r])]
    if not frames:
        return pd.DataFrame(
            columns=[
                "kode_wilayah",
                "tahun",
                "kode",
                "aktivitas",
                "hari_baku",
                "hari_terukur",
                "hari_perbaikan",
                "rasio",
                "terlambat",
            ]
        )
    data = pd.concat(frames, ignore_index=True)
    data = data[data["status"] == "selesai"].copy()
    data["hari_terukur"] = data["hari_terukur"].astype(float)
    data["rasio"] = data["hari_terukur"] / data["hari_baku"]
    return data[ACROSS_COLUMNS].reset_index(drop=True)


def by_step(perf: pd.DataFrame) -> pd.DataFrame:
    """Per step across cycles: how often late, average and worst ratio to standard time."""
    if perf.empty:
        return pd.DataFrame(columns=BY_STEP_COLUMNS)
    perf = perf.assign(_siklus=perf["kode_wilayah"] + "/" + perf["tahun"].astype(str))
    grouped = perf.groupby(["fase", "nomor", "kode"], sort=True)
    out = grouped.agg(
        aktivitas=("aktivitas", "first"),
        siklus=("_siklus", "nunique"),
        terlambat=("terlambat", "sum"),
        rasio_rata=("rasio", "mean"),
        rasio_maks=("rasio", "max"),
        hari_perbaikan_rata=("hari_perbaikan", "mean"),
    ).reset_index()
    out["terlambat"] = out["terlambat"].astype(int)
    out["selalu_terlambat"] = (out["terlambat"] == out["siklus"]) & (out["siklus"] > 1)
    return out.drop(columns=["fase", "nomor"])
