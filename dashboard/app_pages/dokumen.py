"""Dokumen SPM: the SK Tim Penerapan SPM and Rencana Aksi of each kabupaten/kota and
year, the Biro's review of them (verify, or send back with a comment), and the data
dukung of the four tahapan per service (pipelines.sop.dokumen_*). An uploader of a
kabupaten/kota sees and uploads its own region's only."""

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components import actions, filters, guard
from dashboard.data import dokumen as data_dokumen
from pipelines.core import fmt
from pipelines.errors import SpmError
from pipelines.review import STATUS_LABELS
from pipelines.sop import dokumen_penerapan as penerapan
from pipelines.sop import dokumen_tahapan as tahapan
from pipelines.sop.dokumen_berkas import JENIS_BERKAS_TEKS

actor = guard.require_roles(auth.BIRO | {"pengunggah_kabkota"})
biro = actor.role in auth.BIRO
DONE = "dokumen_selesai"
STATUS_TEKS = {**STATUS_LABELS, penerapan.BELUM: "Belum diunggah"}

st.title("Dokumen SPM")
st.caption(
    "SK Tim Penerapan SPM dan Rencana Aksi (Perkada) per kabupaten/kota dan tahun, "
    "diperiksa Biro Pemerintahan seperti data SPM (Diajukan → Diverifikasi atau "
    "Dikembalikan dengan komentar), serta data dukung empat tahapan penerapan per layanan. "
    f"Berkas {JENIS_BERKAS_TEKS}; dokumen yang diverifikasi menambah skor SPM Awards."
)
years, latest = data_dokumen.tahun_pilihan()
tahun = int(filters.pilih("tahun", "Tahun", years, latest))
actions.show_confirmation(DONE)

st.subheader(f"Kelengkapan dokumen {tahun}")
lengkap = data_dokumen.kelengkapan(tahun)
st.dataframe(
    pd.DataFrame(
        {
            "Kabupaten/Kota": lengkap["nama_wilayah"],
            "SK Tim Penerapan SPM": lengkap["tim"].map(STATUS_TEKS),
            "Rencana Aksi": lengkap["rencana_aksi"].map(STATUS_TEKS),
        }
    ),
    hide_index=True,
)

st.subheader(f"Dokumen {tahun}")
docs = data_dokumen.dokumen(tahun)
if docs.empty:
    st.info(f"Belum ada dokumen Tim Penerapan SPM atau Rencana Aksi untuk tahun {tahun}.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "No.": docs["id"],
                "Jenis": docs["nama_jenis"],
                "Wilayah": docs["nama_wilayah"],
                "Nomor": docs["nomor"],
                "Tanggal": docs["tanggal"].map(fmt.tanggal),
                "Berkas": docs["nama_berkas"],
                "Status": [
                    STATUS_TEKS[s] + ("" if new else " (diganti)")
                    for s, new in zip(docs["status"], docs["terbaru"], strict=True)
                ],
                "Komentar": docs["komentar"].fillna(""),
                "Diunggah": [
                    f"{who}, {fmt.waktu(when)}"
                    for who, when in zip(docs["diunggah_oleh"], docs["diunggah_pada"], strict=True)
                ],
            }
        ),
        hide_index=True,
        column_config={"Komentar": st.column_config.TextColumn(width="large")},
    )
    labels = {
        int(r.id): f"#{r.id} {r.nama_jenis} {r.nama_wilayah} — {STATUS_TEKS[r.status]}"
        for r in docs.itertuples()
    }
    pick = st.selectbox("Unduh berkas dokumen", list(labels), format_func=labels.get)
    try:
        name, content = data_dokumen.berkas_dokumen(int(pick))
    except SpmError as exc:
        st.caption(str(exc))
    else:
        st.download_button("Unduh", content, file_name=name, key="dokumen_unduh")

    review = docs[
        docs["terbaru"] & docs["status"].isin([penerapan.DIAJUKAN, penerapan.DIVERIFIKASI])
    ]
    if biro and not review.empty:
        with st.form("dokumen_periksa"):
            st.markdown("**Periksa dokumen**")
            target = st.selectbox(
                "Dokumen", [int(i) for i in review["id"]], format_func=labels.get, key="periksa_id"
            )
            keputusan = st.radio(
                "Keputusan", ["Verifikasi", "Kembalikan"], horizontal=True, key="periksa_keputusan"
            )
            komentar = st.text_area(
                "Komentar (wajib bila dikembalikan)",
                placeholder="Apa yang perlu diperbaiki pengunggah.",
                key="periksa_komentar",
            )
            if st.form_submit_button("Simpan keputusan", type="primary"):
                if keputusan == "Verifikasi":
                    actions.act(
                        lambda: data_dokumen.verifikasi(target),
                        f"Dokumen {labels[target].split(' — ')[0]} diverifikasi.",
                        DONE,
                    )
                else:
                    actions.act(
                        lambda: data_dokumen.kembalikan(target, komentar),
                        f"Dokumen {labels[target].split(' — ')[0]} dikembalikan.",
                        DONE,
                    )

regions = data_dokumen.wilayah()
if not biro:
    regions = regions[regions["kode"] == actor.kode_wilayah]
region_names = dict(zip(regions["kode"], regions["nama"], strict=True))

st.subheader("Unggah SK Tim atau Rencana Aksi")
with st.form("dokumen_unggah", clear_on_submit=False):
    jenis = st.radio(
        "Jenis dokumen", list(penerapan.JENIS), format_func=penerapan.JENIS.get, horizontal=True
    )
    kode = st.selectbox(
        "Wilayah", list(region_names), format_func=region_names.get, key="unggah_wilayah"
    )
    nomor = st.text_input("Nomor SK / Perkada", key="unggah_nomor")
    tanggal = st.date_input(
        "Tanggal penetapan", value=None, format="DD/MM/YYYY", key="unggah_tanggal"
    )
    berkas = st.file_uploader(f"Berkas dokumen ({JENIS_BERKAS_TEKS})", key="unggah_berkas")
    if st.form_submit_button("Unggah dokumen", type="primary"):
        if berkas is None:
            st.error("Pilih berkas dokumen terlebih dahulu.")
        else:
            actions.act(
                lambda: data_dokumen.unggah(
                    jenis=jenis,
                    kode_wilayah=kode,
                    tahun=tahun,
                    nomor=nomor,
                    tanggal=tanggal,
                    nama_berkas=berkas.name,
                    content=berkas.getvalue(),
                ),
                f"{penerapan.JENIS[jenis]} {region_names[kode]} {tahun} tersimpan dan diajukan "
                "untuk diperiksa.",
                DONE,
            )

st.subheader(f"Data dukung tahapan {tahun}")
files = data_dokumen.tahapan_berkas(tahun)
if files.empty:
    st.info(f"Belum ada data dukung tahapan untuk tahun {tahun}.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Wilayah": files["nama_wilayah"],
                "Layanan": files["kode_layanan"] + " " + files["nama_layanan"],
                "Tahap": files["nama_tahap"],
                "Berkas": files["nama_berkas"],
                "Diunggah": [
                    f"{who}, {fmt.waktu(when)}"
                    for who, when in zip(
                        files["diunggah_oleh"], files["diunggah_pada"], strict=True
                    )
                ],
            }
        ),
        hide_index=True,
    )
layanan = data_dokumen.layanan_kabkota()
layanan_names = dict(zip(layanan["kode"], layanan["kode"] + " " + layanan["nama"], strict=True))
kab_names = {k: v for k, v in region_names.items() if "." in k}
with st.form("tahapan_unggah"):
    st.markdown("**Unggah data dukung tahapan**")
    kode_t = st.selectbox(
        "Wilayah", list(kab_names), format_func=kab_names.get, key="tahapan_wilayah"
    )
    kode_layanan = st.selectbox(
        "Layanan", list(layanan_names), format_func=layanan_names.get, key="tahapan_layanan"
    )
    tahap = st.selectbox(
        "Tahap", list(tahapan.TAHAPAN), format_func=tahapan.TAHAPAN.get, key="tahapan_tahap"
    )
    berkas_t = st.file_uploader(f"Berkas ({JENIS_BERKAS_TEKS})", key="tahapan_berkas")
    if st.form_submit_button("Unggah data dukung"):
        if berkas_t is None:
            st.error("Pilih berkas data dukung terlebih dahulu.")
        else:
            actions.act(
                lambda: data_dokumen.unggah_tahapan(
                    kode_wilayah=kode_t,
                    tahun=tahun,
                    kode_layanan=kode_layanan,
                    tahap=tahap,
                    nama_berkas=berkas_t.name,
                    content=berkas_t.getvalue(),
                ),
                f"Data dukung {tahapan.TAHAPAN[tahap]} {kode_layanan} tersimpan.",
                DONE,
            )
