"""Kelengkapan: completeness and timeliness of reporting per region, OPD and period."""

import streamlit as st

from dashboard import charts
from dashboard import data_dashboards as dd
from dashboard import widgets_dashboards as w
from dashboard.data import db_path, show_error_and_stop
from pipelines.core import fmt
from pipelines.core.forms import FORM_LABELS
from pipelines.errors import SpmError

SEMUA_TRIWULAN = 0

st.title("Kelengkapan dan ketepatan waktu pelaporan")
path = db_path()
try:
    pil = dd.pilihan(path)
except SpmError as exc:
    show_error_and_stop(exc)
tahun_ada = sorted(set(pil.tahun) | set(pil.tahun_lppd), reverse=True)
if not tahun_ada:
    st.info("Belum ada data yang dikirim. Unggah template atau jalankan 'spm demo'.")
    st.stop()

c1, c2, c3 = st.columns(3)
tahun = int(w.pilih("tahun", "Tahun", tahun_ada, tahun_ada[0], container=c1))
quarters = pil.triwulan(tahun) if tahun in pil.tahun else []
triwulan = w.pilih(
    "triwulan_kelengkapan",
    "Triwulan",
    [SEMUA_TRIWULAN, 1, 2, 3, 4],
    quarters[-1] if quarters else SEMUA_TRIWULAN,
    lambda q: "Semua triwulan" if q == SEMUA_TRIWULAN else fmt.triwulan(q),
    container=c2,
)
form = w.pilih(
    "form_kelengkapan",
    "Formulir",
    ["semua", *FORM_LABELS],
    "semua",
    lambda f: "Semua formulir" if f == "semua" else FORM_LABELS[f],
    container=c3,
)
tw = None if triwulan == SEMUA_TRIWULAN else int(triwulan)
form_arg = None if form == "semua" else form
periode = f"{fmt.triwulan(tw) if tw else 'semua triwulan'} {tahun}"

try:
    per_form = dd.kelengkapan_ringkas(path, tahun, tw, form_arg, per="form")
    per_wilayah = dd.kelengkapan_ringkas(path, tahun, tw, form_arg, per="wilayah")
    per_opd = dd.kelengkapan_ringkas(path, tahun, tw, form_arg, per="opd")
    rinci = dd.kelengkapan_rinci(path, tahun, tw, form_arg)
except SpmError as exc:
    show_error_and_stop(exc)

if per_form.empty:
    st.info(
        f"Belum ada laporan yang ditunggu untuk {periode}: masa pelaporannya belum berakhir "
        "atau formulir ini tidak berlaku untuk periode itu (LPPD hanya tahunan)."
    )
    st.stop()

st.subheader(f"Ringkasan — {periode}")
cols = st.columns(len(per_form))
for col, row in zip(cols, per_form.itertuples(), strict=True):
    col.metric(
        FORM_LABELS.get(row.form, row.form),
        fmt.persen(row.persen_diterima, 1),
        help="Persen laporan yang diharapkan yang sudah diterima",
    )
    col.caption(
        f"{fmt.angka(row.diterima)} dari {fmt.angka(row.diharapkan)} diterima · "
        f"{fmt.angka(row.tepat_waktu)} tepat waktu ({fmt.persen(row.persen_tepat_waktu, 1)}) · "
        f"{fmt.angka(row.terlambat)} terlambat · {fmt.angka(row.belum)} belum"
    )
w.catatan(
    "Diharapkan = setiap kabupaten/kota (SPM kab/kota), setiap perangkat daerah pengampu "
    "layanan provinsi (SPM provinsi) per triwulan, dan provinsi serta kabupaten/kota (LPPD) "
    "per tahun, untuk periode yang sudah berakhir; tepat waktu = unggahan pertama paling "
    "lambat batas waktu (termasuk perpanjangan)."
)
w.unduhan(w.nama_berkas("kelengkapan-ringkas", tahun, f"tw{tw or 'semua'}"), per_form)


st.subheader("Per wilayah")
if per_wilayah.empty:
    st.info("Tidak ada laporan wilayah yang ditunggu untuk pilihan ini.")
else:
    w.grafik(
        w.nama_berkas("kelengkapan-wilayah", tahun, f"tw{tw or 'semua'}"),
        dd.kelengkapan_per_unit(per_wilayah, "nama_wilayah"),
        charts.kelengkapan_batang,
        note="Jumlah laporan per wilayah (semua formulir terpilih): tepat waktu, terlambat, "
        "dan belum dikirim.",
    )

if not per_opd.empty:
    st.subheader("Per perangkat daerah provinsi")
    w.grafik(
        w.nama_berkas("kelengkapan-opd", tahun, f"tw{tw or 'semua'}"),
        dd.kelengkapan_per_unit(per_opd, "nama_opd"),
        charts.kelengkapan_batang,
        note="Laporan SPM provinsi per perangkat daerah pengampu layanan.",
    )

st.subheader("Rincian laporan")
table = dd.tabel_kelengkapan(rinci)
st.dataframe(table, hide_index=True, width="stretch")
w.unduhan(w.nama_berkas("kelengkapan-rinci", tahun, f"tw{tw or 'semua'}"), rinci)
