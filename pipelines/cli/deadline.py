"""``spm deadline``: exceptions to the upload deadline (the rules live in
pipelines.review; granting acts as ``cli_actor``)."""

from __future__ import annotations

import datetime as dt

import click

from pipelines.auth import deadlines
from pipelines.auth.access import Actor
from pipelines.cli.common import echo_table, with_db
from pipelines.core import fmt
from pipelines.core.forms import FORMS
from pipelines.db.store import Database


@click.group("deadline")
def deadline_group() -> None:
    """Batas waktu pengisian dan pengecualiannya."""


@deadline_group.command("grant")
@with_db(actor=True)
@click.option(
    "--form",
    type=click.Choice(list(FORMS)),
    default="spm-kabkota",
    show_default=True,
)
@click.option("--region", "--wilayah", "region", required=True, help="Kode wilayah, mis. 19.01.")
@click.option("--opd", default=None, help="Kode OPD (formulir SPM provinsi).")
@click.option("--year", "--tahun", "tahun", type=int, required=True)
@click.option("--quarter", "--triwulan", "triwulan", type=click.IntRange(1, 4), default=None)
@click.option("--until", "--sampai", "until", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--reason", "--alasan", "reason", required=True)
def deadline_grant(
    db: Database,
    actor: Actor,
    form: str,
    region: str,
    opd: str | None,
    tahun: int,
    triwulan: int | None,
    until: dt.datetime,
    reason: str,
) -> None:
    """Beri satu wilayah/OPD pengecualian batas waktu untuk satu periode (admin)."""
    deadlines.beri_pengecualian(
        db,
        actor,
        form=form,
        kode_wilayah=region,
        kode_opd=opd,
        tahun=tahun,
        triwulan=triwulan,
        batas_baru=until.date(),
        alasan=reason,
    )
    click.echo(
        f"Pengecualian diberikan: {region}{' ' + opd if opd else ''} "
        f"{deadlines.label_periode(tahun, triwulan)} boleh mengunggah sampai "
        f"{fmt.tanggal(until.date())}."
    )


@deadline_group.command("list")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, default=None)
def deadline_list(db: Database, actor: Actor, tahun: int | None) -> None:
    """Daftar pengecualian batas waktu."""
    echo_table(
        deadlines.daftar_pengecualian(db, tahun, actor=actor),
        "Belum ada pengecualian batas waktu.",
    )
