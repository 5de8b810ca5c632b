"""``spm sop ...`` and ``spm siklus ...``: the library of procedures and their cycles
(thin wrappers over pipelines.sop). Every ``spm siklus`` command names a cycle with
``--year`` and, for a procedure other than the Biro's SOP, ``--sop`` and ``--region``
(a kabupaten/kota uploader's own region by default)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from pipelines.auth.access import Actor
from pipelines.cli.common import F, echo_table, iso_date, with_db
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.sop import cycle, definition, detect, evidence, pantau, step, transitions
from pipelines.sop.step import Ref

year_option = click.option(
    "--year", "--tahun", "tahun", type=int, required=True, help="Tahun siklus."
)
date_option = click.option(
    "--date", "--tanggal", "tanggal", default=None, help="Tanggal (YYYY-MM-DD; bawaan: hari ini)."
)
sop_option = click.option(
    "--sop",
    "sop_kode",
    default=None,
    help="Kode prosedur (bawaan: spm-provinsi, SOP Biro Pemerintahan; lihat 'spm sop list').",
)
region_option = click.option(
    "--region",
    "--wilayah",
    "wilayah",
    default=None,
    help="Wilayah yang menjalankan siklus (mis. 19.01; bawaan: provinsi, atau wilayah akun).",
)


def cycle_options(func: F) -> F:
    """``--year``, ``--sop`` and ``--region``: which cycle a command is about."""
    return year_option(sop_option(region_option(func)))


def _ref(db: Database, actor: Actor | None, sop_kode: str | None, wilayah: str | None, tahun: int):
    """The cycle named on the command line; a kabupaten/kota uploader's region by default."""
    own = actor is not None and actor.role == "pengunggah_kabkota"
    if wilayah is None and own and sop_kode and sop_kode != definition.PROVINSI:
        wilayah = actor.kode_wilayah
    return step.ref_for(db, sop_kode, wilayah, tahun)


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


@sop_group.command("list")
@with_db(read_only=True, actor=True)
def sop_list(db: Database, actor: Actor) -> None:
    """Daftar prosedur: kode, tingkat, jumlah langkah, batas waktu dan versi yang berlaku."""
    for proc in definition.library(db, actor=actor):
        versi = f"versi {proc.versi}" if proc.versi else "bawaan"
        click.echo(
            f"{proc.kode:<14} {proc.tingkat:<15} {len(proc.steps):>2} langkah  {versi:<8} "
            f"{proc.judul}"
        )
        if proc.batas:
            click.echo(f"{'':<14} batas waktu: {proc.batas.teks}")


@sop_group.command("show")
@with_db(read_only=True, actor=True)
@sop_option
def sop_show(db: Database, actor: Actor, sop_kode: str | None) -> None:
    """Tampilkan langkah-langkah prosedur yang berlaku (bawaan: SOP Biro Pemerintahan)."""
    kode = (sop_kode or definition.PROVINSI).lower()
    if kode not in definition.codes(db):
        raise definition.unknown(kode)
    current = definition.current(db, kode=kode, actor=actor)
    versi = f"versi {current.versi}" if current.versi else "bawaan (belum dimuat ke basis data)"
    click.echo(f"{current.judul} [{current.kode}, {current.tingkat}] — {versi}")
    if current.batas:
        click.echo(f"Batas waktu: {current.batas.teks}")
    for s in current.steps:
        click.echo(f"{s.kode:>4}  {s.waktu_baku:<14} {s.pelaku:<32} {s.aktivitas}")


# -- spm siklus ----------------------------------------------------------------------------
@click.group("siklus")
def siklus_group() -> None:
    """Siklus tahunan SOP: fase A (tahun berjalan) dan fase B (pelaporan tahun sebelumnya)."""


@siklus_group.command("start")
@with_db(actor=True)
@cycle_options
@click.option(
    "--from",
    "--mulai",
    "mulai",
    default=None,
    help="Tanggal mulai (bawaan: hari kerja pertama Januari).",
)
def siklus_start(
    db: Database,
    actor: Actor,
    tahun: int,
    sop_kode: str | None,
    wilayah: str | None,
    mulai: str | None,
) -> None:
    """Mulai siklus tahun Y: rencana tanggal dari waktu baku prosedur.

    --region semua memulai siklus prosedur kabupaten/kota untuk setiap kabupaten/kota
    yang belum punya.
    """
    if wilayah in ("semua", "all"):
        started = cycle.start_all(db, sop_kode or "", tahun, actor=actor, mulai=iso_date(mulai))
        click.echo(
            f"Siklus {sop_kode} {tahun} dimulai untuk {len(started)} kabupaten/kota"
            + (f": {', '.join(started)}." if started else " (semua sudah punya siklus).")
        )
        return
    ref = _ref(db, actor, sop_kode, wilayah, tahun)
    frame = cycle.start(db, ref, actor=actor, mulai=iso_date(mulai))
    _started(db, ref, frame)


def _started(db: Database, ref: Ref, frame) -> None:
    ends = frame.groupby("fase")["rencana_selesai"].max()
    line = f"{fmt.kalimat(ref.text())} dimulai: {len(frame)} langkah; " + "; ".join(
        f"fase {f} rencana selesai {fmt.tanggal(d)}" for f, d in ends.items()
    )
    due = cycle.deadline(db, ref)
    if due is not None:
        line += f"; batas waktu {fmt.tanggal(due)}"
        if max(ends) > due:
            line += " (PERINGATAN: rencana melewati batas waktu; mulai lebih awal)"
    click.echo(line + ".")


@siklus_group.command("show")
@with_db(read_only=True, actor=True)
@cycle_options
@click.option(
    "--format", "fmt_", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
def siklus_show(
    db: Database, actor: Actor, tahun: int, sop_kode: str | None, wilayah: str | None, fmt_: str
) -> None:
    """Daftar langkah siklus: rencana, realisasi, status."""
    ref = _ref(db, actor, sop_kode, wilayah, tahun)
    frame = cycle.show_frame(cycle.steps(db, ref, actor=actor))
    if fmt_ == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    table = frame.drop(
        columns=["masukan", "keluaran", "hari_baku", "hari_terukur", "hari_perbaikan"]
    )
    table = table.assign(aktivitas=table["aktivitas"].str.slice(0, 50))
    due = cycle.deadline(db, ref)
    if due is not None:
        click.echo(f"Batas waktu {ref.text()}: {fmt.tanggal(due)}.")
    click.echo(table.to_string(index=False))


@siklus_group.command("overview")
@with_db(read_only=True, actor=True)
@year_option
@click.option("--sop", "sop_kode", default="lppd-kabkota", show_default=True, help="Prosedur.")
@click.option(
    "--format", "fmt_", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
def siklus_overview(db: Database, actor: Actor, tahun: int, sop_kode: str, fmt_: str) -> None:
    """Semua kabupaten/kota provinsi pada satu prosedur: langkah sekarang, sisa hari
    menuju batas waktu, keterlambatan."""
    frame = pantau.overview(db, sop_kode, tahun, actor=actor)
    if fmt_ == "csv":
        pantau.csv_frame(frame).to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    echo_table(pantau.table_frame(frame), "Tidak ada kabupaten/kota untuk ditampilkan.")


@siklus_group.command("reminders")
@with_db(read_only=True, actor=True)
@year_option
@click.option("--sop", "sop_kode", default="lppd-kabkota", show_default=True, help="Prosedur.")
def siklus_reminders(db: Database, actor: Actor, tahun: int, sop_kode: str) -> None:
    """Kabupaten/kota yang perlu diingatkan (paling mendesak dulu), dengan akun yang dihubungi."""
    frame = pantau.reminders(db, sop_kode, tahun, actor=actor)
    echo_table(
        frame.rename(
            columns={  # the words of 'siklus overview' and of the page's Daftar pengingat
                "kode_wilayah": "kode",
                "nama_wilayah": "kabupaten/kota",
                "langkah_sekarang": "sekarang",
                "batas_waktu": "batas",
                "sisa_hari": "sisa hari",
                "email": "e-mail",
            }
        ),
        "Tidak ada yang perlu diingatkan.",
    )


@siklus_group.command("sync")
@with_db(actor=True)
@year_option
def siklus_sync(db: Database, actor: Actor, tahun: int) -> None:
    """Catat langkah SOP Biro yang selesai menurut data (B2-B7)."""
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
    """``spm siklus step NAME --year Y [--sop S --region R] STEP ...``, acting as
    ``cli_actor`` on the cycle (handed to the command as ``siklus``)."""

    def decorate(func: F) -> click.Command:
        @functools.wraps(func)
        def run(
            db: Database,
            actor: Actor,
            tahun: int,
            sop_kode: str | None,
            wilayah: str | None,
            **kwargs,
        ):
            return func(db, actor, _ref(db, actor, sop_kode, wilayah, tahun), **kwargs)

        return step_group.command(name, help=help_text)(
            with_db(actor=True)(cycle_options(click.argument("step")(run)))
        )

    return decorate


def _report(row: dict) -> None:
    label = f"{row['fase']}{row['nomor']}"
    click.echo(f"Langkah {label} {step.step_of(row).text()}: {row['status']}.")


def _move_command(name: str, help_text: str, move: Callable[..., dict]) -> click.Command:
    """``spm siklus step start|finish|back``: move a step on a date (default today)."""

    @_step_command(name, help_text)
    @date_option
    def command(db: Database, actor: Actor, siklus: Ref, step: str, tanggal: str | None) -> None:
        _report(move(db, siklus, step, actor=actor, tanggal=iso_date(tanggal)))

    return command


step_start = _move_command("start", "Catat langkah mulai berjalan.", transitions.start_step)
step_finish = _move_command("finish", "Catat langkah selesai.", transitions.finish_step)


@_step_command("revise", "Dokumen dikembalikan untuk perbaikan (menunggu perbaikan).")
@date_option
@click.option("--reason", "--alasan", "alasan", default=None, help="Apa yang harus diperbaiki.")
def step_revise(
    db: Database, actor: Actor, siklus: Ref, step: str, tanggal: str | None, alasan: str | None
) -> None:
    _report(
        transitions.send_back(
            db, siklus, step, actor=actor, alasan=alasan, tanggal=iso_date(tanggal)
        )
    )


step_back = _move_command(
    "back", "Perbaikan diterima kembali; langkah berjalan lagi.", transitions.resume_step
)


@_step_command("assign", "Tetapkan penanggung jawab langkah.")
@click.argument("person")
def step_assign(db: Database, actor: Actor, siklus: Ref, step: str, person: str) -> None:
    row = transitions.assign(db, siklus, step, person, actor=actor)
    click.echo(f"Penanggung jawab langkah {row['fase']}{row['nomor']}: {row['penanggung_jawab']}.")


@_step_command("note", "Tambahkan catatan pada langkah.")
@click.argument("text")
def step_note(db: Database, actor: Actor, siklus: Ref, step: str, text: str) -> None:
    transitions.add_note(db, siklus, step, text, actor=actor)
    click.echo("Catatan disimpan.")


@_step_command("attach", "Lampirkan berkas bukti (SK, notulen, laporan).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", "--keterangan", "keterangan", default=None, help="Keterangan bukti.")
def step_attach(
    db: Database, actor: Actor, siklus: Ref, step: str, file: Path, keterangan: str | None
) -> None:
    new_id = evidence.attach(
        db, siklus, step, file.name, file.read_bytes(), actor=actor, keterangan=keterangan
    )
    click.echo(f"Bukti nomor {new_id} ({file.name}) disimpan.")


@siklus_group.group("evidence")
def evidence_group() -> None:
    """Berkas bukti langkah siklus."""


@evidence_group.command("list")
@with_db(read_only=True, actor=True)
@cycle_options
@click.argument("step_kode", metavar="STEP", required=False)
def evidence_list(
    db: Database,
    actor: Actor,
    tahun: int,
    sop_kode: str | None,
    wilayah: str | None,
    step_kode: str | None,
) -> None:
    """Daftar bukti siklus (atau satu langkah)."""
    ref = _ref(db, actor, sop_kode, wilayah, tahun)
    frame = evidence.listing(db, ref, step_kode, actor=actor)
    if frame.empty:
        click.echo("Belum ada bukti.")
        return
    click.echo(frame.drop(columns=["sha256"]).to_string(index=False))


@evidence_group.command("get")
@with_db(read_only=True, actor=True)
@click.argument("bukti_id", type=int)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Simpan ke berkas ini (bawaan: nama aslinya di folder ini).",
)
def evidence_get(db: Database, actor: Actor, bukti_id: int, out: Path | None) -> None:
    """Ambil berkas bukti BUKTI_ID persis seperti diunggah."""
    name, content = evidence.read(db, bukti_id, actor=actor)
    target = out or Path(name)
    target.write_bytes(content)
    click.echo(f"Bukti disimpan ke {target} ({fmt.angka(len(content))} bita).")
