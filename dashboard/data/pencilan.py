"""Outliers and their follow-up for the Kualitas data page (``pipelines.capaian.pencilan``)."""

from __future__ import annotations

import pandas as pd

from dashboard.data import actor, cached, read, write
from pipelines.auth.access import Actor
from pipelines.capaian import pencilan


@cached
def daftar(tahun: int, triwulan: int, actor: Actor) -> pd.DataFrame:
    return read(lambda db: pencilan.daftar(db, actor, tahun, triwulan))


@cached
def tindak_lanjut(tahun: int, actor: Actor) -> pd.DataFrame:
    return read(lambda db: pencilan.tindak_lanjut(db, actor, tahun))


def tandai(status: str, **fields) -> None:
    who = actor()
    write(lambda db: pencilan.tandai(db, who, status=status, **fields))
