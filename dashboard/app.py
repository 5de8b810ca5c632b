"""Entry point: ``streamlit run dashboard/app.py``. Builds the navigation and runs the page.

Nobody sees data before logging in. After login the navigation holds the pages the
role may open (``PAGES``: section, file, title, icon, roles); the pages themselves
and the library check the role again.

The one place an ``SpmError`` becomes a message: a page the library refuses (or whose
database is missing or busy) shows the error's Indonesian sentence and stops. Pages
handle an error themselves only where they do something else with it (a form that
shows why and lets the person correct it, a part of the page that may fail alone).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from anywhere without installing
    sys.path.insert(0, str(ROOT))

from dashboard import auth  # noqa: E402
from dashboard.auth import ALL_ROLES, BIRO, UPLOADERS, PageSpec  # noqa: E402
from pipelines.errors import SpmError  # noqa: E402

st.set_page_config(
    page_title="Pemantauan SPM",
    page_icon="📊",
    layout="wide",
    menu_items={"About": "Pemantauan Standar Pelayanan Minimal dan LPPD — Biro Pemerintahan"},
)

PAGES_DIR = ROOT / "dashboard" / "app_pages"

LEADERS = frozenset({"pimpinan"})

# Every page of the app and who sees it; the first one a role sees is its home page.
# The province-wide pages (Ringkasan, Peta) are for the Biro and leaders: an uploader
# sees only its own figures, so they would be empty or false for it; an OPD sends no
# LPPD.
PROVINCE_WIDE = BIRO | LEADERS
PAGES = [
    # Leaders land on the Ringkasan, uploaders on their own periods, the Biro on the Beranda.
    PageSpec("Dasbor", "ringkasan.py", "Ringkasan", "📈", LEADERS),
    PageSpec("Pengiriman", "wilayah_saya.py", "Wilayah saya", "📍", UPLOADERS),
    PageSpec("Umum", "beranda.py", "Beranda", "🏠", ALL_ROLES),
    PageSpec("Dasbor", "ringkasan.py", "Ringkasan", "📈", BIRO),
    PageSpec("Dasbor", "capaian.py", "Capaian", "🎯", ALL_ROLES),
    PageSpec("Dasbor", "peta.py", "Peta", "🗺️", PROVINCE_WIDE),
    PageSpec("Dasbor", "lppd.py", "LPPD", "📋", ALL_ROLES - {"pengunggah_opd"}),
    PageSpec("Dasbor", "kelengkapan.py", "Kelengkapan", "✅", ALL_ROLES),
    PageSpec("Analisis", "telusur.py", "Telusuri Angka", "🔎", ALL_ROLES),
    PageSpec("Data", "unggah.py", "Unggah Data", "📤", BIRO | UPLOADERS),
    PageSpec("Pengiriman", "pemeriksaan.py", "Pemeriksaan", "✅", BIRO),
    PageSpec("Biro Pemerintahan", "siklus.py", "Siklus SOP", "🗓️", BIRO | frozenset({"pimpinan"})),
    PageSpec("Pelaporan", "laporan.py", "Laporan", "📄", BIRO | frozenset({"pimpinan"})),
    PageSpec("Administrasi", "pengguna.py", "Pengguna dan batas waktu", "👥", frozenset({"admin"})),
    PageSpec("Administrasi", "jejak_audit.py", "Jejak audit", "📜", BIRO),
]

actor = auth.check_session()
if actor is None:
    navigation = st.navigation([st.Page(PAGES_DIR / "masuk.py", title="Masuk", icon="🔑")])
else:
    auth.sidebar(actor)
    navigation = st.navigation(auth.pages_for(actor, PAGES, PAGES_DIR))
try:
    navigation.run()
except SpmError as exc:
    st.error(str(exc))
    st.stop()
