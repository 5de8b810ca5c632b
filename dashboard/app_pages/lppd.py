"""LPPD: IKK achievement per region and urusan, completeness, comparison and trend."""

import streamlit as st

from dashboard import charts
from dashboard import data_dashboards as dd
from dashboard import widgets_dashboards as w
from dashboard.data import db_path, show_error_and_stop
from pipelines.core import fmt
from pipelines.errors import SpmError

st.title("LPPD — Indikator Kinerja Kunci (IKK)")
path = db_path()
try:
    pil = dd.pilihan(path)
except SpmError as exc:
    show_error_and_stop(exc)
if not pil.tahun_lppd:
    st.info("Belum ada data LPPD IKK. Unggah template LPPD atau jalankan 'spm demo'.")
    st.stop()

tahun = int(w.pilih("tahun_lppd", "Tahun LPPD", pil.tahun_lppd, pil.tahun_lppd[0]))
try:
    per_urusan = dd.lppd_urusan(path, tahun)
    lengkap = dd.lppd_kelengkapan(path, tahun)
    daftar = dd.lppd_daftar_ikk(path)
    tren = dd.lppd_tren(path)
except SpmError as exc:
    show_error_and_stop(exc)

st.subheader(f"Capaian IKK per wilayah dan urusan — {tahun}")
if per_urusan.empty:
    st.info(f"Belum ada data IKK untuk tahun {tahun}.")
else:
    w.grafik(
        w.nama_berkas("lppd-urusan", tahun),
        per_urusan,
        charts.lppd_heatmap,
        note="Sel = rata-rata capaian IKK urusan itu (pembilang ÷ penyebut × 100, atau nilai "
        "langsung); IKK yang kosong tidak dihitung.",
    )

st.subheader(f"Kelengkapan IKK dan data dukung — {tahun}")
w.grafik(
    w.nama_berkas("lppd-kelengkapan", tahun),
    lengkap,
    charts.lppd_kelengkapan,
    note=f"Persen dari {fmt.angka(lengkap['jumlah_ikk'].max() if not lengkap.empty else 0)} IKK "
    "dalam katalog: IKK terisi = ada capaian; dengan data dukung = ada berkas data dukung.",
)

st.subheader("Perbandingan antarwilayah")
names = dict(zip(daftar["kode_ikk"], daftar["nama"], strict=True))
satuan = dict(zip(daftar["kode_ikk"], daftar["satuan"], strict=True))
kode_ikk = w.pilih(
    "ikk",
    "IKK",
    daftar["kode_ikk"].tolist(),
    daftar["kode_ikk"].iloc[0],
    lambda k: f"{k} — {names[k]}",
)
try:
    banding = dd.lppd_banding(path, tahun, kode_ikk)
except SpmError as exc:
    show_error_and_stop(exc)
if banding.empty:
    st.info(f"Belum ada wilayah yang mengisi IKK {kode_ikk} untuk tahun {tahun}.")
else:
    w.grafik(
        w.nama_berkas("lppd-ikk", kode_ikk, tahun),
        banding,
        charts.lppd_banding,
        satuan.get(kode_ikk),
        note=f"{names[kode_ikk]}: capaian tiap wilayah tahun {tahun}, tertinggi di atas.",
    )

st.subheader("Tren rata-rata capaian IKK")
w.grafik(
    "lppd-tren",
    tren,
    charts.lppd_tren,
    note="Rata-rata capaian semua IKK yang terisi per wilayah per tahun.",
)
