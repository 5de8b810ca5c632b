"""Laporan: preview, generate (with progress), download, finalise and export for the Pusat.

A preview, a build, a file list, a finalisation or an export that fails is said in
place and the rest of the page stays usable.
"""

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components import angka_provinsi, guard
from dashboard.data import laporan as dl
from pipelines.core import fmt
from pipelines.errors import SpmError
from pipelines.laporan import records

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}


def angka(value, desimal: int = 0) -> str:
    return fmt.angka(None if pd.isna(value) else float(value), desimal)


guard.require_roles(auth.BIRO | {"pimpinan"})
can_write = dl.can_write()

st.title("Laporan SPM")
st.caption(
    "Draf Laporan Penerapan dan Pencapaian SPM, rekap per kabupaten/kota, BAB IV LPPD dan "
    "narasi; laporan final tidak dapat diubah dan dapat diekspor ke Pusat."
)

pilihan = dl.pilihan()
guard.stop_if_empty(
    not pilihan.tahun, "Belum ada data SPM; unggah data atau jalankan 'spm demo' terlebih dahulu."
)

c1, c2, c3 = st.columns([1, 1, 2])
tahun = c1.selectbox("Tahun", pilihan.tahun, key="laporan_tahun")
tw_label = c2.selectbox(
    "Triwulan",
    ["Terakhir yang ada datanya", "Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV"],
    key="laporan_triwulan",
)
triwulan = (
    None
    if tw_label.startswith("Terakhir")
    else ["I", "II", "III", "IV"].index(tw_label.split()[-1]) + 1
)
labels = dict(zip(pilihan.wilayah["kode"], pilihan.wilayah["label"], strict=True))
region = c3.selectbox(
    "Wilayah",
    list(labels),
    format_func=lambda k: f"{labels[k]} ({k})",
    key="laporan_wilayah",
)

try:
    pv = dl.pratinjau(tahun, triwulan, region)
except SpmError as exc:
    st.info(str(exc))
    pv = None

if pv is not None:
    st.subheader(f"Pratinjau — {pv.periode}")
    if pv.provinsi_ip or pv.agregat:
        ip, ag = pv.provinsi_ip or {}, pv.agregat or {}
        angka_provinsi.baris_angka(
            angka_provinsi.tampilan(
                (ip.get("nilai"), ip.get("kategori")),
                (ag.get("nilai"), ag.get("kategori")),
                (ag.get("nilai_tertimbang"), ag.get("kategori_tertimbang")),
                pv.status,
                melapor=f"{ag['jumlah_melapor']} dari {ag['jumlah_kabkota']} kabupaten/kota melapor"
                if ag
                else None,
            ),
            pv.status,
        )
    elif pv.belum_diverifikasi:
        st.warning(
            "Angka belum final: data berikut belum diverifikasi: "
            + "; ".join(pv.belum_diverifikasi)
            + ".",
            icon=":material/warning:",
        )
    m1, m2 = st.columns(2)
    m1.metric("Kendala tercatat", fmt.angka(pv.jumlah_kendala))
    m2.metric("Baris IKK LPPD", fmt.angka(pv.jumlah_ikk))
    if not pv.provinsi.empty:
        st.markdown("**SPM kewenangan provinsi per urusan**")
        st.dataframe(
            pd.DataFrame(
                {
                    "Urusan": pv.provinsi["urusan"],
                    "Nilai": pv.provinsi["nilai"].map(lambda v: angka(v, 2)),
                    "Kategori": pv.provinsi["kategori"].fillna("–"),
                    f"Nilai {tahun - 1}": pv.provinsi["nilai_lalu"].map(lambda v: angka(v, 2)),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if not pv.kabkota.empty:
        st.markdown("**IP-SPM kabupaten/kota**")
        kab = pv.kabkota.sort_values(["peringkat", "kode"], na_position="last")
        st.dataframe(
            pd.DataFrame(
                {
                    "Peringkat": kab["peringkat"].map(lambda v: angka(v)),
                    "Kode": kab["kode"],
                    "Kabupaten/Kota": kab["nama"],
                    "IP-SPM": kab["nilai"].map(lambda v: angka(v, 2)),
                    "Kategori": [
                        k if m else "Belum melapor"
                        for k, m in zip(kab["kategori"], kab["melapor"], strict=True)
                    ],
                    f"IP-SPM {tahun - 1}": kab["nilai_lalu"].map(lambda v: angka(v, 2)),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.caption(f"{pv.label_versi_data}; pengaturan versi {pv.versi_setting}.")

    if not can_write:
        st.caption("Pimpinan dapat melihat dan mengunduh laporan; draf dibuat oleh Biro.")
    elif st.button("Buat draf laporan", type="primary", key="laporan_buat"):
        bar = st.progress(0.0, text="Memulai…")
        try:
            hasil = dl.buat(
                tahun, triwulan, region, lambda f, t: bar.progress(min(max(f, 0.0), 1.0), text=t)
            )
        except SpmError as exc:
            st.error(f"Laporan tidak dapat dibuat: {exc}")
        else:
            rec = hasil.laporan
            if hasil.baru:
                st.success(f"Draf tersimpan: {records.describe(rec)} (nomor {rec['id']}).")
            else:
                st.info(f"Isi sama dengan {records.describe(rec)}; tidak ada versi baru dibuat.")

st.subheader(f"Versi laporan tahun {tahun}")
versions = dl.daftar(tahun)
guard.stop_if_empty(
    versions,
    "Belum ada laporan untuk tahun ini; buat draf dengan tombol di atas."
    if can_write
    else "Belum ada laporan untuk tahun ini; draf dibuat oleh analis Biro Pemerintahan.",
)

for rec in versions.to_dict("records"):
    title = f"#{rec['id']} {records.describe(rec)}"
    # Keyed and tracked, so an action inside (export, finalise) leaves it open.
    with st.expander(title, key=f"laporan_buka_{rec['id']}", on_change="rerun"):
        st.markdown(
            f"Dibuat {fmt.waktu(rec['dibuat_pada'])} oleh {rec['dibuat_oleh']}. "
            f"{records.label_versi_data(rec)}; pengaturan versi {rec['versi_setting']}."
        )
        if rec["status"] == "final":
            st.markdown(
                f"Final sejak {fmt.waktu(rec['difinalkan_pada'])} oleh {rec['difinalkan_oleh']}; "
                f"diekspor {rec['jumlah_ekspor']} kali."
            )
            notes = records.catatan_final(rec)
            if notes:
                st.warning(" ".join(notes), icon=":material/warning:")
        try:
            stored = dl.berkas(int(rec["id"]))
        except SpmError as exc:
            st.error(f"Berkas laporan tidak dapat dibaca: {exc}")
            continue
        row = st.container(horizontal=True)
        for f in stored:
            row.download_button(
                f.judul,
                data=f.isi,
                file_name=f.nama_berkas,
                mime=MIME.get(f.jenis_berkas, "application/octet-stream"),
                key=f"unduh_{rec['id']}_{f.nama_berkas}",
                on_click="ignore",  # a download never reruns the page (the list stays open)
                icon=":material/download:",
            )
        if dl.pdf_tersedia():
            row = st.container(horizontal=True)
            for f in dl.pdf_sumber(stored):
                row.download_button(
                    f"PDF {f.judul}",
                    data=lambda f=f, rec=rec: dl.pdf_dari(f, rec),
                    file_name=f.nama_berkas.rsplit(".", 1)[0] + ".pdf",
                    mime="application/pdf",
                    key=f"pdf_{rec['id']}_{f.nama_berkas}",
                    on_click="ignore",
                    icon=":material/picture_as_pdf:",
                    help="Dibuat dari berkas di atas dengan LibreOffice saat diunduh.",
                )
        else:
            st.caption(dl.PDF_TIDAK_TERSEDIA)
        if not can_write:
            continue
        if rec["status"] == "draf":
            belum = dl.belum_diverifikasi(int(rec["id"]))
            paksa = False
            if belum:
                st.warning(
                    "Data berikut di balik angka laporan ini belum diverifikasi: "
                    + "; ".join(belum)
                    + ". Verifikasi di halaman Pemeriksaan lalu buat draf baru, atau finalkan "
                    "dengan tanda di bawah (daftar ini dicatat di laporan dan manifest).",
                    icon=":material/warning:",
                )
                paksa = st.checkbox(
                    "Finalkan walaupun ada data yang belum diverifikasi",
                    key=f"paksa_{rec['id']}",
                )
            if st.button("Finalkan", key=f"finalkan_{rec['id']}"):
                try:
                    done = dl.finalkan(int(rec["id"]), paksa=paksa)
                except SpmError as exc:
                    st.error(f"Laporan tidak dapat difinalkan: {exc}")
                else:
                    st.success(f"{records.describe(done)}.")
                    st.rerun()
        else:
            key = f"ekspor_{rec['id']}"
            if st.button("Siapkan paket ekspor untuk Pusat", key=f"siapkan_{rec['id']}"):
                try:
                    st.session_state[key] = dl.ekspor(int(rec["id"]))
                except SpmError as exc:
                    st.error(f"Paket ekspor tidak dapat dibuat: {exc}")
            if key in st.session_state:
                name, content = st.session_state[key]
                st.download_button(
                    "Unduh paket ekspor (ZIP)",
                    data=content,
                    file_name=name,
                    mime="application/zip",
                    key=f"unduh_zip_{rec['id']}",
                    on_click="ignore",
                )
