"""The demo, put together: deterministic data that looks like a real province's SPM and
LPPD years, from one seed (same seed, same tables).

:func:`load` replaces a demo (or empty) database's uploads with those of
:mod:`pipelines.ops.demo.uploads` and its SOP cycles with those of
:mod:`pipelines.ops.demo.siklus`, and marks the database as a demo. The review history
(:mod:`pipelines.ops.demo.review`) and the demo accounts (:mod:`pipelines.ops.demo.users`)
exist only in a database marked so.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.auth import audit
from pipelines.capaian import materi
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ops.demo import dokumen, mutu, pelayanan, pencilan, perpanjangan, siklus, uploads
from pipelines.ops.demo.uploads import BABEL


@dataclass
class DemoResult:
    wilayah: int
    submissions: int
    spm_rows: int
    lppd_rows: int


def parse_years(text: str) -> list[int]:
    """``'2022-2025'`` -> ``[2022, 2023, 2024, 2025]``; ``'2024'`` -> ``[2024]``."""
    try:
        if "-" in text:
            start, end = (int(p) for p in text.split("-", 1))
        else:
            start = end = int(text)
    except ValueError:
        raise SpmError(
            f"Rentang tahun '{text}' tidak dapat dibaca; tulis misalnya 2022-2025."
        ) from None
    if not 2000 <= start <= end <= 2100:
        raise SpmError(f"Rentang tahun '{text}' tidak masuk akal; tulis misalnya 2022-2025.")
    return list(range(start, end + 1))


def load(
    db: Database,
    *,
    scale: str = "babel",
    years: list[int] | None = None,
    lppd_years: list[int] | None = None,
    seed: int = 7,
) -> DemoResult:
    """Fill the database with demo data (replacing earlier demo data)."""
    years = years or list(range(2022, 2026))
    lppd_years = lppd_years if lppd_years is not None else [y for y in years if y <= max(years) - 1]
    frames = uploads.build(db, scale=scale, years=years, lppd_years=lppd_years, seed=seed)
    with db.transaction():
        if db.meta("demo") != "true" and db.scalar("SELECT count(*) FROM submission"):
            raise SpmError(
                "Basis data ini sudah berisi data unggahan sungguhan; data demo hanya dimuat "
                "ke basis data kosong atau basis data demo."
            )
        # Every row of the earlier demo's uploads: the data, the submissions and what
        # points at them (history, comments, warnings), so nothing is left dangling.
        for table in (
            "spm_data",
            "lppd_data",
            "submission",
            *db.tables_with_column("submission_id"),
        ):
            db.execute(f'DELETE FROM "{table}"')
        audit.forget_demo_uploads(db)
        materi.ubah_semua(db)
        mutu.load_catalog(db)
        uploads.write(db, frames)
        siklus.load_demo(db, years, seed=seed)
        pelayanan.load_demo(db, years, seed=seed)
        perpanjangan.load_demo(db)
        if scale == "babel":
            pencilan.load_demo(db)
        dokumen.load_demo(db, BABEL if scale == "babel" else None, years)
        if scale == "babel" and settings.served_province(db) != BABEL:
            settings.save(db, {"provinsi": BABEL}, by="demo", note="Data demo Bangka Belitung")
        db.set_meta("demo", "true")
        db.set_meta("demo_seed", str(seed))
        db.set_meta("demo_scale", scale)
    return DemoResult(
        wilayah=int(frames.spm["kode_wilayah"].nunique()),
        submissions=len(frames.submissions),
        spm_rows=len(frames.spm),
        lppd_rows=len(frames.lppd),
    )
