"""Kualitas data: values far from the other kab/kota or from last year (modified
z-score and change factor), each with its reason, and the follow-up an analyst marks."""

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components import actions, filters, guard
from dashboard.data import pencilan as data_pencilan
from dashboard.data import settings as data_settings
from pipelines.capaian import pencilan
from pipelines.core import fmt

guard.require_roles(auth.BIRO)
DONE = "kualitas_selesai"

st.title("Kualitas data")
values = data_settings.pengaturan()
st.caption(
    "Nilai kabupaten/kota yang perlu diperiksa: cakupan (terlayani/sasaran) yang jauh dari "
    "kabupaten/kota lain, sasaran yang pertumbuhannya jauh dari yang lain (skor z "
    f"termodifikasi di atas {fmt.angka(values.get('pencilan_ambang_z', 3.5), 1)}), dan nilai "
    f"yang berubah lebih dari {fmt.angka(values.get('pencilan_faktor_perubahan', 2.0), 1)} "
    "kali lipat dibanding triwulan yang sama tahun lalu. Ini peringatan: data tetap "
    "tersimpan dan dihitung sampai diperbaiki."
)
pil = filters.pilihan_spm()
tahun, triwulan = filters.filter_periode(pil)
periode = filters.periode(tahun, triwulan)
actions.show_confirmation(DONE)

found = data_pencilan.daftar(tahun, triwulan)
st.subheader(f"Pencilan — {periode}")


def nilai_teks(row: pd.Series) -> str:
    if row["ukuran"] == "cakupan":
        return fmt.persen(row["nilai"], 1)
    return fmt.angka(row["nilai"])


if found.empty:
    st.info(f"Tidak ada nilai yang terdeteksi sebagai pencilan pada {periode}.")
else:
    st.caption(
        f"{fmt.angka(len(found))} nilai perlu diperiksa; "
        f"{fmt.angka(int(found['tindak_lanjut'].notna().sum()))} sudah ditandai."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Wilayah": found["nama_wilayah"],
                "Layanan": found["kode_layanan"] + " " + found["nama_layanan"],
                "Ukuran": found["nama_ukuran"],
                "Nilai": found.apply(nilai_teks, axis=1),
                "Alasan": found["alasan"].map(fmt.kalimat),
                "Tindak lanjut": found["tindak_lanjut"].fillna("–"),
            }
        ),
        hide_index=True,
        column_config={"Alasan": st.column_config.TextColumn(width="large")},
    )
    labels = {
        i: f"{r.nama_wilayah} · {r.kode_layanan} · {r.nama_ukuran}" for i, r in found.iterrows()
    }
    with st.form("kualitas_tandai"):
        st.markdown("**Tandai untuk ditindaklanjuti**")
        pick = st.selectbox("Nilai", list(labels), format_func=labels.get, key="kualitas_nilai")
        status = st.radio(
            "Status", [pencilan.PERLU, pencilan.SELESAI], horizontal=True, key="kualitas_status"
        )
        komentar = st.text_area(
            "Komentar",
            placeholder="Apa yang perlu diperiksa, atau hasil pemeriksaannya.",
            key="kualitas_komentar",
        )
        if st.form_submit_button("Simpan tanda", type="primary"):
            row = found.loc[pick]
            actions.act(
                lambda: data_pencilan.tandai(
                    status,
                    tahun=tahun,
                    triwulan=triwulan,
                    kode_wilayah=row["kode_wilayah"],
                    kode_layanan=row["kode_layanan"],
                    ukuran=row["ukuran"],
                    komentar=komentar,
                ),
                f"Tanda tersimpan: {labels[pick]} — {status}.",
                DONE,
            )

st.subheader(f"Daftar tindak lanjut {tahun}")
marks = data_pencilan.tindak_lanjut(tahun)
if marks.empty:
    st.info(f"Belum ada pencilan yang ditandai pada tahun {tahun}.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Periode": [filters.periode(tahun, int(q)) for q in marks["triwulan"]],
                "Wilayah": marks["nama_wilayah"],
                "Layanan": marks["kode_layanan"] + " " + marks["nama_layanan"],
                "Ukuran": marks["ukuran"].map(pencilan.UKURAN),
                "Status": marks["tindak_lanjut"],
                "Komentar": marks["komentar"],
                "Oleh": marks["oleh"],
                "Waktu": marks["waktu"].map(fmt.waktu),
            }
        ),
        hide_index=True,
        column_config={"Komentar": st.column_config.TextColumn(width="large")},
    )
