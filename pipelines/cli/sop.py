"""``spm sop ...`` and ``spm siklus ...``: the SOP and the year's cycle (thin wrappers).

Imported at the end of ``cli.py``, which registers these groups on ``spm``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from pipelines.cli.root import cli, cli_actor, db_option, open_for_cli, user_errors
from pipelines.core import fmt
from pipelines.errors import SpmError
from pipelines.sop import cycle, detect, evidence, transitions
from pipelines.sop import definition as sop


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
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", "--catatan", default=None, help="Alasan perubahan.")
@user_errors
def sop_load(db_path: Path | None, file: Path, note: str | None) -> None:
    """Muat SOP dari FILE (YAML, format data/sop_spm_biro_pemerintahan.yaml) sebagai versi baru."""
    with open_for_cli(db_path) as db:
        actor = cli_actor(db)
        sop.check_admin(actor)
        loaded = sop.load(db, file, by=actor.username, note=note)
    click.echo(
        f"SOP '{loaded.judul}' versi {loaded.versi} berlaku: {len(loaded.steps)} langkah "
        f"dalam {len({s.fase for s in loaded.steps})} fase."
    )


@sop_group.command("show")
@db_option
@user_errors
def sop_show(db_path: Path | None) -> None:
    """Tampilkan langkah-langkah SOP yang berlaku."""
    with open_for_cli(db_path, read_only=True) as db:
        current = sop.current(db)
    versi = f"versi {current.versi}" if current.versi else "bawaan (belum dimuat ke basis data)"
    click.echo(f"{current.judul} — {versi}")
    for s in current.steps:
        click.echo(f"{s.kode:>4}  {s.waktu_baku:<14} {s.pelaku:<32} {s.aktivitas}")


# -- spm siklus ----------------------------------------------------------------------------
@click.group("siklus")
def siklus_group() -> None:
    """Siklus tahunan SOP: fase A (tahun berjalan) dan fase B (pelaporan tahun sebelumnya)."""


@siklus_group.command("start")
@db_option
@year_option
@click.option(
    "--from",
    "--mulai",
    "mulai",
    default=None,
    help="Tanggal mulai (bawaan: hari kerja pertama Januari).",
)
@user_errors
def siklus_start(db_path: Path | None, tahun: int, mulai: str | None) -> None:
    """Mulai siklus tahun Y: rencana tanggal dari waktu baku SOP."""
    with open_for_cli(db_path) as db:
        frame = cycle.start(db, tahun, actor=cli_actor(db), mulai=_date(mulai))
    ends = frame.groupby("fase")["rencana_selesai"].max()
    click.echo(
        f"Siklus {tahun} dimulai: {len(frame)} langkah; "
        + "; ".join(f"fase {f} rencana selesai {fmt.tanggal(d)}" for f, d in ends.items())
        + "."
    )


@siklus_group.command("show")
@db_option
@year_option
@click.option(
    "--format", "fmt_", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
@user_errors
def siklus_show(db_path: Path | None, tahun: int, fmt_: str) -> None:
    """Daftar langkah siklus: rencana, realisasi, status."""
    with open_for_cli(db_path, read_only=True) as db:
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
@db_option
@year_option
@user_errors
def siklus_sync(db_path: Path | None, tahun: int) -> None:
    """Catat langkah yang selesai menurut data (B2-B7)."""
    with open_for_cli(db_path) as db:
        done = detect.sync(db, tahun, actor=cli_actor(db))
    click.echo(
        f"Langkah selesai otomatis: {', '.join(done)}."
        if done
        else "Tidak ada langkah baru yang selesai."
    )


@siklus_group.group("step")
def step_group() -> None:
    """Perbarui satu langkah (mis. A1, B3)."""


def _step_command(name: str, help_text: str):
    def decorate(func):
        return step_group.command(name, help=help_text)(
            db_option(year_option(click.argument("step")(user_errors(func))))
        )

    return decorate


def _report(row: dict) -> None:
    label = f"{row['fase']}{row['nomor']}"
    click.echo(f"Langkah {label} siklus {row['tahun']}: {row['status']}.")


@_step_command("start", "Catat langkah mulai berjalan.")
@date_option
def step_start(db_path: Path | None, tahun: int, step: str, tanggal: str | None) -> None:
    with open_for_cli(db_path) as db:
        _report(
            transitions.start_step(db, tahun, step, actor=cli_actor(db), tanggal=_date(tanggal))
        )


@_step_command("finish", "Catat langkah selesai.")
@date_option
def step_finish(db_path: Path | None, tahun: int, step: str, tanggal: str | None) -> None:
    with open_for_cli(db_path) as db:
        _report(
            transitions.finish_step(db, tahun, step, actor=cli_actor(db), tanggal=_date(tanggal))
        )


@_step_command("revise", "Dokumen dikembalikan untuk perbaikan (menunggu perbaikan).")
@date_option
@click.option("--reason", "--alasan", "alasan", default=None, help="Apa yang harus diperbaiki.")
def step_revise(
    db_path: Path | None, tahun: int, step: str, tanggal: str | None, alasan: str | None
) -> None:
    with open_for_cli(db_path) as db:
        _report(
            transitions.send_back(
                db, tahun, step, actor=cli_actor(db), alasan=alasan, tanggal=_date(tanggal)
            )
        )


@_step_command("back", "Perbaikan diterima kembali; langkah berjalan lagi.")
@date_option
def step_back(db_path: Path | None, tahun: int, step: str, tanggal: str | None) -> None:
    with open_for_cli(db_path) as db:
        _report(
            transitions.resume_step(db, tahun, step, actor=cli_actor(db), tanggal=_date(tanggal))
        )


@_step_command("assign", "Tetapkan penanggung jawab langkah.")
@click.argument("person")
def step_assign(db_path: Path | None, tahun: int, step: str, person: str) -> None:
    with open_for_cli(db_path) as db:
        row = transitions.assign(db, tahun, step, person, actor=cli_actor(db))
    click.echo(f"Penanggung jawab langkah {row['fase']}{row['nomor']}: {row['penanggung_jawab']}.")


@_step_command("note", "Tambahkan catatan pada langkah.")
@click.argument("text")
def step_note(db_path: Path | None, tahun: int, step: str, text: str) -> None:
    with open_for_cli(db_path) as db:
        transitions.add_note(db, tahun, step, text, actor=cli_actor(db))
    click.echo("Catatan disimpan.")


@_step_command("attach", "Lampirkan berkas bukti (SK, notulen, laporan).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", "--keterangan", "keterangan", default=None, help="Keterangan bukti.")
def step_attach(
    db_path: Path | None, tahun: int, step: str, file: Path, keterangan: str | None
) -> None:
    with open_for_cli(db_path) as db:
        new_id = evidence.attach(
            db,
            tahun,
            step,
            file.name,
            file.read_bytes(),
            actor=cli_actor(db),
            keterangan=keterangan,
        )
    click.echo(f"Bukti nomor {new_id} ({file.name}) disimpan.")


@siklus_group.group("evidence")
def evidence_group() -> None:
    """Berkas bukti langkah siklus."""


@evidence_group.command("list")
@db_option
@year_option
@click.argument("step", required=False)
@user_errors
def evidence_list(db_path: Path | None, tahun: int, step: str | None) -> None:
    """Daftar bukti siklus (atau satu langkah)."""
    with open_for_cli(db_path, read_only=True) as db:
        frame = evidence.listing(db, tahun, step)
    if frame.empty:
        click.echo("Belum ada bukti.")
        return
    click.echo(frame.drop(columns=["sha256"]).to_string(index=False))


@evidence_group.command("get")
@db_option
@click.argument("bukti_id", type=int)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Simpan ke berkas ini (bawaan: nama aslinya di folder ini).",
)
@user_errors
def evidence_get(db_path: Path | None, bukti_id: int, out: Path | None) -> None:
    """Ambil berkas bukti BUKTI_ID persis seperti diunggah."""
    with open_for_cli(db_path, read_only=True) as db:
        name, content = evidence.read(db, bukti_id)
    target = out or Path(name)
    target.write_bytes(content)
    click.echo(f"Bukti disimpan ke {target} ({fmt.angka(len(content))} bita).")


# Registered on import (cli.py imports this module on its last line).
cli.add_command(sop_group)
cli.add_command(siklus_group)
