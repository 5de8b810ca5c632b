"""``spm deadline``: exceptions to the upload deadline (the rules live in
pipelines.review; granting acts as ``cli_actor``)."""

from __future__ import annotations

import datetime as dt

import click

from pipelines.auth import deadlines, kalender
from pipelines.auth.access import Actor
from pipelines.cli.common import echo_table, quarter_option, with_db
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
@quarter_option()
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


def _calendar_period(func):
    for decorate in (
        click.option(
            "--form",
            type=click.Choice(list(FORMS)),
            default=None,
            help="Satu formulir (bawaan: semua formulir periode itu).",
        ),
        quarter_option(),
        click.option("--year", "--tahun", "tahun", type=int, required=True),
    ):
        func = decorate(func)
    return func


@deadline_group.command("set")
@with_db(actor=True)
@_calendar_period
@click.option("--date", "--tanggal", "tanggal", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--note", "--keterangan", "keterangan", default=None, help="Mis. nomor surat edaran.")
def deadline_set(
    db: Database,
    actor: Actor,
    tahun: int,
    triwulan: int | None,
    form: str | None,
    tanggal: dt.datetime,
    keterangan: str | None,
) -> None:
    """Tetapkan batas waktu satu periode sesuai pengumuman Kemendagri (admin)."""
    changed = deadlines.tetapkan_batas(
        db,
        actor,
        tahun=tahun,
        triwulan=triwulan,
        form=form,
        tanggal=tanggal.date(),
        keterangan=keterangan,
    )
    click.echo(
        f"Batas waktu {deadlines.label_periode(tahun, triwulan)}"
        f"{' ' + form if form else ''} ditetapkan {fmt.tanggal(tanggal.date())}; "
        f"{changed} pengiriman berubah status keterlambatannya."
    )


@deadline_group.command("unset")
@with_db(actor=True)
@_calendar_period
def deadline_unset(
    db: Database, actor: Actor, tahun: int, triwulan: int | None, form: str | None
) -> None:
    """Kembalikan batas waktu satu periode ke aturan hari_batas_triwulan (admin)."""
    changed = deadlines.hapus_batas(db, actor, tahun=tahun, triwulan=triwulan, form=form)
    click.echo(
        f"Batas waktu {deadlines.label_periode(tahun, triwulan)}{' ' + form if form else ''} "
        f"kembali ke aturan; {changed} pengiriman berubah status keterlambatannya."
    )


@deadline_group.command("calendar")
@with_db(read_only=True)
@click.option("--year", "--tahun", "tahun", type=int, default=None)
def deadline_calendar_cmd(db: Database, tahun: int | None) -> None:
    """Batas waktu yang ditetapkan per periode (selain itu berlaku aturan)."""
    echo_table(kalender.daftar(db, tahun), "Belum ada batas waktu yang ditetapkan; berlaku aturan.")
