"""Local accounts: add, disable, reset password, authenticate.

Passwords are stored only as argon2id hashes (argon2-cffi). Neither a password nor
its hash ever appears in an audit row, an error message, a log or the UI: functions
here return :class:`~pipelines.auth.access.Actor` objects and frames without the hash.

Only an admin may manage accounts. ``spm init`` never creates an account; the demo
accounts (all with password ``demo``, pipelines/ops/demo/users.py) exist only in demo
databases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pipelines.auth import access, audit, sessions
from pipelines.auth.access import ROLE_LABELS, ROLES, Actor
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8
# After this many failed logins within the window, the account waits out the window.
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)

# argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes, 64 MiB, 4 lanes).
# The test suite sets SPM_HASH_PROFILE=uji for a cheap hasher (its own processes and
# the app and CLI processes it starts); nothing else should set it.
PRODUCTION_HASHER = PasswordHasher()
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def hasher_for(profile: str | None) -> PasswordHasher:
    return TEST_HASHER if profile == "uji" else PRODUCTION_HASHER


_hasher = hasher_for(os.environ.get("SPM_HASH_PROFILE"))
_dummy_hash: str | None = None


def _dummy() -> str:
    """Verified against when the account does not exist, so that an unknown user takes
    as long to refuse as a wrong password (made on first use, not at import)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("tidak-ada-akun-ini")
    return _dummy_hash


class UserError(SpmError):
    """An account operation that cannot be done (Indonesian message)."""


class LoginFailed(SpmError):
    """Wrong user name or password (deliberately not saying which)."""


def _require_admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise AccessDenied("Hanya administrator yang dapat mengelola akun pengguna.")


def _check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")
    if password.strip().lower() == username.lower():
        raise UserError("Kata sandi tidak boleh sama dengan nama pengguna.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _public(row: dict) -> dict:
    """An account as shown in audit rows and pages: never the hash."""
    return {
        k: row.get(k)
        for k in ("username", "nama", "peran", "kode_wilayah", "kode_opd", "email", "aktif")
    }


def _get(db: Database, username: str) -> dict | None:
    rows = db.dicts(
        "SELECT username, nama, peran, kode_wilayah, kode_opd, email, aktif FROM pengguna "
        "WHERE username = ?",
        [username],
    )
    return rows[0] if rows else None


def _existing(db: Database, username: str) -> dict:
    """The account (as :func:`_get`); UserError when there is none."""
    row = _get(db, username)
    if row is None:
        raise UserError(f"Pengguna '{username}' tidak dikenal.")
    return row


def _actor(row: dict) -> Actor:
    return Actor(row["username"], row["peran"], row["kode_wilayah"], row["kode_opd"])


def _write_password(db: Database, username: str, password: str) -> None:
    db.execute(
        "UPDATE pengguna SET password_hash = ? WHERE username = ?",
        [hash_password(password), username],
    )


def _validate_binding(
    db: Database, role: str, kode_wilayah: str | None, kode_opd: str | None
) -> tuple[str | None, str | None]:
    if role not in ROLES:
        raise UserError(f"Peran '{role}' tidak dikenal; pilihan: {', '.join(ROLES)}.")
    if role == "pengunggah_kabkota":
        if not kode_wilayah:
            raise UserError("Pengunggah kabupaten/kota harus diikat ke satu wilayah (--region).")
        if kode_opd:
            raise UserError("Pengunggah kabupaten/kota tidak diikat ke perangkat daerah.")
        known = db.scalar(
            "SELECT count(*) FROM wilayah WHERE kode = ? AND tingkat = 'kabupaten/kota'",
            [kode_wilayah],
        )
        if not known:
            raise UserError(f"Kode kabupaten/kota '{kode_wilayah}' tidak dikenal (contoh: 19.01).")
        return kode_wilayah, None
    if role == "pengunggah_opd":
        if not kode_opd:
            raise UserError("Pengunggah perangkat daerah harus diikat ke satu OPD (--opd).")
        if kode_wilayah:
            raise UserError("Pengunggah perangkat daerah provinsi tidak diikat ke wilayah.")
        if not db.scalar("SELECT count(*) FROM opd WHERE kode = ?", [kode_opd]):
            known = ", ".join(r[0] for r in db.rows("SELECT kode FROM opd ORDER BY kode"))
            raise UserError(f"Kode OPD '{kode_opd}' tidak dikenal; pilihan: {known}.")
        return None, kode_opd
    if kode_wilayah or kode_opd:
        raise UserError(f"Peran {ROLE_LABELS[role]} tidak diikat ke wilayah atau perangkat daerah.")
    return None, None


def add_user(
    db: Database,
    by: Actor,
    username: str,
    role: str,
    password: str,
    *,
    nama: str | None = None,
    email: str | None = None,
    kode_wilayah: str | None = None,
    kode_opd: str | None = None,
) -> Actor:
    """Create an account (admin only). The password is hashed; it is never stored."""
    _require_admin(by)
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise UserError(
            "Nama pengguna harus 2-40 karakter: huruf kecil, angka, titik, garis bawah atau "
            "tanda hubung, diawali huruf atau angka (contoh: kab-19.01)."
        )
    if username.startswith("admin-lokal"):
        raise UserError("Nama pengguna 'admin-lokal' dicadangkan untuk perintah spm.")
    _check_password(password, username)
    return create_account(
        db,
        by,
        username,
        role,
        hash_password(password),
        nama=nama,
        email=email,
        kode_wilayah=kode_wilayah,
        kode_opd=kode_opd,
    )


def create_account(
    db: Database,
    by: Actor | str,
    username: str,
    role: str,
    password_hash: str,
    *,
    nama: str | None = None,
    email: str | None = None,
    kode_wilayah: str | None = None,
    kode_opd: str | None = None,
) -> Actor:
    """Store a new account whose password is already hashed, after checking its role
    binding and e-mail (the last step of :func:`add_user`; the demo accounts)."""
    kode_wilayah, kode_opd = _validate_binding(db, role, kode_wilayah, kode_opd)
    email = email.strip().lower() if email else None
    if email and not EMAIL_PATTERN.match(email):
        raise UserError(f"Alamat e-mail '{email}' tidak valid.")
    with db.transaction():
        if _get(db, username) is not None:
            raise UserError(f"Nama pengguna '{username}' sudah dipakai.")
        if email and db.scalar("SELECT count(*) FROM pengguna WHERE email = ?", [email]):
            raise UserError(f"Alamat e-mail {email} sudah dipakai akun lain.")
        db.execute(
            "INSERT INTO pengguna (username, nama, peran, kode_wilayah, kode_opd, email, "
            "password_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [username, nama, role, kode_wilayah, kode_opd, email, password_hash],
        )
        audit.record(
            db, by, "tambah_pengguna", f"pengguna {username}", sesudah=_public(_get(db, username))
        )
    return Actor(username, role, kode_wilayah, kode_opd)


def set_active(db: Database, by: Actor, username: str, aktif: bool) -> None:
    """Disable (or enable again) an account. Admins cannot disable themselves."""
    _require_admin(by)
    with db.transaction():
        before = _existing(db, username)
        if not aktif and username == by.username:
            raise UserError("Administrator tidak dapat menonaktifkan akunnya sendiri.")
        if before["aktif"] == aktif:
            return
        db.execute("UPDATE pengguna SET aktif = ? WHERE username = ?", [aktif, username])
        if not aktif:
            sessions.end_all(db, username, "akun dinonaktifkan")
        audit.record(
            db,
            by,
            "aktifkan_pengguna" if aktif else "nonaktifkan_pengguna",
            f"pengguna {username}",
            sebelum={"aktif": before["aktif"]},
            sesudah={"aktif": aktif},
        )


def reset_password(db: Database, by: Actor, username: str, password: str) -> None:
    """Set a new password for an account (admin only)."""
    _require_admin(by)
    _check_password(password, username)
    with db.transaction():
        _existing(db, username)
        _write_password(db, username, password)
        sessions.end_all(db, username, "kata sandi diganti")
        audit.record(db, by, "reset_kata_sandi", f"pengguna {username}")


def change_own_password(db: Database, username: str, old: str, new: str) -> None:
    """A user changes their own password, proving the old one first."""
    authenticate(db, username, old, audit_success=False)
    _check_password(new, username)
    with db.transaction():
        _write_password(db, username, new)
        sessions.end_all(db, username, "kata sandi diganti")
        audit.record(db, username, "ganti_kata_sandi", f"pengguna {username}")


def update_user(
    db: Database,
    by: Actor,
    username: str,
    *,
    role: str | None = None,
    nama: str | None = None,
    email: str | None = None,
    kode_wilayah: str | None = None,
    kode_opd: str | None = None,
) -> Actor:
    """Change an account's role, binding, name or e-mail (admin only)."""
    _require_admin(by)
    with db.transaction():
        before = _existing(db, username)
        new_role = role or before["peran"]
        if role and role != before["peran"]:
            wilayah, opd = kode_wilayah, kode_opd
        else:
            wilayah = kode_wilayah if kode_wilayah is not None else before["kode_wilayah"]
            opd = kode_opd if kode_opd is not None else before["kode_opd"]
        wilayah, opd = _validate_binding(db, new_role, wilayah, opd)
        if username == by.username and new_role != "admin":
            raise UserError("Administrator tidak dapat mencabut peran administratornya sendiri.")
        new_email = (email.strip().lower() or None) if email is not None else before["email"]
        if new_email and not EMAIL_PATTERN.match(new_email):
            raise UserError(f"Alamat e-mail '{new_email}' tidak valid.")
        if new_email and db.scalar(
            "SELECT count(*) FROM pengguna WHERE email = ? AND username <> ?", [new_email, username]
        ):
            raise UserError(f"Alamat e-mail {new_email} sudah dipakai akun lain.")
        db.execute(
            "UPDATE pengguna SET peran = ?, kode_wilayah = ?, kode_opd = ?, nama = ?, email = ? "
            "WHERE username = ?",
            [
                new_role,
                wilayah,
                opd,
                nama if nama is not None else before["nama"],
                new_email,
                username,
            ],
        )
        after = _get(db, username)
        audit.record(
            db,
            by,
            "ubah_pengguna",
            f"pengguna {username}",
            sebelum=_public(before),
            sesudah=_public(after),
        )
    return Actor(username, new_role, wilayah, opd)


def _attempt_key(username: str, account: dict | None) -> str:
    """What failed logins are counted by: the account (``pengguna NAME``), or for a
    name no account has, a digest of it (people type passwords into the name field,
    so the name itself is never stored)."""
    if account is not None:
        return f"pengguna {username}"
    return f"pengguna tidak dikenal {hashlib.sha256(username.encode()).hexdigest()[:16]}"


def recent_failures(
    db: Database,
    username: str,
    now: dt.datetime | None = None,
    *,
    source: str | None = None,
    key: str | None = None,
) -> int:
    """Failed logins of ``username`` (or ``key``) from ``source`` (the client's
    address; None = local) within FAILURE_WINDOW, since the account's last login."""
    now = now or dt.datetime.now()
    return db.scalar(
        "SELECT count(*) FROM audit_log WHERE aksi = 'login_gagal' AND objek = ? AND waktu > ? "
        "AND coalesce(sesudah->>'sumber', '') = ? "
        "AND waktu > coalesce((SELECT max(waktu) FROM audit_log WHERE aksi = 'login' "
        "AND pengguna = ?), TIMESTAMP '1970-01-01')",
        [key or f"pengguna {username}", now - FAILURE_WINDOW, source or "", username],
    )


TOO_MANY = (
    "Terlalu banyak percobaan masuk yang gagal; tunggu 15 menit lalu coba lagi, "
    "atau minta administrator mengatur ulang kata sandi."
)
WRONG = "Nama pengguna atau kata sandi salah."


def authenticate(
    db: Database,
    username: str,
    password: str,
    *,
    audit_success: bool = True,
    source: str | None = None,
) -> Actor:
    """The account's Actor if ``password`` is right; LoginFailed otherwise.

    Every attempt is audited (never with the password). An unknown user name and a
    wrong password get the same messages: after MAX_FAILURES failures of one name
    from one ``source`` (the client's address) within FAILURE_WINDOW, that name is
    refused from that source until the window has passed, whether an account has it
    or not (the answer never tells which names exist), and a stranger elsewhere
    cannot lock the real user out.
    """
    username = (username or "").strip().lower()
    row = db.dicts(
        "SELECT username, peran, kode_wilayah, kode_opd, aktif, password_hash FROM pengguna "
        "WHERE username = ?",
        [username],
    )
    account = row[0] if row else None
    stored = account["password_hash"] if account and account["password_hash"] else _dummy()
    try:
        ok = _hasher.verify(stored, password or "") and account is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    key = _attempt_key(username, account)
    who = username if account is not None else "(tidak dikenal)"

    def fail(why: str, message: str) -> LoginFailed:
        _record_failure(db, who, why, objek=key, source=source)
        return LoginFailed(message)

    if recent_failures(db, username, source=source, key=key) >= MAX_FAILURES:
        raise fail("terkunci sementara", TOO_MANY)
    if account is None:
        raise fail("nama pengguna tidak dikenal", WRONG)
    if not ok:
        raise fail("kata sandi salah", WRONG)
    if not account["aktif"]:
        raise fail("akun tidak aktif", "Akun ini tidak aktif; hubungi administrator.")
    with db.transaction():
        if _hasher.check_needs_rehash(stored):
            _write_password(db, username, password)
        if audit_success:
            audit.record(db, username, "login", f"pengguna {username}", keterangan="kata sandi")
    return _actor(account)


def _record_failure(
    db: Database, username: str, why: str, objek: str | None = None, source: str | None = None
) -> None:
    with db.transaction():
        audit.record(
            db,
            username,
            "login_gagal",
            objek or f"pengguna {username}",
            sesudah={"sumber": source} if source else None,
            keterangan=why,
        )


def actor_for_email(db: Database, email: str) -> Actor:
    """Single sign-on: the active local account with this e-mail (audited as a login)."""
    email = (email or "").strip().lower()
    rows = db.dicts(
        "SELECT username, peran, kode_wilayah, kode_opd, aktif FROM pengguna WHERE email = ?",
        [email],
    )
    if not rows:
        _record_failure(db, "(tidak dikenal)", "SSO: e-mail tidak terdaftar", objek="SSO")
        raise LoginFailed(
            f"E-mail {email} belum terdaftar pada akun mana pun; minta administrator "
            "menambahkan e-mail ini ke akun Anda."
        )
    row = rows[0]
    if not row["aktif"]:
        _record_failure(db, row["username"], "SSO: akun tidak aktif")
        raise LoginFailed("Akun ini tidak aktif; hubungi administrator.")
    with db.transaction():
        audit.record(db, row["username"], "login", f"pengguna {row['username']}", keterangan="SSO")
    return _actor(row)


def current(db: Database, username: str) -> Actor | None:
    """The account as it is now (role and binding may have changed), None if inactive.

    Unknown accounts give None as well.
    """
    row = _get(db, username)
    if row is None or not row["aktif"]:
        return None
    return _actor(row)


def exists(db: Database, username: str) -> bool:
    return _get(db, username) is not None


def list_users(db: Database, actor: Actor | None = None) -> pd.DataFrame:
    """All accounts with their last login; never the password hash. Administrators only
    (``actor=None``: the library itself)."""
    if actor is not None:
        _require_admin(actor)
    return db.df(
        """
        SELECT p.username, p.nama, p.peran, p.kode_wilayah, w.nama AS nama_wilayah, p.kode_opd,
               o.nama AS nama_opd, p.email, p.aktif, p.dibuat_pada,
               (SELECT max(a.waktu) FROM audit_log a
                WHERE a.aksi = 'login' AND a.pengguna = p.username) AS login_terakhir
        FROM pengguna p
        LEFT JOIN wilayah w ON w.kode = p.kode_wilayah
        LEFT JOIN opd o ON o.kode = p.kode_opd
        ORDER BY CASE p.peran WHEN 'admin' THEN 1 WHEN 'analis' THEN 2 WHEN 'pimpinan' THEN 3
                 WHEN 'pengunggah_kabkota' THEN 4 ELSE 5 END, p.username
        """
    )


def view_settings(db: Database, by: Actor) -> tuple[dict, int | None]:
    """The settings in force and their version, for the Biro (page Pengguna, ``spm
    settings show``); the figures apply them for everyone without showing them."""
    access.require(by, "lihat_pengaturan")
    return settings.current(db), settings.current_version(db)


def change_settings(db: Database, by: Actor, changes: dict, *, catatan: str | None = None) -> int:
    """Admin only: save ``changes`` as a new settings version (audited by settings.save,
    under ``by``'s name). Returns the version."""
    access.require(by, "ubah_pengaturan")
    return settings.save(db, changes, by=by.username, note=catatan)


def change_access_settings(
    db: Database,
    by: Actor,
    *,
    sesi_kedaluwarsa_menit: int | None = None,
    hari_batas_triwulan: int | None = None,
    catatan: str | None = None,
) -> int:
    """Admin only: session idle timeout (minutes) and the quarterly deadline day.

    Saved as a new settings version (audited by settings.save). Returns the version.
    """
    _require_admin(by)
    changes: dict[str, int] = {}
    if sesi_kedaluwarsa_menit is not None:
        if not 5 <= int(sesi_kedaluwarsa_menit) <= 24 * 60:
            raise UserError("Batas sesi tidak aktif harus 5 sampai 1.440 menit.")
        changes["sesi_kedaluwarsa_menit"] = int(sesi_kedaluwarsa_menit)
    if hari_batas_triwulan is not None:
        changes["hari_batas_triwulan"] = int(hari_batas_triwulan)
    return change_settings(db, by, changes, catatan=catatan)
