"""What every dashboard chart shares: colours, the Indonesian locale, number labels, the
named datasets, the finishing touches and the placeholder for an empty frame.

Colours: the six SPM categories use ColorBrewer's RdYlBu ramp (safe for the common
forms of colour blindness, ordered from worst to best) and every coloured mark also
carries its category or value as text, so colour is never the only cue. Numbers shown
on marks are formatted in Indonesian (``1.234,5``) in Python; axes use the Indonesian
locale.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Sequence

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
STATUS_KIRIM_WARNA = {
    "tepat waktu": "#0072B2",
    "terlambat, dengan perpanjangan": "#F0E442",
    "terlambat": "#E69F00",
    "belum dikirim": "#bdbdbd",
}
# Ticks of an axis that runs past 100 to leave room for the labels.
TITIK_0_100 = [0, 20, 40, 60, 80, 100]

NUMBER_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]}
LOCALE_ID = alt.Locale(
    number=NUMBER_LOCALE,
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

URUSAN_SINGKAT = {
    "Pendidikan": "Pendidikan",
    "Kesehatan": "Kesehatan",
    "Pekerjaan Umum": "PU",
    "Perumahan Rakyat": "Perumahan",
    "Ketenteraman dan Ketertiban Umum serta Pelindungan Masyarakat": "Trantibumlinmas",
    "Sosial": "Sosial",
}


_pending = threading.local()


def dataset(df: pd.DataFrame) -> alt.NamedData:
    """A named dataset for ``df`` (rows as JSON values, NaN -> null), attached to the
    top-level chart by :func:`selesai`. Much cheaper than handing Altair a DataFrame,
    which it sanitises, deep-copies and hashes through its text repr for every layer."""
    return dataset_values(json.loads(df.to_json(orient="records", date_format="iso")))


def dataset_values(values: list[dict]) -> alt.NamedData:
    """A named dataset of plain JSON ``values`` (e.g. GeoJSON features for a map)."""
    text = json.dumps(values, sort_keys=True, separators=(",", ":"))
    name = "data_" + hashlib.sha1(text.encode()).hexdigest()[:16]
    if not hasattr(_pending, "datasets"):
        _pending.datasets = {}
    _pending.datasets[name] = values
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


def _config(tanpa_bingkai: bool) -> alt.Config:
    return alt.Config(
        locale=LOCALE_ID,
        axis=alt.AxisConfig(labelFontSize=13, titleFontSize=14, labelLimit=320),
        legend=alt.LegendConfig(labelFontSize=13, titleFontSize=14, labelLimit=300),
        title=alt.TitleConfig(fontSize=FONT_BESAR, anchor="start"),
        view=alt.ViewConfig(stroke=None) if tanpa_bingkai else alt.Undefined,
    )


# Built once (a few milliseconds each time otherwise); charts only read it.
_CONFIG = {False: _config(False), True: _config(True)}


def selesai(
    chart: alt.TopLevelMixin, judul: str | None = None, tanpa_bingkai: bool = False
) -> alt.TopLevelMixin:
    """Top-level settings shared by every chart (Indonesian locale, large fonts) and the
    datasets registered by :func:`dataset` while the chart was built."""
    if judul:
        chart.title = judul  # assigned, like the config below
    # Assigned, not chained through .configure_*(): each of those deep-copies the chart.
    chart.config = _CONFIG[tanpa_bingkai]
    chart.datasets = getattr(_pending, "datasets", {})
    _pending.datasets = {}
    return chart


# Each layer's colour scale its own (a cell's fill by category, its text by contrast).
MASING_MASING_WARNA = alt.Resolve(scale=alt.ScaleResolveMap(color="independent"))


def lapis(*layers: alt.Chart, **properties) -> alt.LayerChart:
    """``layers`` drawn over one another, with the top-level ``properties`` (height,
    width, resolve, projection...) given at once. The same chart as ``(a + b)
    .properties(...)``, but built once: Altair deep-copies every layer twice each time
    a layered chart is built or changed (``+``, ``.properties()``, ``.resolve_scale()``),
    and that cost more than the rest of a chart."""
    return alt.LayerChart(layer=list(layers), **properties)


def label_angka(values: Iterable, desimal: int = 2) -> list[str]:
    """Indonesian number labels, "–" for a missing value."""
    return [fmt.angka(v, desimal) if pd.notna(v) else "–" for v in values]


def singkat_urusan(urusan: str) -> str:
    return URUSAN_SINGKAT.get(urusan, urusan)


def kosong(pesan: str = "Belum ada data") -> alt.Chart:
    """A placeholder chart for an empty frame (callers usually stop before this)."""
    return selesai(
        alt.Chart(dataset(pd.DataFrame({"t": [pesan]})))
        .mark_text(size=16)
        .encode(text=alt.Text("t:N"))
    )


def sumbu_0_100(field: str, title: str, maks: float) -> alt.X:
    """An x axis from 0 to ``maks`` (room for the labels) with ticks at 0-100 only."""
    return alt.X(
        field, title=title, scale=alt.Scale(domain=[0, maks]), axis=alt.Axis(values=TITIK_0_100)
    )


def tips(*fields: tuple[str, ...]) -> list[alt.Tooltip]:
    """Tooltips from ``(field, title)`` pairs (a third item is the number format)."""
    return [
        alt.Tooltip(field, title=title, **({"format": rest[0]} if rest else {}))
        for field, title, *rest in fields
    ]


def warna_kategori(kategori: Sequence[str], title: str = "Kategori", **legend) -> alt.Color:
    """Fill by category (the ``kategori`` column); ``legend`` arguments place the legend."""
    return alt.Color(
        "kategori:N",
        scale=skala_kategori(kategori),
        title=title,
        legend=alt.Legend(**legend) if legend else alt.Undefined,
    )


def warna_tetap(field: str, warna: dict[str, str]) -> alt.Color:
    """Fixed colours per value (``value -> colour``), legend below without a title."""
    return alt.Color(
        field,
        title=None,
        scale=alt.Scale(domain=list(warna), range=list(warna.values())),
        legend=alt.Legend(orient="bottom"),
    )


def batang_kategori(
    base: alt.Chart,
    x: alt.X,
    kategori: Sequence[str],
    tooltip: list,
    title: str = "Kategori",
) -> alt.Chart:
    """Outlined bars coloured by category (the ``kategori`` column)."""
    return base.mark_bar(stroke="#555", strokeWidth=0.6).encode(
        x=x, color=warna_kategori(kategori, title), tooltip=tooltip
    )


def dasar_heatmap(df: pd.DataFrame, axis: alt.Axis) -> alt.Chart:
    """Region (rows) x urusan (columns, short names) in the order given."""
    return alt.Chart(dataset(df)).encode(
        x=alt.X(
            "urusan_pendek:N",
            title=None,
            axis=axis,
            sort=list(dict.fromkeys(df["urusan_pendek"])),
        ),
        y=alt.Y("nama_wilayah:N", title=None, sort=list(dict.fromkeys(df["nama_wilayah"]))),
    )


def warna_seri(field: str, title: str, **legend) -> alt.Color:
    """Okabe-Ito colours per series, with a legend drawn as strokes (pair it with a
    strokeDash of the same title, so colour and dash share one legend)."""
    return alt.Color(
        field,
        title=title,
        scale=alt.Scale(range=SERI_WARNA),
        legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3, **legend),
    )
