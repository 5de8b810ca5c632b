"""Who is using the app: login state, session expiry, single sign-on, pages by role.

The logged-in person is ``st.session_state["actor"]`` (a :class:`pipelines.auth.access.Actor`,
read by :func:`dashboard.data.actor`), set only by the login page (password) or by single
sign-on. Every rerun, :func:`check_session` (called by the app's entry) ends or refreshes it:

- a session idle longer than the setting ``sesi_kedaluwarsa_menit`` ends;
- an account disabled (or changed) by an admin is dropped or refreshed;
- a reloaded browser (a new Streamlit session) continues its login from the signed,
  expiring token in its HttpOnly cookie (:mod:`pipelines.auth.sessions`,
  :mod:`dashboard.cookie`); logout, a password change and disabling the account end
  the token's session, so a reload after them shows the login page.

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

from dashboard import cookie
from dashboard.data import ACTOR_KEY
from dashboard.data import login as data_login
from pipelines.auth.access import ROLE_LABELS, ROLES, Actor
from pipelines.auth.sessions import COOKIE
from pipelines.errors import SpmError

LAST_ACTIVE_KEY = "terakhir_aktif"
NOTICE_KEY = "pesan_masuk"
SSO_FAILED_KEY = "sso_gagal"
TOKEN_KEY = "token_sesi"  # the signed token of this login (pipelines.auth.sessions)
COOKIE_CODE_KEY = "kode_cookie"  # a one-time code the page exchanges for the cookie
COOKIE_CLEAR_KEY = "hapus_cookie"  # the page clears the cookie (after logout)
RENEW_FRACTION = 0.25  # renew the token after a quarter of the session timeout
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


def _end(notice: str | None = None, reason: str = "keluar") -> None:
    """Log out of this browser: the token's session ends, the cookie goes."""
    token = st.session_state.pop(TOKEN_KEY, None) or _cookie_token()
    with contextlib.suppress(SpmError):  # a busy database must not keep anyone logged in
        data_login.end_session(token, reason)
    for key in (ACTOR_KEY, LAST_ACTIVE_KEY, COOKIE_CODE_KEY):
        st.session_state.pop(key, None)
    st.session_state[COOKIE_CLEAR_KEY] = True
    if notice:
        st.session_state[NOTICE_KEY] = notice


def _give_cookie(token: str) -> None:
    """Keep ``token`` for this login and have the page put it in the cookie."""
    st.session_state[TOKEN_KEY] = token
    max_age = int(data_login.session_minutes() * 60)
    st.session_state[COOKIE_CODE_KEY] = cookie.siapkan(token, max_age)
    st.session_state.pop(COOKIE_CLEAR_KEY, None)


def _cookie_token() -> str | None:
    """The login token the browser sent when this session opened (a reload)."""
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # no browser request behind this session (tests)
        return None


def _client_address() -> str | None:
    """The address the browser's request came from (failed logins are counted per
    name and address), or None without a browser behind this session (tests)."""
    try:
        address = st.context.ip_address
    except Exception:
        return None
    return address if isinstance(address, str) and address else None


def login(username: str, password: str) -> Actor:
    """Check the password (raises SpmError with an Indonesian message) and start a session."""
    actor = data_login.login(username, password, source=_client_address())
    st.session_state.pop(NOTICE_KEY, None)
    _start(actor)
    with contextlib.suppress(SpmError):  # without a token the login lasts this tab only
        _give_cookie(data_login.start_session(actor.username))
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


def _from_cookie() -> Actor | None:
    """A reloaded browser: the account its valid token names, if still active."""
    token = _cookie_token()
    if not token or st.session_state.get(COOKIE_CLEAR_KEY):
        return None
    try:
        username = data_login.session_user(token)
        _, actor = data_login.account_now(username) if username else (False, None)
    except SpmError:
        return None
    if actor is None:
        return None
    _start(actor)
    st.session_state[TOKEN_KEY] = token
    return actor


def _renew_cookie() -> None:
    """Move the token's expiry along with the activity, a few times per timeout."""
    token = st.session_state.get(TOKEN_KEY)
    if not token or COOKIE_CODE_KEY in st.session_state:
        return
    with contextlib.suppress(SpmError):
        age = data_login.token_age_seconds(token)
        if age is not None and age > data_login.session_minutes() * 60 * RENEW_FRACTION:
            renewed = data_login.renew_session(token)
            if renewed:
                _give_cookie(renewed)


def cookie_script() -> None:
    """Run on every page (logged in or not): the script that sets or clears the cookie,
    until the browser has done it."""
    code = st.session_state.get(COOKIE_CODE_KEY)
    if code is not None:
        if cookie.dipakai(code):
            st.session_state.pop(COOKIE_CODE_KEY, None)
        else:
            st.html(cookie.skrip_pasang(code), unsafe_allow_javascript=True)
    elif st.session_state.get(COOKIE_CLEAR_KEY) and _cookie_token():
        st.html(cookie.skrip_lepas(), unsafe_allow_javascript=True)


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
        return _from_sso() or _from_cookie()
    now = time.time()
    minutes = data_login.session_minutes()
    last = st.session_state.get(LAST_ACTIVE_KEY, now)
    if now - last > minutes * 60:
        with contextlib.suppress(SpmError):
            data_login.record(actor, "sesi_berakhir", f"pengguna {actor.username}")
        _end(
            f"Sesi Anda berakhir karena tidak ada aktivitas selama lebih dari {minutes} menit; "
            "silakan masuk lagi.",
            reason="tidak aktif",
        )
        return None
    try:
        known, now_actor = data_login.account_now(actor.username)
    except SpmError:
        known, now_actor = False, None  # database unreadable: the pages say why
    if known and now_actor is None:
        _end("Akun Anda telah dinonaktifkan; hubungi administrator.", reason="akun dinonaktifkan")
        return None
    if now_actor is not None and now_actor != actor:
        actor = now_actor  # role or region changed by an admin: takes effect now
        st.session_state[ACTOR_KEY] = actor
    st.session_state[LAST_ACTIVE_KEY] = now
    _renew_cookie()
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
