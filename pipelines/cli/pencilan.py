"""``spm pencilan``: outliers in kab/kota SPM data and their follow-up (thin wrappers
over pipelines.capaian.pencilan, the same calls as the "Kualitas data" page)."""

from __future__ import annotations

import sys

import click

from pipelines.auth.access import Actor
from pipelines.capaian import pencilan
from pipelines.cli.common import echo_table, quarter_option, with_db
from pipelines.db.store import Database

SHOWN = ["kode_wilayah", "kode_layanan", "ukuran", "nilai", "alasan", "tindak_lanjut"]


def _period(func):
    func = quarter_option(required=True)(func)
    return click.option("--year", "--tahun", "tahun", type=int, required=True)(func)


@click.group("pencilan")
def pencilan_group() -> None:
    """Pencilan (nilai yang jauh dari kabupaten/kota lain atau dari tahun lalu)."""


@pencilan_group.command("daftar")
@with_db(read_only=True, actor=True)
@_period
@click.option(
    "--format", "fmt_", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
def pencilan_daftar(db: Database, actor: Actor, tahun: int, triwulan: int, fmt_: str) -> None:
    """Nilai yang terdeteksi sebagai pencilan pada satu periode, dengan alasannya."""
    frame = pencilan.daftar(db, actor, tahun, triwulan)
    if fmt_ == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    echo_table(frame[SHOWN], "Tidak ada pencilan pada periode ini.")


@pencilan_group.command("tindak-lanjut")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, required=True)
def pencilan_tindak_lanjut(db: Database, actor: Actor, tahun: int) -> None:
    """Pencilan yang ditandai untuk ditindaklanjuti pada satu tahun, yang terbuka dulu."""
    frame = pencilan.tindak_lanjut(db, actor, tahun)
    echo_table(
        frame[["triwulan", "kode_wilayah", "kode_layanan", "ukuran", "tindak_lanjut", "komentar"]],
        "Belum ada pencilan yang ditandai pada tahun ini.",
    )


def _mark(status: str):
    def command(
        db: Database,
        actor: Actor,
        tahun: int,
        triwulan: int,
        kode_wilayah: str,
        kode_layanan: str,
        ukuran: str,
        komentar: str,
    ) -> None:
        pencilan.tandai(
            db,
            actor,
            tahun=tahun,
            triwulan=triwulan,
            kode_wilayah=kode_wilayah,
            kode_layanan=kode_layanan,
            ukuran=ukuran,
            komentar=komentar,
            status=status,
        )
        click.echo(f"{pencilan.UKURAN[ukuran]} {kode_layanan} {kode_wilayah}: {status}.")

    for decorate in (
        click.option("--comment", "--komentar", "komentar", required=True),
        click.option(
            "--measure",
            "--ukuran",
            "ukuran",
            type=click.Choice(list(pencilan.UKURAN)),
            required=True,
        ),
        click.option("--service", "--layanan", "kode_layanan", required=True),
        click.option("--region", "--wilayah", "kode_wilayah", required=True),
        _period,
        with_db(actor=True),
    ):
        command = decorate(command)
    return command


pencilan_group.command("tandai", help="Tandai pencilan 'perlu ditindaklanjuti' dengan komentar.")(
    _mark(pencilan.PERLU)
)
pencilan_group.command("selesai", help="Tutup tindak lanjut pencilan dengan komentar hasilnya.")(
    _mark(pencilan.SELESAI)
)
