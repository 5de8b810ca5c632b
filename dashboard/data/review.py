"""Review of submissions for the Pemeriksaan and Wilayah saya pages (``pipelines.review``):
the queue, one submission in full, the reviewer's actions and deadline exceptions."""

from __future__ import annotations

import pandas as pd

from dashboard.data import actor, cached, read, write
from pipelines import review
from pipelines.auth import deadlines
from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.ingest import withdraw


@cached
def antrean(status: str, *, actor: Actor) -> pd.DataFrame:
    """The newest submission of each report with ``status``, longest waiting first."""
    return read(lambda db: review.antrean(db, actor, (status,)))


@cached
def rincian(submission_id: int, *, actor: Actor) -> dict:
    """Everything the reviewer (or the uploader) needs about one submission."""

    def load(db: Database) -> dict:
        sub = review.check_can_see(db, actor, submission_id)
        return {
            "submission": sub,
            "judul": review.describe(sub),
            "riwayat": review.riwayat(db, submission_id),
            "komentar": review.komentar(db, submission_id),
            "banding": review.banding(db, submission_id),
            "peringatan": review.peringatan(db, submission_id),
            "durasi": review.durasi(db, submission_id),
        }

    return read(load)


def verifikasi(submission_id: int, catatan: str | None) -> None:
    who = actor()
    write(lambda db: review.verifikasi(db, who, submission_id, catatan))


def kembalikan(submission_id: int, komentar: str, baris: dict[str, str]) -> None:
    who = actor()
    write(lambda db: review.kembalikan(db, who, submission_id, komentar, baris))


def finalkan(submission_id: int) -> None:
    who = actor()
    write(lambda db: review.finalkan(db, who, submission_id))


def buka_kembali(submission_id: int, alasan: str) -> None:
    who = actor()
    write(lambda db: review.buka_kembali(db, who, submission_id, alasan))


def tarik(submission_id: int, alasan: str) -> None:
    who = actor()
    write(lambda db: withdraw.tarik(db, who, submission_id, alasan))


@cached
def daftar_pengecualian(*, actor: Actor) -> pd.DataFrame:
    return read(lambda db: deadlines.daftar_pengecualian(db, actor=actor))


def beri_pengecualian(**fields) -> None:
    who = actor()
    write(lambda db: deadlines.beri_pengecualian(db, who, **fields))
