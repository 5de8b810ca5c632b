"""``spm backup``, ``spm restore`` and ``spm check``: arguments in, library calls out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipelines.cli.root import cli, cli_actor, db_option, open_for_cli, user_errors
from pipelines.core.fmt import angka
from pipelines.db.store import default_db_path
from pipelines.errors import AccessDenied
from pipelines.ops import backup as backup_mod


@cli.command("backup")
@db_option
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder baru (atau kosong) untuk cadangan.",
)
@user_errors
def backup_cmd(db_path: Path | None, out: Path) -> None:
    """Cadangkan basis data beserta semua berkas asli dan bukti dukung ke folder OUT."""
    with open_for_cli(db_path) as db:
        actor = cli_actor(db)
        if actor.role != "admin":
            raise AccessDenied("Hanya administrator yang boleh membuat cadangan.")
        result = backup_mod.backup(db, out, created_by=actor.username)
    rows = sum(result.tables.values())
    click.echo(
        f"Cadangan dibuat di {result.path}: {len(result.tables)} tabel "
        f"({angka(rows)} baris), {angka(result.stored_files)} berkas tersimpan, "
        f"{angka(result.bytes / 1e6, 1)} MB; semua tercatat dengan SHA-256 di manifest.json."
    )


@cli.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Berkas basis data tujuan yang belum ada (bawaan: $SPM_DB atau data/spm.duckdb).",
)
@user_errors
def restore_cmd(source: Path, db_path: Path | None) -> None:
    """Pulihkan cadangan SOURCE ke lokasi kosong, setelah memeriksa semua hash."""
    target = db_path or default_db_path()
    result = backup_mod.restore(source, target)
    rows = sum(result.tables.values())
    click.echo(
        f"Cadangan dari {result.manifest.get('created_at', '?')} dipulihkan ke {result.db_path}: "
        f"{angka(rows)} baris, {angka(result.stored_files)} berkas di {result.store}."
    )


@cli.command("check")
@db_option
@user_errors
def check_cmd(db_path: Path | None) -> None:
    """Periksa berkas tersimpan terhadap hash tercatat dan keutuhan basis data."""
    with open_for_cli(db_path, read_only=True) as db:
        result = backup_mod.check(db)
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
