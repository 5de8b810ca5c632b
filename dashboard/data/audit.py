"""The audit trail for the Jejak audit page (``pipelines.auth.audit``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.data import cached, read
from pipelines.auth import audit
from pipelines.auth.access import Actor


@cached
def jejak(
    pengguna: str | None,
    aksi: tuple[str, ...],
    objek: str | None,
    sejak: dt.date | None,
    sampai: dt.date | None,
    *,
    actor: Actor,
) -> pd.DataFrame:
    """The newest entries matching every filter given (empty filters match all)."""
    return read(
        lambda db: audit.log(
            db,
            pengguna=pengguna,
            aksi=list(aksi) or None,
            objek_mengandung=objek,
            sejak=sejak,
            sampai=sampai,
            actor=actor,
        )
    )
