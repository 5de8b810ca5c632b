"""The SPM Awards chart: each kabupaten/kota's score as stacked bars of its six parts,
highest first, the total written at the end of each bar."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts.common import SERI_WARNA, dataset, kosong, lapis, selesai, tips
from pipelines.core import fmt


def skor_batang(df: pd.DataFrame, bagian: dict[str, str]) -> alt.TopLevelMixin:
    """Stacked bars per region (``nama_wilayah``) of the parts ``bagian`` (column ->
    name shown), in the frame's order, with ``skor`` labelled."""
    if df.empty:
        return kosong()
    names = list(bagian.values())
    long = df.melt(
        id_vars=["nama_wilayah"], value_vars=list(bagian), var_name="bagian", value_name="poin"
    )
    long["bagian"] = long["bagian"].map(bagian)
    long["poin_teks"] = [fmt.angka(v, 2) for v in long["poin"]]
    long["urut"] = long["bagian"].map({n: i for i, n in enumerate(names)})
    order = df["nama_wilayah"].tolist()
    bars = (
        alt.Chart(dataset(long))
        .mark_bar()
        .encode(
            y=alt.Y("nama_wilayah:N", title=None, sort=order),
            x=alt.X("sum(poin):Q", title="Skor (dari 100)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "bagian:N",
                title="Bagian",
                scale=alt.Scale(domain=names, range=SERI_WARNA[: len(names)]),
                sort=names,
            ),
            order=alt.Order("urut:Q"),
            tooltip=tips(
                ("nama_wilayah:N", "Wilayah"), ("bagian:N", "Bagian"), ("poin_teks:N", "Poin")
            ),
        )
    )
    totals = df.assign(skor_teks=[fmt.angka(v, 2) for v in df["skor"]])
    text = (
        alt.Chart(dataset(totals[["nama_wilayah", "skor", "skor_teks"]]))
        .mark_text(align="left", dx=4, fontSize=13)
        .encode(
            y=alt.Y("nama_wilayah:N", sort=order), x=alt.X("skor:Q"), text=alt.Text("skor_teks:N")
        )
    )
    return selesai(lapis(bars, text, height=alt.Step(30)))
