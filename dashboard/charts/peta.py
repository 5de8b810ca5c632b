"""Maps of the IP-SPM (page Peta): each region's real shape coloured by its category
(``mark_geoshape``), labelled with its name and value, the values on hover.

Shapes are GeoJSON features by Kemendagri code (``pipelines.core.reference``:
``bentuk_kabkota`` for a province's kabupaten/kota, ``bentuk_provinsi`` for the 38
provinces), from the boundaries in ``data/peta`` (MIT licence, see its README).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from dashboard.charts.common import (
    BELUM_ADA,
    MASING_MASING_WARNA,
    dataset_values,
    kosong,
    label_angka,
    lapis,
    selesai,
    tips,
    warna_kategori,
)
from pipelines.core import fmt

# Drawn as SVG: each region a path of its own (readable by assistive technology and
# by the browser tests), which costs nothing at the size of a province's map.
SVG = {"embedOptions": {"renderer": "svg"}}


def teks_selisih(value) -> str:
    """A change as '+1,23' / '-0,50', '–' when there is none."""
    return "–" if pd.isna(value) else f"{'+' if value >= 0 else ''}{fmt.angka(value, 2)}"


def teks_nilai(df: pd.DataFrame) -> list[str]:
    """Each row's IP-SPM as text, with '*' when it rests on data not yet verified
    (column ``belum_diverifikasi``, when present)."""
    marks = df["belum_diverifikasi"] if "belum_diverifikasi" in df.columns else [False] * len(df)
    return [
        text + ("*" if not pd.isna(mark) and bool(mark) else "")
        for text, mark in zip(label_angka(df["nilai"]), marks, strict=True)
    ]


def _features(df: pd.DataFrame, bentuk: Mapping[str, dict]) -> list[dict]:
    """The regions of ``df`` that have a shape, as GeoJSON features whose properties
    are flattened next to ``type`` and ``geometry`` (as Vega-Lite reads them)."""
    out = []
    for row, nilai_teks in zip(df.itertuples(index=False), teks_nilai(df), strict=True):
        shape = bentuk.get(row.kode)
        if shape is None:
            continue
        props = shape["properties"]
        out.append(
            {
                "type": "Feature",
                "geometry": shape["geometry"],
                "kode": row.kode,
                "nama": row.nama,
                "nama_pendek": str(row.nama).replace("Kabupaten ", "").replace("Provinsi ", ""),
                "nilai_teks": nilai_teks,
                "kategori": row.kategori if isinstance(row.kategori, str) else BELUM_ADA,
                "selisih_teks": teks_selisih(getattr(row, "selisih_tahun_lalu", None)),
                "label_lon": props["label_lon"],
                "label_lat": props["label_lat"],
            }
        )
    return out


def peta_kategori(
    df: pd.DataFrame,
    kategori: Sequence[str],
    bentuk: Mapping[str, dict],
    *,
    label_nama: bool = True,
    lebar: int = 760,
    tinggi: int = 420,
) -> alt.TopLevelMixin:
    """A choropleth of ``df``'s regions by IP-SPM category.

    Expects columns kode, nama, nilai, kategori (selisih_tahun_lalu optional); regions
    without a shape in ``bentuk`` are left out (the page lists them). Each shape carries
    its value as text (name and value, or the value only with ``label_nama=False``) and
    as a tooltip, so colour is never the only cue.
    """
    if df.empty:
        return kosong()
    values = _features(df, bentuk)
    if not values:
        return kosong("Tidak ada wilayah dengan batas peta")
    base = alt.Chart(dataset_values(values))
    tooltip = tips(
        ("nama:N", "Wilayah"),
        ("nilai_teks:N", "IP-SPM"),
        ("kategori:N", "Kategori"),
        ("selisih_teks:N", "Perubahan dari tahun lalu"),
    )
    shapes = base.mark_geoshape(stroke="white", strokeWidth=1.5).encode(
        color=warna_kategori(kategori, orient="bottom", columns=4), tooltip=tooltip
    )
    where = {"longitude": "label_lon:Q", "latitude": "label_lat:Q"}
    layers = [shapes]
    # Labels in black on a white halo: readable on every fill and beside a small shape.
    for field, dy, size, bold in (
        [("nama_pendek:N", -9, 12, True), ("nilai_teks:N", 7, 13, False)]
        if label_nama
        else [("nilai_teks:N", 0, 10, False)]
    ):
        weight = "bold" if bold else "normal"
        for halo in (True, False):
            style = {"stroke": "white", "strokeWidth": 3, "strokeOpacity": 0.85} if halo else {}
            layers.append(
                base.mark_text(
                    dy=dy, fontSize=size, fontWeight=weight, color="black", **style
                ).encode(text=field, tooltip=tooltip, **where)  # a label hovers as its shape
            )
    chart = lapis(
        *layers,
        projection=alt.Projection(type="mercator"),
        width=lebar,
        height=tinggi,
        usermeta=SVG,
        resolve=MASING_MASING_WARNA,
    )
    return selesai(chart, tanpa_bingkai=True)


def peta_kabkota(
    df: pd.DataFrame, kategori: Sequence[str], bentuk: Mapping[str, dict]
) -> alt.TopLevelMixin:
    """The kabupaten/kota of one province, named and valued on the map."""
    return peta_kategori(df, kategori, bentuk)


def peta_provinsi(
    df: pd.DataFrame, kategori: Sequence[str], bentuk: Mapping[str, dict]
) -> alt.TopLevelMixin:
    """The 38 provinces (the national view): values on the map, names on hover."""
    return peta_kategori(df, kategori, bentuk, label_nama=False, lebar=900, tinggi=340)
