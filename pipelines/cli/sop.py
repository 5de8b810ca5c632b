"""``spm sop ...`` and ``spm siklus ...``: the SOP and the year's cycle (thin wrappers
over pipelines.sop.definition and pipelines.sop.cycle)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import click

from pipelines.auth.access import Actor
from pipelines.cli.common import F, with_db
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.sop import cycle, definition, detect, evidence, transitions


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SpmError(f"Tanggal '{value}' tidak sah; tulis sebagai YYYY-MM-DD.") from None


year_option = click.option(
    "--year", "--tahun", "tahun", type=int, required=True, help="Tahun siklus."
)
date_option = click.option(
    "--date", "--tanggal", "tanggal", default=None, help="Tanggal (YYYY-MM-DD; bawaan: hari ini)."
)


# -- spm sop -------------------------------------------------------------------------------
@click.group("sop")
def sop_group() -> None:
    """SOP Pelaksanaan Penerapan dan Pelaporan SPM (berversi)."""


@sop_group.command("load")
@with_db(actor=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", "--catatan", default=None, help="Alasan perubahan.")
def sop_load(db: Database, actor: Actor, file: Path, note: str | None) -> None:
    """Muat SOP dari FILE (YAML, format data/sop_spm_biro_pemerintahan.yaml) sebagai versi baru."""
    definition.check_admin(actor)
    loaded = definition.load(db, file, by=actor.username, note=note)
    click.echo(
        f"SOP '{loaded.judul}' versi {loaded.versi} berlaku: {len(loaded.steps)} langkah "
        f"dalam {len({s.fase for s in loaded.steps})} fase."
    )


@sop_group.command("show")
@with_db(read_only=True)
def sop_show(db: Database) -> None:
    """Tampilkan langkah-langkah SOP yang berlaku."""
    current = definition.current(db)
    versi = f"versi {current.versi}" if current.versi else "bawaan (belum dimuat ke basis data)"
    click.echo(f"{current.judul} — {versi}")
    for s in current.steps:
        click.echo(f"{s.kode:>4}  {s.waktu_baku:<14} {s.pelaku:<32} {s.aktivitas}")


# -- spm siklus ----------------------------------------------------------------------------
@click.group("siklus")
def siklus_group() -> None:
    """Siklus tahunan SOP: fase A (tahun berjalan) dan fase B (pelaporan tahun sebelumnya)."""


@siklus_group.command("start")
@with_db(actor=True)
@year_option
@click.option(
    "--from",
    "--mulai",
    "mulai",
    default=None,
    help="Tanggal mulai (bawaan: hari kerja pertama Januari).",
)
def siklus_start(db: Database, actor: Actor, tahun: int, mulai: str | None) -> None:
    """Mulai siklus tahun Y: rencana tanggal dari waktu baku SOP."""
    frame = cycle.start(db, tahun, actor=actor, mulai=_date(mulai))
    ends = frame.groupby("fase")["rencana_selesai"].max()
    click.echo(
        f"Siklus {tahun} dimulai: {len(frame)} langkah; "
        + "; ".join(f"fase {f} rencana selesai {fmt.tanggal(d)}" for f, d in ends.items())
        + "."
    )


@siklus_group.command("show")
@with_db(read_only=True)
@year_option
@click.option(
    "--format", "fmt_", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
def siklus_show(db: Database, tahun: int, fmt_: str) -> None:
    """Daftar langkah siklus: rencana, realisasi, status."""
    frame = cycle.show_frame(cycle.steps(db, tahun))
    if fmt_ == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    table = frame.drop(
        columns=["masukan", "keluaran", "hari_baku", "hari_terukur", "hari_perbaikan"]
    )
    table = table.assign(aktivitas=table["aktivitas"].str.slice(0, 50))
    click.echo(table.to_string(index=False))


@siklus_group.command("sync")
@with_db(actor=True)
@year_option
def siklus_sync(db: Database, actor: Actor, tahun: int) -> None:
    """Catat langkah yang selesai menurut data (B2-B7)."""
    done = detect.sync(db, tahun, actor=actor)
    click.echo(
        f"Langkah selesai otomatis: {', '.join(done)}."
        if done
        else "Tidak ada langkah baru yang selesai."
    )


@siklus_group.group("step")
def step_group() -> None:
    """Perbarui satu langkah (mis. A1, B3)."""


def _step_command(name: str, help_text: str) -> Callable[[F], click.Command]:
    """``spm siklus step NAME --year Y STEP ...``, acting as ``cli_actor`` on the database."""

    def decorate(func: F) -> click.Command:
        return step_group.command(name, help=help_text)(
            with_db(actor=True)(year_option(click.argument("step")(func)))
        )

    return decorate


def _report(row: dict) -> None:
    label = f"{row['fase']}{row['nomor']}"
    click.echo(f"Langkah {label} siklus {row['tahun']}: {row['status']}.")


def _move_command(name: str, help_text: str, move: Callable[..., dict]) -> click.Command:
    """``spm siklus step start|finish|back``: move a step on a date (default today)."""

    @_step_command(name, help_text)
    @date_option
    def command(db: Database, actor: Actor, tahun: int, step: str, tanggal: str | None) -> None:
        _report(move(db, tahun, step, actor=actor, tanggal=_date(tanggal)))

    return command


step_start = _move_command("start", "Catat langkah mulai berjalan.", transitions.start_step)
step_finish = _move_command("finish", "Catat langkah selesai.", transitions.finish_step)


@_step_command("revise", "Dokumen dikembalikan untuk perbaikan (menunggu perbaikan).")
@date_option
@click.option("--reason", "--alasan", "alasan", default=None, help="Apa yang harus diperbaiki.")
def step_revise(
    db: Database, actor: Actor, tahun: int, step: str, tanggal: str | None, alasan: str | None
) -> None:
    _report(
        transitions.send_back(db, tahun, step, actor=actor, alasan=alasan, tanggal=_date(tanggal))
    )


step_back = _move_command(
    "back", "Perbaikan diterima kembali; langkah berjalan lagi.", transitions.resume_step
)


@_step_command("assign", "Tetapkan penanggung jawab langkah.")
@click.argument("person")
def step_assign(db: Database, actor: Actor, tahun: int, step: str, person: str) -> None:
    row = transitions.assign(db, tahun, step, person, actor=actor)
    click.echo(f"Penanggung jawab langkah {row['fase']}{row['nomor']}: {row['penanggung_jawab']}.")


@_step_command("note", "Tambahkan catatan pada langkah.")
@click.argument("text")
def step_note(db: Database, actor: Actor, tahun: int, step: str, text: str) -> None:
    transitions.add_note(db, tahun, step, text, actor=actor)
    click.echo("Catatan disimpan.")


@_step_command("attach", "Lampirkan berkas bukti (SK, notulen, laporan).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", "--keterangan", "keterangan", default=None, help="Keterangan bukti.")
def step_attach(
    db: Database, actor: Actor, tahun: int, step: str, file: Path, keterangan: str | None
) -> None:
    new_id = evidence.attach(
        db, tahun, step, file.name, file.read_bytes(), actor=actor, keterangan=keterangan
    )
    click.echo(f"Bukti nomor {new_id} ({file.name}) disimpan.")


@siklus_group.group("evidence")
def evidence_group() -> None:
    """Berkas bukti langkah siklus."""


@evidence_group.command("list")
@with_db(read_only=True)
@year_option
@click.argument("step", required=False)
def evidence_list(db: Database, tahun: int, step: str | None) -> None:
    """Daftar bukti siklus (atau satu langkah)."""
    frame = evidence.listing(db, tahun, step)
    if frame.empty:
        click.echo("Belum ada bukti.")
        return
    click.echo(frame.drop(columns=["sha256"]).to_string(index=False))


@evidence_group.command("get")
@with_db(read_only=True)
@click.argument("bukti_id", type=int)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Simpan ke berkas ini (bawaan: nama aslinya di folder ini).",
)
def evidence_get(db: Database, bukti_id: int, out: Path | None) -> None:
    """Ambil berkas bukti BUKTI_ID persis seperti diunggah."""
    name, content = evidence.read(db, bukti_id)
    target = out or Path(name)
    target.write_bytes(content)
    click.echo(f"Bukti disimpan ke {target} ({fmt.angka(len(content))} bita).")
