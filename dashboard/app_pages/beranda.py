"""Beranda: what the database holds and the latest IP-SPM per region."""

import streamlit as st

from dashboard import data
from dashboard.components import guard
from dashboard.data import capaian as data_capaian
from pipelines.capaian.status_data import VERIFIED
from pipelines.core import fmt
from pipelines.core.forms import FORM_LABELS

st.title("Pemantauan Standar Pelayanan Minimal")
ov = data_capaian.overview()

st.caption(
    f"Provinsi {ov.provinsi_nama} (kode {ov.provinsi_kode})"
    + (" — basis data demo" if ov.demo else "")
)

c1, c2, c3 = st.columns(3)
c1.metric("Kabupaten/kota", fmt.angka(ov.jumlah_kabkota))
c2.metric("Jenis pelayanan dasar", fmt.angka(ov.jumlah_layanan))
c3.metric("IKK LPPD" + (" (sampel)" if ov.ikk_sampel else ""), fmt.angka(ov.jumlah_ikk))

guard.stop_if_empty(
    ov.kosong,
    "Belum ada data. Unggah berkas template kabupaten/kota, atau jalankan "
    "'spm demo' untuk memuat data demo.",
)

st.subheader("IP-SPM terakhir per wilayah")
if data.actor().role == "pengunggah_opd":
    st.write(
        "Akun perangkat daerah melaporkan layanan SPM provinsi yang diampunya: nilainya ada "
        "di halaman Capaian dan Telusuri Angka, pengirimannya di Wilayah saya."
    )
elif ov.ip_spm_terakhir.empty:
    st.write("Wilayah Anda belum punya IP-SPM: belum ada data SPM yang dikirim.")
else:
    latest = ov.ip_spm_terakhir.assign(
        Periode=lambda d: [
            f"{fmt.triwulan(q)} {t}" for t, q in zip(d["tahun"], d["triwulan"], strict=True)
        ],
        **{"IP-SPM": lambda d: d["nilai"].map(lambda v: fmt.angka(v, 2))},
        Status=lambda d: [
            s if s in VERIFIED else f"{s} (belum diverifikasi)" for s in d["status_submission"]
        ],
    )
    st.table(
        latest[["kode_wilayah", "nama_wilayah", "Periode", "IP-SPM", "kategori", "Status"]]
        .rename(columns={"kode_wilayah": "Kode", "nama_wilayah": "Wilayah", "kategori": "Kategori"})
        .set_index("Kode")
    )

st.subheader("Pengiriman data per tahun")
per_year = ov.pengiriman_per_tahun.pivot_table(
    index="tahun", columns="form", values="jumlah", aggfunc="sum", fill_value=0
)
per_year.index = per_year.index.astype(str)
per_year.columns = [FORM_LABELS.get(c, c) for c in per_year.columns]
st.table(per_year.rename_axis("Tahun"))
