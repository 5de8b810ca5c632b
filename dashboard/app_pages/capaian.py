"""Capaian (analysts): target against realisation, progress by triwulan, drill-down from
the province to a region, a service and the submission behind it."""

import streamlit as st

from dashboard.charts import common, spm
from dashboard.components import filters, guard, tables
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.components.explain import show_explanation
from dashboard.data import capaian as data_capaian
from pipelines.capaian.dashboards import AGREGAT
from pipelines.core import fmt

SEMUA_LAYANAN = "__semua__"

st.title("Capaian SPM per wilayah dan layanan")
pil = filters.pilihan_spm()

f1, f2 = st.columns(2)
tahun, triwulan = filters.filter_periode(pil, container=f1)
g1, g2 = f2.columns(2)
wilayah = filters.filter_wilayah(pil, container=g1)
urusan = filters.filter_urusan(pil, container=g2)
periode = filters.periode(tahun, triwulan)
kategori = common.kategori_urut(pil.kategori)
label = filters.label_wilayah(pil)

if wilayah == AGREGAT:
    # Level 1: the province — every region's IP-SPM; choose a region to go down.
    semua = data_capaian.peringkat_wilayah(tahun, triwulan, kabkota_saja=False)
    st.subheader(f"IP-SPM setiap wilayah — {periode}")
    grafik(
        nama_berkas("ipspm-wilayah", tahun, f"tw{triwulan}"),
        semua,
        spm.nilai_wilayah,
        kategori,
        note="IP-SPM wilayah = rata-rata nilai urusannya; baris provinsi = layanan urusan provinsi.",
    )
    st.info("Pilih satu wilayah pada filter **Wilayah** untuk melihat capaian per layanan.")
    st.stop()

# Level 2: one region — sasaran against terlayani per service.
layanan = data_capaian.capaian_layanan(tahun, triwulan, wilayah, urusan)
st.subheader(f"{label(wilayah)} — {periode}")
guard.stop_if_empty(layanan, f"{label(wilayah)} belum melaporkan data SPM untuk {periode}.")

c1, c2, c3 = st.columns(3)
c1.metric("Layanan dilaporkan", fmt.angka(len(layanan)))
c2.metric("Sasaran", fmt.angka(layanan["jumlah_sasaran"].sum()))
c3.metric("Belum terlayani", fmt.angka(layanan["kurang_terlayani"].sum()))

st.markdown("**Sasaran dan realisasi per layanan**")
grafik(
    nama_berkas("sasaran-realisasi", wilayah, tahun, f"tw{triwulan}"),
    layanan,
    spm.sasaran_realisasi,
    kategori,
    note="Batang = terlayani ÷ sasaran (capaian penerima, maks. 100 %); garis putus = target 100 %; "
    "warna = kategori nilai layanan (penerima dan mutu).",
)
st.dataframe(
    tables.angka_layanan(layanan).assign(
        Kategori=layanan["kategori"], Status=layanan["status_submission"]
    ),
    hide_index=True,
    width="stretch",
)

# Level 3: one service (or all) — progress by triwulan and where the number comes from.
names = dict(zip(layanan["kode_layanan"], layanan["nama_layanan"], strict=True))
kode = filters.pilih(
    "layanan",
    "Layanan untuk dirinci",
    [SEMUA_LAYANAN, *layanan["kode_layanan"]],
    SEMUA_LAYANAN,
    lambda k: "Semua layanan wilayah ini" if k == SEMUA_LAYANAN else f"{k} — {names[k]}",
)
kode_layanan = None if kode == SEMUA_LAYANAN else kode
progres = data_capaian.progres_triwulan(tahun, wilayah, kode_layanan)
judul = names[kode_layanan] if kode_layanan else "semua layanan"
st.markdown(f"**Kemajuan per triwulan menuju sasaran {tahun} — {judul}**")
grafik(
    nama_berkas("progres", wilayah, kode_layanan or "semua", tahun),
    progres,
    spm.progres_triwulan,
    note="Terlayani kumulatif per triwulan; garis = sasaran tahun ini. Proyeksi akhir tahun "
    "(perkiraan, bukan data) = terlayani sejauh ini diteruskan dengan pola wilayah itu tahun "
    "lalu, atau rata per triwulan (× 4 ÷ triwulan) bila pola tahun lalu tidak ada.",
)

if kode_layanan:
    st.markdown(f"**Asal angka: {names[kode_layanan]} — {label(wilayah)}, {periode}**")
    show_explanation(wilayah, tahun, triwulan, kode_layanan)
