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
        "Dasbor": [
            st.Page(PAGES / "ringkasan.py", title="Ringkasan", icon="📈"),
            st.Page(PAGES / "capaian.py", title="Capaian", icon="🎯"),
            st.Page(PAGES / "peta.py", title="Peta", icon="🗺️"),
            st.Page(PAGES / "lppd.py", title="LPPD", icon="📋"),
            st.Page(PAGES / "kelengkapan.py", title="Kelengkapan", icon="✅"),
        ],
    }
)
navigation.run()
