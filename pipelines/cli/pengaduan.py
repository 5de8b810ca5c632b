"""``spm pengaduan``: complaints (thin wrappers over pipelines.pelayanan.pengaduan and
pengaduan_baca). ``spm --as USER`` sees and changes exactly what that account may in
the app, the complainant's identity included."""

from __future__ import annotations

import sys

import click

from pipelines.auth.access import Actor
from pipelines.cli.common import echo_table, iso_date, with_db
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.pelayanan import pengaduan, pengaduan_baca


@click.group("pengaduan")
def pengaduan_group() -> None:
    """Pengaduan masyarakat: catat, disposisi, tindak lanjut, batas waktu."""


@pengaduan_group.command("add")
@with_db(actor=True)
@click.option("--unit", "kode_unit", required=True, help="Unit yang menangani, mis. dinkes.")
@click.option("--channel", "--kanal", "kanal", type=click.Choice(pengaduan.KANAL), required=True)
@click.option(
    "--class",
    "--klasifikasi",
    "klasifikasi",
    type=click.Choice(pengaduan.KLASIFIKASI),
    required=True,
)
@click.option("--title", "--judul", "judul", required=True, help="Pokok pengaduan.")
@click.option("--text", "--isi", "isi", default=None, help="Isi pengaduan.")
@click.option(
    "--service", "--layanan", "kode_layanan", default=None, help="Kode layanan (standar pelayanan)."
)
@click.option(
    "--received", "--diterima", "diterima", default=None, help="Tanggal diterima (YYYY-MM-DD)."
)
@click.option("--name", "--nama", "nama", default=None, help="Nama pelapor (dirahasiakan).")
@click.option(
    "--contact", "--kontak", "kontak", default=None, help="Kontak pelapor (dirahasiakan)."
)
@click.option("--lapor-id", "--nomor-lapor", "nomor_lapor", default=None, help="ID SP4N-LAPOR!.")
def pengaduan_add(
    db: Database,
    actor: Actor,
    kode_unit: str,
    kanal: str,
    klasifikasi: str,
    judul: str,
    isi: str | None,
    kode_layanan: str | None,
    diterima: str | None,
    nama: str | None,
    kontak: str | None,
    nomor_lapor: str | None,
) -> None:
    """Catat pengaduan baru; mencetak nomor pelacakannya."""
    nomor = pengaduan.create(
        db,
        actor=actor,
        kode_unit=kode_unit,
        kanal=kanal,
        klasifikasi=klasifikasi,
        judul=judul,
        isi=isi,
        kode_layanan=kode_layanan,
        diterima_pada=iso_date(diterima),
        nama_pelapor=nama,
        kontak_pelapor=kontak,
        nomor_lapor=nomor_lapor,
    )
    click.echo(f"Pengaduan dicatat dengan nomor {nomor}.")


LIST_SHOWN = [
    "nomor",
    "diterima_pada",
    "kanal",
    "kode_unit",
    "klasifikasi",
    "judul",
    "status",
    "batas_tanggapan",
    "terlambat",
    "nama_pelapor",
    "kontak_pelapor",
]


@pengaduan_group.command("list")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, default=None)
@click.option("--unit", "kode_unit", default=None)
@click.option("--status", type=click.Choice(pengaduan.STATUS), default=None)
@click.option(
    "--format", "fmt_", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
def pengaduan_list(
    db: Database,
    actor: Actor,
    tahun: int | None,
    kode_unit: str | None,
    status: str | None,
    fmt_: str,
) -> None:
    """Pengaduan yang boleh Anda lihat, terbaru dulu."""
    frame = pengaduan_baca.listing(db, actor=actor, tahun=tahun, kode_unit=kode_unit, status=status)
    if fmt_ == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    echo_table(frame[LIST_SHOWN], "Tidak ada pengaduan.")


@pengaduan_group.command("show")
@with_db(read_only=True, actor=True)
@click.argument("nomor")
def pengaduan_show(db: Database, actor: Actor, nomor: str) -> None:
    """Satu pengaduan dengan riwayatnya."""
    row, history = pengaduan_baca.detail(db, nomor, actor=actor)
    for key in (
        "nomor",
        "nomor_lapor",
        "kanal",
        "klasifikasi",
        "nama_unit",
        "nama_layanan",
        "judul",
        "isi",
        "nama_pelapor",
        "kontak_pelapor",
        "disposisi",
        "status",
        "tanggapan",
    ):
        if row.get(key) is not None:
            click.echo(f"{key}: {row[key]}")
    for key in (
        "diterima_pada",
        "batas_disposisi",
        "batas_tanggapan",
        "batas_penyelesaian",
        "ditanggapi_pada",
        "selesai_pada",
    ):
        click.echo(f"{key}: {fmt.tanggal(row.get(key))}")
    click.echo("Riwayat:")
    echo_table(history, "–")


@pengaduan_group.command("status")
@with_db(actor=True)
@click.argument("nomor")
@click.argument("status", type=click.Choice(pengaduan.STATUS))
@click.option("--note", "--catatan", "catatan", default=None, help="Catatan (alasan).")
@click.option(
    "--response", "--tanggapan", "tanggapan", default=None, help="Tanggapan kepada pelapor."
)
@click.option("--date", "--tanggal", "tanggal", default=None, help="Tanggal (YYYY-MM-DD).")
def pengaduan_status(
    db: Database,
    actor: Actor,
    nomor: str,
    status: str,
    catatan: str | None,
    tanggapan: str | None,
    tanggal: str | None,
) -> None:
    """Ubah status pengaduan NOMOR (dicatat di riwayat)."""
    row = pengaduan.change_status(
        db,
        nomor,
        status,
        actor=actor,
        catatan=catatan,
        tanggapan=tanggapan,
        tanggal=iso_date(tanggal),
    )
    click.echo(f"Pengaduan {row['nomor']}: {row['status']}.")


@pengaduan_group.command("dispose")
@with_db(actor=True)
@click.argument("nomor")
@click.option("--unit", "kode_unit", required=True, help="Unit tujuan disposisi.")
@click.option("--note", "--catatan", "catatan", default=None, help="Isi disposisi.")
@click.option("--date", "--tanggal", "tanggal", default=None, help="Tanggal (YYYY-MM-DD).")
def pengaduan_dispose(
    db: Database, actor: Actor, nomor: str, kode_unit: str, catatan: str | None, tanggal: str | None
) -> None:
    """Disposisikan pengaduan NOMOR kepada unit lain (Biro Pemerintahan)."""
    row = pengaduan.dispose(
        db, nomor, kode_unit, actor=actor, catatan=catatan, tanggal=iso_date(tanggal)
    )
    click.echo(f"Pengaduan {row['nomor']} didisposisikan ke {row['kode_unit']} ({row['status']}).")


@pengaduan_group.command("overdue")
@with_db(read_only=True, actor=True)
def pengaduan_overdue(db: Database, actor: Actor) -> None:
    """Pengaduan yang melewati batas disposisi, tanggapan atau penyelesaian."""
    echo_table(
        pengaduan_baca.overdue(db, actor=actor), "Tidak ada pengaduan yang lewat batas waktu."
    )


@pengaduan_group.command("rekap")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, required=True)
def pengaduan_rekap(db: Database, actor: Actor, tahun: int) -> None:
    """Jumlah pengaduan per unit (di samping IKM unit) dan per layanan."""
    per_unit, per_service = pengaduan_baca.rekap(db, tahun, actor=actor)
    click.echo(f"Per unit {tahun}:")
    echo_table(per_unit, "Tidak ada pengaduan.")
    click.echo(f"Per layanan {tahun}:")
    echo_table(per_service, "Tidak ada pengaduan.")
