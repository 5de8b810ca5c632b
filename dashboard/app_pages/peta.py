"""Peta: the province's kabupaten/kota as tiles laid out like its geography, coloured by
IP-SPM category (no boundaries are shipped: see data/peta/README.md)."""

import streamlit as st

from dashboard import charts
from dashboard import data_dashboards as dd
from dashboard import widgets_dashboards as w
from dashboard.data import db_path, show_error_and_stop
from pipelines.core import fmt
from pipelines.errors import SpmError

st.title("Peta IP-SPM kabupaten/kota")
path = db_path()
try:
    pil = dd.pilihan(path)
except SpmError as exc:
    show_error_and_stop(exc)
if pil.kosong:
    st.info("Belum ada data SPM. Unggah template kabupaten/kota atau jalankan 'spm demo'.")
    st.stop()

tahun, triwulan = w.filter_periode(pil)
periode = f"{fmt.triwulan(triwulan)} {tahun}"
try:
    tiles = dd.peta(path, tahun, triwulan)
except SpmError as exc:
    show_error_and_stop(exc)
if tiles.empty:
    st.info(f"Provinsi {pil.nama_provinsi} tidak punya kabupaten/kota dalam data wilayah.")
    st.stop()

st.subheader(f"{pil.nama_provinsi} — {periode}")
w.grafik(
    w.nama_berkas("peta-ipspm", tahun, f"tw{triwulan}"),
    tiles,
    charts.peta_tile,
    charts.kategori_urut(pil.kategori),
    note="Tiap kotak = satu kabupaten/kota, diletakkan kira-kira sesuai letaknya (bukan batas "
    "wilayah sebenarnya); warna dan teks = IP-SPM dan kategorinya; abu-abu = belum ada data.",
    stretch=False,
)
if not dd.punya_tata_letak(pil.provinsi):
    st.caption(
        "Belum ada tata letak geografis untuk provinsi ini: kotak disusun menurut kode "
        "wilayah (tambahkan data/peta/tile_grid_<kode>.csv)."
    )
