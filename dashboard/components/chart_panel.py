"""A chart with its one-line note on how the figure is computed and the downloads of it:
the data behind it as CSV and XLSX, the picture as PNG (files made only when clicked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.charts import exports

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def catatan(text: str) -> None:
    """The one-line note under a figure saying how it is computed."""
    st.caption(f":material/info: {text}")


def unduhan(name: str, data: pd.DataFrame, spec: dict | None = None) -> None:
    """CSV, XLSX and PNG (when ``spec`` is given) of what a chart shows."""
    files = [
        (
            "CSV",
            "csv",
            lambda: exports.csv_bytes(data),
            "text/csv",
            "Data di balik grafik ini sebagai CSV",
        ),
        (
            "XLSX",
            "xlsx",
            lambda: exports.xlsx_bytes(data),
            XLSX_MIME,
            "Data di balik grafik ini sebagai Excel",
        ),
    ]
    if spec is not None:
        files.append(
            (
                "PNG",
                "png",
                lambda: exports.png_bytes(spec),
                "image/png",
                "Grafik ini sebagai gambar PNG",
            )
        )
    row = st.container(horizontal=True)
    for kind, ext, make, mime, help_text in files:
        row.download_button(
            kind,
            data=make,
            file_name=f"{name}.{ext}",
            mime=mime,
            key=f"{ext}_{name}",
            on_click="ignore",
            help=help_text,
            icon=":material/download:",
        )


@st.cache_data(max_entries=500, show_spinner=False)
def _spec(
    chart_name: str, _chart: Callable[..., alt.TopLevelMixin], data: pd.DataFrame, args: tuple
) -> dict:
    """The Vega-Lite spec of ``_chart(data, *args)`` (named ``chart_name``, the cache
    key), built once per input (building and validating Altair objects costs more than
    the queries here; the chart functions are validated by their tests)."""
    return _chart(data, *args).to_dict(validate=False)


def grafik(
    name: str,
    data: pd.DataFrame,
    chart: Callable[..., alt.TopLevelMixin],
    *args: Any,
    note: str | None = None,
    stretch: bool = True,
    kosong: str | None = None,
) -> None:
    """Draw ``chart(data, *args)`` (a function of dashboard.charts), the note on how the
    figure is computed, and the CSV/XLSX/PNG downloads of it; with ``kosong``, an empty
    ``data`` is said in that one line instead."""
    if kosong is not None and data.empty:
        st.info(kosong)
        return
    spec = _spec(f"{chart.__module__}.{chart.__qualname__}", chart, data, tuple(args))
    _draw(spec, stretch)
    if note:
        catatan(note)
    unduhan(name, data, spec)


def nama_berkas(*parts: object) -> str:
    """A download's file name from its parts: 'peringkat-ipspm_2025_tw4'."""
    return "_".join(str(p).replace(".", "-").replace(" ", "-").lower() for p in parts if p)


def gambar(chart: alt.TopLevelMixin, *, stretch: bool = True) -> None:
    """Draw an Altair chart without the downloads of :func:`grafik` (and, like it, without
    validating the spec again at every render: ``st.altair_chart`` does, which costs more
    than building the chart)."""
    _draw(chart.to_dict(validate=False), stretch)


def _draw(spec: dict, stretch: bool) -> None:
    st.vega_lite_chart(spec=spec, width="stretch" if stretch else "content")
