"""SOP performance across cycles: every finished step measured against its standard
time, and per step how often it runs late (the steps that always do)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.auth.access import Actor
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.sop import cycle
from pipelines.sop.step import PROVINSI, Ref

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
    return across(cycle_steps(db, today=today, sop=sop, wilayah=wilayah, actor=actor))


def cycle_steps(
    db: Database,
    *,
    today: dt.date | None = None,
    sop: str = PROVINSI,
    wilayah: str | None = None,
    actor: Actor | None = None,
) -> dict[Ref, pd.DataFrame]:
    """The steps of every cycle :func:`across_cycles` measures, by cycle (a page showing
    one of them and the comparison reads them once)."""
    if wilayah is None and sop == PROVINSI:
        wilayah = settings.served_province(db)
    refs = [r for r in cycle.cycles(db, sop, actor=actor) if wilayah in (None, r.wilayah)]
    return cycle.steps_of(db, refs, today=today)


def across(found: dict[Ref, pd.DataFrame]) -> pd.DataFrame:
    """:func:`across_cycles` of the cycles' steps :func:`cycle_steps` read."""
    frames = [f for f in found.values() if len(f)]
    if not frames:
        return pd.DataFrame(columns=ACROSS_COLUMNS)
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
