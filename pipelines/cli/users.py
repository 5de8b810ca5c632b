"""``spm users``: add, list, disable, enable and change accounts (the rules live in
pipelines.auth.users; every change acts as ``cli_actor``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipelines.auth import users
from pipelines.auth.access import ROLE_LABELS, ROLES, Actor
from pipelines.cli.common import cli_actor, db_option, echo_table, open_for_cli, with_db
from pipelines.db.store import Database
from pipelines.errors import SpmError


def _read_password(from_stdin: bool, prompt: str) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise SpmError("Kata sandi dari stdin kosong.")
        return line
    return click.prompt(prompt, hide_input=True, confirmation_prompt="Ulangi kata sandi")


@click.group("users")
def users_group() -> None:
    """Akun pengguna: tambah, daftar, nonaktifkan, atur ulang kata sandi."""


# The password is asked before the database is opened, so no one waits on a prompt.
@users_group.command("add")
@db_option()
@click.argument("username")
@click.option("--role", "--peran", "role", type=click.Choice(ROLES), required=True)
@click.option("--region", "--wilayah", "region", default=None, help="Kode kab/kota, mis. 19.01.")
@click.option("--opd", default=None, help="Kode perangkat daerah, mis. dinkes.")
@click.option("--name", "--nama", "nama", default=None, help="Nama lengkap.")
@click.option("--email", default=None, help="E-mail (untuk masuk lewat SSO).")
@click.option(
    "--password-stdin", is_flag=True, help="Baca kata sandi dari baris pertama stdin (skrip)."
)
def users_add(
    db_path: Path | None,
    username: str,
    role: str,
    region: str | None,
    opd: str | None,
    nama: str | None,
    email: str | None,
    password_stdin: bool,
) -> None:
    """Tambah akun USERNAME; kata sandi diminta tanpa ditampilkan."""
    password = _read_password(password_stdin, "Kata sandi")
    with open_for_cli(db_path) as db:
        actor = users.add_user(
            db,
            cli_actor(db),
            username,
            role,
            password,
            nama=nama,
            email=email,
            kode_wilayah=region,
            kode_opd=opd,
        )
    binding = actor.kode_wilayah or actor.kode_opd
    click.echo(
        f"Akun {actor.username} ({ROLE_LABELS[actor.role]}"
        + (f", {binding}" if binding else "")
        + ") dibuat."
    )


@users_group.command("list")
@with_db(read_only=True, actor=True)
def users_list(db: Database, actor: Actor) -> None:
    """Daftar akun (tanpa kata sandi)."""
    frame = users.list_users(db, actor)
    echo_table(
        frame[
            ["username", "peran", "kode_wilayah", "kode_opd", "email", "aktif", "login_terakhir"]
        ],
        "Belum ada akun; tambahkan dengan 'spm users add'.",
    )


def _activation_command(name: str, active: bool, help_text: str, done: str) -> click.Command:
    """``spm users disable`` / ``enable``: the same call with the opposite flag."""

    @users_group.command(name, help=help_text)
    @with_db(actor=True)
    @click.argument("username")
    def command(db: Database, actor: Actor, username: str) -> None:
        users.set_active(db, actor, username, active)
        click.echo(f"Akun {username} {done}.")

    return command


users_disable = _activation_command(
    "disable",
    False,
    "Nonaktifkan akun USERNAME (tidak dapat masuk lagi; riwayatnya tetap).",
    "dinonaktifkan",
)
users_enable = _activation_command(
    "enable", True, "Aktifkan kembali akun USERNAME.", "diaktifkan kembali"
)


@users_group.command("reset-password")
@db_option()
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Baca kata sandi dari stdin (skrip).")
def users_reset_password(db_path: Path | None, username: str, password_stdin: bool) -> None:
    """Atur kata sandi baru untuk USERNAME."""
    password = _read_password(password_stdin, "Kata sandi baru")
    with open_for_cli(db_path) as db:
        users.reset_password(db, cli_actor(db), username, password)
    click.echo(f"Kata sandi akun {username} telah diganti.")


@users_group.command("set")
@with_db(actor=True)
@click.argument("username")
@click.option("--role", "--peran", "role", type=click.Choice(ROLES), default=None)
@click.option("--region", "--wilayah", "region", default=None)
@click.option("--opd", default=None)
@click.option("--name", "--nama", "nama", default=None)
@click.option("--email", default=None, help="E-mail; tulis '' untuk menghapus.")
def users_set(
    db: Database,
    actor: Actor,
    username: str,
    role: str | None,
    region: str | None,
    opd: str | None,
    nama: str | None,
    email: str | None,
) -> None:
    """Ubah peran, wilayah/OPD, nama atau e-mail akun USERNAME."""
    changed = users.update_user(
        db,
        actor,
        username,
        role=role,
        nama=nama,
        email=email,
        kode_wilayah=region,
        kode_opd=opd,
    )
    click.echo(f"Akun {changed.username} diperbarui ({ROLE_LABELS[changed.role]}).")
