"""SPM Awards: each kabupaten/kota's readiness score out of 100 in six parts, ranked,
with what it should do next to gain the most points (pipelines.capaian.awards)."""

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.charts import awards as charts
from dashboard.components import filters, guard
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.data import dokumen as data_dokumen
from pipelines.capaian import awards
from pipelines.core import fmt

actor = guard.require_roles(auth.BIRO | {"pimpinan", "pengunggah_kabkota"})

st.title("SPM Awards")
pil = filters.pilihan_spm()
tahun = int(filters.pilih("tahun", "Tahun", pil.tahun, pil.tahun[0]))
result = data_dokumen.awards(tahun)
bobot = result.bobot
nama = {part: name for part, _, name in awards.BAGIAN}
st.caption(
    "Skor kesiapan dari 100 per kabupaten/kota: "
    + "; ".join(f"{nama[p]} {fmt.angka(bobot[p], 0)} poin" for p in awards.PARTS)
    + ". IP-SPM memakai triwulan terakhir tahun itu yang sudah berdata (angka SPM "
    "kumulatif dalam setahun), begitu pula anggaran (realisasi dibanding rencana, paling "
    "tinggi 100 %) dan empat tahapan per layanan; dokumen Tim dan Rencana Aksi dihitung "
    "bila sudah diverifikasi Biro; kepatuhan = triwulan yang dikirim tepat waktu dari 4."
)
frame = result.skor
guard.stop_if_empty(frame, f"Tidak ada kabupaten/kota untuk dinilai pada tahun {tahun}.")
note = result.catatan_status()
if note:
    st.warning(f"Data belum diverifikasi: {note}. Skor wilayah itu masih dapat berubah.")

shown = {p: f"{awards.SINGKAT[p]} ({fmt.angka(bobot[p], 0)})" for p in awards.PARTS}
grafik(
    nama_berkas("spm-awards", tahun),
    frame[["nama_wilayah", "skor", *awards.PARTS]],
    charts.skor_batang,
    shown,
    note="Panjang batang = skor; tiap warna satu bagian (poin yang diperoleh).",
)


st.subheader(f"Peringkat {tahun}")
table = pd.DataFrame(
    {
        "Peringkat": frame["peringkat"],
        "Kabupaten/Kota": frame["nama_wilayah"],
        "Skor": frame["skor"].map(lambda v: fmt.angka(v, 2)),
        **{shown[p]: frame[p].map(lambda v: fmt.angka(v, 2)) for p in awards.PARTS},
        "Status data": frame["status_data"].map(awards.status_teks),
        "Langkah berikut": frame["langkah_berikut"],
    }
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={"Langkah berikut": st.column_config.TextColumn(width="large")},
)
