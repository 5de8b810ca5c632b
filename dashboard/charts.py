"""Every chart of the dashboards: pure functions, a DataFrame in and an Altair chart out.

No Streamlit and no database here (tested on their own). Colours: the six SPM
categories use ColorBrewer's RdYlBu ramp (safe for the common forms of colour
blindness, ordered from worst to best) and every coloured mark also carries its
category or value as text, so colour is never the only cue. Numbers shown on marks
are formatted in Indonesian (``1.234,5``) in Python; axes use the Indonesian locale.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence

import altair as alt
import pandas as pd

from pipelines.core import fmt

# RdYlBu, 6 classes, from best (blue) to worst (red); text colour readable on each.
KATEGORI_WARNA = ["#4575b4", "#91bfdb", "#e0f3f8", "#fee090", "#fc8d59", "#d73027"]
KATEGORI_TEKS = ["white", "black", "black", "black", "black", "white"]
TANPA_NILAI = "Tidak ada sasaran"
BELUM_ADA = "Belum ada data"
WARNA_ABU = "#bdbdbd"
# Okabe-Ito, for series that are not categories.
SERI_WARNA = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
STATUS_KIRIM_WARNA = {"tepat waktu": "#0072B2", "terlambat": "#E69F00", "belum dikirim": "#bdbdbd"}

LOCALE_ID = alt.Locale(
    number={"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]},
    time={
        "dateTime": "%A, %e %B %Y %X",
        "date": "%d/%m/%Y",
        "time": "%H.%M.%S",
        "periods": ["", ""],
        "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
        "months": fmt.BULAN,
        "shortMonths": [b[:3] for b in fmt.BULAN],
    },
)
FONT_BESAR = 16  # readable on a projector


_pending = threading.local()


def _data(df: pd.DataFrame) -> alt.NamedData:
    """A named dataset for ``df`` (rows as JSON values, NaN -> null), attached to the
    top-level chart by :func:`selesai`. Much cheaper than handing Altair a DataFrame,
    which it sanitises, deep-copies and hashes through its text repr for every layer."""
    text = df.to_json(orient="records", date_format="iso")
    name = "data_" + hashlib.sha1(text.encode()).hexdigest()[:16]
    if not hasattr(_pending, "datasets"):
        _pending.datasets = {}
    _pending.datasets[name] = json.loads(text)
    return alt.NamedData(name=name)


def kategori_urut(kategori: pd.DataFrame | Sequence[str]) -> list[str]:
    """Category names best first (from v_kategori, whose bands are configurable)."""
    if isinstance(kategori, pd.DataFrame):
        return kategori.sort_values("peringkat")["kategori"].tolist()
    return list(kategori)


def _warna_kategori(kategori: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """Domain, fill colours and text colours for the category bands (plus 'no value')."""
    names = list(kategori)
    n = len(names)
    # Spread the six-colour ramp over however many bands are configured.
    idx = [round(i * (len(KATEGORI_WARNA) - 1) / max(n - 1, 1)) for i in range(n)]
    fills = [KATEGORI_WARNA[i] for i in idx] + [WARNA_ABU, WARNA_ABU]
    texts = [KATEGORI_TEKS[i] for i in idx] + ["black", "black"]
    return names + [TANPA_NILAI, BELUM_ADA], fills, texts


def skala_kategori(kategori: Sequence[str]) -> alt.Scale:
    domain, fills, _ = _warna_kategori(kategori)
    return alt.Scale(domain=domain, range=fills)


def skala_teks_kategori(kategori: Sequence[str]) -> alt.Scale:
    domain, _, texts = _warna_kategori(kategori)
    return alt.Scale(domain=domain, range=texts)


def selesai(
    chart: alt.TopLevelMixin, judul: str | None = None, tanpa_bingkai: bool = False
) -> alt.TopLevelMixin:
    """Top-level settings shared by every chart (Indonesian locale, large fonts) and the
    datasets registered by :func:`_data` while the chart was built."""
    if judul:
        chart = chart.properties(title=judul)
    # Assigned, not chained through .configure_*(): each of those deep-copies the chart.
    chart.config = alt.Config(
        locale=LOCALE_ID,
        axis=alt.AxisConfig(labelFontSize=13, titleFontSize=14, labelLimit=320),
        legend=alt.LegendConfig(labelFontSize=13, titleFontSize=14, labelLimit=300),
        title=alt.TitleConfig(fontSize=FONT_BESAR, anchor="start"),
        view=alt.ViewConfig(stroke=None) if tanpa_bingkai else alt.Undefined,
    )
    chart.datasets = getattr(_pending, "datasets", {})
    _pending.datasets = {}
    return chart


def _label_nilai(values: pd.Series, desimal: int = 2) -> list[str]:
    return [fmt.angka(v, desimal) for v in values]


def kosong(pesan: str = "Belum ada data") -> alt.Chart:
    """A placeholder chart for an empty frame (callers usually stop before this)."""
    return selesai(
        alt.Chart(_data(pd.DataFrame({"t": [pesan]}))).mark_text(size=16).encode(text="t:N")
    )


# --- Ringkasan ------------------------------------------------------------------------


def peringkat_wilayah(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """Horizontal bars of IP-SPM per region, best on top, coloured and labelled by category.

    Expects columns nama_wilayah, nilai, kategori (selisih_tahun_lalu optional).
    """
    if df.empty:
        return kosong()
    data = df.assign(
        label=[
            f"{fmt.angka(v, 2)} · {k}" if pd.notna(v) else "belum melapor"
            for v, k in zip(df["nilai"], df["kategori"], strict=True)
        ],
        nilai_teks=_label_nilai(df["nilai"]),
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
    base = alt.Chart(_data(data)).encode(y=y)
    bars = base.mark_bar(stroke="#555", strokeWidth=0.6).encode(
        x=alt.X(
            "nilai:Q",
            title="IP-SPM",
            scale=alt.Scale(domain=[0, 150]),
            axis=alt.Axis(values=[0, 20, 40, 60, 80, 100]),
        ),
        color=alt.Color("kategori:N", scale=skala_kategori(kategori), title="Kategori"),
        tooltip=[
            alt.Tooltip("nama_wilayah:N", title="Wilayah"),
            alt.Tooltip("nilai_teks:N", title="IP-SPM"),
            alt.Tooltip("kategori:N", title="Kategori"),
            alt.Tooltip("selisih_teks:N", title="Perubahan dari tahun lalu"),
        ],
    )
    text = base.mark_text(align="left", dx=4, fontSize=14).encode(
        x=alt.X("posisi:Q"), text="label:N"
    )
    return selesai((bars + text).properties(height=alt.Step(34)))


def heatmap_urusan(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """Region x urusan grid, each cell coloured by category and labelled with its nilai.

    Expects columns nama_wilayah, urusan, nilai, kategori.
    """
    if df.empty:
        return kosong()
    data = df.assign(
        nilai_teks=[fmt.angka(v, 1) if pd.notna(v) else "–" for v in df["nilai"]],
        kategori=df["kategori"].fillna(TANPA_NILAI),
        urusan_pendek=df["urusan"].map(singkat_urusan),
    )
    base = alt.Chart(_data(data)).encode(
        x=alt.X(
            "urusan_pendek:N",
            title=None,
            axis=alt.Axis(labelAngle=0, orient="top", labelFontSize=14),
            sort=list(dict.fromkeys(data["urusan_pendek"])),
        ),
        y=alt.Y("nama_wilayah:N", title=None, sort=list(dict.fromkeys(data["nama_wilayah"]))),
    )
    rect = base.mark_rect(stroke="#888", strokeWidth=1).encode(
        color=alt.Color(
            "kategori:N",
            scale=skala_kategori(kategori),
            title="Kategori",
            legend=alt.Legend(orient="bottom", columns=4),
        ),
        tooltip=[
            alt.Tooltip("nama_wilayah:N", title="Wilayah"),
            alt.Tooltip("urusan:N", title="Urusan"),
            alt.Tooltip("nilai_teks:N", title="Nilai"),
            alt.Tooltip("kategori:N", title="Kategori"),
        ],
    )
    text = base.mark_text(fontSize=15, fontWeight="bold").encode(
        text="nilai_teks:N",
        color=alt.Color("kategori:N", scale=skala_teks_kategori(kategori), legend=None),
    )
    return selesai((rect + text).properties(height=alt.Step(40)).resolve_scale(color="independent"))


URUSAN_SINGKAT = {
    "Pendidikan": "Pendidikan",
    "Kesehatan": "Kesehatan",
    "Pekerjaan Umum": "PU",
    "Perumahan Rakyat": "Perumahan",
    "Ketenteraman dan Ketertiban Umum serta Pelindungan Masyarakat": "Trantibumlinmas",
    "Sosial": "Sosial",
}


def singkat_urusan(urusan: str) -> str:
    return URUSAN_SINGKAT.get(urusan, urusan)


def tren_tahunan(df: pd.DataFrame) -> alt.TopLevelMixin:
    """IP-SPM over the years: the province aggregate bold with labels, regions thin.

    Expects columns tahun, nama_wilayah, nilai, agregat.
    """
    if df.empty:
        return kosong()
    data = df.assign(tahun_teks=df["tahun"].astype(str), nilai_teks=_label_nilai(df["nilai"]))
    x = alt.X("tahun_teks:O", title="Tahun", axis=alt.Axis(labelAngle=0))
    y = alt.Y("nilai:Q", title="IP-SPM", scale=alt.Scale(zero=False, domainMax=100, nice=False))
    tooltip = [
        alt.Tooltip("nama_wilayah:N", title="Wilayah"),
        alt.Tooltip("tahun_teks:N", title="Tahun"),
        alt.Tooltip("nilai_teks:N", title="IP-SPM"),
    ]
    regions = (
        alt.Chart(_data(data[~data["agregat"]]))
        .mark_line(point=True, strokeWidth=1.5, opacity=0.55)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "nama_wilayah:N",
                title="Kabupaten/kota",
                scale=alt.Scale(range=SERI_WARNA),
                legend=alt.Legend(orient="right", symbolType="stroke", symbolStrokeWidth=3),
            ),
            strokeDash=alt.StrokeDash("nama_wilayah:N", title="Kabupaten/kota"),
            tooltip=tooltip,
        )
    )
    agg = data[data["agregat"]]
    line = (
        alt.Chart(_data(agg))
        .mark_line(point=alt.OverlayMarkDef(size=90, color="black"), strokeWidth=5, color="black")
        .encode(x=x, y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart(_data(agg))
        .mark_text(dy=-16, fontSize=16, fontWeight="bold")
        .encode(x=x, y=y, text="nilai_teks:N")
    )
    return selesai((regions + line + labels).properties(height=340))


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
            for v, k, b in zip(
                df["nilai"], df["kurang_terlayani"], df["perkiraan_biaya"], strict=True
            )
        ],
        kategori=df["kategori"].fillna(TANPA_NILAI),
    )
    order = data["nama_layanan"].tolist()  # as given: furthest behind first
    base = alt.Chart(_data(data)).encode(y=alt.Y("nama_layanan:N", sort=order, title=None))
    bars = base.mark_bar(stroke="#555", strokeWidth=0.6).encode(
        x=alt.X(
            "nilai:Q",
            title="Nilai layanan",
            scale=alt.Scale(domain=[0, 180]),
            axis=alt.Axis(values=[0, 20, 40, 60, 80, 100]),
        ),
        color=alt.Color("kategori:N", scale=skala_kategori(kategori), title="Kategori"),
        tooltip=[alt.Tooltip("nama_layanan:N", title="Layanan"), alt.Tooltip("label:N", title="")],
    )
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(x="nilai:Q", text="label:N")
    return selesai((bars + text).properties(height=alt.Step(40)))


def kelengkapan_batang(df: pd.DataFrame, label: str = "nama") -> alt.TopLevelMixin:
    """Stacked bars per unit: on time, late, not sent (counts labelled in the bars).

    Expects columns ``label``, tepat_waktu, terlambat, belum.
    """
    if df.empty:
        return kosong()
    long = df.melt(
        id_vars=[label],
        value_vars=["tepat_waktu", "terlambat", "belum"],
        var_name="status",
        value_name="jumlah",
    )
    long["status"] = long["status"].map(
        {"tepat_waktu": "tepat waktu", "terlambat": "terlambat", "belum": "belum dikirim"}
    )
    long["jumlah_teks"] = [fmt.angka(v) if v else "" for v in long["jumlah"]]
    long["urut"] = long["status"].map({"tepat waktu": 0, "terlambat": 1, "belum dikirim": 2})
    statuses = list(STATUS_KIRIM_WARNA)
    base = alt.Chart(_data(long)).encode(
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
        tooltip=[
            alt.Tooltip(f"{label}:N", title="Unit"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("jumlah_teks:N", title="Jumlah"),
        ],
    )
    text = base.mark_text(dx=-8, align="right", fontSize=13, color="black").encode(
        text="jumlah_teks:N"
    )
    return selesai((bars + text).properties(height=alt.Step(30)))


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
    base = alt.Chart(_data(data)).encode(y=alt.Y("nama_layanan:N", sort=order, title=None))
    bars = base.mark_bar(stroke="#555", strokeWidth=0.6).encode(
        x=alt.X(
            "capaian:Q",
            title="Terlayani terhadap sasaran (%)",
            scale=alt.Scale(domain=[0, 160]),
            axis=alt.Axis(values=[0, 20, 40, 60, 80, 100]),
        ),
        color=alt.Color("kategori:N", scale=skala_kategori(kategori), title="Kategori layanan"),
        tooltip=[
            alt.Tooltip("nama_layanan:N", title="Layanan"),
            alt.Tooltip("label:N", title="Terlayani / sasaran"),
            alt.Tooltip("kategori:N", title="Kategori"),
        ],
    )
    target = (
        alt.Chart(_data(pd.DataFrame({"x": [100]})))
        .mark_rule(color="black", strokeDash=[4, 3], strokeWidth=2)
        .encode(x="x:Q")
    )
    text = base.mark_text(align="left", x=alt.expr("scale('x', 100) + 6"), fontSize=12).encode(
        text="label:N"
    )
    return selesai((bars + target + text).properties(height=alt.Step(26)))


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
        alt.Chart(_data(data))
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("jumlah_terlayani:Q", title="Orang terlayani (kumulatif)"),
            color=alt.Color(
                "jenis:N",
                title=None,
                scale=alt.Scale(
                    domain=["Realisasi", "Proyeksi akhir tahun"], range=["#0072B2", "#9ecae1"]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("periode:N", title="Periode"),
                alt.Tooltip("label:N", title="Terlayani"),
                alt.Tooltip("sasaran_teks:N", title="Sasaran"),
            ],
        )
    )
    text = (
        alt.Chart(_data(data))
        .mark_text(dy=-8, fontSize=13)
        .encode(x=x, y="jumlah_terlayani:Q", text="label:N")
    )
    sasaran = (
        alt.Chart(_data(data))
        .mark_line(color="#D55E00", strokeDash=[6, 3], strokeWidth=2, point=True)
        .encode(x=x, y="jumlah_sasaran:Q", tooltip=[alt.Tooltip("sasaran_teks:N", title="Sasaran")])
    )
    sasaran_label = (
        alt.Chart(_data(data.tail(1)))
        .mark_text(align="right", dy=-10, color="#D55E00", fontSize=13)
        .encode(x=x, y="jumlah_sasaran:Q", text=alt.Text("sasaran_teks:N"))
    )
    return selesai((bars + text + sasaran + sasaran_label).properties(height=320))


def nilai_wilayah(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """IP-SPM of every region of the province (drill-down level 1)."""
    return peringkat_wilayah(df, kategori)


# --- Peta ----------------------------------------------------------------------------


def peta_tile(df: pd.DataFrame, kategori: Sequence[str]) -> alt.TopLevelMixin:
    """A tile grid laid out like the province's geography, each tile a kabupaten/kota
    coloured by category and labelled with its short name and IP-SPM.

    Expects columns kode, nama, kolom, baris, nilai, kategori.
    """
    if df.empty:
        return kosong()
    data = df.assign(
        nama_pendek=df["nama"].str.replace(r"^(Kabupaten|Kota) ", "", regex=True),
        nilai_teks=[fmt.angka(v, 2) if pd.notna(v) else "–" for v in df["nilai"]],
        kategori=df["kategori"].fillna(BELUM_ADA),
    )
    size = 120
    width = (int(data["kolom"].max()) + 1) * size
    height = (int(data["baris"].max()) + 1) * size
    x = alt.X(
        "kolom:O", axis=None, scale=alt.Scale(domain=list(range(int(data["kolom"].max()) + 1)))
    )
    y = alt.Y(
        "baris:O", axis=None, scale=alt.Scale(domain=list(range(int(data["baris"].max()) + 1)))
    )
    base = alt.Chart(_data(data)).encode(x=x, y=y)
    tiles = base.mark_rect(stroke="#555", strokeWidth=1.5, cornerRadius=6).encode(
        color=alt.Color(
            "kategori:N",
            scale=skala_kategori(kategori),
            title="Kategori",
            legend=alt.Legend(orient="bottom", columns=4),
        ),
        tooltip=[
            alt.Tooltip("nama:N", title="Wilayah"),
            alt.Tooltip("nilai_teks:N", title="IP-SPM"),
            alt.Tooltip("kategori:N", title="Kategori"),
        ],
    )
    teks = alt.Color("kategori:N", scale=skala_teks_kategori(kategori), legend=None)
    names = base.mark_text(dy=-24, fontSize=13, fontWeight="bold", limit=size - 8).encode(
        text="nama_pendek:N", color=teks
    )
    values = base.mark_text(dy=2, fontSize=20).encode(text="nilai_teks:N", color=teks)
    kat = base.mark_text(dy=26, fontSize=11, limit=size - 8).encode(text="kategori:N", color=teks)
    chart = (tiles + names + values + kat).properties(width=width, height=height)
    return selesai(chart.resolve_scale(color="independent"), tanpa_bingkai=True)


# --- LPPD -----------------------------------------------------------------------------


def lppd_heatmap(df: pd.DataFrame) -> alt.TopLevelMixin:
    """Mean IKK capaian per region x urusan (blue ramp, value labels in each cell)."""
    if df.empty:
        return kosong()
    data = df.assign(
        capaian_teks=[fmt.angka(v, 1) if pd.notna(v) else "–" for v in df["capaian"]],
        urusan_pendek=df["urusan"].map(singkat_urusan),
    )
    base = alt.Chart(_data(data)).encode(
        x=alt.X(
            "urusan_pendek:N",
            title=None,
            axis=alt.Axis(labelAngle=-30, orient="top", labelAlign="left", labelLimit=260),
            sort=list(dict.fromkeys(data["urusan_pendek"])),
        ),
        y=alt.Y("nama_wilayah:N", title=None, sort=list(dict.fromkeys(data["nama_wilayah"]))),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "capaian:Q", title="Capaian IKK (%)", scale=alt.Scale(scheme="blues", domain=[0, 100])
        ),
        tooltip=[
            alt.Tooltip("nama_wilayah:N", title="Wilayah"),
            alt.Tooltip("urusan:N", title="Urusan"),
            alt.Tooltip("capaian_teks:N", title="Rata-rata capaian IKK (%)"),
        ],
    )
    text = base.mark_text(fontSize=14, fontWeight="bold").encode(
        text="capaian_teks:N",
        color=alt.condition("datum.capaian >= 70", alt.value("white"), alt.value("black")),
    )
    return selesai((rect + text).properties(height=alt.Step(38)))


def lppd_kelengkapan(df: pd.DataFrame) -> alt.TopLevelMixin:
    """Per region: % of catalog IKK filled and % with data dukung (grouped bars)."""
    if df.empty:
        return kosong()
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
    base = alt.Chart(_data(long)).encode(
        y=alt.Y("nama_wilayah:N", title=None, sort=df["nama_wilayah"].tolist()),
        yOffset=alt.YOffset("ukuran:N", sort=["IKK terisi", "IKK dengan data dukung"]),
    )
    bars = base.mark_bar().encode(
        x=alt.X(
            "persen:Q",
            title="Persen dari katalog IKK",
            scale=alt.Scale(domain=[0, 115]),
            axis=alt.Axis(values=[0, 20, 40, 60, 80, 100]),
        ),
        color=alt.Color(
            "ukuran:N",
            title=None,
            scale=alt.Scale(
                domain=["IKK terisi", "IKK dengan data dukung"], range=["#0072B2", "#E69F00"]
            ),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("nama_wilayah:N", title="Wilayah"),
            alt.Tooltip("ukuran:N", title="Ukuran"),
            alt.Tooltip("persen_teks:N", title="Persen"),
        ],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(
        x="persen:Q", text="persen_teks:N"
    )
    return selesai((bars + text).properties(height=alt.Step(20)))


def lppd_banding(df: pd.DataFrame, satuan: str | None = "%") -> alt.TopLevelMixin:
    """One IKK across regions, best first, each bar labelled with its value."""
    if df.empty:
        return kosong()
    data = df.assign(
        label=[
            "–" if pd.isna(v) else f"{fmt.angka(v, 2)}{' ' + satuan if satuan else ''}"
            for v in df["capaian"]
        ]
    )
    order = data.sort_values("capaian", ascending=False)["nama_wilayah"].tolist()
    base = alt.Chart(_data(data)).encode(y=alt.Y("nama_wilayah:N", sort=order, title=None))
    bars = base.mark_bar(color="#0072B2").encode(
        x=alt.X(
            "capaian:Q",
            title=f"Capaian ({satuan})" if satuan else "Capaian",
            axis=alt.Axis(tickCount=6),
        ),
        tooltip=[
            alt.Tooltip("nama_wilayah:N", title="Wilayah"),
            alt.Tooltip("label:N", title="Capaian"),
        ],
    )
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(x="capaian:Q", text="label:N")
    return selesai((bars + text).properties(height=alt.Step(30)))


def lppd_tren(df: pd.DataFrame) -> alt.TopLevelMixin:
    """Mean IKK capaian per region over the years (one line per region, labelled)."""
    if df.empty:
        return kosong()
    data = df.assign(tahun_teks=df["tahun"].astype(str), capaian_teks=_label_nilai(df["capaian"]))
    enc = {
        "x": alt.X("tahun_teks:O", title="Tahun", axis=alt.Axis(labelAngle=0)),
        "y": alt.Y("capaian:Q", title="Rata-rata capaian IKK (%)", scale=alt.Scale(zero=False)),
        # Same title as strokeDash, so colour and dash share one legend.
        "color": alt.Color(
            "nama_wilayah:N",
            title="Wilayah",
            scale=alt.Scale(range=SERI_WARNA),
            legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3),
        ),
    }
    lines = (
        alt.Chart(_data(data))
        .mark_line(point=True)
        .encode(
            **enc,
            strokeDash=alt.StrokeDash("nama_wilayah:N", title="Wilayah"),
            tooltip=[
                alt.Tooltip("nama_wilayah:N", title="Wilayah"),
                alt.Tooltip("tahun_teks:N", title="Tahun"),
                alt.Tooltip("capaian_teks:N", title="Capaian"),
            ],
        )
    )
    return selesai(lines.properties(height=320))
