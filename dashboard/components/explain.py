""" "Asal angka": where one service figure comes from, for any analyst page.

Usage on a page::

    from dashboard.components.explain import explain_popover
    explain_popover("19.01", 2025, 2, "KES-K-01")          # a small "Asal angka" button
    explain_expander("19.01", 2025, 2, "KES-K-01")         # or a folded section
    show_explanation("19.01", 2025, 2, "KES-K-01")         # or inline

All three show the same thing (``pipelines.capaian.explain.explain``): the inputs, the formula
with the numbers filled in, the result and category, and the submission behind it
(file, SHA-256, time, uploader, status) with the settings version used.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data import capaian as data_capaian
from pipelines.capaian.explain import Explanation
from pipelines.core import fmt
from pipelines.errors import SpmError


def render_explanation(exp: Explanation) -> None:
    """Draw an Explanation already computed."""
    st.markdown(f"**{exp.judul}**")
    st.caption(f"Kode layanan {exp.kode_layanan} · urusan {exp.urusan}")
    if exp.nilai is not None:
        # The kategori is a category, not a change: beside the number, never as a delta
        # (a metric's delta draws an up or down arrow).
        c1, c2 = st.columns(2)
        c1.metric("Nilai layanan", fmt.angka(exp.nilai, 2))
        c2.metric("Kategori", exp.kategori or "–")
    else:
        st.info(exp.hasil)
    st.markdown("**Masukan**")
    st.table(pd.DataFrame(exp.masukan, columns=["Data", "Nilai"]).set_index("Data"))
    st.markdown("**Perhitungan**")
    st.code("\n".join(exp.rumus), language=None, wrap_lines=True)
    st.markdown("**Sumber data**")
    sumber = exp.sumber() + [
        (
            "Pengaturan",
            f"versi {exp.versi_setting} (bobot penerima {fmt.angka(exp.bobot_penerima * 100)} %, "
            f"bobot mutu {fmt.angka(exp.bobot_mutu * 100)} %)",
        )
    ]
    st.table(pd.DataFrame(sumber, columns=["Keterangan", "Isi"]).set_index("Keterangan"))
    if exp.submission.get("status") not in (None, "final"):
        st.caption(
            f"Angka ini berasal dari kiriman berstatus '{exp.submission.get('status')}' "
            "dan dapat berubah sampai kiriman itu final."
        )


def show_explanation(kode_wilayah: str, tahun: int, triwulan: int, kode_layanan: str) -> None:
    """Compute (cached) and draw the explanation; a missing figure is said in one line
    and the page around it goes on."""
    try:
        exp = data_capaian.explanation(kode_wilayah, int(tahun), int(triwulan), kode_layanan)
    except SpmError as exc:
        st.info(str(exc))
        return
    render_explanation(exp)


def explain_popover(
    kode_wilayah: str,
    tahun: int,
    triwulan: int,
    kode_layanan: str,
    label: str = "Asal angka",
) -> None:
    """A small button that opens the explanation of one service figure."""
    with st.popover(label, help="Masukan, rumus dengan angkanya, dan kiriman sumbernya"):
        show_explanation(kode_wilayah, tahun, triwulan, kode_layanan)


def explain_expander(
    kode_wilayah: str,
    tahun: int,
    triwulan: int,
    kode_layanan: str,
    label: str = "Asal angka",
    expanded: bool = False,
) -> None:
    """The explanation in a folded section."""
    with st.expander(label, expanded=expanded):
        show_explanation(kode_wilayah, tahun, triwulan, kode_layanan)
