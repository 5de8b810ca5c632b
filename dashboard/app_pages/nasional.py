"""Nasional: the 38 provinces on one map and in one ranking, from the national file
built by ``spm nasional`` (offered only where that file exists)."""

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.charts import peta, spm
from dashboard.components import filters, guard
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.data import nasional as data_nasional
from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA
from pipelines.core import fmt, reference

guard.require_roles(auth.BIRO | {"pimpinan"})  # the library refuses uploaders too
st.title("Nasional: IP-SPM 38 provinsi")
guard.stop_if_empty(
    data_nasional.berkas() is None,
    "Data nasional belum dibangun; bangun dengan 'spm nasional --from FOLDER' dari berkas "
    "basis data setiap provinsi.",
)
periode = data_nasional.periode()
guard.stop_if_empty(periode, "Berkas data nasional belum berisi angka SPM.")

cols = st.columns(2)
tahun = filters.pilih(
    "nasional_tahun",
    "Tahun",
    sorted(periode["tahun"].unique().tolist(), reverse=True),
    int(periode["tahun"].max()),
    container=cols[0],
)
quarters = sorted(periode.loc[periode["tahun"] == tahun, "triwulan"].tolist())
triwulan = filters.pilih(
    "nasional_triwulan",
    "Triwulan",
    quarters,
    quarters[-1],
    format_func=fmt.triwulan,
    container=cols[1],
)
judul = filters.periode(int(tahun), int(triwulan))
provinsi = data_nasional.provinsi(int(tahun), int(triwulan))

# Every province, with or without figures: the map and the table name them all.
semua = reference.region_frame()
semua = semua[semua["tingkat"] == "provinsi"][["kode", "nama"]]
tabel = semua.merge(provinsi, left_on="kode", right_on="kode_provinsi", how="left")
tabel["belum_diverifikasi"] = tabel["jumlah_kabkota_belum_diverifikasi"].fillna(0) > 0
tabel = tabel.sort_values(["peringkat", "kode"], na_position="last").reset_index(drop=True)
kategori = (
    tabel.dropna(subset=["nilai_rata_rata_kabkota"])
    .groupby("kategori_rata_rata_kabkota")["nilai_rata_rata_kabkota"]
    .max()
    .sort_values(ascending=False)
    .index.tolist()
)  # the bands as the provinces' own settings name them, best first

dinilai = tabel["nilai_rata_rata_kabkota"].notna()
belum = tabel[tabel["belum_diverifikasi"]]
st.subheader(f"Indonesia — {judul}")
m1, m2, m3 = st.columns(3)
m1.metric("Provinsi dengan angka", f"{fmt.angka(int(dinilai.sum()))} dari {len(tabel)}")
m2.metric(
    "Kabupaten/kota dinilai",
    fmt.angka(int(tabel["jumlah_kabkota_dinilai"].fillna(0).sum())),
)
m3.metric("Provinsi dengan data belum diverifikasi", fmt.angka(len(belum)))
if not belum.empty:
    st.warning(
        f"{fmt.angka(len(belum))} dari {fmt.angka(int(dinilai.sum()))} provinsi memuat data "
        "kabupaten/kota yang belum diverifikasi (ditandai *); angkanya dapat berubah."
    )

peta_data = pd.DataFrame(
    {
        "kode": tabel["kode"],
        "nama": tabel["nama"],
        "nilai": tabel["nilai_rata_rata_kabkota"],
        "kategori": tabel["kategori_rata_rata_kabkota"],
        "belum_diverifikasi": tabel["belum_diverifikasi"],
    }
)
grafik(
    nama_berkas("peta-nasional", tahun, f"tw{triwulan}"),
    peta_data,
    peta.peta_provinsi,
    kategori,
    data_nasional.bentuk_provinsi(),
    stretch=False,  # the whole archipelago at its own width (stretched, Papua was cut)
    note=f"Warna dan angka = {RATA_KABKOTA.nama} tiap provinsi ({RATA_KABKOTA.rumus}), "
    "dihitung oleh instalasi provinsi itu sendiri; abu-abu = belum ada data; * = memuat data "
    "belum diverifikasi. Batas wilayah disederhanakan (sumber: data/peta, lisensi MIT).",
)

st.subheader("Peringkat provinsi")
batang = tabel[dinilai].rename(columns={"nama": "nama_wilayah", "nilai_rata_rata_kabkota": "nilai"})
batang = batang.assign(kategori=batang["kategori_rata_rata_kabkota"])
grafik(
    nama_berkas("peringkat-provinsi", tahun, f"tw{triwulan}"),
    batang[["nama_wilayah", "nilai", "kategori", "belum_diverifikasi"]],
    spm.peringkat_wilayah,
    kategori,
    note=f"Batang = {RATA_KABKOTA.nama}; * = memuat data belum diverifikasi.",
    kosong=f"Belum ada angka provinsi untuk {judul}.",
)


def _nilai(values: pd.Series, marks: pd.Series) -> list[str]:
    return [
        "–" if pd.isna(v) else fmt.angka(v, 2) + ("*" if m else "")
        for v, m in zip(values, marks, strict=True)
    ]


st.dataframe(
    {
        "Peringkat": [fmt.angka(p) if pd.notna(p) else "–" for p in tabel["peringkat"]],
        "Provinsi": tabel["nama"],
        RATA_KABKOTA.nama: _nilai(tabel["nilai_rata_rata_kabkota"], tabel["belum_diverifikasi"]),
        "Kategori": tabel["kategori_rata_rata_kabkota"].fillna("–"),
        "Kab/kota dinilai": [
            "–" if pd.isna(d) else f"{fmt.angka(d)} dari {fmt.angka(j)}"
            for d, j in zip(tabel["jumlah_kabkota_dinilai"], tabel["jumlah_kabkota"], strict=True)
        ],
        "Kab/kota belum diverifikasi": [
            "–" if pd.isna(d) else fmt.angka(b)
            for d, b in zip(
                tabel["jumlah_kabkota_dinilai"],
                tabel["jumlah_kabkota_belum_diverifikasi"].fillna(0),
                strict=True,
            )
        ],
        IP_SPM_PEMPROV.nama: [
            "–" if pd.isna(v) else fmt.angka(v, 2) for v in tabel["nilai_provinsi"]
        ],
    },
    hide_index=True,
    width="stretch",
)
st.caption(
    f"{IP_SPM_PEMPROV.nama} tidak ikut diperingkat; provinsi tanpa angka berada di bawah "
    "tanpa peringkat."
)

with st.expander("Sumber data setiap provinsi"):
    sumber, dibangun = data_nasional.sumber()
    st.caption(
        f"Berkas data nasional dibangun {fmt.waktu(pd.Timestamp(dibangun['dibangun_pada']))} "
        f"oleh {dibangun.get('dibangun_oleh', '–')}."
    )
    st.dataframe(
        {
            "Provinsi": sumber["nama_provinsi"],
            "Berkas": sumber["nama_berkas"],
            "Berkas diubah": [fmt.waktu(pd.Timestamp(t)) for t in sumber["diubah_pada"]],
            "Pengiriman": [fmt.angka(v) for v in sumber["jumlah_submission"]],
            "Final": [fmt.angka(v) for v in sumber["jumlah_submission_final"]],
            "Data demo": ["Ya" if d else "Tidak" for d in sumber["demo"]],
        },
        hide_index=True,
        width="stretch",
    )
