"""Chart functions on their own: DataFrame in, Altair chart out (no Streamlit, no DB)."""

import json

import altair as alt
import pandas as pd
import pytest

from dashboard.charts import common, exports, kelengkapan, lppd, peta, spm

KATEGORI = [
    "Tuntas Paripurna",
    "Tuntas Utama",
    "Tuntas Madya",
    "Tuntas Pratama",
    "Tuntas Muda",
    "Belum Tuntas",
]


def spec(chart) -> dict:
    return chart.to_dict()


def layer_data(chart) -> list[dict]:
    """All inline rows of a (layered) chart spec."""
    d = spec(chart)
    rows = []
    for ds in d.get("datasets", {}).values():
        rows.extend(ds)
    return rows


def ranking() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nama_wilayah": ["Kabupaten A", "Kota B", "Kabupaten C"],
            "nilai": [1234.5 / 13, 55.25, None],
            "kategori": ["Tuntas Utama", "Belum Tuntas", None],
            "selisih_tahun_lalu": [1.5, -2.25, None],
        }
    )


def heat() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nama_wilayah": ["A", "A", "B", "B"],
            "urusan": ["Pendidikan", "Kesehatan", "Pendidikan", "Kesehatan"],
            "nilai": [100.0, 72.34, None, 61.0],
            "kategori": ["Tuntas Paripurna", "Tuntas Pratama", "Tidak ada sasaran", "Tuntas Muda"],
        }
    )


def test_category_colours_follow_the_bands_best_to_worst_and_are_colour_blind_safe():
    scale = common.skala_kategori(KATEGORI).to_dict()
    assert scale["domain"][:6] == KATEGORI
    # ColorBrewer RdYlBu: blue for the best band, red for the worst
    assert scale["range"][0] == "#4575b4" and scale["range"][5] == "#d73027"
    assert scale["domain"][6:] == [common.TANPA_NILAI, common.BELUM_ADA]
    text = common.skala_teks_kategori(KATEGORI).to_dict()
    assert text["range"][0] == "white" and text["range"][2] == "black"


def test_fewer_configured_bands_still_span_the_ramp():
    scale = common.skala_kategori(["Baik", "Sedang", "Buruk"]).to_dict()
    assert scale["range"][:3] == ["#4575b4", "#e0f3f8", "#d73027"]


def test_ranking_labels_value_and_category_in_indonesian_format():
    chart = spm.peringkat_wilayah(ranking(), KATEGORI)
    rows = layer_data(chart)
    labels = {r["nama_wilayah"]: r["label"] for r in rows}
    assert labels["Kabupaten A"] == "94,96 · Tuntas Utama"
    assert labels["Kota B"] == "55,25 · Belum Tuntas"
    assert labels["Kabupaten C"] == "belum melapor"
    changes = {r["nama_wilayah"]: r["selisih_teks"] for r in rows}
    assert changes == {"Kabupaten A": "+1,50", "Kota B": "-2,25", "Kabupaten C": "–"}
    d = spec(chart)
    assert d["config"]["locale"]["number"]["decimal"] == ","
    assert d["config"]["locale"]["number"]["thousands"] == "."
    # best first
    assert d["layer"][0]["encoding"]["y"]["sort"][:2] == ["Kabupaten A", "Kota B"]


def test_heatmap_labels_every_cell_and_colours_by_category():
    chart = spm.heatmap_urusan(heat(), KATEGORI)
    rows = layer_data(chart)
    assert sorted(r["nilai_teks"] for r in rows) == ["100,0", "61,0", "72,3", "–"]
    d = spec(chart)
    rect, text = d["layer"]
    assert rect["encoding"]["color"]["field"] == "kategori"
    assert text["encoding"]["text"]["field"] == "nilai_teks"
    assert text["encoding"]["color"]["scale"]["range"][0] == "white"


@pytest.mark.parametrize(
    "make",
    [
        lambda df: spm.heatmap_urusan(df, KATEGORI),
        lambda df: lppd.lppd_heatmap(df.rename(columns={"nilai": "capaian"})),
    ],
)
def test_heatmaps_name_every_urusan_column(make):
    # Six urusan in a column of the page: Vega drops overlapping labels by default,
    # which left every other urusan column unnamed on Ringkasan.
    df = pd.DataFrame(
        {
            "nama_wilayah": "Kabupaten A",
            "urusan": list(common.URUSAN_SINGKAT),
            "nilai": 80.0,
            "kategori": "Tuntas Madya",
        }
    )
    d = spec(make(df))
    axis = (d.get("encoding") or d["layer"][0]["encoding"])["x"]["axis"]
    assert axis["labelOverlap"] is False
    assert axis["labelAngle"] != 0


def test_trend_draws_the_aggregate_bold_with_labels():
    df = pd.DataFrame(
        {
            "tahun": [2024, 2025, 2024, 2025],
            "nama_wilayah": ["A", "A", "Prov", "Prov"],
            "nilai": [70.0, 80.0, 71.5, 81.25],
            "agregat": [False, False, True, True],
        }
    )
    d = spec(spm.tren_tahunan(df))
    assert d["layer"][1]["mark"]["strokeWidth"] == 5
    labels = [r["nilai_teks"] for r in layer_data(spm.tren_tahunan(df)) if r["agregat"]]
    assert labels == ["71,50", "81,25"]


def test_services_behind_label_people_and_cost():
    df = pd.DataFrame(
        {
            "nama_layanan": ["Air minum", "Sanitasi"],
            "nilai": [55.5, 60.0],
            "kategori": ["Belum Tuntas", "Tuntas Muda"],
            "kurang_terlayani": [12345, 10],
            "perkiraan_biaya": [1_500_000.0, None],
        }
    )
    labels = [r["label"] for r in layer_data(spm.layanan_tertinggal(df, KATEGORI))]
    assert "55,50 · 12.345 orang belum terlayani · Rp 1.500.000" in labels
    assert "60,00 · 10 orang belum terlayani" in labels


def test_target_against_realisation_labels_counts_and_zero_sasaran():
    df = pd.DataFrame(
        {
            "nama_layanan": ["Ibu hamil", "Bencana"],
            "jumlah_sasaran": [3716, 0],
            "jumlah_terlayani": [3487, 0],
            "capaian_penerima": [93.8374, None],
            "kategori": ["Tuntas Utama", None],
        }
    )
    rows = layer_data(spm.sasaran_realisasi(df, KATEGORI))
    labels = {r["nama_layanan"]: r["label"] for r in rows if "label" in r}
    assert labels == {"Ibu hamil": "3.487 / 3.716 (93,8 %)", "Bencana": "tidak ada sasaran"}
    cats = {r["nama_layanan"]: r["kategori"] for r in rows if "kategori" in r}
    assert cats["Bencana"] == common.TANPA_NILAI


def test_progress_marks_the_projection():
    df = pd.DataFrame(
        {
            "triwulan": [1, 2, 4],
            "jumlah_sasaran": [1000, 1000, 1000],
            "jumlah_terlayani": [200, 450, 900],
            "proyeksi": [False, False, True],
        }
    )
    d = spec(spm.progres_triwulan(df))
    name = d.get("data", d["layer"][0].get("data", {})).get("name")
    rows = d["datasets"][name]
    periods = [r["periode"] for r in rows]
    assert periods == ["TW I", "TW II", "TW IV (proyeksi)"]
    assert [r["jenis"] for r in rows][-1] == "Proyeksi akhir tahun"


def square(lon: float, lat: float, size: float = 0.5) -> dict:
    """A clockwise square polygon (as d3-geo wants outer rings)."""
    ring = [[lon, lat], [lon, lat + size], [lon + size, lat + size], [lon + size, lat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def shapes(*codes: str) -> dict[str, dict]:
    return {
        kode: {
            "type": "Feature",
            "properties": {"kode": kode, "label_lon": i + 0.25, "label_lat": 0.25},
            "geometry": square(i, 0),
        }
        for i, kode in enumerate(codes)
    }


def test_choropleth_draws_each_shape_by_category_with_labels_and_hover():
    df = pd.DataFrame(
        {
            "kode": ["19.01", "19.71", "19.99"],
            "nama": ["Kabupaten Bangka", "Kota Pangkal Pinang", "Kabupaten Tanpa Peta"],
            "nilai": [88.123, None, 70.0],
            "kategori": ["Tuntas Madya", None, "Tuntas Pratama"],
            "selisih_tahun_lalu": [1.5, None, -2.0],
        }
    )
    chart = peta.peta_kabkota(df, KATEGORI, shapes("19.01", "19.71"))
    d = spec(chart)
    assert d["layer"][0]["mark"]["type"] == "geoshape"
    assert d["projection"]["type"] == "mercator"
    assert d["usermeta"]["embedOptions"]["renderer"] == "svg"
    rows = layer_data(chart)
    # only the regions with a shape, each a GeoJSON feature with its values
    assert [r["kode"] for r in rows] == ["19.01", "19.71"]
    assert all(r["type"] == "Feature" and r["geometry"]["type"] == "Polygon" for r in rows)
    assert [r["nama_pendek"] for r in rows] == ["Bangka", "Kota Pangkal Pinang"]
    assert [r["nilai_teks"] for r in rows] == ["88,12", "–"]
    assert [r["kategori"] for r in rows] == ["Tuntas Madya", common.BELUM_ADA]
    assert rows[0]["selisih_teks"] == "+1,50"
    tooltip = [t["title"] for t in d["layer"][0]["encoding"]["tooltip"]]
    assert tooltip == ["Wilayah", "IP-SPM", "Kategori", "Perubahan dari tahun lalu"]
    texts = [layer["encoding"]["text"]["field"] for layer in d["layer"][1:]]
    assert texts == ["nama_pendek", "nama_pendek", "nilai_teks", "nilai_teks"]  # halo + text


def test_province_map_shows_values_without_names():
    df = pd.DataFrame(
        {
            "kode": ["11", "19"],
            "nama": ["Aceh", "Kepulauan Bangka Belitung"],
            "nilai": [61.0, 92.5],
            "kategori": ["Tuntas Muda", "Tuntas Utama"],
        }
    )
    d = spec(peta.peta_provinsi(df, KATEGORI, shapes("11", "19")))
    texts = {layer["encoding"]["text"]["field"] for layer in d["layer"][1:]}
    assert texts == {"nilai_teks"}
    assert d["width"] == 900


def test_lppd_charts_label_values():
    urusan = pd.DataFrame({"nama_wilayah": ["A"], "urusan": ["Pendidikan"], "capaian": [67.06]})
    assert [r["capaian_teks"] for r in layer_data(lppd.lppd_heatmap(urusan))] == ["67,1"]
    lengkap = pd.DataFrame(
        {"nama_wilayah": ["A"], "persen_terisi": [96.15], "persen_data_dukung": [65.4]}
    )
    texts = sorted(r["persen_teks"] for r in layer_data(lppd.lppd_kelengkapan(lengkap)))
    assert texts == ["65,4 %", "96,2 %"]
    banding = pd.DataFrame({"nama_wilayah": ["A", "B"], "capaian": [67.06, None]})
    assert [r["label"] for r in layer_data(lppd.lppd_banding(banding, "%"))] == ["67,06 %", "–"]


def test_completeness_bars_stack_statuses():
    df = pd.DataFrame(
        {"nama": ["A", "B"], "tepat_waktu": [3, 0], "terlambat": [1, 0], "belum": [0, 4]}
    )
    rows = layer_data(kelengkapan.kelengkapan_batang(df))
    assert {(r["nama"], r["status"]): r["jumlah"] for r in rows} == {
        ("A", "tepat waktu"): 3,
        ("A", "terlambat, dengan perpanjangan"): 0,
        ("A", "terlambat"): 1,
        ("A", "belum dikirim"): 0,
        ("B", "tepat waktu"): 0,
        ("B", "terlambat, dengan perpanjangan"): 0,
        ("B", "terlambat"): 0,
        ("B", "belum dikirim"): 4,
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda: spm.peringkat_wilayah(ranking(), KATEGORI),
        lambda: spm.heatmap_urusan(heat(), KATEGORI),
        lambda: peta.peta_kabkota(
            pd.DataFrame(
                {"kode": ["1"], "nama": ["Kota A"], "nilai": [90.0], "kategori": ["Tuntas Utama"]}
            ),
            KATEGORI,
            shapes("1"),
        ),
        lambda: lppd.lppd_heatmap(
            pd.DataFrame({"nama_wilayah": ["A"], "urusan": ["Sosial"], "capaian": [80.0]})
        ),
    ],
)
def test_charts_render_to_png(make):
    png = exports.png_bytes(make())
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000


@pytest.mark.parametrize(
    "func",
    [
        lambda df: spm.peringkat_wilayah(df, KATEGORI),
        lambda df: spm.heatmap_urusan(df, KATEGORI),
        spm.tren_tahunan,
        lambda df: spm.layanan_tertinggal(df, KATEGORI),
        lambda df: spm.sasaran_realisasi(df, KATEGORI),
        spm.progres_triwulan,
        lambda df: peta.peta_kabkota(df, KATEGORI, shapes("19.01")),
        lppd.lppd_heatmap,
        lppd.lppd_kelengkapan,
        lppd.lppd_banding,
        lppd.lppd_tren,
        kelengkapan.kelengkapan_batang,
    ],
)
def test_empty_frames_give_a_placeholder_not_an_error(func):
    chart = func(pd.DataFrame())
    assert isinstance(chart, alt.TopLevelMixin)
    assert "Belum ada data" in json.dumps(chart.to_dict())
