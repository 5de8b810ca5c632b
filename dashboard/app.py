"""Entry point: ``streamlit run dashboard/app.py``. Builds the navigation only."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from anywhere without installing
    sys.path.insert(0, str(ROOT))

st.set_page_config(
    page_title="Pemantauan SPM",
    page_icon="📊",
    layout="wide",
    menu_items={"About": "Pemantauan Standar Pelayanan Minimal dan LPPD — Biro Pemerintahan"},
)

PAGES = ROOT / "dashboard" / "app_pages"

navigation = st.navigation(
    {
        "Umum": [
            st.Page(PAGES / "beranda.py", title="Beranda", icon="🏠", default=True),
        ],
        "Analisis": [
            st.Page(PAGES / "telusur.py", title="Telusuri Angka", icon="🔎"),
        ],
        "Data": [
            st.Page(PAGES / "unggah.py", title="Unggah Data", icon="📤"),
        ],
    }
)
navigation.run()
