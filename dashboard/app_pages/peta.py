"""Peta: the province's kabupaten/kota as their real shapes, coloured by IP-SPM
category, with the values on the map, on hover and in the table beside it."""

import streamlit as st

from dashboard import auth
from dashboard.charts import common, peta
from dashboard.components import filters, guard
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.data import capaian as data_capaian

guard.require_roles(auth.BIRO | {"pimpinan"})  # province-wide figures
st.title("Peta IP-SPM kabupaten/kota")
pil = filters.pilihan_spm()

tahun, triwulan = filters.filter_periode(pil)
wilayah = data_capaian.peta(tahun, triwulan)
guard.stop_if_empty(
    wilayah, f"Provinsi {pil.nama_provinsi} tidak punya kabupaten/kota dalam data wilayah."
)

st.subheader(f"{pil.nama_provinsi} — {filters.periode(tahun, triwulan)}")
kolom_peta, kolom_tabel = st.columns([5, 4], gap="medium")
with kolom_peta:
    grafik(
        nama_berkas("peta-ipspm", tahun, f"tw{triwulan}"),
        wilayah.drop(columns="di_peta"),
        peta.peta_kabkota,
        common.kategori_urut(pil.kategori),
        data_capaian.bentuk_kabkota(pil.provinsi),
        note="Warna = kategori IP-SPM kabupaten/kota (rata-rata nilai urusannya); angka pada "
        "peta dan di tabel = IP-SPM; arahkan kursor ke wilayah untuk rinciannya; abu-abu = "
        "belum ada data; * = data belum diverifikasi (angka dapat berubah). Batas wilayah "
        "disederhanakan (sumber: data/peta, lisensi MIT).",
    )
with kolom_tabel:
    tabel = wilayah.sort_values("nilai", ascending=False, na_position="last")
    st.dataframe(
        {
            "Wilayah": tabel["nama"],
            "IP-SPM": peta.teks_nilai(tabel),
            "Kategori": tabel["kategori"].fillna(common.BELUM_ADA),
            "Perubahan": tabel["selisih_tahun_lalu"].map(peta.teks_selisih),
        },
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Perubahan = selisih IP-SPM dari triwulan yang sama tahun lalu (poin); * = data "
        "belum diverifikasi."
    )

tanpa = wilayah[~wilayah["di_peta"]]
if not tanpa.empty:
    st.caption("Tidak tampil di peta (tidak ada batas wilayahnya): " + ", ".join(tanpa["nama"]))
