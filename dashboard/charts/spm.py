"""Charts of the SPM figures (Ringkasan, Capaian; the maps are in ``peta``): a DataFrame in, an Altair chart out."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.charts.common import (
    BELUM_ADA,
    MASING_MASING_WARNA,
    TANPA_NILAI,
    batang_kategori,
    dasar_heatmap,
    dataset,
    kosong,
    label_angka,
    lapis,
    selesai,
    singkat_urusan,
    skala_teks_kategori,
    sumbu_0_100,
    tips,
    warna_kategori,
    warna_seri,
    warna_tetap,
)
from pipelines.core import fmt

# Figures resting on data not yet verified say so: a "belum diverifikasi" after a bar's
# label, an asterisk after a cell's or tile's value (the page's note explains it).
BELUM_DIVERIFIKASI = " · belum diverifikasi"


def belum(df: pd.DataFrame) -> list[bool]:
    """Per row: the figure rests on unverified data (column ``belum_diverifikasi``)."""
    if "belum_diverifikasi" not in df.columns:
        return [False] * len(df)
    return [bool(v) and not pd.isna(v) for v in df["belum_diverifikasi"]]


def penanda(df: pd.DataFrame) -> list[str]:
    """The text to add after each row's label: BELUM_DIVERIFIKASI or ''."""
    return [BELUM_DIVERIFIKASI if b else "" for b in belum(df)]


# --- Ringkasan ------------------------------------------------------------------------


def peringkat_wilayah(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """Horizontal bars of IP-SPM per region, best on top, coloured and labelled by category.

    Expects columns nama_wilayah, nilai, kategori (selisih_tahun_lalu optional).
    """
    if df.empty:
        return kosong()
    data = df.assign(
        label=[
            (f"{fmt.angka(v, 2)} · {k}" if pd.notna(v) else "belum melapor") + tanda
            for v, k, tanda in zip(df["nilai"], df["kategori"], penanda(df), strict=True)
        ],
        nilai_teks=label_angka(df["nilai"]),
        kategori=df["kategori"].fillna(BELUM_ADA),
        posisi=df["nilai"].fillna(0),
    )
    if "selisih_tahun_lalu" in data:
        data["selisih_teks"] = [
            "–" if pd.isna(v) else f"{'+' if v >= 0 else ''}{fmt.angka(v, 2)}"
            for v in data["selisih_tahun_lalu"]
        ]
    else:
        data["selisih_teks"] = "–"
    order = data.sort_values("nilai", ascending=False)["nama_wilayah"].tolist()
    y = alt.Y("nama_wilayah:N", sort=order, title=None, axis=alt.Axis(labelFontSize=15))
    base = alt.Chart(dataset(data)).encode(y=y)
    bars = batang_kategori(
        base,
        sumbu_0_100("nilai:Q", "IP-SPM", 150),
        kategori,
        tips(
            ("nama_wilayah:N", "Wilayah"),
            ("nilai_teks:N", "IP-SPM"),
            ("kategori:N", "Kategori"),
            ("selisih_teks:N", "Perubahan dari tahun lalu"),
        ),
    )
    text = base.mark_text(align="left", dx=4, fontSize=14).encode(
        x=alt.X("posisi:Q"), text=alt.Text("label:N")
    )
    return selesai(lapis(bars, text, height=alt.Step(34)))


def heatmap_urusan(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """Region x urusan grid, each cell coloured by category and labelled with its nilai.

    Expects columns nama_wilayah, urusan, nilai, kategori.
    """
    if df.empty:
        return kosong()
    base = dasar_heatmap(
        df.assign(
            nilai_teks=[
                t + ("*" if b else "")
                for t, b in zip(label_angka(df["nilai"], 1), belum(df), strict=True)
            ],
            kategori=df["kategori"].fillna(TANPA_NILAI),
            urusan_pendek=df["urusan"].map(singkat_urusan),
        ),
        alt.Axis(
            labelAngle=-30, labelAlign="left", orient="top", labelFontSize=14, labelOverlap=False
        ),
    )
    rect = base.mark_rect(stroke="#888", strokeWidth=1).encode(
        color=warna_kategori(kategori, orient="bottom", columns=4),
        tooltip=tips(
            ("nama_wilayah:N", "Wilayah"),
            ("urusan:N", "Urusan"),
            ("nilai_teks:N", "Nilai"),
            ("kategori:N", "Kategori"),
        ),
    )
    text = base.mark_text(fontSize=15, fontWeight="bold").encode(
        text=alt.Text("nilai_teks:N"),
        color=alt.Color("kategori:N", scale=skala_teks_kategori(kategori), legend=None),
    )
    return selesai(lapis(rect, text, height=alt.Step(40), resolve=MASING_MASING_WARNA))


def tren_tahunan(df: pd.DataFrame) -> alt.TopLevelMixin:
    """IP-SPM over the years: the province aggregate bold with labels, regions thin.

    Expects columns tahun, nama_wilayah, nilai, agregat.
    """
    if df.empty:
        return kosong()
    data = df.assign(tahun_teks=df["tahun"].astype(str), nilai_teks=label_angka(df["nilai"]))
    x = alt.X("tahun_teks:O", title="Tahun", axis=alt.Axis(labelAngle=0))
    y = alt.Y("nilai:Q", title="IP-SPM", scale=alt.Scale(zero=False, domainMax=100, nice=False))
    tooltip = tips(
        ("nama_wilayah:N", "Wilayah"), ("tahun_teks:N", "Tahun"), ("nilai_teks:N", "IP-SPM")
    )
    regions = (
        alt.Chart(dataset(data[~data["agregat"]]))
        .mark_line(point=True, strokeWidth=1.5, opacity=0.55)
        .encode(
            x=x,
            y=y,
            color=warna_seri("nama_wilayah:N", "Kabupaten/kota", orient="right"),
            strokeDash=alt.StrokeDash("nama_wilayah:N", title="Kabupaten/kota"),
            tooltip=tooltip,
        )
    )
    agg = data[data["agregat"]]
    line = (
        alt.Chart(dataset(agg))
        .mark_line(point=alt.OverlayMarkDef(size=90, color="black"), strokeWidth=5, color="black")
        .encode(x=x, y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart(dataset(agg))
        .mark_text(dy=-16, fontSize=16, fontWeight="bold")
        .encode(x=x, y=y, text=alt.Text("nilai_teks:N"))
    )
    return selesai(lapis(regions, line, labels, height=340))


def layanan_tertinggal(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """The services furthest behind: bars of nilai with people still to serve and cost.

    Expects columns nama_layanan, nilai, kategori, kurang_terlayani, perkiraan_biaya.
    """
    if df.empty:
        return kosong()
    data = df.assign(
        label=[
            f"{fmt.angka(v, 2)} · {fmt.angka(k)} orang belum terlayani"
            + (f" · {fmt.rupiah(b)}" if pd.notna(b) else "")
            + tanda
            for v, k, b, tanda in zip(
                df["nilai"], df["kurang_terlayani"], df["perkiraan_biaya"], penanda(df), strict=True
            )
        ],
        kategori=df["kategori"].fillna(TANPA_NILAI),
    )
    order = data["nama_layanan"].tolist()  # as given: furthest behind first
    base = alt.Chart(dataset(data)).encode(y=alt.Y("nama_layanan:N", sort=order, title=None))
    bars = batang_kategori(
        base,
        sumbu_0_100("nilai:Q", "Nilai layanan", 180),
        kategori,
        tips(("nama_layanan:N", "Layanan"), ("label:N", "")),
    )
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(
        x=alt.X("nilai:Q"), text=alt.Text("label:N")
    )
    return selesai(lapis(bars, text, height=alt.Step(40)))


# --- Capaian ----------------------------------------------------------------------------


def sasaran_realisasi(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """Per service: realisation as % of the sasaran (bar) against the 100 % target (rule),
    labelled "terlayani / sasaran".

    Expects columns nama_layanan, jumlah_sasaran, jumlah_terlayani, capaian_penerima,
    kategori.
    """
    if df.empty:
        return kosong()
    data = df.assign(
        label=[
            "tidak ada sasaran"
            if not s
            else f"{fmt.angka(t)} / {fmt.angka(s)} ({fmt.angka(c, 1)} %)"
            for t, s, c in zip(
                df["jumlah_terlayani"], df["jumlah_sasaran"], df["capaian_penerima"], strict=True
            )
        ],
        capaian=df["capaian_penerima"].fillna(0),
        kategori=df["kategori"].fillna(TANPA_NILAI),
    )
    order = data["nama_layanan"].tolist()
    base = alt.Chart(dataset(data)).encode(y=alt.Y("nama_layanan:N", sort=order, title=None))
    bars = batang_kategori(
        base,
        sumbu_0_100("capaian:Q", "Terlayani terhadap sasaran (%)", 160),
        kategori,
        tips(
            ("nama_layanan:N", "Layanan"),
            ("label:N", "Terlayani / sasaran"),
            ("kategori:N", "Kategori"),
        ),
        title="Kategori layanan",
    )
    target = (
        alt.Chart(dataset(pd.DataFrame({"x": [100]})))
        .mark_rule(color="black", strokeDash=[4, 3], strokeWidth=2)
        .encode(x=alt.X("x:Q"))
    )
    text = base.mark_text(align="left", x=alt.expr("scale('x', 100) + 6"), fontSize=12).encode(
        text=alt.Text("label:N")
    )
    return selesai(lapis(bars, target, text, height=alt.Step(26)))


def progres_triwulan(df: pd.DataFrame) -> alt.TopLevelMixin:
    """Cumulative terlayani per triwulan against the year's sasaran, with the year-end
    projection drawn hatched-light and labelled "proyeksi".

    Expects columns triwulan, jumlah_sasaran, jumlah_terlayani, proyeksi.
    """
    if df.empty:
        return kosong()
    data = df.assign(
        periode=[
            f"TW {fmt.TRIWULAN_ROMAWI[int(q)]}" + (" (proyeksi)" if p else "")
            for q, p in zip(df["triwulan"], df["proyeksi"], strict=True)
        ],
        jenis=["Proyeksi akhir tahun" if p else "Realisasi" for p in df["proyeksi"]],
        label=[fmt.angka(v) for v in df["jumlah_terlayani"]],
        sasaran_teks=[fmt.angka(v) for v in df["jumlah_sasaran"]],
    )
    x = alt.X("periode:N", title=None, sort=data["periode"].tolist(), axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(dataset(data))
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("jumlah_terlayani:Q", title="Orang terlayani (kumulatif)"),
            color=warna_tetap(
                "jenis:N", {"Realisasi": "#0072B2", "Proyeksi akhir tahun": "#9ecae1"}
            ),
            tooltip=tips(
                ("periode:N", "Periode"), ("label:N", "Terlayani"), ("sasaran_teks:N", "Sasaran")
            ),
        )
    )
    text = (
        alt.Chart(dataset(data))
        .mark_text(dy=-8, fontSize=13)
        .encode(x=x, y=alt.Y("jumlah_terlayani:Q"), text=alt.Text("label:N"))
    )
    sasaran = (
        alt.Chart(dataset(data))
        .mark_line(color="#D55E00", strokeDash=[6, 3], strokeWidth=2, point=True)
        .encode(x=x, y=alt.Y("jumlah_sasaran:Q"), tooltip=tips(("sasaran_teks:N", "Sasaran")))
    )
    sasaran_label = (
        alt.Chart(dataset(data.tail(1)))
        .mark_text(align="right", dy=-10, color="#D55E00", fontSize=13)
        .encode(x=x, y=alt.Y("jumlah_sasaran:Q"), text=alt.Text("sasaran_teks:N"))
    )
    return selesai(lapis(bars, text, sasaran, sasaran_label, height=320))


def nilai_wilayah(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """IP-SPM of every region of the province (drill-down level 1)."""
    return peringkat_wilayah(df, kategori)
