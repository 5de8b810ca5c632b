"""Telusuri Angka: pick a region, period and service and see where its figure comes from."""

import streamlit as st

from dashboard.components import guard, tables
from dashboard.components.explain import show_explanation
from dashboard.data import capaian as data_capaian
from pipelines.core import fmt

st.title("Telusuri Angka")
st.caption(
    "Pilih wilayah, periode dan jenis pelayanan dasar untuk melihat asal angkanya: "
    "data masukan, rumus dengan angkanya, hasil dan kategori, serta berkas kiriman "
    "sumbernya. Tautan langsung: ?wilayah=19.01&tahun=2025&triwulan=2&layanan=KES-K-01"
)

periods = data_capaian.periode_tersedia()
guard.stop_if_empty(
    periods, "Belum ada data SPM untuk ditelusuri; unggah berkas template atau muat data demo."
)

params = st.query_params


def _index(options: list, wanted) -> int:
    return options.index(wanted) if wanted in options else 0


names = dict(zip(periods["kode_wilayah"], periods["nama_wilayah"], strict=False))
regions = list(names)
c1, c2, c3 = st.columns([2, 1, 1])
kode_wilayah = c1.selectbox(
    "Wilayah",
    regions,
    index=_index(regions, params.get("wilayah")),
    format_func=lambda k: f"{names[k]} ({k})",
)
mine = periods[periods["kode_wilayah"] == kode_wilayah]
years = sorted(mine["tahun"].unique().tolist(), reverse=True)
tahun = c2.selectbox(
    "Tahun", years, index=_index(years, int(params["tahun"]) if "tahun" in params else None)
)
quarters = sorted(mine.loc[mine["tahun"] == tahun, "triwulan"].unique().tolist(), reverse=True)
triwulan = c3.selectbox(
    "Triwulan",
    quarters,
    index=_index(quarters, int(params["triwulan"]) if "triwulan" in params else None),
    format_func=fmt.triwulan,
)

services = data_capaian.layanan_wilayah(int(tahun), int(triwulan), kode_wilayah)
guard.stop_if_empty(services, "Belum ada kiriman data untuk wilayah dan periode ini.")

labels = {
    k: f"{k} — {n}" for k, n in zip(services["kode_layanan"], services["nama_layanan"], strict=True)
}
codes = list(labels)
kode_layanan = st.selectbox(
    "Jenis pelayanan dasar",
    codes,
    index=_index(codes, params.get("layanan")),
    format_func=labels.get,
)

show_explanation(kode_wilayah, int(tahun), int(triwulan), kode_layanan)

st.divider()
st.subheader(f"Semua layanan {names[kode_wilayah]}, {fmt.triwulan(triwulan)} {tahun}")
st.dataframe(
    tables.angka_layanan(services).assign(
        Kategori=services["kategori"].fillna("–"),
        **{"Status kiriman": services["status_submission"]},
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Nilai = bobot penerima × capaian penerima + bobot mutu × capaian mutu (bobot dari "
    "pengaturan, bawaan 80/20); layanan tanpa sasaran tidak dinilai."
)
