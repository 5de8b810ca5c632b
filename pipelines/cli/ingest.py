"""``spm template`` and ``spm ingest``: the Excel templates out, the filled files in
(arguments in, library calls out)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.cli.common import cli_actor, db_option, open_for_cli, quarter_option, with_db
from pipelines.core import forms
from pipelines.db import writer
from pipelines.db.store import Database
from pipelines.ingest import error_report, templates, validate, worker

UPLOAD_SUFFIXES = {".xlsx", ".csv", ".xls", ".xlsm"}


@click.command("template")
@with_db(read_only=True, actor=True)
@click.option(
    "--form",
    "form",
    type=click.Choice(list(forms.FORMS)),
    required=True,
    help="Formulir: spm-kabkota, spm-provinsi atau lppd-ikk.",
)
@click.option("--region", "--wilayah", "region", required=True, help="Kode wilayah, mis. 19.01.")
@click.option("--year", "--tahun", "year", type=int, required=True, help="Tahun, mis. 2025.")
@quarter_option(help="Triwulan 1-4 (formulir SPM).")
@click.option("--opd", default=None, help="Hanya layanan satu perangkat daerah (spm-provinsi).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Berkas keluaran (bawaan: templates_xlsx/<formulir>_<wilayah>_<tahun>_TW<n>.xlsx).",
)
def template_cmd(
    db: Database,
    actor: Actor,
    form: str,
    region: str,
    year: int,
    triwulan: int | None,
    opd: str | None,
    out: Path | None,
) -> None:
    """Buat templat Excel untuk satu wilayah dan periode dari katalog."""
    spec = templates.TemplateSpec(form, region.strip(), year, triwulan, opd)
    path = templates.write(db, spec, out, actor=actor)
    click.echo(f"Templat ditulis: {path}")


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in UPLOAD_SUFFIXES
                and not p.name.startswith("~$")
            )
            if not found:
                raise click.UsageError(f"Folder {path} tidak berisi berkas .xlsx atau .csv.")
            files.extend(found)
        else:
            files.append(path)
    return files


# Opens the database in turns (a short one per few files), so it takes --db itself.
@click.command("ingest")
@db_option()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Periksa saja; jangan simpan apa pun.")
@click.option(
    "--error-reports",
    "--laporan-galat",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder untuk laporan galat (.xlsx) berkas yang ditolak.",
)
@click.option("--quiet", "-q", is_flag=True, help="Hanya satu baris per berkas.")
def ingest_cmd(
    db_path: Path | None,
    files: tuple[Path, ...],
    dry_run: bool,
    report_dir: Path | None,
    quiet: bool,
) -> None:
    """Periksa dan muat berkas SPM/LPPD (FILE boleh folder). Keluar 0 bila semua
    diterima, 1 bila ada yang ditolak."""
    paths = _expand(files)
    refused = 0
    total = len(paths)
    with open_for_cli(db_path) as db:  # read-write once: applies pending migrations
        actor = cli_actor(db)
        access.require(actor, "unggah")  # pimpinan: refused before any file is read
        bounds = validate.limits(db)
    # A batch's files are parsed ahead in the bounded worker pool, on every core; one
    # file is read here (starting a worker would cost more than reading it).
    reads = (
        worker.read_many(paths, bounds, ahead=writer.TURN_FILES + worker.SLOTS)
        if total > 1
        else iter([None])
    )
    results = writer.ingest_in_turns(
        lambda read_only: open_for_cli(db_path, read_only=read_only),
        zip(paths, reads, strict=True),
        actor,
        bounds=bounds,
        dry_run=dry_run,
    )
    for i, (path, result) in enumerate(zip(paths, results, strict=True), start=1):
        prefix = f"[{i}/{total}] " if total > 1 else ""
        click.echo(prefix + result.summary())
        if not quiet:
            for problem in result.problems:
                click.echo(f"    - {problem.text()}")
        if not result.accepted:
            refused += 1
            if report_dir is not None:
                out = error_report.write(path, result, report_dir)
                click.echo(f"    Laporan galat: {out}")
    accepted = total - refused
    verb = "dapat diterima" if dry_run else "diterima"
    click.echo(
        f"Selesai: {accepted} dari {total} berkas {verb}, {refused} ditolak"
        + (" (uji coba, tidak ada yang disimpan)." if dry_run else ".")
    )
    if refused:
        sys.exit(1)
