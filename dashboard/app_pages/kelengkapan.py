"""Kelengkapan: completeness and timeliness of reporting per region, OPD and period."""

import streamlit as st

from dashboard.charts import kelengkapan as charts
from dashboard.components import filters, guard
from dashboard.components.chart_panel import catatan, grafik, nama_berkas, unduhan
from dashboard.data import capaian as data_capaian
from dashboard.data import kelengkapan as data_kelengkapan
from pipelines.core import fmt
from pipelines.core.forms import FORM_LABELS

SEMUA_TRIWULAN = 0

st.title("Kelengkapan dan ketepatan waktu pelaporan")
pil = data_capaian.pilihan()
tahun_ada = sorted(set(pil.tahun) | set(pil.tahun_lppd), reverse=True)
guard.stop_if_empty(
    not tahun_ada, "Belum ada data yang dikirim. Unggah template atau jalankan 'spm demo'."
)

c1, c2, c3 = st.columns(3)
tahun = int(filters.pilih("tahun", "Tahun", tahun_ada, tahun_ada[0], container=c1))
quarters = pil.triwulan(tahun) if tahun in pil.tahun else []
triwulan = filters.pilih(
    "triwulan_kelengkapan",
    "Triwulan",
    [SEMUA_TRIWULAN, 1, 2, 3, 4],
    quarters[-1] if quarters else SEMUA_TRIWULAN,
    lambda q: "Semua triwulan" if q == SEMUA_TRIWULAN else fmt.triwulan(q),
    container=c2,
)
form = filters.pilih(
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
berkas = f"tw{tw or 'semua'}"

per_form = data_kelengkapan.ringkasan(tahun, tw, form_arg, per="form")
per_wilayah = data_kelengkapan.ringkasan(tahun, tw, form_arg, per="wilayah")
per_opd = data_kelengkapan.ringkasan(tahun, tw, form_arg, per="opd")
rinci = data_kelengkapan.rinci(tahun, tw, form_arg)

guard.stop_if_empty(
    per_form,
    f"Belum ada laporan yang ditunggu untuk {periode}: masa pelaporannya belum berakhir "
    "atau formulir ini tidak berlaku untuk periode itu (LPPD hanya tahunan).",
)

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
        f"{fmt.angka(row.terlambat_perpanjangan)} terlambat dengan perpanjangan · "
        f"{fmt.angka(row.terlambat)} terlambat · {fmt.angka(row.belum)} belum"
    )
catatan(
    "Diharapkan = setiap kabupaten/kota (SPM kab/kota), setiap perangkat daerah pengampu "
    "layanan provinsi (SPM provinsi) per triwulan, dan provinsi serta kabupaten/kota (LPPD) "
    "per tahun, untuk periode yang sudah berakhir; tepat waktu = unggahan pertama paling "
    "lambat batas waktu resmi. Perpanjangan dari administrator membolehkan unggahan "
    "sesudahnya, tetapi unggahan itu tetap terlambat (dihitung terpisah)."
)
unduhan(nama_berkas("kelengkapan-ringkas", tahun, berkas), per_form)


per_region = data_kelengkapan.per_unit(per_wilayah, "nama_wilayah")
if not (per_region.empty and not per_opd.empty):  # an OPD's reports are counted per OPD
    st.subheader("Per wilayah")
    grafik(
        nama_berkas("kelengkapan-wilayah", tahun, berkas),
        per_region,
        charts.kelengkapan_batang,
        note="Jumlah laporan per wilayah (formulir terpilih; SPM provinsi dihitung per "
        "perangkat daerah pada grafik berikutnya): tepat waktu, terlambat dengan perpanjangan, "
        "terlambat, dan belum dikirim.",
        kosong="Tidak ada laporan wilayah yang ditunggu untuk pilihan ini.",
    )

if not per_opd.empty:
    st.subheader("Per perangkat daerah provinsi")
    grafik(
        nama_berkas("kelengkapan-opd", tahun, berkas),
        data_kelengkapan.per_unit(per_opd, "nama_opd"),
        charts.kelengkapan_batang,
        note="Laporan SPM provinsi per perangkat daerah pengampu layanan.",
    )

st.subheader("Rincian laporan")
st.dataframe(
    data_kelengkapan.tabel(rinci),
    hide_index=True,
    width="stretch",
    # Wide enough for "terlambat, dengan perpanjangan s.d. 10 November 2025".
    column_config={"Status": st.column_config.TextColumn(width=330)},
)
unduhan(nama_berkas("kelengkapan-rinci", tahun, berkas), rinci)
