"""Masuk: the login page (password, or single sign-on when configured).

A refused login is said next to the form; a database that cannot list the demo
accounts leaves the form usable.
"""

import streamlit as st

from dashboard import auth
from dashboard.data import login as data_login
from pipelines.auth.access import ROLE_LABELS
from pipelines.errors import SpmError

st.title("Pemantauan Standar Pelayanan Minimal")
st.subheader("Masuk")

notice = st.session_state.get(auth.NOTICE_KEY)
if notice:
    st.info(notice)

with st.form("masuk"):
    username = st.text_input("Nama pengguna", autocomplete="username")
    password = st.text_input("Kata sandi", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Masuk", type="primary")

if submitted:
    if not username or not password:
        st.error("Isi nama pengguna dan kata sandi.")
    else:
        try:
            auth.login(username, password)
        except SpmError as exc:
            st.error(str(exc))
        else:
            st.rerun()

if auth.sso_configured():
    st.divider()
    st.button("Masuk dengan akun instansi (SSO)", on_click=st.login, icon=":material/badge:")
    if st.session_state.get(auth.SSO_FAILED_KEY):
        st.button("Keluar dari akun SSO", on_click=st.logout)

try:
    demo = data_login.demo_logins()
except SpmError:
    demo = None
if demo is not None and not demo.empty:
    with st.expander("Akun demo (basis data demo saja)", expanded=True):
        st.caption("Semua akun demo memakai kata sandi **demo**.")
        st.dataframe(
            demo.assign(peran=demo["peran"].map(ROLE_LABELS)).rename(
                columns={"username": "Nama pengguna", "peran": "Peran", "nama": "Keterangan"}
            ),
            hide_index=True,
        )
