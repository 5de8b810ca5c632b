"""Data access for login, review, completeness, users and audit pages.

Reads open the database read-only for one call (cached briefly); writes open it for
writing for one call, then clear the caches so every page shows the new state.
Scoping by role happens in the library (``actor=`` arguments), not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from dashboard.data import CACHE_SECONDS, db_path, read
from pipelines import review
from pipelines.auth import audit, deadlines, users
from pipelines.auth.access import Actor
from pipelines.capaian import completeness
from pipelines.core import settings
from pipelines.db import writer
from pipelines.db.store import Database
from pipelines.ops.demo import users as demo_users

T = TypeVar("T")
DEFAULT_SESSION_MINUTES = 60


def write(func: Callable[[Database], T]) -> T:
    """Run ``func`` on a short-lived writable connection, then drop cached reads."""
    # Through the app's single writer (pipelines/writer.py); func has its own transactions.
    result = writer.write(func, db_path(), atomic=False, wait_seconds=10)
    st.cache_data.clear()
    return result


# -- sessions ------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def session_minutes(path: str) -> int:
    del path
    try:
        value = read(lambda db: settings.current(db).get("sesi_kedaluwarsa_menit"))
    except Exception:  # no database yet: the default applies
        return DEFAULT_SESSION_MINUTES
    return int(value) if isinstance(value, int | float) and value > 0 else DEFAULT_SESSION_MINUTES


def account_now(path: str, username: str) -> tuple[bool, Actor | None]:
    """(known, actor now): whether the account exists, and its current state if active.

    Not cached: disabling an account (also from the CLI) takes effect on the next rerun.
    """
    del path

    def look(db: Database) -> tuple[bool, Actor | None]:
        return users.exists(db, username), users.current(db, username)

    return read(look)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def demo_logins(path: str) -> pd.DataFrame:
    del path
    return read(demo_users.demo_logins)


def login(username: str, password: str) -> Actor:
    return write(lambda db: users.authenticate(db, username, password))


def login_email(email: str) -> Actor:
    return write(lambda db: users.actor_for_email(db, email))


def record(by: Actor | str, aksi: str, objek: str | None = None, **kwargs) -> None:
    write(lambda db: audit.record(db, by, aksi, objek, **kwargs))


# -- completeness and the uploader's region -------------------------------------------------


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def kelengkapan(
    path: str, tahun: int | None, triwulan: int | None, form: str | None, actor: Actor
) -> pd.DataFrame:
    del path
    return read(lambda db: completeness.kelengkapan(db, tahun, triwulan, form, actor=actor))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def ringkasan_kelengkapan(
    path: str, tahun: int | None, triwulan: int | None, form: str | None, per: str, actor: Actor
) -> pd.DataFrame:
    del path
    return read(
        lambda db: completeness.ringkasan_kelengkapan(
            db, tahun, triwulan, form, per=per, actor=actor
        )
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def pengingat(
    path: str, tahun: int | None, triwulan: int | None, form: str | None, actor: Actor
) -> pd.DataFrame:
    del path
    return read(lambda db: completeness.pengingat(db, tahun, triwulan, form, actor=actor))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def tahun_tersedia(path: str) -> tuple[list[int], int]:
    """(years to offer, newest first: from the first submission's to this year;
    the year to show first: the newest with a submission)."""
    del path
    first, last = read(lambda db: db.rows("SELECT min(tahun), max(tahun) FROM submission")[0])
    this_year = dt.date.today().year
    years = list(range(max(this_year, last or this_year), (first or this_year) - 1, -1))
    return years, last or this_year


# -- review --------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def antrean(path: str, actor: Actor, statuses: tuple[str, ...]) -> pd.DataFrame:
    del path
    return read(lambda db: review.antrean(db, actor, statuses))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def rincian(path: str, submission_id: int, actor: Actor) -> dict:
    """Everything the reviewer (or the uploader) needs about one submission."""
    del path

    def load(db: Database) -> dict:
        from pipelines.auth.access import can_see
        from pipelines.errors import AccessDenied

        sub = review.get(db, submission_id)
        if not can_see(actor, sub["kode_wilayah"], sub["kode_opd"]):
            raise AccessDenied(f"Akun {actor.username} tidak berhak atas pengiriman ini.")
        return {
            "submission": sub,
            "judul": review.describe(sub),
            "riwayat": review.riwayat(db, submission_id),
            "komentar": review.komentar(db, submission_id),
            "banding": review.banding(db, submission_id),
            "peringatan": review.peringatan(db, submission_id),
            "durasi": review.durasi(db, submission_id),
        }

    return read(load)


def verifikasi(actor: Actor, submission_id: int, catatan: str | None) -> None:
    write(lambda db: review.verifikasi(db, actor, submission_id, catatan))


def kembalikan(actor: Actor, submission_id: int, komentar: str, baris: dict[str, str]) -> None:
    write(lambda db: review.kembalikan(db, actor, submission_id, komentar, baris))


def finalkan(actor: Actor, submission_id: int) -> None:
    write(lambda db: review.finalkan(db, actor, submission_id))


def buka_kembali(actor: Actor, submission_id: int, alasan: str) -> None:
    write(lambda db: review.buka_kembali(db, actor, submission_id, alasan))


# -- users, deadline exceptions, audit ----------------------------------------------------


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def daftar_pengguna(path: str) -> pd.DataFrame:
    del path
    return read(users.list_users)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def pilihan_ikatan(path: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kabupaten/kota of the served province, OPD) as (code, name) pairs."""
    del path

    def load(db: Database):
        prov = settings.served_province(db)
        kab = db.rows(
            "SELECT kode, nama FROM wilayah WHERE tingkat = 'kabupaten/kota' "
            "AND kode_provinsi = ? ORDER BY kode",
            [prov],
        )
        opd = db.rows("SELECT kode, nama FROM opd ORDER BY kode")
        return [(prov, db.scalar("SELECT nama FROM wilayah WHERE kode = ?", [prov]))] + kab, opd

    return read(load)


def tambah_pengguna(actor: Actor, **fields) -> Actor:
    return write(lambda db: users.add_user(db, actor, **fields))


def ubah_aktif(actor: Actor, username: str, aktif: bool) -> None:
    write(lambda db: users.set_active(db, actor, username, aktif))


def reset_sandi(actor: Actor, username: str, password: str) -> None:
    write(lambda db: users.reset_password(db, actor, username, password))


def ganti_sandi_sendiri(username: str, lama: str, baru: str) -> None:
    write(lambda db: users.change_own_password(db, username, lama, baru))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def daftar_pengecualian(path: str) -> pd.DataFrame:
    del path
    return read(deadlines.daftar_pengecualian)


def beri_pengecualian(actor: Actor, **fields) -> None:
    write(lambda db: deadlines.beri_pengecualian(db, actor, **fields))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def jejak_audit(
    path: str,
    pengguna: str | None,
    aksi: tuple[str, ...],
    objek: str | None,
    sejak: dt.date | None,
    sampai: dt.date | None,
) -> pd.DataFrame:
    del path
    return read(
        lambda db: audit.log(
            db,
            pengguna=pengguna,
            aksi=list(aksi) or None,
            objek_mengandung=objek,
            sejak=sejak,
            sampai=sampai,
        )
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def pengaturan(path: str) -> dict:
    del path
    return read(settings.current)


def ubah_pengaturan_akses(actor: Actor, menit: int, hari: int, catatan: str | None) -> int:
    return write(
        lambda db: users.change_access_settings(
            db, actor, sesi_kedaluwarsa_menit=menit, hari_batas_triwulan=hari, catatan=catatan
        )
    )
