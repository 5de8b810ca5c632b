"""The demo's review history: each demo submission uploaded, reviewed by 'analis' and,
as its status says, verified, finalised or sent back with a comment."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.db.store import Database
from pipelines.review import ReviewError


def seed_demo_history(db: Database) -> int:
    """Give demo submissions a plausible history (upload, review by 'analis', final),
    so the review pages have something to show. Demo databases only; idempotent."""
    if db.meta("demo") != "true":
        raise ReviewError("Riwayat demo hanya dibuat di basis data demo.")
    if db.scalar("SELECT count(*) FROM submission_riwayat"):
        return 0
    subs = db.df(
        "SELECT id, diunggah_oleh, diunggah_pada, status, catatan FROM submission ORDER BY id"
    )
    history, comments = [], []
    for row in subs.itertuples():
        start = row.diunggah_pada.to_pydatetime()
        step = dt.timedelta(days=2 + row.id % 5, hours=row.id % 7)
        history.append((row.id, None, "diajukan", row.diunggah_oleh, start, "diunggah"))
        if row.status in ("diverifikasi", "final"):
            history.append((row.id, "diajukan", "diverifikasi", "analis", start + step, None))
        if row.status == "final":
            history.append((row.id, "diverifikasi", "final", "analis", start + 2 * step, None))
        if row.status == "dikembalikan":
            note = row.catatan or "Mohon diperiksa kembali."
            history.append((row.id, "diajukan", "dikembalikan", "analis", start + step, note))
            comments.append((row.id, None, note, "analis", start + step))
    with db.transaction():
        db.insert_df(
            "submission_riwayat",
            pd.DataFrame(
                history, columns=["submission_id", "dari", "ke", "oleh", "waktu", "keterangan"]
            ),
        )
        db.insert_df(
            "review_komentar",
            pd.DataFrame(comments, columns=["submission_id", "baris", "komentar", "oleh", "waktu"]),
        )
    return len(history)
