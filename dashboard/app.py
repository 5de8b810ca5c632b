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
PAGES = [
    # Leaders land on the Ringkasan; everyone else on the Beranda.
    PageSpec("Dasbor", "ringkasan.py", "Ringkasan", "📈", LEADERS),
    PageSpec("Umum", "beranda.py", "Beranda", "🏠", ALL_ROLES),
    PageSpec("Dasbor", "ringkasan.py", "Ringkasan", "📈", ALL_ROLES - LEADERS),
    PageSpec("Dasbor", "capaian.py", "Capaian", "🎯", ALL_ROLES),
    PageSpec("Dasbor", "peta.py", "Peta", "🗺️", ALL_ROLES),
    PageSpec("Dasbor", "lppd.py", "LPPD", "📋", ALL_ROLES),
    PageSpec("Dasbor", "kelengkapan.py", "Kelengkapan", "✅", ALL_ROLES),
    PageSpec("Analisis", "telusur.py", "Telusuri Angka", "🔎", ALL_ROLES),
    PageSpec("Data", "unggah.py", "Unggah Data", "📤", BIRO | UPLOADERS),
    PageSpec("Pengiriman", "wilayah_saya.py", "Wilayah saya", "📍", UPLOADERS),
    PageSpec("Pengiriman", "pemeriksaan.py", "Pemeriksaan", "✅", BIRO),
    PageSpec(
        "Biro Pemerintahan",
        "siklus.py",
        "Siklus SOP",
        "🗓️",
        BIRO | frozenset({"pimpinan", "pengunggah_kabkota"}),
    ),
    PageSpec(
        "Biro Pemerintahan", "siklus_kabkota.py", "Pemantauan LPPD/LKPj", "🧭", BIRO | LEADERS
    ),
    PageSpec("Pelayanan Publik", "standar.py", "Standar Pelayanan", "📘", ALL_ROLES),
    PageSpec("Pelayanan Publik", "skm.py", "Survei Kepuasan (SKM)", "😊", ALL_ROLES),
    PageSpec("Pelayanan Publik", "pengaduan.py", "Pengaduan", "📣", BIRO | UPLOADERS | LEADERS),
    PageSpec("Pelaporan", "laporan.py", "Laporan", "📄", BIRO | frozenset({"pimpinan"})),
    PageSpec("Administrasi", "pengguna.py", "Pengguna dan batas waktu", "👥", frozenset({"admin"})),
    PageSpec("Administrasi", "jejak_audit.py", "Jejak audit", "📜", BIRO),
]

actor = auth.check_session()
if actor is None:
    navigation = st.navigation([st.Page(PAGES_DIR / "masuk.py", title="Masuk", icon="🔑")])
else:
    auth.sidebar(actor)
    navigation = st.navigation(auth.pages_for(actor, PAGES, PAGES_DIR), expanded=True)
try:
    navigation.run()
except SpmError as exc:
    st.error(str(exc))
    st.stop()
