"""``spm users``, ``spm review``, ``spm deadline``, ``spm completeness``, ``spm reminders``
and ``spm audit``: argument parsing only; the rules live in users.py, review.py,
completeness.py and audit.py.

Every command acts as ``cli_actor`` (the local administrator, or ``spm --as USERNAME``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
import pandas as pd

from pipelines import review
from pipelines.auth import audit, deadlines, users
from pipelines.auth.access import ROLE_LABELS, ROLES
from pipelines.capaian import completeness
from pipelines.cli.root import cli_actor, db_option, open_for_cli, user_errors
from pipelines.core import fmt
from pipelines.core.forms import FORMS
from pipelines.errors import SpmError


def _echo_table(frame: pd.DataFrame, empty: str) -> None:
    if frame.empty:
        click.echo(empty)
        return
    shown = frame.copy()
    for col in shown.columns:
        shown[col] = shown[col].map(_cell)
    click.echo(shown.to_string(index=False))


def _cell(value) -> str:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return "–"
    if isinstance(value, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(value)
        return fmt.tanggal(ts) if ts == ts.normalize() else fmt.waktu(ts)
    if isinstance(value, dt.date):
        return fmt.tanggal(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return fmt.angka(value, 1)
    return str(value)


def _read_password(from_stdin: bool, prompt: str) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise SpmError("Kata sandi dari stdin kosong.")
        return line
    return click.prompt(prompt, hide_input=True, confirmation_prompt="Ulangi kata sandi")


# -- users -----------------------------------------------------------------------------


@click.group("users")
def users_group() -> None:
    """Akun pengguna: tambah, daftar, nonaktifkan, atur ulang kata sandi."""


@users_group.command("add")
@db_option
@click.argument("username")
@click.option("--role", "--peran", "role", type=click.Choice(ROLES), required=True)
@click.option("--region", "--wilayah", "region", default=None, help="Kode kab/kota, mis. 19.01.")
@click.option("--opd", default=None, help="Kode perangkat daerah, mis. dinkes.")
@click.option("--name", "--nama", "nama", default=None, help="Nama lengkap.")
@click.option("--email", default=None, help="E-mail (untuk masuk lewat SSO).")
@click.option(
    "--password-stdin", is_flag=True, help="Baca kata sandi dari baris pertama stdin (skrip)."
)
@user_errors
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
@db_option
@user_errors
def users_list(db_path: Path | None) -> None:
    """Daftar akun (tanpa kata sandi)."""
    with open_for_cli(db_path, read_only=True) as db:
        frame = users.list_users(db)
    _echo_table(
        frame[
            ["username", "peran", "kode_wilayah", "kode_opd", "email", "aktif", "login_terakhir"]
        ],
        "Belum ada akun; tambahkan dengan 'spm users add'.",
    )


@users_group.command("disable")
@db_option
@click.argument("username")
@user_errors
def users_disable(db_path: Path | None, username: str) -> None:
    """Nonaktifkan akun USERNAME (tidak dapat masuk lagi; riwayatnya tetap)."""
    with open_for_cli(db_path) as db:
        users.set_active(db, cli_actor(db), username, False)
    click.echo(f"Akun {username} dinonaktifkan.")


@users_group.command("enable")
@db_option
@click.argument("username")
@user_errors
def users_enable(db_path: Path | None, username: str) -> None:
    """Aktifkan kembali akun USERNAME."""
    with open_for_cli(db_path) as db:
        users.set_active(db, cli_actor(db), username, True)
    click.echo(f"Akun {username} diaktifkan kembali.")


@users_group.command("reset-password")
@db_option
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Baca kata sandi dari stdin (skrip).")
@user_errors
def users_reset_password(db_path: Path | None, username: str, password_stdin: bool) -> None:
    """Atur kata sandi baru untuk USERNAME."""
    password = _read_password(password_stdin, "Kata sandi baru")
    with open_for_cli(db_path) as db:
        users.reset_password(db, cli_actor(db), username, password)
    click.echo(f"Kata sandi akun {username} telah diganti.")


@users_group.command("set")
@db_option
@click.argument("username")
@click.option("--role", "--peran", "role", type=click.Choice(ROLES), default=None)
@click.option("--region", "--wilayah", "region", default=None)
@click.option("--opd", default=None)
@click.option("--name", "--nama", "nama", default=None)
@click.option("--email", default=None, help="E-mail; tulis '' untuk menghapus.")
@user_errors
def users_set(
    db_path: Path | None,
    username: str,
    role: str | None,
    region: str | None,
    opd: str | None,
    nama: str | None,
    email: str | None,
) -> None:
    """Ubah peran, wilayah/OPD, nama atau e-mail akun USERNAME."""
    with open_for_cli(db_path) as db:
        actor = users.update_user(
            db,
            cli_actor(db),
            username,
            role=role,
            nama=nama,
            email=email,
            kode_wilayah=region,
            kode_opd=opd,
        )
    click.echo(f"Akun {actor.username} diperbarui ({ROLE_LABELS[actor.role]}).")


# -- review ----------------------------------------------------------------------------


@click.group("review")
def review_group() -> None:
    """Pemeriksaan pengiriman: daftar, verifikasi, kembalikan, finalkan, buka kembali."""


@review_group.command("list")
@db_option
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(list(review.STATUS_LABELS)),
    default=("diajukan",),
    show_default=True,
)
@click.option("--year", "--tahun", "tahun", type=int, default=None)
@user_errors
def review_list(db_path: Path | None, statuses: tuple[str, ...], tahun: int | None) -> None:
    """Antrean pengiriman terbaru per laporan dengan status tertentu (bawaan: diajukan)."""
    with open_for_cli(db_path, read_only=True) as db:
        frame = review.antrean(db, cli_actor(db), statuses, tahun=tahun)
    _echo_table(
        frame[
            [
                "submission_id",
                "form",
                "kode_wilayah",
                "kode_opd",
                "tahun",
                "triwulan",
                "status",
                "diunggah_oleh",
                "diunggah_pada",
            ]
        ].rename(columns={"submission_id": "id"}),
        "Tidak ada pengiriman dengan status itu.",
    )


@review_group.command("verify")
@db_option
@click.argument("submission_id", type=int)
@click.option("--note", "--catatan", "note", default=None)
@user_errors
def review_verify(db_path: Path | None, submission_id: int, note: str | None) -> None:
    """Verifikasi pengiriman (Diajukan → Diverifikasi)."""
    with open_for_cli(db_path) as db:
        review.verifikasi(db, cli_actor(db), submission_id, note)
    click.echo(f"Pengiriman #{submission_id} diverifikasi.")


@review_group.command("return")
@db_option
@click.argument("submission_id", type=int)
@click.option("--comment", "--komentar", "comment", default=None, help="Alasan untuk berkas.")
@click.option(
    "--row",
    "--baris",
    "rows",
    multiple=True,
    metavar="KODE=KOMENTAR",
    help="Komentar untuk satu baris, mis. KES-K-01='sasaran tidak sesuai'.",
)
@user_errors
def review_return(
    db_path: Path | None, submission_id: int, comment: str | None, rows: tuple[str, ...]
) -> None:
    """Kembalikan pengiriman ke pengunggah dengan komentar (→ Dikembalikan)."""
    per_row = {}
    for item in rows:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise SpmError(f"Komentar baris '{item}' harus ditulis KODE=KOMENTAR.")
        per_row[key.strip()] = text
    with open_for_cli(db_path) as db:
        review.kembalikan(db, cli_actor(db), submission_id, comment, per_row)
    click.echo(f"Pengiriman #{submission_id} dikembalikan ke pengunggah.")


@review_group.command("finalise")
@db_option
@click.argument("submission_id", type=int)
@user_errors
def review_finalise(db_path: Path | None, submission_id: int) -> None:
    """Finalkan dan kunci pengiriman (Diverifikasi → Final)."""
    with open_for_cli(db_path) as db:
        review.finalkan(db, cli_actor(db), submission_id)
    click.echo(f"Pengiriman #{submission_id} final dan terkunci.")


@review_group.command("reopen")
@db_option
@click.argument("submission_id", type=int)
@click.option("--reason", "--alasan", "reason", required=True, help="Alasan tertulis.")
@user_errors
def review_reopen(db_path: Path | None, submission_id: int, reason: str) -> None:
    """Buka kembali pengiriman final (admin; Final → Diajukan) dengan alasan."""
    with open_for_cli(db_path) as db:
        review.buka_kembali(db, cli_actor(db), submission_id, reason)
    click.echo(f"Pengiriman #{submission_id} dibuka kembali (Diajukan).")


@review_group.command("history")
@db_option
@click.argument("submission_id", type=int)
@user_errors
def review_history(db_path: Path | None, submission_id: int) -> None:
    """Riwayat status dan komentar laporan pengiriman ini."""
    with open_for_cli(db_path, read_only=True) as db:
        sub = review.get(db, submission_id)
        actor = cli_actor(db)
        from pipelines.auth.access import can_see
        from pipelines.errors import AccessDenied

        if not can_see(actor, sub["kode_wilayah"], sub["kode_opd"]):
            raise AccessDenied(f"Akun {actor.username} tidak berhak atas pengiriman ini.")
        history = review.riwayat(db, submission_id)
        notes = review.komentar(db, submission_id)
        spent = review.durasi(db, submission_id)
    click.echo(review.describe(sub))
    _echo_table(history, "Belum ada riwayat.")
    if not notes.empty:
        click.echo("\nKomentar pemeriksa:")
        _echo_table(notes, "")
    click.echo(
        f"\nLama proses {spent.total.days} hari, di antaranya {spent.dikembalikan.days} hari "
        f"dikembalikan (waktu bersih {spent.bersih.days} hari)."
    )


# -- deadlines ---------------------------------------------------------------------------


@click.group("deadline")
def deadline_group() -> None:
    """Batas waktu pengisian dan pengecualiannya."""


@deadline_group.command("grant")
@db_option
@click.option(
    "--form",
    type=click.Choice(list(FORMS)),
    default="spm-kabkota",
    show_default=True,
)
@click.option("--region", "--wilayah", "region", required=True, help="Kode wilayah, mis. 19.01.")
@click.option("--opd", default=None, help="Kode OPD (formulir SPM provinsi).")
@click.option("--year", "--tahun", "tahun", type=int, required=True)
@click.option("--quarter", "--triwulan", "triwulan", type=click.IntRange(1, 4), default=None)
@click.option("--until", "--sampai", "until", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--reason", "--alasan", "reason", required=True)
@user_errors
def deadline_grant(
    db_path: Path | None,
    form: str,
    region: str,
    opd: str | None,
    tahun: int,
    triwulan: int | None,
    until: dt.datetime,
    reason: str,
) -> None:
    """Beri satu wilayah/OPD pengecualian batas waktu untuk satu periode (admin)."""
    with open_for_cli(db_path) as db:
        deadlines.beri_pengecualian(
            db,
            cli_actor(db),
            form=form,
            kode_wilayah=region,
            kode_opd=opd,
            tahun=tahun,
            triwulan=triwulan,
            batas_baru=until.date(),
            alasan=reason,
        )
    click.echo(
        f"Pengecualian diberikan: {region}{' ' + opd if opd else ''} "
        f"{deadlines.label_periode(tahun, triwulan)} boleh mengunggah sampai "
        f"{fmt.tanggal(until.date())}."
    )


@deadline_group.command("list")
@db_option
@click.option("--year", "--tahun", "tahun", type=int, default=None)
@user_errors
def deadline_list(db_path: Path | None, tahun: int | None) -> None:
    """Daftar pengecualian batas waktu."""
    with open_for_cli(db_path, read_only=True) as db:
        frame = deadlines.daftar_pengecualian(db, tahun)
    _echo_table(frame, "Belum ada pengecualian batas waktu.")


# -- completeness and audit ------------------------------------------------------------------


@click.command("completeness")
@db_option
@click.option("--year", "--tahun", "tahun", type=int, default=None, help="Bawaan: tahun ini.")
@click.option("--quarter", "--triwulan", "triwulan", type=click.IntRange(1, 4), default=None)
@click.option("--form", type=click.Choice(list(FORMS)), default=None)
@click.option(
    "--per", type=click.Choice(list(completeness.PER_CHOICES)), default="wilayah", show_default=True
)
@user_errors
def completeness_cmd(
    db_path: Path | None, tahun: int | None, triwulan: int | None, form: str | None, per: str
) -> None:
    """Kelengkapan dan ketepatan waktu pengiriman (diharapkan, diterima, terlambat, belum)."""
    tahun = tahun or dt.date.today().year
    with open_for_cli(db_path, read_only=True) as db:
        frame = completeness.ringkasan_kelengkapan(
            db, tahun, triwulan, form, per=per, actor=cli_actor(db)
        )
    _echo_table(frame, f"Belum ada periode {tahun} yang jendela pengisiannya sudah dibuka.")


@click.command("reminders")
@db_option
@click.option("--year", "--tahun", "tahun", type=int, default=None, help="Bawaan: tahun ini.")
@click.option("--quarter", "--triwulan", "triwulan", type=click.IntRange(1, 4), default=None)
@click.option("--form", type=click.Choice(list(FORMS)), default=None)
@user_errors
def reminders_cmd(
    db_path: Path | None, tahun: int | None, triwulan: int | None, form: str | None
) -> None:
    """Daftar pengingat: siapa yang belum mengirim atau belum memperbaiki, dan akunnya."""
    tahun = tahun or dt.date.today().year
    with open_for_cli(db_path, read_only=True) as db:
        frame = completeness.pengingat(db, tahun, triwulan, form, actor=cli_actor(db))
    _echo_table(
        frame[
            [
                "form",
                "kode_wilayah",
                "kode_opd",
                "tahun",
                "triwulan",
                "batas_waktu",
                "sisa_hari",
                "keterangan",
                "akun",
                "email",
            ]
        ],
        "Semua laporan yang diharapkan sudah diterima.",
    )


@click.command("audit")
@db_option
@click.option("--user", "--pengguna", "pengguna", default=None)
@click.option(
    "--action", "--aksi", "aksi", default=None, help="Jenis kegiatan, mis. login atau ubah_status."
)
@click.option("--limit", type=int, default=50, show_default=True)
@user_errors
def audit_cmd(db_path: Path | None, pengguna: str | None, aksi: str | None, limit: int) -> None:
    """Jejak audit terbaru: siapa, kapan, apa, sebelum dan sesudah."""
    with open_for_cli(db_path, read_only=True) as db:
        actor = cli_actor(db)
        if actor.role not in ("admin", "analis"):
            from pipelines.errors import AccessDenied

            raise AccessDenied("Jejak audit hanya dapat dilihat administrator dan analis.")
        frame = audit.log(db, pengguna=pengguna, aksi=aksi, batas=limit)
    _echo_table(frame, "Jejak audit masih kosong.")


def register(cli: click.Group) -> None:
    for command in (
        users_group,
        review_group,
        deadline_group,
        completeness_cmd,
        reminders_cmd,
        audit_cmd,
    ):
        cli.add_command(command)
