"""Charts of public service delivery (pages Survei Kepuasan and Pengaduan): the IKM of
each unit coloured and labelled by its mutu, the NRR of each unsur, and complaints per
unit. Frames of ``pipelines.capaian.query.skm_*`` and ``pipelines.pelayanan`` in,
Altair out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts.common import dataset, label_angka, lapis, selesai, tips

# Mutu A-D, best to worst (a blue-to-red ramp as the SPM categories; the letter is
# written on every bar too).
MUTU_WARNA = {"A": "#4575b4", "B": "#91bfdb", "C": "#fc8d59", "D": "#d73027"}


def ikm_unit(frame: pd.DataFrame) -> alt.LayerChart:
    """One bar per unit (highest IKM first), its IKM and mutu written at its end."""
    data = frame.assign(
        label=[
            f"{v} ({m})" if isinstance(m, str) else v
            for v, m in zip(label_angka(frame["ikm"]), frame["mutu"], strict=True)
        ],
        mutu=frame["mutu"].fillna("–"),
    ).sort_values("ikm", ascending=False)
    order = list(data["nama_unit"])
    base = alt.Chart(dataset(data)).encode(
        y=alt.Y("nama_unit:N", title=None, sort=order),
        x=alt.X(
            "ikm:Q",
            title="IKM (25-100)",
            scale=alt.Scale(domain=[0, 110]),
            axis=alt.Axis(values=[0, 25, 50, 75, 100]),
        ),
    )
    bars = base.mark_bar(stroke="#555", strokeWidth=0.5).encode(
        color=alt.Color(
            "mutu:N",
            title="Mutu",
            scale=alt.Scale(domain=list(MUTU_WARNA), range=list(MUTU_WARNA.values())),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=tips(
            ("nama_unit:N", "Unit"),
            ("ikm:Q", "IKM", ",.2f"),
            ("mutu:N", "Mutu"),
            ("kinerja:N", "Kinerja"),
            ("jumlah_responden:Q", "Responden"),
        ),
    )
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(text=alt.Text("label:N"))
    return selesai(lapis(bars, text, height=alt.Step(26)))


def nrr_unsur(frame: pd.DataFrame) -> alt.LayerChart:
    """NRR of each unsur (1-4) for one unit and year, lowest marked."""
    low = frame["nrr"].min() if len(frame) else None
    data = frame.assign(
        label=label_angka(frame["nrr"]),
        terendah=["terendah" if v == low else "lainnya" for v in frame["nrr"]],
    )
    base = alt.Chart(dataset(data)).encode(
        y=alt.Y("unsur:N", title=None, sort=list(data["unsur"])),
        x=alt.X("nrr:Q", title="Nilai rata-rata (1-4)", scale=alt.Scale(domain=[0, 4.4])),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "terendah:N",
            title=None,
            scale=alt.Scale(domain=["terendah", "lainnya"], range=["#d73027", "#91bfdb"]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=tips(("unsur:N", "Unsur"), ("nrr:Q", "NRR", ",.2f")),
    )
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(text=alt.Text("label:N"))
    return selesai(lapis(bars, text, height=alt.Step(30)))


def pengaduan_unit(frame: pd.DataFrame) -> alt.Chart:
    """Complaints per unit split into closed, open and past a deadline."""
    long = frame.assign(
        selesai_=frame["jumlah"] - frame["terbuka"],
        terbuka_=frame["terbuka"] - frame["terlambat"],
    ).melt(
        id_vars=["nama_unit"],
        value_vars=["selesai_", "terbuka_", "terlambat"],
        var_name="keadaan",
        value_name="banyak",
    )
    long["keadaan"] = long["keadaan"].map(
        {"selesai_": "ditutup", "terbuka_": "terbuka", "terlambat": "lewat batas waktu"}
    )
    order = list(frame.sort_values("jumlah", ascending=False)["nama_unit"])
    chart = (
        alt.Chart(dataset(long))
        .mark_bar()
        .encode(
            y=alt.Y("nama_unit:N", title=None, sort=order),
            x=alt.X("banyak:Q", title="Jumlah pengaduan", stack="zero"),
            color=alt.Color(
                "keadaan:N",
                title=None,
                scale=alt.Scale(
                    domain=["ditutup", "terbuka", "lewat batas waktu"],
                    range=["#0072B2", "#E69F00", "#D55E00"],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=tips(("nama_unit:N", "Unit"), ("keadaan:N", "Keadaan"), ("banyak:Q", "Jumlah")),
        )
    )
    return selesai(chart.properties(height=alt.Step(26)))
