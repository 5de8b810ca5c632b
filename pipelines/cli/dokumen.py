"""``spm dokumen`` (SK Tim Penerapan SPM, Rencana Aksi, data dukung tahapan) and ``spm
awards`` (the SPM Awards readiness score): thin wrappers over pipelines.sop.dokumen_* and
pipelines.capaian.awards, the same calls as the "Dokumen SPM" and "SPM Awards" pages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipelines.auth.access import Actor
from pipelines.capaian import awards
from pipelines.cli.common import echo_table, iso_date, with_db
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.sop import dokumen_penerapan as penerapan
from pipelines.sop import dokumen_tahapan as tahapan

SHOWN = ["id", "nama_jenis", "kode_wilayah", "tahun", "nomor", "tanggal", "nama_berkas"]
SHOWN += ["status", "komentar", "diunggah_oleh", "diunggah_pada"]
TAHAPAN_SHOWN = ["id", "kode_wilayah", "tahun", "kode_layanan", "nama_tahap", "nama_berkas"]
TAHAPAN_SHOWN += ["diunggah_oleh", "diunggah_pada"]


def _file(path: Path) -> tuple[str, bytes]:
    return path.name, path.read_bytes()


def _out_option(func):
    return click.option(
        "--out",
        "out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Simpan ke berkas ini (bawaan: nama aslinya di folder ini).",
    )(func)


def _save(target: Path, content: bytes) -> None:
    target.write_bytes(content)
    click.echo(f"Berkas disimpan ke {target} ({fmt.angka(len(content))} bita).")


def _format_option(func):
    return click.option(
        "--format", "fmt_", type=click.Choice(["table", "csv"]), default="table", show_default=True
    )(func)


@click.group("dokumen")
def dokumen_group() -> None:
    """Dokumen SK Tim Penerapan SPM, Rencana Aksi dan data dukung tahapan."""


@dokumen_group.command("unggah")
@with_db(actor=True)
@click.option("--jenis", type=click.Choice(list(penerapan.JENIS)), required=True)
@click.option("--region", "--wilayah", "kode_wilayah", required=True, help="Mis. 19.01.")
@click.option("--year", "--tahun", "tahun", type=int, required=True)
@click.option("--nomor", default=None, help="Nomor SK atau Perkada.")
@click.option("--tanggal", default=None, help="Tanggal penetapan, YYYY-MM-DD.")
@click.argument("berkas", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def dokumen_unggah(
    db: Database,
    actor: Actor,
    jenis: str,
    kode_wilayah: str,
    tahun: int,
    nomor: str | None,
    tanggal: str | None,
    berkas: Path,
) -> None:
    """Unggah SK Tim Penerapan SPM atau Rencana Aksi (PDF, JPG atau PNG) sebagai diajukan."""
    name, content = _file(berkas)
    new_id = penerapan.unggah(
        db,
        actor,
        jenis=jenis,
        kode_wilayah=kode_wilayah,
        tahun=tahun,
        nomor=nomor,
        tanggal=iso_date(tanggal),
        nama_berkas=name,
        content=content,
    )
    doc = penerapan.get(db, new_id, actor=actor)
    click.echo(f"Dokumen {penerapan.describe(doc)} tersimpan dengan status diajukan.")


@dokumen_group.command("daftar")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, default=None)
@click.option("--region", "--wilayah", "kode_wilayah", default=None)
@click.option("--jenis", type=click.Choice(list(penerapan.JENIS)), default=None)
@click.option("--status", type=click.Choice(list(penerapan.STATUS)), default=None)
@click.option("--semua", is_flag=True, help="Juga versi lama yang sudah diganti.")
@_format_option
def dokumen_daftar(
    db: Database,
    actor: Actor,
    tahun: int | None,
    kode_wilayah: str | None,
    jenis: str | None,
    status: str | None,
    semua: bool,
    fmt_: str,
) -> None:
    """Dokumen terbaru per jenis, wilayah dan tahun (pengunggah: wilayahnya sendiri)."""
    frame = penerapan.daftar(
        db, actor, tahun=tahun, kode_wilayah=kode_wilayah, jenis=jenis, status=status, semua=semua
    )
    if fmt_ == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    echo_table(frame[SHOWN], "Belum ada dokumen.")


@dokumen_group.command("verify")
@with_db(actor=True)
@click.argument("dokumen_id", type=int)
def dokumen_verify(db: Database, actor: Actor, dokumen_id: int) -> None:
    """Diajukan → Diverifikasi."""
    doc = penerapan.verifikasi(db, actor, dokumen_id)
    click.echo(f"Dokumen {penerapan.describe(doc)} diverifikasi.")


@dokumen_group.command("return")
@with_db(actor=True)
@click.argument("dokumen_id", type=int)
@click.option("--comment", "--komentar", "komentar", required=True, help="Apa yang diperbaiki.")
def dokumen_return(db: Database, actor: Actor, dokumen_id: int, komentar: str) -> None:
    """Kembalikan dokumen ke pengunggah dengan komentar."""
    doc = penerapan.kembalikan(db, actor, dokumen_id, komentar)
    click.echo(f"Dokumen {penerapan.describe(doc)} dikembalikan.")


@dokumen_group.command("get")
@with_db(read_only=True, actor=True)
@click.argument("dokumen_id", type=int)
@_out_option
def dokumen_get(db: Database, actor: Actor, dokumen_id: int, out: Path | None) -> None:
    """Ambil berkas dokumen DOKUMEN_ID persis seperti diunggah."""
    name, content = penerapan.berkas_dokumen(db, dokumen_id, actor=actor)
    _save(out or Path(name), content)


@dokumen_group.group("tahapan")
def tahapan_group() -> None:
    """Data dukung empat tahapan penerapan SPM per layanan."""


@tahapan_group.command("unggah")
@with_db(actor=True)
@click.option("--region", "--wilayah", "kode_wilayah", required=True)
@click.option("--year", "--tahun", "tahun", type=int, required=True)
@click.option("--service", "--layanan", "kode_layanan", required=True, help="Mis. KES-K-01.")
@click.option("--tahap", type=click.Choice(list(tahapan.TAHAPAN)), required=True)
@click.argument("berkas", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def tahapan_unggah(
    db: Database,
    actor: Actor,
    kode_wilayah: str,
    tahun: int,
    kode_layanan: str,
    tahap: str,
    berkas: Path,
) -> None:
    """Unggah data dukung satu tahap satu layanan (PDF, JPG atau PNG)."""
    name, content = _file(berkas)
    new_id = tahapan.unggah(
        db,
        actor,
        kode_wilayah=kode_wilayah,
        tahun=tahun,
        kode_layanan=kode_layanan,
        tahap=tahap,
        nama_berkas=name,
        content=content,
    )
    click.echo(
        f"Data dukung #{new_id} {tahapan.TAHAPAN[tahap]} {kode_layanan} {kode_wilayah} "
        f"{tahun} tersimpan."
    )


@tahapan_group.command("daftar")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, default=None)
@click.option("--region", "--wilayah", "kode_wilayah", default=None)
@_format_option
def tahapan_daftar(
    db: Database, actor: Actor, tahun: int | None, kode_wilayah: str | None, fmt_: str
) -> None:
    """Data dukung tahapan (pengunggah: wilayahnya sendiri)."""
    frame = tahapan.daftar(db, actor, tahun=tahun, kode_wilayah=kode_wilayah)
    if fmt_ == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    echo_table(frame[TAHAPAN_SHOWN], "Belum ada data dukung tahapan.")


@tahapan_group.command("get")
@with_db(read_only=True, actor=True)
@click.argument("tahapan_id", type=int)
@_out_option
def tahapan_get(db: Database, actor: Actor, tahapan_id: int, out: Path | None) -> None:
    """Ambil berkas data dukung TAHAPAN_ID persis seperti diunggah."""
    name, content = tahapan.berkas_tahapan(db, tahapan_id, actor=actor)
    _save(out or Path(name), content)


@click.command("awards")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, required=True)
@click.option("--region", "--wilayah", "kode_wilayah", default=None, help="Satu kabupaten/kota.")
@_format_option
def awards_cmd(db: Database, actor: Actor, tahun: int, kode_wilayah: str | None, fmt_: str) -> None:
    """Skor kesiapan SPM Awards per kabupaten/kota (dari 100), tertinggi dulu."""
    result = awards.skor(db, actor, tahun, kode_wilayah=kode_wilayah)
    frame = result.skor
    if fmt_ == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    echo_table(frame[awards.COLUMNS], "Tidak ada kabupaten/kota untuk dinilai.")
    note = result.catatan_status()
    if note:
        click.echo(f"Catatan status data: {note}; skor dapat berubah.")
