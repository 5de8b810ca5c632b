"""Wilayah saya: an uploader's periods, deadlines, review status and what was sent back."""

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components import guard
from dashboard.components.template_download import template_download
from dashboard.data import ingest as data_ingest
from dashboard.data import kelengkapan as data_kelengkapan
from dashboard.data import review as data_review
from pipelines.capaian import labels
from pipelines.core import fmt
from pipelines.core.forms import FORM_LABELS
from pipelines.ingest import templates
from pipelines.review import STATUS_LABELS

actor = guard.require_roles(auth.UPLOADERS)

st.title("Wilayah saya")

years, newest = data_kelengkapan.tahun_tersedia()
tahun = st.selectbox("Tahun", years, index=years.index(newest), key="wilayah_saya_tahun")

rows = data_kelengkapan.rinci(tahun, None)
guard.stop_if_empty(
    rows, f"Belum ada periode {tahun} yang jendela pengisiannya sudah dibuka untuk akun ini."
)

first = rows.iloc[0]
st.caption(
    first["nama_opd"] if actor.kode_opd else f"{first['nama_wilayah']} ({actor.kode_wilayah})"
)


def countdown(row: pd.Series) -> str:
    if row["status_kirim"] != "belum dikirim" and row["status"] != "dikembalikan":
        return "–"
    days = int(row["sisa_hari"])
    if days > 0:
        return f"{days} hari lagi"
    if days == 0:
        return "hari ini"
    return f"lewat {-days} hari"


def state(row: pd.Series):
    """Whether this period can be sent now (deadline, exception, lock), before any file."""
    return data_ingest.status_unggah(
        row["form"],
        row["kode_wilayah"],
        int(row["tahun"]),
        None if pd.isna(row["triwulan"]) else int(row["triwulan"]),
        row["kode_opd"],
    )


sent = (rows["status_kirim"] != "belum dikirim").sum()
returned = (rows["status"] == "dikembalikan").sum()
c1, c2, c3 = st.columns(3)
c1.metric("Periode diharapkan", fmt.angka(len(rows)))
c2.metric("Sudah dikirim", fmt.angka(sent))
c3.metric("Dikembalikan untuk diperbaiki", fmt.angka(returned))

st.subheader("Periode dan batas waktu")
table = pd.DataFrame(
    {
        "Formulir": rows["form"].map(FORM_LABELS),
        "Periode": ["Tahunan" if pd.isna(q) else fmt.triwulan(int(q)) for q in rows["triwulan"]],
        "Batas waktu": rows["batas_waktu"].map(fmt.tanggal),
        "Sisa waktu": rows.apply(countdown, axis=1),
        "Pengiriman": rows["keterangan_kirim"].map(fmt.kalimat),
        "Unggah sekarang": [state(r).singkat for _, r in rows.iterrows()],
        "Diunggah": rows["diunggah_pada"].map(lambda v: fmt.waktu(v) if pd.notna(v) else "–"),
        "Status pemeriksaan": rows["status"].map(lambda s: STATUS_LABELS.get(s, "–")),
        labels.KETERISIAN: rows["keterisian"].map(labels.keterisian_persen),
    }
)
st.table(table.set_index("Formulir"))

st.subheader("Yang dikembalikan dan alasannya")
back = rows[rows["status"] == "dikembalikan"]
if back.empty:
    st.write("Tidak ada pengiriman yang dikembalikan pada tahun ini.")
for row in back.itertuples():
    detail = data_review.rincian(int(row.submission_id))
    with st.container(border=True):
        st.markdown(f"**{detail['judul']}**")
        notes = detail["komentar"]
        notes = notes[notes["submission_id"] == row.submission_id]
        for note in notes.itertuples():
            where = "Seluruh berkas" if note.baris is None or pd.isna(note.baris) else note.baris
            st.markdown(f"- *{where}*: {note.komentar} — {note.oleh}, {fmt.waktu(note.waktu)}")
        st.caption(
            "Perbaiki berkas lalu unggah kembali untuk periode yang sama; unggahan baru "
            "menggantikan pengiriman ini dan masuk lagi ke antrean pemeriksaan."
        )

st.subheader("Templat dan unggah")
st.write(
    "Unduh templat periode yang belum dikirim atau dikembalikan, isi, lalu unggah di halaman "
    "Unggah Data. Setelah batas waktu lewat, minta administrator memberi pengecualian "
    "batas waktu."
)
todo = rows[(rows["status_kirim"] == "belum dikirim") | (rows["status"] == "dikembalikan")]
choices = todo if not todo.empty else rows
options = list(range(len(choices)))


def period_label(i: int) -> str:
    row = choices.iloc[i]
    q = row["triwulan"]
    periode = "Tahunan" if pd.isna(q) else fmt.triwulan(int(q))
    return f"{FORM_LABELS[row['form']]} · {periode} {row['tahun']}"


c1, c2 = st.columns([3, 1])
pick = c1.selectbox("Periode", options, format_func=period_label, key="wilayah_saya_periode")
row = choices.iloc[pick]
spec = templates.TemplateSpec(
    row["form"],
    row["kode_wilayah"],
    int(row["tahun"]),
    None if pd.isna(row["triwulan"]) else int(row["triwulan"]),
    row["kode_opd"],
)
template_download(spec, key="wilayah_saya_tpl", where=c2)
chosen = state(row)
show = st.info if chosen.boleh and not chosen.terlambat else st.warning
show(f"{period_label(pick)} — {chosen.kalimat()}", icon=":material/event:")
st.page_link("app_pages/unggah.py", label="Buka halaman Unggah Data", icon=":material/upload_file:")
