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
from dashboard.components import bahasa  # noqa: E402
from dashboard.data import nasional as data_nasional  # noqa: E402
from pipelines.errors import SpmError  # noqa: E402

st.set_page_config(
    page_title="Pemantauan SPM",
    page_icon=":material/bar_chart:",
    layout="wide",
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
    PageSpec("Dasbor", "ringkasan.py", "Ringkasan", ":material/dashboard:", LEADERS),
    PageSpec("Pengiriman", "wilayah_saya.py", "Wilayah saya", ":material/location_on:", UPLOADERS),
    PageSpec("Umum", "beranda.py", "Beranda", ":material/home:", ALL_ROLES),
    PageSpec("Dasbor", "ringkasan.py", "Ringkasan", ":material/dashboard:", BIRO),
    PageSpec("Dasbor", "capaian.py", "Capaian", ":material/target:", ALL_ROLES),
    PageSpec("Dasbor", "peta.py", "Peta", ":material/map:", PROVINCE_WIDE),
    # only where a national file was built (spm nasional): see NATIONAL below
    PageSpec("Dasbor", "nasional.py", "Nasional", ":material/public:", PROVINCE_WIDE),
    PageSpec("Dasbor", "lppd.py", "LPPD", ":material/assignment:", ALL_ROLES - {"pengunggah_opd"}),
    PageSpec("Dasbor", "kelengkapan.py", "Kelengkapan", ":material/checklist:", ALL_ROLES),
    PageSpec("Analisis", "telusur.py", "Telusuri Angka", ":material/manage_search:", ALL_ROLES),
    PageSpec("Data", "unggah.py", "Unggah Data", ":material/upload_file:", BIRO | UPLOADERS),
    PageSpec("Pengiriman", "pemeriksaan.py", "Pemeriksaan", ":material/fact_check:", BIRO),
    PageSpec(
        "Pengiriman",
        "dokumen.py",
        "Dokumen SPM",
        ":material/folder_open:",
        BIRO | frozenset({"pengunggah_kabkota"}),
    ),
    PageSpec("Analisis", "kualitas.py", "Kualitas data", ":material/rule:", BIRO),
    PageSpec(
        "Analisis",
        "awards.py",
        "SPM Awards",
        ":material/emoji_events:",
        BIRO | LEADERS | frozenset({"pengunggah_kabkota"}),
    ),
    PageSpec(
        "Biro Pemerintahan",
        "siklus.py",
        "Siklus SOP",
        ":material/calendar_month:",
        BIRO | frozenset({"pimpinan", "pengunggah_kabkota"}),
    ),
    PageSpec(
        "Biro Pemerintahan",
        "siklus_kabkota.py",
        "Pemantauan LPPD/LKPj",
        ":material/travel_explore:",
        BIRO | LEADERS,
    ),
    PageSpec(
        "Pelayanan Publik", "standar.py", "Standar Pelayanan", ":material/menu_book:", ALL_ROLES
    ),
    PageSpec(
        "Pelayanan Publik",
        "skm.py",
        "Survei Kepuasan (SKM)",
        ":material/sentiment_satisfied:",
        ALL_ROLES,
    ),
    PageSpec(
        "Pelayanan Publik",
        "pengaduan.py",
        "Pengaduan",
        ":material/campaign:",
        BIRO | UPLOADERS | LEADERS,
    ),
    PageSpec(
        "Pelaporan",
        "laporan.py",
        "Laporan",
        ":material/description:",
        BIRO | frozenset({"pimpinan"}),
    ),
    PageSpec(
        "Administrasi",
        "pengguna.py",
        "Pengguna dan batas waktu",
        ":material/group:",
        frozenset({"admin"}),
    ),
    PageSpec("Administrasi", "jejak_audit.py", "Jejak audit", ":material/history:", BIRO),
]

NATIONAL = "nasional.py"  # offered only where the national file exists

bahasa.terapkan()  # Streamlit's own English words, in Indonesian
actor = auth.check_session()
auth.cookie_script()  # the login cookie set (after login) or cleared (after logout)
if actor is None:
    navigation = st.navigation(
        [st.Page(PAGES_DIR / "masuk.py", title="Masuk", icon=":material/login:")]
    )
else:
    auth.sidebar(actor)
    # expanded: every page of the role in the sidebar, no "View more" (English, and hides pages)
    offered = [p for p in PAGES if p.file != NATIONAL or data_nasional.berkas() is not None]
    navigation = st.navigation(auth.pages_for(actor, offered, PAGES_DIR), expanded=True)
try:
    navigation.run()
except SpmError as exc:
    st.error(str(exc))
    st.stop()
