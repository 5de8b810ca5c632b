"""The ``spm`` command: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.core import reference, settings
from pipelines.db.store import Database, default_db_path
from pipelines.errors import SpmError
from pipelines.ops.demo import loader as demo_mod

# How long a command waits for another process to release the database file.
DEFAULT_WAIT_SECONDS = float(os.environ.get("SPM_DB_WAIT", "60"))


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "tidak-diketahui"


def actor_name() -> str:
    """The CLI acts as the local administrator; audited with the OS user."""
    return f"admin-lokal ({os_user()})"


def cli_actor(db: Database) -> Actor:
    """Who this command acts as: ``spm --as USERNAME ...`` or the local administrator."""
    ctx = click.get_current_context()
    username = (ctx.find_root().obj or {}).get("as_user")
    return access.actor_for(db, username) if username else access.local_admin(os_user())


def db_option(func: Callable) -> Callable:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Berkas basis data (bawaan: $SPM_DB atau data/spm.duckdb).",
    )(func)


def open_for_cli(db_path: Path | None, *, read_only: bool = False) -> Database:
    path = db_path or default_db_path()

    def tell(remaining: float) -> None:
        click.echo(
            f"Basis data {path.name} sedang dipakai proses lain; menunggu giliran "
            f"(paling lama {remaining:.0f} detik)...",
            err=True,
        )

    return Database.open(path, read_only=read_only, wait_seconds=DEFAULT_WAIT_SECONDS, on_wait=tell)


def user_errors(func: Callable) -> Callable:
    """Show SpmError as one plain sentence with exit code 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SpmError as exc:
            click.echo(f"Galat: {exc}", err=True)
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--as",
    "as_user",
    default=None,
    metavar="USERNAME",
    help="Bertindak sebagai akun ini (bawaan: administrator lokal).",
)
@click.pass_context
def cli(ctx: click.Context, as_user: str | None) -> None:
    """Pemantauan SPM dan LPPD untuk Biro Pemerintahan provinsi."""
    ctx.ensure_object(dict)
    ctx.obj["as_user"] = as_user


@cli.command()
@db_option
@click.option(
    "--province", "--provinsi", default=None, help="Kode provinsi yang dilayani, mis. 19."
)
@user_errors
def init(db_path: Path | None, province: str | None) -> None:
    """Siapkan basis data: struktur, wilayah, katalog layanan SPM dan IKK, pengaturan."""
    with open_for_cli(db_path) as db:
        result = reference.init_reference(db, province=province, by=actor_name())
    click.echo(
        f"Basis data siap: {result.wilayah} wilayah, {result.layanan} jenis pelayanan dasar, "
        f"{result.ikk} IKK; provinsi yang dilayani {result.provinsi}; "
        f"pengaturan versi {result.settings_version}."
    )


@cli.command()
@db_option
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
@user_errors
def demo(db_path: Path | None, scale: str, years: str, lppd_years: str | None, seed: int) -> None:
    """Isi basis data dengan data demo yang deterministik (seed sama, tabel sama)."""
    spm_years = demo_mod.parse_years(years)
    lppd = demo_mod.parse_years(lppd_years) if lppd_years else None
    with open_for_cli(db_path) as db:
        if not reference.is_initialised(db):
            reference.init_reference(db, by=actor_name())
        result = demo_mod.load(db, scale=scale, years=spm_years, lppd_years=lppd, seed=seed)
        accounts = demo_accounts(db)
    click.echo(
        f"Data demo dimuat: {result.wilayah} wilayah, {result.submissions} pengiriman, "
        f"{result.spm_rows} baris SPM, {result.lppd_rows} baris LPPD."
    )
    if accounts:
        click.echo(f"{accounts} akun demo dibuat (kata sandi: demo).")


def demo_accounts(db: Database) -> int:
    """Demo databases get one account per role (password 'demo') and a review history."""
    from pipelines.ops.demo import review, users

    review.seed_demo_history(db)
    return users.create_demo_accounts(db)


@cli.group()
def catalog() -> None:
    """Katalog layanan SPM dan IKK LPPD."""


@catalog.command("load-ikk")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@user_errors
def catalog_load_ikk(db_path: Path | None, file: Path) -> None:
    """Ganti katalog IKK dengan isi FILE (CSV atau XLSX)."""
    with open_for_cli(db_path) as db:
        result = reference.load_ikk(db, file, by=actor_name())
    msg = f"Katalog IKK dimuat: {result['dimuat']} IKK."
    if result["dipertahankan_karena_ada_data"]:
        msg += (
            f" {result['dipertahankan_karena_ada_data']} IKK lama dipertahankan karena "
            "sudah ada datanya."
        )
    click.echo(msg)


@cli.group("settings")
def settings_group() -> None:
    """Pengaturan berversi (bobot, kategori, batas waktu, provinsi)."""


@settings_group.command("show")
@db_option
@user_errors
def settings_show(db_path: Path | None) -> None:
    """Tampilkan pengaturan yang berlaku."""
    import json

    with open_for_cli(db_path, read_only=True) as db:
        values = settings.current(db)
        version = settings.current_version(db)
    click.echo(f"Pengaturan versi {version}:")
    click.echo(json.dumps(values, ensure_ascii=False, indent=2, sort_keys=True))


@settings_group.command("set")
@db_option
@click.argument("key")
@click.argument("value")
@click.option("--note", "--catatan", default=None, help="Alasan perubahan.")
@user_errors
def settings_set(db_path: Path | None, key: str, value: str, note: str | None) -> None:
    """Ubah satu pengaturan; VALUE ditulis sebagai JSON (mis. 0.7, 20, '"32"')."""
    import json

    with open_for_cli(db_path) as db:
        values = settings.current(db)
        if key not in values:
            raise SpmError(
                f"Pengaturan '{key}' tidak dikenal; pilihan: {', '.join(sorted(values))}."
            )
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = value
        version = settings.save(db, {key: parsed}, by=actor_name(), note=note)
    click.echo(f"Pengaturan disimpan sebagai versi {version}.")


from pipelines.cli.ingest import ingest_cmd, template_cmd  # noqa: E402  (registered below)

cli.add_command(template_cmd)
cli.add_command(ingest_cmd)

from pipelines.cli import roles as cli_roles  # noqa: E402  (registers users, review, deadline, ...)

cli_roles.register(cli)


def main() -> None:  # pragma: no cover - console entry point
    cli()


# Command groups that live in their own modules register themselves on ``cli`` on import.
from pipelines.cli import (  # noqa: E402, F401, I001
    capaian as cli_capaian,
    laporan as cli_laporan,
    ops as cli_ops,
    sop as cli_sop,
)
