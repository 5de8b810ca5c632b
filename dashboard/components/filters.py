"""The pickers shared by the dashboard pages, kept while moving between pages.

Each choice is stored under a plain ``filter_*`` key in ``st.session_state``
(Streamlit forgets a widget's own key when the page that drew it is left) and copied
from the widget by an ``on_change`` callback, so every page opens with the year,
triwulan, region and urusan chosen on the previous one. An uploader of a
kabupaten/kota gets their own region by default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from dashboard import data
from dashboard.components import guard
from dashboard.data import capaian as data_capaian
from pipelines.capaian import labels
from pipelines.capaian.dashboards import AGREGAT, Pilihan
from pipelines.core import fmt

SEMUA = "Semua urusan"
BELUM_ADA_SPM = "Belum ada data SPM. Unggah template kabupaten/kota atau jalankan 'spm demo'."


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


def pilihan_spm() -> Pilihan:
    """What the SPM filters offer; stops the page with one line when there is no SPM data."""
    pil = data_capaian.pilihan()
    guard.stop_if_empty(pil.kosong, BELUM_ADA_SPM)
    return pil


def periode(tahun: int, triwulan: int) -> str:
    """'Triwulan II 2025'."""
    return f"{fmt.triwulan(triwulan)} {tahun}"


def wilayah_pengguna() -> str | None:
    """The logged-in uploader's own region, if the user is a kabupaten/kota uploader."""
    actor = data.actor()
    return actor.kode_wilayah if actor.role == "pengunggah_kabkota" else None


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
            return labels.nama_pemprov(names.get(kode, kode))
        return f"{names.get(kode, kode)} ({kode})"

    return label


def filter_wilayah(pil: Pilihan, with_agregat: bool = True, container=None) -> str:
    """A region of the province; the province-wide view first, except for uploaders, who
    see only their own region (or, for an OPD, the province's services they report)."""
    uploader = data.actor().role in ("pengunggah_kabkota", "pengunggah_opd")
    options = ([AGREGAT] if with_agregat and not uploader else []) + pil.wilayah["kode"].tolist()
    own = wilayah_pengguna()
    default = own if own in options else options[0]
    return pilih("wilayah", "Wilayah", options, default, label_wilayah(pil), container=container)


def filter_urusan(pil: Pilihan, container=None) -> str | None:
    choice = pilih("urusan", "Urusan", [SEMUA, *pil.urusan], SEMUA, container=container)
    return None if choice == SEMUA else choice
