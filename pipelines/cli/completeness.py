"""``spm completeness`` and ``spm reminders``: who sent what on time, and who still has
to (the rules live in pipelines.capaian.completeness; rows scoped by ``cli_actor``)."""

from __future__ import annotations

import datetime as dt

import click

from pipelines.auth.access import Actor
from pipelines.capaian import completeness
from pipelines.cli.common import F, echo_table, quarter_option, with_db
from pipelines.core.forms import FORMS
from pipelines.db.store import Database

REMINDER_COLUMNS = [
    "form",
    "kode_wilayah",
    "kode_opd",
    "tahun",
    "triwulan",
    "batas_waktu",
    "sisa_hari",
    "keterangan",
    "akun",
    "email",
]


def _period_options(func: F) -> F:
    """--year (this year by default), --quarter and --form, as both commands take them."""
    func = click.option("--form", type=click.Choice(list(FORMS)), default=None)(func)
    func = quarter_option()(func)
    return click.option(
        "--year", "--tahun", "tahun", type=int, default=None, help="Bawaan: tahun ini."
    )(func)


@click.command("completeness")
@with_db(read_only=True, actor=True)
@_period_options
@click.option(
    "--per", type=click.Choice(list(completeness.PER_CHOICES)), default="wilayah", show_default=True
)
def completeness_cmd(
    db: Database,
    actor: Actor,
    tahun: int | None,
    triwulan: int | None,
    form: str | None,
    per: str,
) -> None:
    """Kelengkapan dan ketepatan waktu pengiriman (diharapkan, diterima, tepat waktu,
    terlambat dengan perpanjangan, terlambat, belum; keterlambatan diukur dari batas resmi)."""
    tahun = tahun or dt.date.today().year
    frame = completeness.ringkasan_kelengkapan(db, tahun, triwulan, form, per=per, actor=actor)
    echo_table(frame, f"Belum ada periode {tahun} yang jendela pengisiannya sudah dibuka.")


@click.command("reminders")
@with_db(read_only=True, actor=True)
@_period_options
def reminders_cmd(
    db: Database, actor: Actor, tahun: int | None, triwulan: int | None, form: str | None
) -> None:
    """Daftar pengingat: siapa yang belum mengirim atau belum memperbaiki, dan akunnya."""
    tahun = tahun or dt.date.today().year
    frame = completeness.pengingat(db, tahun, triwulan, form, actor=actor)
    echo_table(frame[REMINDER_COLUMNS], "Semua laporan yang diharapkan sudah diterima.")
