"""LPPD: IKK achievement per region and urusan, completeness, comparison and trend."""

import streamlit as st

from dashboard import auth
from dashboard.charts import lppd as charts
from dashboard.components import filters, guard
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.data import capaian as data_capaian
from pipelines.capaian.status_data import VERIFIED
from pipelines.core import fmt

# Perangkat daerah send SPM data only; the LPPD is the regions' report.
guard.require_roles(auth.ALL_ROLES - {"pengunggah_opd"})
st.title("LPPD — Indikator Kinerja Kunci (IKK)")
pil = data_capaian.pilihan()
guard.stop_if_empty(
    not pil.tahun_lppd, "Belum ada data LPPD IKK. Unggah template LPPD atau jalankan 'spm demo'."
)

tahun = int(filters.pilih("tahun_lppd", "Tahun LPPD", pil.tahun_lppd, pil.tahun_lppd[0]))
per_urusan = data_capaian.lppd_urusan(tahun)
lengkap = data_capaian.lppd_kelengkapan(tahun)
daftar = data_capaian.lppd_daftar_ikk()
tren = data_capaian.lppd_tren()

# Every figure below rests on the regions' LPPD submissions: say which are not verified.
sent = lengkap[lengkap["ada_submission"].fillna(False).astype(bool)]
belum = sent[~sent["status_submission"].isin(VERIFIED)]
if not belum.empty:
    st.warning(
        f"Angka belum final: {fmt.angka(len(belum))} dari {fmt.angka(len(sent))} wilayah yang "
        "mengirim LPPD belum diverifikasi: "
        + ", ".join(
            f"{n} ({s})"
            for n, s in zip(belum["nama_wilayah"], belum["status_submission"], strict=True)
        )
        + ".",
        icon=":material/warning:",
    )

st.subheader(f"Capaian IKK per wilayah dan urusan — {tahun}")
grafik(
    nama_berkas("lppd-urusan", tahun),
    per_urusan,
    charts.lppd_heatmap,
    note="Sel = rata-rata capaian IKK urusan itu (pembilang ÷ penyebut × 100, atau nilai "
    "langsung); IKK yang kosong tidak dihitung.",
    kosong=f"Belum ada data IKK untuk tahun {tahun}.",
)

st.subheader(f"Kelengkapan IKK dan data dukung — {tahun}")
grafik(
    nama_berkas("lppd-kelengkapan", tahun),
    lengkap,
    charts.lppd_kelengkapan,
    note=f"Persen dari {fmt.angka(lengkap['jumlah_ikk'].max() if not lengkap.empty else 0)} IKK "
    "dalam katalog: IKK terisi = ada capaian; dengan data dukung = ada berkas data dukung.",
)

st.subheader("Perbandingan antarwilayah")
names = dict(zip(daftar["kode_ikk"], daftar["nama"], strict=True))
satuan = dict(zip(daftar["kode_ikk"], daftar["satuan"], strict=True))
kode_ikk = filters.pilih(
    "ikk",
    "IKK",
    daftar["kode_ikk"].tolist(),
    daftar["kode_ikk"].iloc[0],
    lambda k: f"{k} — {names[k]}",
)
grafik(
    nama_berkas("lppd-ikk", kode_ikk, tahun),
    data_capaian.lppd_banding(tahun, kode_ikk),
    charts.lppd_banding,
    satuan.get(kode_ikk),
    note=f"{names[kode_ikk]}: capaian tiap wilayah tahun {tahun}, tertinggi di atas.",
    kosong=f"Belum ada wilayah yang mengisi IKK {kode_ikk} untuk tahun {tahun}.",
)

st.subheader("Tren rata-rata capaian IKK")
grafik(
    "lppd-tren",
    tren,
    charts.lppd_tren,
    note="Rata-rata capaian semua IKK yang terisi per wilayah per tahun.",
)
