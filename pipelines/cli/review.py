"""``spm review``: the review queue and the status changes of a submission (the rules
live in pipelines.review; every command acts as ``cli_actor``)."""

from __future__ import annotations

from pathlib import Path

import click

from pipelines import review
from pipelines.auth.access import Actor
from pipelines.cli.common import cli_actor, db_option, echo_table, open_for_cli, with_db
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ingest import withdraw

QUEUE_COLUMNS = [
    "submission_id",
    "form",
    "kode_wilayah",
    "kode_opd",
    "tahun",
    "triwulan",
    "status",
    "diunggah_oleh",
    "diunggah_pada",
]


@click.group("review")
def review_group() -> None:
    """Pemeriksaan pengiriman: daftar, verifikasi, kembalikan, finalkan, buka kembali."""


@review_group.command("list")
@with_db(read_only=True, actor=True)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(list(review.STATUS_LABELS)),
    default=("diajukan",),
    show_default=True,
)
@click.option("--year", "--tahun", "tahun", type=int, default=None)
def review_list(db: Database, actor: Actor, statuses: tuple[str, ...], tahun: int | None) -> None:
    """Antrean pengiriman terbaru per laporan dengan status tertentu (bawaan: diajukan)."""
    frame = review.antrean(db, actor, statuses, tahun=tahun)
    echo_table(
        frame[QUEUE_COLUMNS].rename(columns={"submission_id": "id"}),
        "Tidak ada pengiriman dengan status itu.",
    )


@review_group.command("verify")
@with_db(actor=True)
@click.argument("submission_id", type=int)
@click.option("--note", "--catatan", "note", default=None)
def review_verify(db: Database, actor: Actor, submission_id: int, note: str | None) -> None:
    """Verifikasi pengiriman (Diajukan → Diverifikasi)."""
    review.verifikasi(db, actor, submission_id, note)
    click.echo(f"Pengiriman #{submission_id} diverifikasi.")


def _row_comments(rows: tuple[str, ...]) -> dict[str, str]:
    """``KODE=KOMENTAR`` items as {kode: komentar}."""
    per_row = {}
    for item in rows:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise SpmError(f"Komentar baris '{item}' harus ditulis KODE=KOMENTAR.")
        per_row[key.strip()] = text
    return per_row


# The row comments are read before the database is opened: a typo waits for nothing.
@review_group.command("return")
@db_option()
@click.argument("submission_id", type=int)
@click.option("--comment", "--komentar", "comment", default=None, help="Alasan untuk berkas.")
@click.option(
    "--row",
    "--baris",
    "rows",
    multiple=True,
    metavar="KODE=KOMENTAR",
    help="Komentar untuk satu baris, mis. KES-K-01='sasaran tidak sesuai'.",
)
def review_return(
    db_path: Path | None, submission_id: int, comment: str | None, rows: tuple[str, ...]
) -> None:
    """Kembalikan pengiriman ke pengunggah dengan komentar (→ Dikembalikan)."""
    per_row = _row_comments(rows)
    with open_for_cli(db_path) as db:
        review.kembalikan(db, cli_actor(db), submission_id, comment, per_row)
    click.echo(f"Pengiriman #{submission_id} dikembalikan ke pengunggah.")


@review_group.command("finalise")
@with_db(actor=True)
@click.argument("submission_id", type=int)
def review_finalise(db: Database, actor: Actor, submission_id: int) -> None:
    """Finalkan dan kunci pengiriman (Diverifikasi → Final)."""
    review.finalkan(db, actor, submission_id)
    click.echo(f"Pengiriman #{submission_id} final dan terkunci.")


@review_group.command("reopen")
@with_db(actor=True)
@click.argument("submission_id", type=int)
@click.option("--reason", "--alasan", "reason", required=True, help="Alasan tertulis.")
def review_reopen(db: Database, actor: Actor, submission_id: int, reason: str) -> None:
    """Buka kembali pengiriman final (admin; Final → Diajukan) dengan alasan."""
    review.buka_kembali(db, actor, submission_id, reason)
    click.echo(f"Pengiriman #{submission_id} dibuka kembali (Diajukan).")


@review_group.command("withdraw")
@with_db(actor=True)
@click.argument("submission_id", type=int)
@click.option("--reason", "--alasan", "reason", required=True, help="Alasan tertulis.")
def review_withdraw(db: Database, actor: Actor, submission_id: int, reason: str) -> None:
    """Tarik pengiriman yang keliru (admin), dengan alasan: datanya keluar dari semua angka."""
    click.echo(withdraw.tarik(db, actor, submission_id, reason).kalimat())


@review_group.command("withdrawn")
@with_db(read_only=True, actor=True)
def review_withdrawn(db: Database, actor: Actor) -> None:
    """Daftar pengiriman yang ditarik: siapa, kapan, mengapa."""
    echo_table(withdraw.daftar(db, actor), "Belum ada pengiriman yang ditarik.")


@review_group.command("history")
@with_db(read_only=True, actor=True)
@click.argument("submission_id", type=int)
def review_history(db: Database, actor: Actor, submission_id: int) -> None:
    """Riwayat status dan komentar laporan pengiriman ini."""
    sub = review.check_can_see(db, actor, submission_id)
    history = review.riwayat(db, submission_id)
    notes = review.komentar(db, submission_id)
    spent = review.durasi(db, submission_id)
    click.echo(review.describe(sub))
    echo_table(history, "Belum ada riwayat.")
    if not notes.empty:
        click.echo("\nKomentar pemeriksa:")
        echo_table(notes, "")
    click.echo(
        f"\nLama proses {spent.total.days} hari, di antaranya {spent.dikembalikan.days} hari "
        f"dikembalikan (waktu bersih {spent.bersih.days} hari)."
    )
