"""``spm unit``, ``spm standar`` and ``spm skm``: service units, their standar pelayanan,
and the Survei Kepuasan Masyarakat (thin wrappers over pipelines.pelayanan and
pipelines.capaian.query)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.capaian import query
from pipelines.cli.common import echo_table, with_db
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.ingest import error_report
from pipelines.pelayanan import skm, skm_unggah, standar, standar_cetak
from pipelines.pelayanan import unit as units
from pipelines.pelayanan.standar_komponen import COMPONENTS

FORMATS = click.Choice(["table", "csv", "json"])


# -- spm unit ------------------------------------------------------------------------------
@click.group("unit")
def unit_group() -> None:
    """Unit layanan: katalog OPD dan unit yang ditambahkan administrator."""


@unit_group.command("list")
@with_db(read_only=True, actor=True)
def unit_list(db: Database, actor: Actor) -> None:
    """Daftar unit layanan yang dapat Anda lihat."""
    frame = units.visible(db, actor)
    echo_table(frame.drop(columns=["aktif"]), "Belum ada unit layanan.")


@unit_group.command("add")
@with_db(actor=True)
@click.argument("kode")
@click.option(
    "--nama", required=True, help="Nama unit, mis. Bagian Pemerintahan Setda Kab. Bangka."
)
@click.option("--region", "--wilayah", "wilayah", default=None, help="Wilayah unit, mis. 19.01.")
@click.option("--note", "--keterangan", "keterangan", default=None, help="Keterangan.")
def unit_add(
    db: Database, actor: Actor, kode: str, nama: str, wilayah: str | None, keterangan: str | None
) -> None:
    """Tambah unit layanan KODE (administrator)."""
    added = units.add(db, kode, nama, actor=actor, kode_wilayah=wilayah, keterangan=keterangan)
    click.echo(f"Unit {added['kode']} ({added['nama']}) ditambahkan.")


# -- spm standar ---------------------------------------------------------------------------
@click.group("standar")
def standar_group() -> None:
    """Standar pelayanan per unit dan layanan (14 komponen dan maklumat)."""


@standar_group.command("load")
@with_db(actor=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def standar_load(db: Database, actor: Actor, file: Path) -> None:
    """Muat standar pelayanan dari FILE (CSV atau XLSX, satu baris per layanan); semua
    baris atau tidak sama sekali. Keluar 1 bila ditolak."""
    result = standar.load(db, file, actor=actor)
    click.echo(result.summary())
    for problem in result.problems:
        click.echo(f"    - {problem.text()}")
    if not result.accepted:
        sys.exit(1)


@standar_group.command("list")
@with_db(read_only=True)
@click.option("--unit", "kode_unit", default=None, help="Hanya satu unit.")
def standar_list(db: Database, kode_unit: str | None) -> None:
    """Daftar layanan yang punya standar pelayanan."""
    frame = standar.listing(db, kode_unit)
    echo_table(
        frame[["kode_layanan", "kode_unit", "nama_layanan", "jangka_waktu", "kode_sop"]],
        "Belum ada standar pelayanan; muat dengan 'spm standar load FILE'.",
    )


@standar_group.command("show")
@with_db(read_only=True)
@click.argument("kode_layanan")
@click.option(
    "--format", "fmt_", type=click.Choice(["text", "html"]), default="text", show_default=True
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def standar_show(db: Database, kode_layanan: str, fmt_: str, out: Path | None) -> None:
    """Standar pelayanan satu layanan (html: halaman siap cetak dengan maklumat)."""
    std = standar.get(db, kode_layanan)
    measured = standar.measured(db, kode_layanan)
    if fmt_ == "html":
        page = standar_cetak.html_page(std, measured)
        if out is None:
            click.echo(page)
        else:
            out.write_text(page, encoding="utf-8")
            click.echo(f"Halaman cetak ditulis: {out}")
        return
    click.echo(f"{std['nama_layanan']} — {std['nama_unit']} ({std['kode_layanan']})")
    for number, (key, label, _) in enumerate(COMPONENTS, start=1):
        value = std.get(key) or "(tidak diisi)"
        click.echo(f"{number:>2}. {label}:")
        for line in str(value).split("\n"):
            click.echo(f"      {line}")
    for sentence in standar_cetak.measured_text(measured):
        click.echo(sentence)


# -- spm skm -------------------------------------------------------------------------------
@click.group("skm")
def skm_group() -> None:
    """Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017): templat, unggah, hasil IKM."""


@skm_group.command("template")
@with_db(read_only=True, actor=True)
@click.option("--unit", "kode_unit", required=True, help="Kode unit, mis. dinkes.")
@click.option("--year", "--tahun", "tahun", type=int, required=True, help="Tahun survei.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def skm_template(db: Database, actor: Actor, kode_unit: str, tahun: int, out: Path | None) -> None:
    """Tulis templat jawaban SKM satu unit dan tahun."""
    target = out or Path("templates_xlsx") / skm.template_name(kode_unit, tahun)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(skm.template(db, kode_unit, tahun, actor=actor))
    click.echo(f"Templat SKM ditulis: {target}")


@skm_group.command("ingest")
@with_db(actor=True)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Periksa saja; jangan simpan apa pun.")
@click.option(
    "--error-reports",
    "--laporan-galat",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder untuk laporan galat (.xlsx) berkas yang ditolak.",
)
def skm_ingest(
    db: Database, actor: Actor, files: tuple[Path, ...], dry_run: bool, report_dir: Path | None
) -> None:
    """Periksa dan muat jawaban SKM (.xlsx/.csv, satu unit dan tahun per berkas). Keluar 0
    bila semua diterima, 1 bila ada yang ditolak."""
    access.require(actor, "unggah")  # pimpinan: refused before any file is read
    refused = 0
    for path in files:
        result = skm_unggah.ingest_file(db, path, actor, dry_run=dry_run)
        click.echo(result.summary())
        for problem in result.problems:
            click.echo(f"    - {problem.text()}")
        if not result.accepted:
            refused += 1
            if report_dir is not None:
                click.echo(f"    Laporan galat: {error_report.write(path, result, report_dir)}")
    click.echo(
        f"Selesai: {len(files) - refused} dari {len(files)} berkas diterima, {refused} ditolak."
    )
    if refused:
        sys.exit(1)


@skm_group.command("hasil")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, required=True, help="Tahun survei.")
@click.option("--format", "fmt_", type=FORMATS, default="table", show_default=True)
def skm_hasil(db: Database, actor: Actor, tahun: int, fmt_: str) -> None:
    """IKM per unit: kode_unit, nama_unit, tahun, jumlah_responden, nrr_u1 ... nrr_u9,
    ikm, mutu, kinerja (angka dua desimal)."""
    frame = query.skm_hasil(db, tahun, actor=actor)[query.SKM_COLUMNS].copy()
    numbers = [c for c in query.SKM_COLUMNS if c.startswith("nrr_") or c == "ikm"]
    frame[numbers] = frame[numbers].astype(float).round(2)
    if fmt_ == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.2f")
        return
    if fmt_ == "json":
        click.echo(
            json.dumps(json.loads(frame.to_json(orient="records")), ensure_ascii=False, indent=1)
        )
        return
    shown = frame.copy()
    for col in numbers:
        shown[col] = shown[col].map(lambda v: fmt.angka(v, 2))
    echo_table(shown, f"Belum ada hasil SKM tahun {tahun}.")


@skm_group.command("belum-survei")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, required=True, help="Tahun survei.")
def skm_missing(db: Database, actor: Actor, tahun: int) -> None:
    """Unit layanan provinsi yang belum punya hasil SKM tahun ini."""
    frame = skm.without_survey(db, tahun, actor=actor)
    echo_table(frame, f"Semua unit sudah punya hasil SKM {tahun}.")
