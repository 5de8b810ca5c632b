"""``spm backup``, ``spm restore``, ``spm check`` and ``spm recompute``: keeping the data
safe (arguments in, pipelines.ops.backup and pipelines.capaian.materi calls out)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.capaian import materi
from pipelines.cli.common import db_option, operator_only, with_db
from pipelines.core.fmt import angka
from pipelines.db.store import Database, default_db_path
from pipelines.ops import backup


@click.command("backup")
@with_db(actor=True)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder baru (atau kosong) untuk cadangan.",
)
def backup_cmd(db: Database, actor: Actor, out: Path) -> None:
    """Cadangkan basis data beserta semua berkas asli dan bukti dukung ke folder OUT."""
    access.require(actor, "cadangan")
    result = backup.backup(db, out, created_by=actor.username)
    rows = sum(result.tables.values())
    click.echo(
        f"Cadangan dibuat di {result.path}: {len(result.tables)} tabel "
        f"({angka(rows)} baris), {angka(result.stored_files)} berkas tersimpan, "
        f"{angka(result.bytes / 1e6, 1)} MB; semua tercatat dengan SHA-256 di manifest.json."
    )


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option(help="Berkas basis data tujuan yang belum ada (bawaan: $SPM_DB atau data/spm.duckdb).")
def restore_cmd(source: Path, db_path: Path | None) -> None:
    """Pulihkan cadangan SOURCE ke lokasi kosong, setelah memeriksa semua hash."""
    operator_only("restore")
    result = backup.restore(source, db_path or default_db_path())
    rows = sum(result.tables.values())
    click.echo(
        f"Cadangan dari {result.manifest.get('created_at', '?')} dipulihkan ke {result.db_path}: "
        f"{angka(rows)} baris, {angka(result.stored_files)} berkas di {result.store}."
    )


@click.command("check")
@with_db(read_only=True, actor=True)
def check_cmd(db: Database, actor: Actor) -> None:
    """Periksa berkas tersimpan terhadap hash tercatat dan keutuhan basis data."""
    access.require(actor, "periksa_berkas")
    result = backup.check(db)
    summary = (
        f"{result.tables} tabel ({angka(result.rows)} baris), "
        f"{angka(result.stored_files)} berkas tersimpan, "
        f"{angka(result.recorded_hashes)} hash tercatat"
    )
    if result.ok:
        click.echo(f"Tidak ada masalah: {summary}.")
        return
    click.echo(f"Ditemukan {angka(len(result.problems))} masalah ({summary}):", err=True)
    for problem in result.problems:
        click.echo(f"- {problem}", err=True)
    sys.exit(1)


@click.command("recompute")
@with_db(actor=True)
@click.option(
    "--periksa",
    is_flag=True,
    help="Hanya periksa: bandingkan angka tersimpan dengan definisinya, tanpa mengubah.",
)
def recompute_cmd(db: Database, actor: Actor, periksa: bool) -> None:
    """Hitung ulang semua angka SPM dari data (angka disimpan saat data berubah)."""
    access.require(actor, "hitung_ulang")
    if not periksa:
        materi.hitung_ulang(db)
    beda = {table: n for table, n in materi.selisih(db).items() if n}
    rows = sum(db.scalar(f"SELECT count(*) FROM {t}") for t, _, _ in materi.TABLES)
    if not beda:
        verb = "Diperiksa" if periksa else "Dihitung ulang"
        click.echo(
            f"{verb}: {len(materi.TABLES)} tabel angka ({angka(rows)} baris), semuanya sama "
            "dengan definisinya."
        )
        return
    click.echo(
        f"{angka(sum(beda.values()))} baris angka tersimpan berbeda dari definisinya; "
        "jalankan 'spm recompute' tanpa --periksa:",
        err=True,
    )
    for table, n in beda.items():
        click.echo(f"- {table}: {angka(n)} baris", err=True)
    sys.exit(1)
