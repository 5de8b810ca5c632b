"""``spm report``: build, finalise, verify and export the reports (thin over pipelines.laporan)."""

from __future__ import annotations

from pathlib import Path

import click

from pipelines.auth.access import Actor
from pipelines.cli.common import cli_actor, db_option, open_for_cli, quarter_option, with_db
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.laporan import pdf, records
from pipelines.laporan.bundle import export_bundle

OUT_OPTION = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder tujuan berkas.",
)


PAKSA_OPTION = click.option(
    "--paksa",
    is_flag=True,
    help="Finalkan walaupun ada data yang belum diverifikasi; daftarnya dicatat di laporan "
    "dan manifest.",
)


# The group and ``export`` check their arguments before they open the database.
@click.group("report", invoke_without_command=True)
@db_option()
@click.option("--year", "--tahun", "tahun", type=int, default=None, help="Tahun laporan.")
@quarter_option(help="Triwulan 1-4 (bawaan: triwulan terakhir yang ada datanya).")
@click.option(
    "--region",
    "--wilayah",
    "region",
    default=None,
    help="Kode wilayah: provinsi (paket laporan provinsi, bawaan) atau kabupaten/kota (rekap).",
)
@OUT_OPTION
@click.option("--finalise", "--finalkan", "finalise", is_flag=True, help="Langsung finalkan.")
@PAKSA_OPTION
@click.option("--bundle", is_flag=True, help="Tulis juga paket ekspor ZIP untuk Pusat (final).")
@click.option("--note", "--catatan", "note", default=None, help="Catatan versi.")
@click.pass_context
def report(
    ctx: click.Context,
    db_path: Path | None,
    tahun: int | None,
    triwulan: int | None,
    region: str | None,
    out_dir: Path | None,
    finalise: bool,
    paksa: bool,
    bundle: bool,
    note: str | None,
) -> None:
    """Susun laporan SPM (XLSX, DOCX, CSV) sebagai draf berversi; subperintah di bawah."""
    if ctx.invoked_subcommand is not None:
        return
    if tahun is None or out_dir is None:
        raise click.UsageError("Sebutkan --year TAHUN dan --out FOLDER.")
    with open_for_cli(db_path) as db:
        actor = cli_actor(db)
        records.check_can_write(actor)
        hasil = records.generate(db, tahun, triwulan, region, by=actor.username, catatan=note)
        record = hasil.laporan
        written = records.write_files(out_dir, [(f.nama_berkas, f.isi) for f in hasil.berkas])
        if finalise and record["status"] != "final":
            try:
                record = records.finalise(db, record["id"], by=actor.username, paksa=paksa)
            except records.ReportError as exc:
                raise records.ReportError(
                    f"Berkas draf laporan nomor {record['id']} sudah ditulis ke {out_dir}. {exc}"
                ) from None
        zip_path = None
        if bundle and record["status"] != "final":
            raise records.ReportError(
                f"Berkas draf laporan nomor {record['id']} sudah ditulis ke {out_dir}, tetapi "
                "paket ekspor hanya dibuat dari laporan final; jalankan 'spm report finalise "
                f"{record['id']}' lalu ulangi, atau tambahkan --finalise."
            )
        if bundle:
            name, content = export_bundle(db, record["id"], by=actor.username)
            zip_path = records.write_files(out_dir, [(name, content)])[0]
        steps = records.sync_sop(db, tahun, actor) if (finalise or bundle) else []
    status = "versi baru" if hasil.baru else "isi sama dengan versi yang sudah ada"
    click.echo(f"Laporan nomor {record['id']}: {records.describe(record)} — {status}.")
    for path in written:
        click.echo(f"  {path}")
    if zip_path is not None:
        click.echo(f"Paket ekspor untuk Pusat: {zip_path}")
    _tell_steps(steps)


def _tell_steps(steps: list[str]) -> None:
    if steps:
        click.echo(f"Langkah SOP yang tercatat selesai: {', '.join(steps)}.")


@report.command("list")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, default=None)
def report_list(db: Database, actor: Actor, tahun: int | None) -> None:
    """Daftar versi laporan."""
    frame = records.list_reports(db, tahun, actor=actor)
    if frame.empty:
        click.echo("Belum ada laporan.")
        return
    for r in frame.itertuples(index=False):
        final = (
            f", final oleh {r.difinalkan_oleh} {fmt.waktu(r.difinalkan_pada)}"
            if r.status == "final"
            else ""
        )
        click.echo(
            f"{r.id:>4}  {records.describe(r._asdict())}  dibuat {fmt.waktu(r.dibuat_pada)} "
            f"oleh {r.dibuat_oleh}{final}; diekspor {r.jumlah_ekspor} kali"
        )


@report.command("finalise")
@with_db(actor=True)
@click.argument("laporan_id", type=int)
@PAKSA_OPTION
def report_finalise(db: Database, actor: Actor, laporan_id: int, paksa: bool) -> None:
    """Finalkan draf laporan LAPORAN_ID (setelah itu tidak dapat diubah); ditolak selama
    ada data di balik angkanya yang belum diverifikasi, kecuali dengan --paksa."""
    records.check_can_write(actor)
    record = records.finalise(db, laporan_id, by=actor.username, paksa=paksa)
    steps = records.sync_sop(db, record["tahun"], actor)
    _tell_steps(steps)
    click.echo(
        f"{records.describe(record)} difinalkan oleh {record['difinalkan_oleh']} pada "
        f"{fmt.waktu(record['difinalkan_pada'])}."
    )
    for line in records.catatan_final(record):
        click.echo(f"  {line}")


@report.command("verify")
@with_db(read_only=True, actor=True)
@click.argument("laporan_id", type=int)
def report_verify(db: Database, actor: Actor, laporan_id: int) -> None:
    """Bangun ulang laporan dari basis data dan bandingkan isinya (keluar 1 bila berbeda)."""
    same, message = records.verify(db, laporan_id, actor=actor)
    click.echo(message)
    if not same:
        raise SystemExit(1)


@report.command("export")
@db_option()
@click.argument("laporan_id", type=int)
@OUT_OPTION
def report_export(db_path: Path | None, laporan_id: int, out_dir: Path | None) -> None:
    """Tulis paket ekspor ZIP (berkas, bukti SOP, manifest.json) laporan final LAPORAN_ID."""
    if out_dir is None:
        raise click.UsageError("Sebutkan --out FOLDER.")
    with open_for_cli(db_path) as db:
        actor = cli_actor(db)
        records.check_can_write(actor)
        name, content = export_bundle(db, laporan_id, by=actor.username)
        steps = records.sync_sop(db, records.get(db, laporan_id)["tahun"], actor)
    path = records.write_files(out_dir, [(name, content)])[0]
    click.echo(f"Paket ekspor untuk Pusat: {path}")
    _tell_steps(steps)


@report.command("pdf")
@db_option()
@click.argument("laporan_id", type=int)
@OUT_OPTION
def report_pdf(db_path: Path | None, laporan_id: int, out_dir: Path | None) -> None:
    """Tulis PDF narasi dan laporan SPM provinsi dari laporan LAPORAN_ID (LibreOffice)."""
    if out_dir is None:
        raise click.UsageError("Sebutkan --out FOLDER.")
    with open_for_cli(db_path, read_only=True) as db:
        records.check_can_read(cli_actor(db))
        record = records.get(db, laporan_id)
        stored = records.files(db, laporan_id)
    # The conversion runs after the database is closed: no other process waits for it.
    made = pdf.pdfs(stored, record["difinalkan_pada"] or record["dibuat_pada"])
    if not made:
        raise records.ReportError(f"{records.describe(record)} tidak punya narasi atau buku kerja.")
    for path in records.write_files(out_dir, made):
        click.echo(f"PDF: {path}")
