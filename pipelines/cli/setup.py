"""``spm init``, ``spm demo``, ``spm catalog`` and ``spm settings``: setting a database up
(reference data, demo data, the IKK catalog, the versioned settings)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipelines.auth import access, users
from pipelines.auth.access import Actor
from pipelines.cli.common import db_option, open_for_cli, operator_only, with_db
from pipelines.core import mutu_item, reference, settings
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ops.demo import loader
from pipelines.ops.demo import review as demo_review
from pipelines.ops.demo import users as demo_users
from pipelines.pelayanan import standar


@click.command()
@db_option()
@click.option(
    "--province", "--provinsi", default=None, help="Kode provinsi yang dilayani, mis. 19."
)
def init(db_path: Path | None, province: str | None) -> None:
    """Siapkan basis data: struktur, wilayah, katalog layanan SPM dan IKK, pengaturan."""
    by = operator_only("init")  # before the file is created
    with open_for_cli(db_path) as db:
        result = reference.init_reference(db, province=province, by=by)
        sample = standar.ensure_sample(db, by=by)
    click.echo(
        f"Basis data siap: {result.wilayah} wilayah, {result.layanan} jenis pelayanan dasar, "
        f"{result.ikk} IKK; provinsi yang dilayani {result.provinsi}; "
        f"pengaturan versi {result.settings_version}."
    )
    if sample is not None and sample.accepted:
        click.echo(f"Contoh standar pelayanan dimuat: {sample.baru} layanan (seed 002, Balangan).")


@click.command()
@db_option()
@click.option(
    "--scale",
    type=click.Choice(["babel", "national"]),
    default="babel",
    show_default=True,
    help="babel: Bangka Belitung; national: 38 provinsi, 514 kab/kota.",
)
@click.option("--years", default="2022-2025", show_default=True, help="Tahun data SPM.")
@click.option(
    "--lppd-years", default=None, help="Tahun data LPPD (bawaan: semua kecuali tahun terakhir)."
)
@click.option("--seed", type=int, default=7, show_default=True)
def demo(db_path: Path | None, scale: str, years: str, lppd_years: str | None, seed: int) -> None:
    """Isi basis data dengan data demo yang deterministik (seed sama, tabel sama)."""
    by = operator_only("demo")  # replaces the data: never as an account
    # The years are read before the database is opened: a typo creates no file.
    spm_years = loader.parse_years(years)
    lppd = loader.parse_years(lppd_years) if lppd_years else None
    with open_for_cli(db_path) as db:
        if not reference.is_initialised(db):
            reference.init_reference(db, by=by)
        result = loader.load(db, scale=scale, years=spm_years, lppd_years=lppd, seed=seed)
        accounts = demo_accounts(db)
    click.echo(
        f"Data demo dimuat: {result.wilayah} wilayah, {result.submissions} pengiriman, "
        f"{result.spm_rows} baris SPM, {result.lppd_rows} baris LPPD."
    )
    if accounts:
        click.echo(f"{accounts} akun demo dibuat (kata sandi: demo).")


def demo_accounts(db: Database) -> int:
    """Demo databases get one account per role (password 'demo') and a review history."""
    demo_review.seed_demo_history(db)
    return demo_users.create_demo_accounts(db)


@click.group()
def catalog() -> None:
    """Katalog layanan SPM, item mutu dan IKK LPPD."""


@catalog.command("load-ikk")
@with_db(actor=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def catalog_load_ikk(db: Database, actor: Actor, file: Path) -> None:
    """Ganti katalog IKK dengan isi FILE (CSV atau XLSX)."""
    result = reference.load_ikk(db, file, actor=actor)
    msg = f"Katalog IKK dimuat: {result['dimuat']} IKK."
    if result["dipertahankan_karena_ada_data"]:
        msg += (
            f" {result['dipertahankan_karena_ada_data']} IKK lama dipertahankan karena "
            "sudah ada datanya."
        )
    click.echo(msg)


@catalog.command("load-mutu")
@with_db(actor=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def catalog_load_mutu(db: Database, actor: Actor, file: Path) -> None:
    """Ganti katalog item mutu dengan isi FILE (CSV atau XLSX) sebagai versi baru."""
    result = mutu_item.load(db, file, actor=actor)
    if not result["baru"]:
        click.echo(f"Katalog item mutu sama dengan versi {result['versi']}; tidak ada perubahan.")
        return
    click.echo(
        f"Katalog item mutu versi {result['versi']} dimuat: {result['item']} item untuk "
        f"{result['layanan_rinci']} layanan; {result['layanan_umum']} layanan lain memakai "
        "satu item umum per kelompok."
    )


@click.group("settings")
def settings_group() -> None:
    """Pengaturan berversi (bobot, kategori, batas waktu, provinsi)."""


@settings_group.command("show")
@with_db(read_only=True, actor=True)
def settings_show(db: Database, actor: Actor) -> None:
    """Tampilkan pengaturan yang berlaku."""
    values, version = users.view_settings(db, actor)
    click.echo(f"Pengaturan versi {version}:")
    click.echo(json.dumps(values, ensure_ascii=False, indent=2, sort_keys=True))


@settings_group.command("set")
@with_db(actor=True)
@click.argument("pairs", nargs=-1, required=True, metavar="KEY VALUE [KEY VALUE]...")
@click.option("--note", "--catatan", default=None, help="Alasan perubahan.")
def settings_set(db: Database, actor: Actor, pairs: tuple[str, ...], note: str | None) -> None:
    """Ubah satu pengaturan atau lebih sekaligus (satu versi baru); VALUE ditulis sebagai
    JSON (mis. 0.7, 20, '"32"'). Bobot yang harus berjumlah 1 diubah bersama:
    spm settings set bobot_penerima 0.7 bobot_mutu 0.3."""
    access.require(actor, "ubah_pengaturan")  # before saying which keys exist
    if len(pairs) % 2:
        raise SpmError(
            "Tulis pasangan KUNCI NILAI, mis. 'spm settings set bobot_penerima 0.7 "
            "bobot_mutu 0.3'; nilai untuk pengaturan terakhir belum ditulis."
        )
    values = settings.current(db)
    changes = {}
    for key, value in zip(pairs[::2], pairs[1::2], strict=True):
        if key not in values and key not in settings.defaults():
            raise SpmError(
                f"Pengaturan '{key}' tidak dikenal; pilihan: {', '.join(sorted(values))}."
            )
        try:
            changes[key] = json.loads(value)
        except json.JSONDecodeError:
            changes[key] = value
    version = users.change_settings(db, actor, changes, catatan=note)
    click.echo(f"Pengaturan disimpan sebagai versi {version}.")
