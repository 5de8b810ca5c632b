"""Widgets shared by the dashboard pages: filters that survive navigation, the
download buttons under each chart and the one-line note on how a figure is computed.

Filters: each choice is stored under a plain ``filter_*`` key in ``st.session_state``
(Streamlit forgets a widget's own key when the page that drew it is left) and copied
from the widget by an ``on_change`` callback, so every page opens with the year,
triwulan, region and urusan chosen on the previous one. An uploader of a
kabupaten/kota (``st.session_state["actor"]``) gets their own region by default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import charts, exports
from pipelines.capaian.dashboards import AGREGAT, Pilihan
from pipelines.core import fmt


def _sync(name: str) -> None:
    st.session_state[f"filter_{name}"] = st.session_state[f"_w_{name}"]


def pilih(
    name: str,
    label: str,
    options: Sequence[Any],
    default: Any,
    format_func: Callable[[Any], str] = str,
    container=None,
) -> Any:
    """A selectbox whose choice is kept across pages under ``filter_<name>``."""
    options = list(options)
    stored = st.session_state.get(f"filter_{name}", default)
    if stored not in options:
        stored = default if default in options else options[0]
    st.session_state[f"filter_{name}"] = stored
    st.session_state[f"_w_{name}"] = stored
    target = container or st
    return target.selectbox(
        label,
        options,
        key=f"_w_{name}",
        format_func=format_func,
        on_change=_sync,
        args=(name,),
    )


def wilayah_pengguna() -> str | None:
    """The logged-in uploader's own region, if the user is a kabupaten/kota uploader."""
    actor = st.session_state.get("actor")
    if getattr(actor, "role", None) == "pengunggah_kabkota":
        return getattr(actor, "kode_wilayah", None)
    return None


def filter_periode(pil: Pilihan, container=None) -> tuple[int, int]:
    """Year and triwulan (the latest with data by default)."""
    cols = (container or st).columns(2)
    tahun = pilih("tahun", "Tahun", pil.tahun, pil.tahun[0], container=cols[0])
    quarters = pil.triwulan(tahun)
    triwulan = pilih(
        "triwulan", "Triwulan", quarters, quarters[-1], format_func=fmt.triwulan, container=cols[1]
    )
    return int(tahun), int(triwulan)


def label_wilayah(pil: Pilihan) -> Callable[[str], str]:
    names = dict(zip(pil.wilayah["kode"], pil.wilayah["nama"], strict=True))

    def label(kode: str) -> str:
        if kode == AGREGAT:
            return f"{pil.nama_provinsi} — semua kabupaten/kota"
        if kode == pil.provinsi:
            return f"Pemerintah Provinsi {names.get(kode, kode)} (layanan provinsi)"
        return f"{names.get(kode, kode)} ({kode})"

    return label


def filter_wilayah(pil: Pilihan, with_agregat: bool = True, container=None) -> str:
    options = ([AGREGAT] if with_agregat else []) + pil.wilayah["kode"].tolist()
    own = wilayah_pengguna()
    default = own if own in options else options[0]
    return pilih("wilayah", "Wilayah", options, default, label_wilayah(pil), container=container)


SEMUA = "Semua urusan"


def filter_urusan(pil: Pilihan, container=None) -> str | None:
    choice = pilih("urusan", "Urusan", [SEMUA, *pil.urusan], SEMUA, container=container)
    return None if choice == SEMUA else choice


def catatan(text: str) -> None:
    """The one-line note under a figure saying how it is computed."""
    st.caption(f"ℹ️ {text}")


def unduhan(name: str, data: pd.DataFrame, spec: dict | None = None) -> None:
    """CSV, XLSX and PNG of what a chart shows; files are made only when clicked."""
    cols = st.columns([1, 1, 1, 5])
    cols[0].download_button(
        "⬇ CSV",
        data=lambda: exports.csv_bytes(data),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        on_click="ignore",
        help="Data di balik grafik ini sebagai CSV",
    )
    cols[1].download_button(
        "⬇ XLSX",
        data=lambda: exports.xlsx_bytes(data),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{name}",
        on_click="ignore",
        help="Data di balik grafik ini sebagai Excel",
    )
    if spec is not None:
        cols[2].download_button(
            "⬇ PNG",
            data=lambda: exports.png_bytes(spec),
            file_name=f"{name}.png",
            mime="image/png",
            key=f"png_{name}",
            on_click="ignore",
            help="Grafik ini sebagai gambar PNG",
        )


@st.cache_data(max_entries=500, show_spinner=False)
def _spec(chart_name: str, data: pd.DataFrame, args: tuple) -> dict:
    """The Vega-Lite spec of ``charts.<chart_name>(data, *args)``, built once per input
    (building and validating Altair objects costs more than the queries here; the chart
    functions are validated by their tests)."""
    return getattr(charts, chart_name)(data, *args).to_dict(validate=False)


def grafik(
    name: str,
    data: pd.DataFrame,
    chart: Callable[..., alt.TopLevelMixin],
    *args: Any,
    note: str | None = None,
    stretch: bool = True,
) -> None:
    """Draw ``chart(data, *args)`` (a function of dashboard.charts), the note on how the
    figure is computed, and the CSV/XLSX/PNG downloads of it."""
    spec = _spec(chart.__name__, data, tuple(args))
    st.vega_lite_chart(spec=spec, width="stretch" if stretch else "content")
    if note:
        catatan(note)
    unduhan(name, data, spec)


def nama_berkas(*parts: object) -> str:
    return "_".join(str(p).replace(".", "-").replace(" ", "-").lower() for p in parts if p)
