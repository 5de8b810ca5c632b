"""Unggah Data: download a template, upload files, read the summary, then save."""

import hashlib

import streamlit as st

from dashboard import data
from dashboard.components import guard
from dashboard.components.template_download import template_download
from dashboard.data import ingest as data_ingest
from pipelines.auth import access
from pipelines.core import fmt, forms
from pipelines.ingest import templates

MAX_SHOWN = 200  # problems listed on the page; the error report lists every one

st.title("Unggah Data")
actor = data.actor()
st.caption(
    f"Anda bertindak sebagai {actor.username} ({access.ROLE_LABELS.get(actor.role, actor.role)})."
)

choices = data_ingest.template_choices()

# -- 1. template --------------------------------------------------------------------------
st.subheader("1. Unduh templat")
allowed_forms = list(access.forms_for(actor))
c1, c2, c3, c4 = st.columns([2, 3, 1, 1])
form = c1.selectbox(
    "Formulir", allowed_forms, format_func=lambda f: forms.FORM_LABELS[f], key="tpl_form"
)
if form == "spm-provinsi":
    regions = {choices.provinsi: choices.provinsi_nama}
else:
    regions = dict(zip(choices.kabkota["kode"], choices.kabkota["nama"], strict=True))
    if form == "lppd-ikk":
        regions = {choices.provinsi: choices.provinsi_nama, **regions}
if actor.role == "pengunggah_kabkota" and actor.kode_wilayah:
    regions = {k: v for k, v in regions.items() if k == actor.kode_wilayah}
guard.stop_if_empty(not regions, "Tidak ada wilayah yang dapat Anda pilih untuk formulir ini.")
region = c2.selectbox(
    "Wilayah", list(regions), format_func=lambda k: f"{k} — {regions[k]}", key="tpl_region"
)
# the period being filled now: the one just ended while still open, else the current one
default_year, default_quarter = data_ingest.periode_isian(form)
year = c3.number_input(
    "Tahun", min_value=2000, max_value=2100, value=default_year, step=1, key="tpl_year"
)
quarter = None
if form != "lppd-ikk":
    quarter = c4.selectbox("Triwulan", [1, 2, 3, 4], index=(default_quarter or 4) - 1, key="tpl_tw")
opd = None
if form == "spm-provinsi":
    opd_choices = dict(zip(choices.opd["kode"], choices.opd["nama"], strict=True))
    if actor.role == "pengunggah_opd" and actor.kode_opd:
        opd_choices = {k: v for k, v in opd_choices.items() if k == actor.kode_opd}
        opd = st.selectbox(
            "Perangkat daerah", list(opd_choices), format_func=opd_choices.get, key="tpl_opd"
        )
    else:
        options = [""] + list(opd_choices)
        opd = (
            st.selectbox(
                "Perangkat daerah",
                options,
                format_func=lambda k: "Semua layanan SPM provinsi" if not k else opd_choices[k],
                key="tpl_opd",
            )
            or None
        )

spec = templates.TemplateSpec(form, region, int(year), quarter, opd)
template_download(spec, key="tpl")

# Whether this period can be sent now: told before a file is chosen (deadline, exception,
# lock), by the same rules the check of a file applies.
state = data_ingest.status_unggah(form, region, int(year), quarter, opd)
periode_dipilih = f"{forms.FORM_LABELS[form]} {regions[region]} " + (
    f"{fmt.triwulan(quarter)} {int(year)}" if quarter else f"tahun {int(year)}"
)
show = st.info if state.boleh and not state.terlambat else st.warning
show(f"{periode_dipilih} — {state.kalimat()}", icon=":material/event:")

# -- 2. upload and check -------------------------------------------------------------------
st.subheader("2. Unggah berkas")
st.caption(
    "Berkas .xlsx (templat atau susunan sendiri) atau .csv; boleh beberapa berkas sekaligus. "
    "Berkas diperiksa dahulu; belum ada yang disimpan sampai Anda menekan Simpan."
)
uploaded = st.file_uploader(
    "Pilih berkas",
    type=["xlsx", "csv", "xls", "xlsm"],
    accept_multiple_files=True,
    key="upload_files",
)
guard.stop_if_empty(not uploaded, "Belum ada berkas yang dipilih.")

files = [(f.name, f.getvalue()) for f in uploaded]
batch_key = hashlib.sha256(
    b"".join(hashlib.sha256(d).digest() + n.encode() for n, d in files)
).hexdigest()
if st.session_state.get("upload_key") != batch_key:
    bar = st.progress(0.0, text="Memeriksa berkas...")

    def show_check(i: int, n: int, name: str) -> None:
        bar.progress(i / n if n else 1.0, text=f"Memeriksa {name} ({i + 1}/{n})" if name else "")

    prepared = data_ingest.check_files(files, actor, show_check)
    bar.empty()
    st.session_state["upload_key"] = batch_key
    st.session_state["upload_prepared"] = prepared
    st.session_state["upload_saved"] = None
prepared = st.session_state["upload_prepared"]
saved = st.session_state.get("upload_saved")
results = saved if saved is not None else [p.result for p in prepared]

st.subheader("Ringkasan impor")
# A table, not a grid: it wraps long file names so its last columns are never cut off.
st.table(data_ingest.summary_frame(results).set_index("Berkas"))
accepted = [p for p in prepared if p.result.accepted]
refused = len(prepared) - len(accepted)
if refused:
    st.error(
        f"{refused} berkas ditolak dan tidak akan disimpan. Unduh laporan galat, perbaiki "
        "sel yang ditandai merah, lalu unggah kembali."
    )

for item, result in zip(prepared, results, strict=True):
    if not result.problems:
        continue
    label = f"{result.file_name}: {len(result.errors)} galat, {len(result.warnings)} peringatan"
    with st.expander(label, expanded=not result.accepted):
        # A table that wraps its messages (a grid would cut them off at the column's edge).
        problems = data_ingest.problems_frame(result)
        st.table(problems.head(MAX_SHOWN).set_index("Tingkat"))
        if len(problems) > MAX_SHOWN:
            st.caption(
                f"{len(problems) - MAX_SHOWN} masalah lain ada di laporan galat (lembar "
                "Daftar Masalah)."
            )
        st.download_button(
            "Unduh laporan galat (.xlsx)",
            data_ingest.error_report_bytes(item),
            file_name=data_ingest.report_name(result.file_name),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"report_{batch_key}_{result.file_name}",
        )

# -- 3. save -----------------------------------------------------------------------------
if saved is not None:
    stored = [r for r in saved if r.committed]
    unchanged = [r for r in saved if r.accepted and r.unchanged]
    st.success(
        f"{len(stored)} berkas tersimpan"
        + (f", {len(unchanged)} tanpa perubahan" if unchanged else "")
        + ". Unggah berkas lain bila perlu."
    )
    for r in saved:
        if r.accepted and r.committed and r.late:
            st.warning(f"{r.file_name} tercatat terlambat (melewati batas waktu pengisian).")
    st.stop()

to_save = [p for p in accepted if not p.result.unchanged]
if not accepted:
    st.stop()
guard.stop_if_empty(
    not to_save,
    "Semua berkas yang dapat diterima tidak membawa perubahan; tidak ada yang perlu disimpan.",
)
if st.button(f"Simpan {len(to_save)} berkas", type="primary", key=f"save_{batch_key}"):
    bar = st.progress(0.0, text="Menyimpan...")

    def show_save(i: int, n: int, name: str) -> None:
        bar.progress(i / n if n else 1.0, text=f"Menyimpan {name}..." if name else "")

    st.session_state["upload_saved"] = data_ingest.save(prepared, actor, show_save)
    bar.empty()
    st.rerun()
