"""Peta: the province's kabupaten/kota as tiles laid out like its geography, coloured by
IP-SPM category (no boundaries are shipped: see data/peta/README.md)."""

import streamlit as st

from dashboard import auth
from dashboard.charts import common, spm
from dashboard.components import filters, guard
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.data import capaian as data_capaian

guard.require_roles(auth.BIRO | {"pimpinan"})  # province-wide figures
st.title("Peta IP-SPM kabupaten/kota")
pil = filters.pilihan_spm()

tahun, triwulan = filters.filter_periode(pil)
tiles = data_capaian.peta(tahun, triwulan)
guard.stop_if_empty(
    tiles, f"Provinsi {pil.nama_provinsi} tidak punya kabupaten/kota dalam data wilayah."
)

st.subheader(f"{pil.nama_provinsi} — {filters.periode(tahun, triwulan)}")
grafik(
    nama_berkas("peta-ipspm", tahun, f"tw{triwulan}"),
    tiles,
    spm.peta_tile,
    common.kategori_urut(pil.kategori),
    note="Tiap kotak = satu kabupaten/kota, diletakkan kira-kira sesuai letaknya (bukan batas "
    "wilayah sebenarnya); warna dan teks = IP-SPM dan kategorinya; abu-abu = belum ada data; "
    "* = data belum diverifikasi (angka dapat berubah).",
    stretch=False,
)
if not data_capaian.punya_tata_letak(pil.provinsi):
    st.caption(
        "Belum ada tata letak geografis untuk provinsi ini: kotak disusun menurut kode "
        "wilayah (tambahkan data/peta/tile_grid_<kode>.csv)."
    )
