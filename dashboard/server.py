"""The server: ``streamlit run dashboard/server.py``. Serves the app (``dashboard/app.py``,
one script run per page view, as ``streamlit run dashboard/app.py`` would) and the two
routes that set and clear the HttpOnly login cookie (:mod:`dashboard.cookie`)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from anywhere without installing
    sys.path.insert(0, str(ROOT))

from dashboard import cookie  # noqa: E402

app = st.App(Path(__file__).with_name("app.py"), routes=cookie.routes())
