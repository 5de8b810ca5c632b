"""A "prepare, then download" pair of buttons for one Excel template."""

from __future__ import annotations

import streamlit as st

from dashboard.data import ingest as data_ingest
from pipelines.errors import SpmError
from pipelines.ingest import templates

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_download(spec: templates.TemplateSpec, key: str, where=st) -> None:
    """Build the template for ``spec`` on request and offer it for download.

    ``key`` keeps several of these apart; ``where`` is the container (e.g. a column)
    for the button. A template that cannot be built is said in place; the page goes on.
    """
    if where.button("Siapkan templat", key=f"{key}_make"):
        try:
            st.session_state[f"{key}_bytes"] = (spec, data_ingest.template_bytes(spec))
        except SpmError as exc:
            st.error(f"Templat tidak dapat dibuat: {exc}")
    ready = st.session_state.get(f"{key}_bytes")
    if ready and ready[0] == spec:
        st.download_button(
            f"Unduh {spec.file_name()}",
            ready[1],
            file_name=spec.file_name(),
            mime=XLSX_MIME,
            key=f"{key}_download",
        )
