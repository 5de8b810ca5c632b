"""Standar Pelayanan: the registry of services per unit (seed 002's 14 components), one
service's standard as users must be able to read it with its maklumat and a printable
version, and, when the tracker holds the service's procedure, its measured cycle time
against the jangka waktu. The Biro loads standards from a structured file."""

import datetime as dt
import re

import pandas as pd
import streamlit as st

from dashboard.components import guard
from dashboard.data import actor as current_actor
from dashboard.data import ingest as data_ingest
from dashboard.data import pelayanan as data_pel
from pipelines.core import fmt
from pipelines.pelayanan.standar_cetak import measured_text
from pipelines.pelayanan.standar_komponen import COMPONENTS, MAKLUMAT_BAKU, PENGELOLAAN, PENYAMPAIAN

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$])")


def plain(text: object) -> str:
    """User text shown as itself: markdown characters escaped, line breaks kept."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or text == "":
        return "_(tidak diisi)_"
    return "  \n".join(_MARKDOWN.sub(r"\\\1", line) for line in str(text).split("\n"))


st.title("Standar Pelayanan")
actor = current_actor()
today = dt.date.today()
registry = data_pel.standar_list()

if actor.is_privileged:
    with st.expander("Muat standar pelayanan dari berkas"):
        st.caption(
            "CSV atau XLSX, satu baris per layanan: kode_unit, nama_unit (untuk unit baru), "
            "kode_layanan, nama_layanan, 14 komponen (persyaratan ... evaluasi_kinerja), "
            "boleh juga jangka_waktu_nilai, jangka_waktu_satuan, kode_sop, maklumat. Semua "
            "baris disimpan sekaligus, atau tidak sama sekali bila ada galat."
        )
        upload = st.file_uploader("Berkas standar", type=["csv", "xlsx"], key="standar_berkas")
        if upload is not None and st.button("Periksa dan muat", key="standar_muat"):
            result = data_pel.load_standar(upload.name, upload.getvalue())
            (st.success if result.accepted else st.error)(result.summary())
            if result.problems:
                st.dataframe(data_ingest.problems_frame(result), hide_index=True)

guard.stop_if_empty(
    registry, "Belum ada standar pelayanan; muat berkas standar atau jalankan 'spm standar load'."
)
unit_names = dict(zip(registry["kode_unit"], registry["nama_unit"], strict=False))
c1, c2 = st.columns(2)
kode_unit = c1.selectbox(
    "Unit layanan", list(unit_names), format_func=lambda k: unit_names[k] or k, key="standar_unit"
)
services = registry[registry["kode_unit"] == kode_unit]
names = dict(zip(services["kode_layanan"], services["nama_layanan"], strict=True))
kode_layanan = c2.selectbox(
    "Jenis layanan", list(names), format_func=lambda k: names[k], key="standar_layanan"
)
std, measured, page = data_pel.standar_page(kode_layanan, today)

st.header(std["nama_layanan"])
st.caption(
    f"{std['nama_unit']} · kode {std['kode_layanan']}"
    + (f" · {std['penetapan']}" if isinstance(std.get("penetapan"), str) else "")
)
st.download_button(
    "Unduh versi cetak (HTML, A4)",
    page.encode("utf-8"),
    file_name=f"standar-pelayanan_{kode_layanan}.html",
    mime="text/html",
    key="standar_cetak",
    icon=":material/print:",
    help="Buka berkas ini di peramban lalu cetak (Ctrl+P); tata letaknya A4.",
)

number = {key: i for i, (key, _, _) in enumerate(COMPONENTS, start=1)}
for group in (PENYAMPAIAN, PENGELOLAAN):
    st.subheader(group)
    for key, label, g in COMPONENTS:
        if g != group:
            continue
        left, right = st.columns([1, 3])
        left.markdown(f"**{number[key]}. {label}**")
        right.markdown(plain(std.get(key)))

st.subheader("Maklumat Pelayanan")
st.info(f"“{std.get('maklumat') or MAKLUMAT_BAKU}”")
if isinstance(std.get("penanda_tangan"), str):
    st.caption(std["penanda_tangan"].upper())

if measured is not None:
    st.subheader("Waktu siklus terukur dibanding jangka waktu")
    cycles = measured["siklus"]
    if measured["nilai"] is not None:
        st.metric("Jangka waktu standar", f"{measured['nilai']} {measured['satuan']}")
    for sentence in measured_text(measured):
        st.write(sentence)
    if len(cycles):
        st.dataframe(
            pd.DataFrame(
                {
                    "Wilayah": cycles["kode_wilayah"],
                    "Tahun siklus": cycles["tahun"],
                    "Mulai": cycles["mulai"].map(fmt.tanggal),
                    "Selesai": cycles["selesai"].map(fmt.tanggal),
                    "Hari kalender": cycles["hari_kalender"].map(fmt.angka),
                    "Hari kerja": cycles["hari_kerja"].map(fmt.angka),
                    "Dalam jangka waktu": cycles["dalam_jangka_waktu"].map(
                        {True: "ya", False: "tidak", None: "–"}
                    ),
                    "Batas waktu": cycles["batas_waktu"].map(fmt.tanggal),
                }
            ),
            hide_index=True,
        )
    st.caption(
        "Waktu siklus: dari mulai langkah pertama sampai selesai langkah terakhir, dari "
        f"pelacak SOP (prosedur {measured['kode_sop']})."
    )
