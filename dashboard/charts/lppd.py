"""Charts of the LPPD IKK figures (page LPPD): a DataFrame in, an Altair chart out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.charts import common
from pipelines.core import fmt


def lppd_heatmap(df: pd.DataFrame) -> alt.TopLevelMixin:
    """Mean IKK capaian per region x urusan (blue ramp, value labels in each cell)."""
    if df.empty:
        return common.kosong()
    base = common.dasar_heatmap(
        df.assign(
            capaian_teks=common.label_angka(df["capaian"], 1),
            urusan_pendek=df["urusan"].map(common.singkat_urusan),
        ),
        alt.Axis(
            labelAngle=-30, orient="top", labelAlign="left", labelLimit=260, labelOverlap=False
        ),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "capaian:Q", title="Capaian IKK (%)", scale=alt.Scale(scheme="blues", domain=[0, 100])
        ),
        tooltip=common.tips(
            ("nama_wilayah:N", "Wilayah"),
            ("urusan:N", "Urusan"),
            ("capaian_teks:N", "Rata-rata capaian IKK (%)"),
        ),
    )
    text = base.mark_text(fontSize=14, fontWeight="bold").encode(
        text=alt.Text("capaian_teks:N"),
        color=alt.ColorValue("black", condition={"test": "datum.capaian >= 70", "value": "white"}),
    )
    return common.selesai(common.lapis(rect, text, height=alt.Step(38)))


def lppd_kelengkapan(df: pd.DataFrame) -> alt.TopLevelMixin:
    """Per region: % of catalog IKK filled and % with data dukung (grouped bars)."""
    if df.empty:
        return common.kosong()
    long = df.melt(
        id_vars=["nama_wilayah"],
        value_vars=["persen_terisi", "persen_data_dukung"],
        var_name="ukuran",
        value_name="persen",
    )
    long["ukuran"] = long["ukuran"].map(
        {"persen_terisi": "IKK terisi", "persen_data_dukung": "IKK dengan data dukung"}
    )
    long["persen_teks"] = [fmt.persen(v, 1) for v in long["persen"]]
    base = alt.Chart(common.dataset(long)).encode(
        y=alt.Y("nama_wilayah:N", title=None, sort=df["nama_wilayah"].tolist()),
        yOffset=alt.YOffset("ukuran:N", sort=["IKK terisi", "IKK dengan data dukung"]),
    )
    bars = base.mark_bar().encode(
        x=common.sumbu_0_100("persen:Q", "Persen dari katalog IKK", 115),
        color=common.warna_tetap(
            "ukuran:N", {"IKK terisi": "#0072B2", "IKK dengan data dukung": "#E69F00"}
        ),
        tooltip=common.tips(
            ("nama_wilayah:N", "Wilayah"), ("ukuran:N", "Ukuran"), ("persen_teks:N", "Persen")
        ),
    )
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(
        x=alt.X("persen:Q"), text=alt.Text("persen_teks:N")
    )
    return common.selesai(common.lapis(bars, text, height=alt.Step(20)))


def lppd_banding(df: pd.DataFrame, satuan: str | None = "%") -> alt.TopLevelMixin:
    """One IKK across regions, best first, each bar labelled with its value."""
    if df.empty:
        return common.kosong()
    data = df.assign(
        label=[
            "–" if pd.isna(v) else f"{fmt.angka(v, 2)}{' ' + satuan if satuan else ''}"
            for v in df["capaian"]
        ]
    )
    order = data.sort_values("capaian", ascending=False)["nama_wilayah"].tolist()
    base = alt.Chart(common.dataset(data)).encode(y=alt.Y("nama_wilayah:N", sort=order, title=None))
    bars = base.mark_bar(color="#0072B2").encode(
        x=alt.X(
            "capaian:Q",
            title=f"Capaian ({satuan})" if satuan else "Capaian",
            axis=alt.Axis(tickCount=6),
        ),
        tooltip=common.tips(("nama_wilayah:N", "Wilayah"), ("label:N", "Capaian")),
    )
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(
        x=alt.X("capaian:Q"), text=alt.Text("label:N")
    )
    return common.selesai(common.lapis(bars, text, height=alt.Step(30)))


def lppd_tren(df: pd.DataFrame) -> alt.TopLevelMixin:
    """Mean IKK capaian per region over the years (one line per region, labelled)."""
    if df.empty:
        return common.kosong()
    data = df.assign(
        tahun_teks=df["tahun"].astype(str), capaian_teks=common.label_angka(df["capaian"])
    )
    lines = (
        alt.Chart(common.dataset(data))
        .mark_line(point=True)
        .encode(
            x=alt.X("tahun_teks:O", title="Tahun", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("capaian:Q", title="Rata-rata capaian IKK (%)", scale=alt.Scale(zero=False)),
            color=common.warna_seri("nama_wilayah:N", "Wilayah"),
            strokeDash=alt.StrokeDash("nama_wilayah:N", title="Wilayah"),
            tooltip=common.tips(
                ("nama_wilayah:N", "Wilayah"),
                ("tahun_teks:N", "Tahun"),
                ("capaian_teks:N", "Capaian"),
            ),
        )
    )
    return common.selesai(lines.properties(height=320))
