"""Charts of reporting completeness (pages Kelengkapan and Ringkasan)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts.common import STATUS_KIRIM_WARNA, dataset, kosong, lapis, selesai, tips
from pipelines.core import fmt


def kelengkapan_batang(df: pd.DataFrame, label: str = "nama") -> alt.TopLevelMixin:
    """Stacked bars per unit: on time, late with an exception, late, not sent (counts
    labelled in the bars).

    Expects columns ``label``, tepat_waktu, terlambat, belum (and terlambat_perpanjangan).
    """
    if df.empty:
        return kosong()
    columns = {
        "tepat_waktu": "tepat waktu",
        "terlambat_perpanjangan": "terlambat, dengan perpanjangan",
        "terlambat": "terlambat",
        "belum": "belum dikirim",
    }
    if "terlambat_perpanjangan" not in df.columns:
        df = df.assign(terlambat_perpanjangan=0)
    long = df.melt(
        id_vars=[label], value_vars=list(columns), var_name="status", value_name="jumlah"
    )
    long["status"] = long["status"].map(columns)
    long["jumlah_teks"] = [fmt.angka(v) if v else "" for v in long["jumlah"]]
    statuses = list(STATUS_KIRIM_WARNA)
    long["urut"] = long["status"].map({s: i for i, s in enumerate(statuses)})
    base = alt.Chart(dataset(long)).encode(
        y=alt.Y(f"{label}:N", title=None, sort=df[label].tolist()),
        x=alt.X(
            "sum(jumlah):Q",
            title="Jumlah laporan",
            stack="zero",
            axis=alt.Axis(tickMinStep=1, format="d"),
        ),
        order=alt.Order("urut:Q"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "status:N",
            title="Status",
            scale=alt.Scale(domain=statuses, range=list(STATUS_KIRIM_WARNA.values())),
            sort=statuses,
        ),
        tooltip=tips((f"{label}:N", "Unit"), ("status:N", "Status"), ("jumlah_teks:N", "Jumlah")),
    )
    text = base.mark_text(dx=-8, align="right", fontSize=13, color="black").encode(
        text=alt.Text("jumlah_teks:N")
    )
    return selesai(lapis(bars, text, height=alt.Step(30)))
