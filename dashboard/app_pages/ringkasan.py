"""Ringkasan (leaders): the province's IP-SPM at a glance for one year and triwulan."""

import streamlit as st

from dashboard import auth
from dashboard.charts import common, spm
from dashboard.components import angka_provinsi, filters, guard
from dashboard.components.chart_panel import catatan, grafik, nama_berkas, unduhan
from dashboard.data import capaian as data_capaian
from dashboard.data import kelengkapan as data_kelengkapan
from pipelines.capaian import labels
from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA
from pipelines.core import fmt
from pipelines.core.forms import FORM_LABELS

guard.require_roles(auth.BIRO | {"pimpinan"})  # province-wide figures
st.title("Ringkasan Capaian SPM")
pil = filters.pilihan_spm()

tahun, triwulan = filters.filter_periode(pil)
periode = filters.periode(tahun, triwulan)
kategori = common.kategori_urut(pil.kategori)
prov = data_capaian.ip_spm_provinsi(tahun, triwulan)
status = data_capaian.status_periode(tahun, triwulan)
ranking = data_capaian.peringkat_wilayah(tahun, triwulan)
heat = data_capaian.urusan_per_wilayah(tahun, triwulan)
tren = data_capaian.tren_tahunan(triwulan)
behind = data_capaian.layanan_tertinggal(tahun, triwulan)
lengkap = data_kelengkapan.ringkasan(tahun, triwulan, per="form")

st.subheader(f"{pil.nama_provinsi} — {periode}")
angka_provinsi.angka_ringkasan(
    prov,
    status,
    melapor=f"{fmt.angka(prov.jumlah_kabkota_dinilai)} dari {fmt.angka(prov.jumlah_kabkota)} "
    "kabupaten/kota dinilai",
    delta_rata=None
    if prov.selisih_tahun_lalu is None
    else f"{fmt.angka(prov.selisih_tahun_lalu, 2)} dari {fmt.triwulan(triwulan)} {tahun - 1}",
)
catatan(
    f"{RATA_KABKOTA.nama} = {RATA_KABKOTA.rumus}; {IP_SPM_PEMPROV.nama} = "
    f"{IP_SPM_PEMPROV.rumus}; nilai layanan = bobot penerima × capaian penerima + bobot mutu "
    "× capaian mutu. Perubahan dibanding triwulan yang sama tahun lalu."
)
unduhan(
    nama_berkas("ringkasan-provinsi", tahun, f"tw{triwulan}"),
    data_capaian.ringkasan_provinsi(prov, status),
)

st.subheader("Peringkat kabupaten/kota")
if ranking["nilai"].isna().all():
    st.info(f"Belum ada laporan kabupaten/kota untuk {periode}.")
else:
    grafik(
        nama_berkas("peringkat-ipspm", tahun, f"tw{triwulan}"),
        ranking,
        spm.peringkat_wilayah,
        kategori,
        note="Batang = IP-SPM kabupaten/kota (rata-rata nilai urusannya); warna dan teks = "
        "kategori; 'belum diverifikasi' = angka dapat berubah sampai datanya diverifikasi.",
    )

st.subheader("Nilai per urusan dan wilayah")
grafik(
    nama_berkas("nilai-urusan", tahun, f"tw{triwulan}"),
    heat,
    spm.heatmap_urusan,
    kategori,
    note="Sel = rata-rata nilai layanan urusan itu (layanan tanpa sasaran tidak dihitung); "
    f"baris terakhir = {labels.nama_pemprov()}; * = data belum diverifikasi.",
    kosong=f"Belum ada nilai urusan untuk {periode}.",
)

st.subheader(f"Tren IP-SPM per tahun ({fmt.triwulan(triwulan)})")
grafik(
    nama_berkas("tren-ipspm", f"tw{triwulan}"),
    tren,
    spm.tren_tahunan,
    note=f"Garis tebal = {RATA_KABKOTA.nama} pada {fmt.triwulan(triwulan)} tiap tahun; "
    "garis tipis = tiap kabupaten/kota"
    + (
        f"; nilai {tahun} belum final ({status.singkat_kabkota()})."
        if status.kabkota_belum
        else "."
    ),
)

st.subheader("Lima capaian layanan paling tertinggal")
grafik(
    nama_berkas("layanan-tertinggal", tahun, f"tw{triwulan}"),
    behind,
    spm.layanan_tertinggal,
    kategori,
    note="Layanan per wilayah dengan capaian penerima terendah (lalu orang belum terlayani "
    "terbanyak); batang = nilai layanan; orang belum terlayani = sasaran − terlayani; "
    "perkiraan biaya = orang belum terlayani × biaya satuan (bila diatur di pengaturan); "
    "'belum diverifikasi' = angka dapat berubah.",
    kosong=f"Belum ada nilai layanan untuk {periode}.",
)

st.subheader("Kelengkapan pelaporan")
cols = st.columns(max(len(lengkap), 1))
for col, row in zip(cols, lengkap.itertuples(), strict=False):
    col.metric(
        FORM_LABELS.get(row.form, row.form),
        f"{fmt.angka(row.diterima)} dari {fmt.angka(row.diharapkan)}",
        help=f"Tepat waktu {fmt.angka(row.tepat_waktu)}, terlambat dengan perpanjangan "
        f"{fmt.angka(row.terlambat_perpanjangan)}, terlambat {fmt.angka(row.terlambat)}, "
        f"belum {fmt.angka(row.belum)}",
    )
    col.progress(
        min(float(row.persen_diterima or 0) / 100, 1.0),
        text=f"{fmt.persen(row.persen_diterima, 1)} diterima, "
        f"{fmt.persen(row.persen_tepat_waktu, 1)} tepat waktu",
    )
if lengkap.empty:
    st.caption(f"Masa pelaporan {periode} belum berakhir: belum ada laporan yang ditunggu.")
catatan(
    "Laporan diharapkan: setiap kabupaten/kota dan setiap perangkat daerah pengampu layanan "
    "provinsi per triwulan yang sudah berakhir; diterima = ada kiriman yang bukan draf; tepat "
    "waktu = unggahan pertama paling lambat batas waktu resmi (perpanjangan tidak menghapus "
    "keterlambatan)."
)
unduhan(nama_berkas("kelengkapan", tahun, f"tw{triwulan}"), lengkap)
