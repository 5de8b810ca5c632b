"""Survei Kepuasan (SKM): the Indeks Kepuasan Masyarakat per unit (PermenPAN-RB 14/2017),
the weakest unsur of each unit (what to improve), the units without a survey this year;
the answer template and the checked upload for the units a person acts for; adding a
unit (administrator)."""

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from dashboard.charts import pelayanan as charts
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.data import actor as current_actor
from dashboard.data import ingest as data_ingest
from dashboard.data import pelayanan as data_pel
from pipelines.core import fmt
from pipelines.pelayanan import skm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.title("Survei Kepuasan Masyarakat (SKM)")
actor = current_actor()
today = dt.date.today()
years = data_pel.skm_years()
choices = sorted(set(years) | {today.year})
tahun = st.selectbox("Tahun survei", choices, index=choices.index(today.year), key="skm_tahun")
results = data_pel.skm_results(int(tahun))
missing = data_pel.skm_missing(int(tahun))

m = st.columns(4)
m[0].metric("Unit yang sudah survei", fmt.angka(len(results)))
m[1].metric("Unit belum survei", fmt.angka(len(missing)))
m[2].metric(
    "IKM tertinggi",
    fmt.angka(results["ikm"].max(), 2) if results["ikm"].notna().any() else "–",
)
m[3].metric(
    "IKM terendah",
    fmt.angka(results["ikm"].min(), 2) if results["ikm"].notna().any() else "–",
)

st.subheader(f"IKM per unit layanan {tahun}")
if results.empty:
    st.info(f"Belum ada hasil SKM tahun {tahun}.")
else:
    grafik(
        nama_berkas("ikm-unit", tahun),
        results[["kode_unit", "nama_unit", "jumlah_responden", "ikm", "mutu", "kinerja"]],
        charts.ikm_unit,
        note=(
            "IKM = jumlah NRR sembilan unsur × bobot (1/9) × 25; NRR = rata-rata jawaban 1-4 "
            "yang diisi. Mutu: A 88,31-100 Sangat Baik, B 76,61-88,30 Baik, C 65,00-76,60 "
            "Kurang Baik, D 25,00-64,99 Tidak Baik (pengaturan)."
        ),
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Unit": results["nama_unit"],
                "Responden": results["jumlah_responden"].map(fmt.angka),
                "IKM": results["ikm"].map(lambda v: fmt.angka(v, 2)),
                "Mutu": results["mutu"].fillna("–"),
                "Kinerja": results["kinerja"].fillna("–"),
                "Unsur terlemah (yang perlu diperbaiki)": [
                    f"U{int(n)} {name} ({fmt.angka(v, 2)})" if pd.notna(n) else "–"
                    for n, name, v in zip(
                        results["unsur_terlemah"],
                        results["nama_unsur_terlemah"],
                        results["nrr_terlemah"],
                        strict=True,
                    )
                ],
            }
        ),
        hide_index=True,
    )
    pick = dict(zip(results["kode_unit"], results["nama_unit"], strict=True))
    kode = st.selectbox("Rincian unsur unit", list(pick), format_func=pick.get, key="skm_unit")
    unsur = data_pel.skm_unsur(int(tahun))
    own = unsur[unsur["kode_unit"] == kode].assign(
        unsur=lambda f: [f"U{n} {skm.NAMA_UNSUR[n]}" for n in f["nomor_unsur"]]
    )
    grafik(
        nama_berkas("nrr-unsur", kode, tahun),
        own[["unsur", "nrr"]],
        charts.nrr_unsur,
        note="Nilai rata-rata per unsur (1-4); batang merah: unsur terlemah, yang perlu diperbaiki.",
    )

st.subheader(f"Unit yang belum survei tahun {tahun}")
if missing.empty:
    st.write("Semua unit layanan sudah punya hasil SKM tahun ini.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Kode": missing["kode"],
                "Unit": missing["nama"],
                "Survei terakhir": missing["survei_terakhir"].map(
                    lambda v: "belum pernah" if pd.isna(v) else str(int(v))
                ),
            }
        ),
        hide_index=True,
    )
    st.caption("Setiap unit penyelenggara wajib melaksanakan SKM paling kurang sekali setahun.")

# -- upload -------------------------------------------------------------------------------
handled = data_pel.handled_units()
if len(handled):
    st.subheader("Unggah hasil SKM")
    names = dict(zip(handled["kode"], handled["nama"], strict=True))
    c1, c2 = st.columns([3, 1])
    unit_kode = c1.selectbox("Unit", list(names), format_func=names.get, key="skm_tpl_unit")
    tpl_year = c2.number_input("Tahun", 2000, 2100, int(tahun), step=1, key="skm_tpl_tahun")
    st.download_button(
        "Unduh templat jawaban SKM",
        data=lambda: data_pel.skm_template(unit_kode, int(tpl_year), actor),
        file_name=skm.template_name(unit_kode, int(tpl_year)),
        mime=XLSX,
        on_click="ignore",
        key="skm_tpl",
        icon=":material/download:",
    )
    upload = st.file_uploader(
        "Berkas jawaban SKM (.xlsx atau .csv: kode_unit, tanggal, u1 ... u9)",
        type=["xlsx", "csv"],
        key="skm_berkas",
    )
    if upload is not None:
        content = upload.getvalue()
        key = hashlib.sha256(content + upload.name.encode()).hexdigest()
        if st.session_state.get("skm_key") != key:
            st.session_state["skm_key"] = key
            st.session_state["skm_prepared"] = data_pel.check_skm(upload.name, content, actor)
            st.session_state["skm_saved"] = None
        prepared = st.session_state["skm_prepared"]
        saved = st.session_state.get("skm_saved")
        result = saved or prepared.result
        (st.success if result.accepted else st.error)(result.summary())
        if result.problems:
            st.dataframe(data_ingest.problems_frame(result), hide_index=True)
        if not result.accepted:
            st.download_button(
                "Unduh laporan galat (.xlsx)",
                data_pel.skm_error_report(prepared),
                file_name=f"{upload.name.rsplit('.', 1)[0]}_laporan_galat.xlsx",
                mime=XLSX,
                key=f"skm_galat_{key}",
            )
        elif (
            saved is None
            and not result.unchanged
            and st.button("Simpan jawaban SKM", type="primary", key=f"skm_simpan_{key}")
        ):
            st.session_state["skm_saved"] = data_pel.save_skm(prepared, actor)
            st.rerun()

if actor.role == "admin":
    with st.expander("Tambah unit layanan"), st.form("unit_form", clear_on_submit=True):
        c1, c2, c3 = st.columns([1, 3, 1])
        kode = c1.text_input("Kode", placeholder="bagpem-19.01")
        nama = c2.text_input("Nama unit")
        wilayah = c3.text_input("Wilayah", placeholder="19.01")
        if st.form_submit_button("Tambah unit"):
            added = data_pel.add_unit(kode, nama, wilayah or None)
            st.success(f"Unit {added['kode']} ({added['nama']}) ditambahkan.")
