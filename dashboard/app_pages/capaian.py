"""Capaian (analysts): target against realisation, progress by triwulan, drill-down from
the province to a region, a service and the submission behind it."""

import streamlit as st

from dashboard import charts
from dashboard import data_dashboards as dd
from dashboard import widgets_dashboards as w
from dashboard.components.explain import show_explanation
from dashboard.data import db_path, show_error_and_stop
from pipelines.capaian.dashboards import AGREGAT
from pipelines.core import fmt
from pipelines.errors import SpmError

SEMUA_LAYANAN = "__semua__"

st.title("Capaian SPM per wilayah dan layanan")
path = db_path()
try:
    pil = dd.pilihan(path)
except SpmError as exc:
    show_error_and_stop(exc)
if pil.kosong:
    st.info("Belum ada data SPM. Unggah template kabupaten/kota atau jalankan 'spm demo'.")
    st.stop()

f1, f2 = st.columns(2)
tahun, triwulan = w.filter_periode(pil, container=f1)
g1, g2 = f2.columns(2)
wilayah = w.filter_wilayah(pil, container=g1)
urusan = w.filter_urusan(pil, container=g2)
periode = f"{fmt.triwulan(triwulan)} {tahun}"
kategori = charts.kategori_urut(pil.kategori)
label = w.label_wilayah(pil)

if wilayah == AGREGAT:
    # Level 1: the province — every region's IP-SPM; choose a region to go down.
    try:
        semua = dd.ip_spm_semua_wilayah(path, tahun, triwulan)
    except SpmError as exc:
        show_error_and_stop(exc)
    st.subheader(f"IP-SPM setiap wilayah — {periode}")
    w.grafik(
        w.nama_berkas("ipspm-wilayah", tahun, f"tw{triwulan}"),
        semua,
        charts.nilai_wilayah,
        kategori,
        note="IP-SPM wilayah = rata-rata nilai urusannya; baris provinsi = layanan urusan provinsi.",
    )
    st.info("Pilih satu wilayah pada filter **Wilayah** untuk melihat capaian per layanan.")
    st.stop()

# Level 2: one region — sasaran against terlayani per service.
try:
    layanan = dd.capaian_layanan(path, tahun, triwulan, wilayah, urusan)
except SpmError as exc:
    show_error_and_stop(exc)
st.subheader(f"{label(wilayah)} — {periode}")
if layanan.empty:
    st.info(f"{label(wilayah)} belum melaporkan data SPM untuk {periode}.")
    st.stop()

dinilai = layanan["nilai"].notna()
c1, c2, c3 = st.columns(3)
c1.metric("Layanan dilaporkan", fmt.angka(len(layanan)))
c2.metric("Sasaran", fmt.angka(layanan["jumlah_sasaran"].sum()))
c3.metric("Belum terlayani", fmt.angka(layanan["kurang_terlayani"].sum()))

st.markdown("**Sasaran dan realisasi per layanan**")
w.grafik(
    w.nama_berkas("sasaran-realisasi", wilayah, tahun, f"tw{triwulan}"),
    layanan,
    charts.sasaran_realisasi,
    kategori,
    note="Batang = terlayani ÷ sasaran (capaian penerima, maks. 100 %); garis putus = target 100 %; "
    "warna = kategori nilai layanan (penerima dan mutu).",
)

table = layanan.assign(
    Sasaran=layanan["jumlah_sasaran"].map(fmt.angka),
    Terlayani=layanan["jumlah_terlayani"].map(fmt.angka),
    **{
        "Capaian penerima": layanan["capaian_penerima"].map(lambda v: fmt.angka(v, 2)),
        "Capaian mutu": layanan["capaian_mutu"].map(lambda v: fmt.angka(v, 2)),
        "Nilai": layanan["nilai"].map(lambda v: fmt.angka(v, 2)),
    },
)[
    [
        "kode_layanan",
        "nama_layanan",
        "Sasaran",
        "Terlayani",
        "Capaian penerima",
        "Capaian mutu",
        "Nilai",
        "kategori",
        "status_submission",
    ]
].rename(
    columns={
        "kode_layanan": "Kode",
        "nama_layanan": "Layanan",
        "kategori": "Kategori",
        "status_submission": "Status",
    }
)
st.dataframe(table, hide_index=True, width="stretch")

# Level 3: one service (or all) — progress by triwulan and where the number comes from.
names = dict(zip(layanan["kode_layanan"], layanan["nama_layanan"], strict=True))
kode = w.pilih(
    "layanan",
    "Layanan untuk dirinci",
    [SEMUA_LAYANAN, *layanan["kode_layanan"]],
    SEMUA_LAYANAN,
    lambda k: "Semua layanan wilayah ini" if k == SEMUA_LAYANAN else f"{k} — {names[k]}",
)
kode_layanan = None if kode == SEMUA_LAYANAN else kode
try:
    progres = dd.progres_triwulan(path, tahun, wilayah, kode_layanan)
except SpmError as exc:
    show_error_and_stop(exc)
judul = names[kode_layanan] if kode_layanan else "semua layanan"
st.markdown(f"**Kemajuan per triwulan menuju sasaran {tahun} — {judul}**")
w.grafik(
    w.nama_berkas("progres", wilayah, kode_layanan or "semua", tahun),
    progres,
    charts.progres_triwulan,
    note="Terlayani kumulatif per triwulan; garis = sasaran tahun ini. Proyeksi akhir tahun "
    "(perkiraan, bukan data) = terlayani sejauh ini diteruskan dengan pola wilayah itu tahun "
    "lalu, atau rata per triwulan (× 4 ÷ triwulan) bila pola tahun lalu tidak ada.",
)

if kode_layanan:
    st.markdown(f"**Asal angka: {names[kode_layanan]} — {label(wilayah)}, {periode}**")
    show_explanation(wilayah, tahun, triwulan, kode_layanan)
