"""Who is using the app: login state, session expiry, single sign-on, pages by role.

The logged-in person is ``st.session_state["actor"]`` (a :class:`pipelines.auth.access.Actor`,
read by :func:`dashboard.data.actor`), set only by the login page (password) or by single
sign-on. Every rerun, :func:`check_session` (called by the app's entry) ends or refreshes it:

- a session idle longer than the setting ``sesi_kedaluwarsa_menit`` ends;
- an account disabled (or changed) by an admin is dropped or refreshed.

Pages still pass the actor to the library, which enforces the rules; the navigation
only keeps people from wandering into pages they cannot use.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.data import ACTOR_KEY
from dashboard.data import login as data_login
from pipelines.auth.access import ROLE_LABELS, ROLES, Actor
from pipelines.errors import SpmError

LAST_ACTIVE_KEY = "terakhir_aktif"
NOTICE_KEY = "pesan_masuk"
SSO_FAILED_KEY = "sso_gagal"
ALL_ROLES = frozenset(ROLES)
BIRO = frozenset({"admin", "analis"})
UPLOADERS = frozenset({"pengunggah_kabkota", "pengunggah_opd"})


@dataclass(frozen=True)
class PageSpec:
    """One page of the app and the roles that see it in the navigation."""

    section: str
    file: str
    title: str
    icon: str
    roles: frozenset[str] = ALL_ROLES


def pages_for(actor: Actor, specs: Iterable[PageSpec], pages_dir: Path) -> dict[str, list]:
    """The navigation for ``actor``: the pages its role may open, grouped by section."""
    nav: dict[str, list] = {}
    first = True
    for spec in specs:
        if actor.role not in spec.roles:
            continue
        page = st.Page(pages_dir / spec.file, title=spec.title, icon=spec.icon, default=first)
        nav.setdefault(spec.section, []).append(page)
        first = False
    return nav


def sso_configured() -> bool:
    """Single sign-on is offered only when ``[auth]`` is in Streamlit's secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:
        return False


def _start(actor: Actor) -> None:
    st.session_state[ACTOR_KEY] = actor
    st.session_state[LAST_ACTIVE_KEY] = time.time()


def _end(notice: str | None = None) -> None:
    for key in (ACTOR_KEY, LAST_ACTIVE_KEY):
        st.session_state.pop(key, None)
    if notice:
        st.session_state[NOTICE_KEY] = notice


def login(username: str, password: str) -> Actor:
    """Check the password (raises SpmError with an Indonesian message) and start a session."""
    actor = data_login.login(username, password)
    st.session_state.pop(NOTICE_KEY, None)
    _start(actor)
    return actor


def logout() -> None:
    actor = st.session_state.get(ACTOR_KEY)
    if actor is not None:
        # A busy database must not keep anyone logged in.
        with contextlib.suppress(SpmError):
            data_login.record(actor, "logout", f"pengguna {actor.username}")
    _end("Anda telah keluar.")
    if _sso_logged_in():
        st.logout()


def _from_sso() -> Actor | None:
    """After an OIDC login, the local account whose e-mail matches (once per session)."""
    if not sso_configured() or not _sso_logged_in():
        return None
    email = str(st.user.get("email") or "")
    if st.session_state.get(SSO_FAILED_KEY) == email:
        return None
    try:
        actor = data_login.login_email(email)
    except SpmError as exc:
        st.session_state[SSO_FAILED_KEY] = email
        st.session_state[NOTICE_KEY] = str(exc)
        return None
    _start(actor)
    return actor


def check_session() -> Actor | None:
    """The logged-in actor after this rerun's checks, or None (not logged in, session
    expired, account disabled)."""
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None:
        return _from_sso()
    now = time.time()
    minutes = data_login.session_minutes()
    last = st.session_state.get(LAST_ACTIVE_KEY, now)
    if now - last > minutes * 60:
        with contextlib.suppress(SpmError):
            data_login.record(actor, "sesi_berakhir", f"pengguna {actor.username}")
        _end(
            f"Sesi Anda berakhir karena tidak ada aktivitas selama lebih dari {minutes} menit; "
            "silakan masuk lagi."
        )
        return None
    try:
        known, now_actor = data_login.account_now(actor.username)
    except SpmError:
        known, now_actor = False, None  # database unreadable: the pages say why
    if known and now_actor is None:
        _end("Akun Anda telah dinonaktifkan; hubungi administrator.")
        return None
    if now_actor is not None and now_actor != actor:
        actor = now_actor  # role or region changed by an admin: takes effect now
        st.session_state[ACTOR_KEY] = actor
    st.session_state[LAST_ACTIVE_KEY] = now
    return actor


def describe(actor: Actor) -> str:
    label = ROLE_LABELS.get(actor.role, actor.role)
    binding = actor.kode_wilayah or actor.kode_opd
    return f"{actor.username} — {label}" + (f" ({binding})" if binding else "")


def sidebar(actor: Actor) -> None:
    """Who is logged in and the logout button."""
    with st.sidebar:
        st.caption(f"Masuk sebagai **{describe(actor)}**")
        if st.button("Keluar", key="keluar", icon=":material/logout:"):
            logout()
            st.rerun()
