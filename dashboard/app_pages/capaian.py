"""Capaian (analysts): target against realisation, progress by triwulan, drill-down from
the province to a region, a service and the submission behind it."""

import streamlit as st

from dashboard.charts import common, spm
from dashboard.components import angka_provinsi, filters, guard, tables
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.components.explain import show_explanation
from dashboard.data import capaian as data_capaian
from pipelines.capaian import labels
from pipelines.capaian.dashboards import AGREGAT
from pipelines.capaian.labels import IP_SPM_PEMPROV
from pipelines.capaian.status_data import VERIFIED
from pipelines.core import fmt

st.title("Capaian SPM per wilayah dan layanan")
pil = filters.pilihan_spm()

f1, f2 = st.columns(2)
tahun, triwulan = filters.filter_periode(pil, container=f1)
g1, g2 = f2.columns(2)
wilayah = filters.filter_wilayah(pil, container=g1)
urusan = filters.filter_urusan(pil, container=g2)
periode = filters.periode(tahun, triwulan)
kategori = common.kategori_urut(pil.kategori)
label = filters.label_wilayah(pil)

if wilayah == AGREGAT:
    # Level 1: the province — its figures under their own names, then every
    # kabupaten/kota's IP-SPM (the province is never ranked among them).
    st.subheader(f"{pil.nama_provinsi} — {periode}")
    prov = data_capaian.ip_spm_provinsi(tahun, triwulan)
    status = data_capaian.status_periode(tahun, triwulan)
    angka_provinsi.angka_ringkasan(prov, status)
    st.subheader(f"IP-SPM kabupaten/kota — {periode}")
    grafik(
        nama_berkas("ipspm-kabkota", tahun, f"tw{triwulan}"),
        data_capaian.peringkat_wilayah(tahun, triwulan),
        spm.nilai_wilayah,
        kategori,
        note="IP-SPM kabupaten/kota = rata-rata nilai urusannya; 'belum diverifikasi' = angka "
        f"dapat berubah. Layanan kewenangan provinsi: pilih {labels.nama_pemprov(pil.nama_provinsi)} "
        "pada filter Wilayah.",
    )
    ranked = data_capaian.peringkat_wilayah(tahun, triwulan)
    st.markdown(f"**IP-SPM dan {labels.KETERISIAN.lower()} — {periode}**")
    st.dataframe(
        ranked.assign(
            ip=[fmt.angka(v, 2) for v in ranked["nilai"]],
            isi=ranked["keterisian"].map(labels.keterisian_persen),
        )[["nama_wilayah", "ip", "kategori", "isi"]]
        .rename(
            columns={
                "nama_wilayah": "Kabupaten/kota",
                "ip": "IP-SPM",
                "kategori": "Kategori",
                "isi": labels.KETERISIAN,
            }
        )
        .fillna("belum melapor"),
        hide_index=True,
    )
    st.caption(f"{labels.KETERISIAN} = {labels.KETERISIAN_RUMUS}.")
    st.info("Pilih satu wilayah pada filter **Wilayah** untuk melihat capaian per layanan.")
    st.stop()

# Level 2: one region — sasaran against terlayani per service.
layanan = data_capaian.capaian_layanan(tahun, triwulan, wilayah, urusan)
st.subheader(f"{label(wilayah)} — {periode}")
guard.stop_if_empty(layanan, f"{label(wilayah)} belum melaporkan data SPM untuk {periode}.")

# Services count different people (pupils, mothers, households...): their sasaran are
# never added up; the region is summed up by its IP-SPM and by counts of services.
ip = data_capaian.ip_spm_wilayah(tahun, triwulan, wilayah)  # None for an OPD: its services only
dinilai = layanan[layanan["nilai"].notna()]
c1, c0, c2, c3 = st.columns(4)
if ip is not None:
    c1.metric(
        IP_SPM_PEMPROV.nama if wilayah == pil.provinsi else "IP-SPM wilayah",
        fmt.angka(ip["nilai"], 2),
        help="Rata-rata nilai urusan wilayah ini pada periode terpilih (semua urusan).",
    )
    c1.markdown(f"**{ip['kategori'] or '–'}**")
    c0.metric(
        labels.KETERISIAN,
        fmt.persen(ip["keterisian"], 1),
        help=f"{labels.KETERISIAN} = {labels.KETERISIAN_RUMUS}.",
    )
    c0.caption(labels.keterisian_teks(ip))
else:  # an OPD account sees its own services: the province's IP-SPM is not theirs alone
    c1.metric(
        "Layanan dinilai",
        fmt.angka(len(dinilai)),
        help="Layanan dengan sasaran; layanan tanpa sasaran tidak dinilai. IP-SPM Pemerintah "
        "Provinsi dihitung dari layanan semua perangkat daerah pengampu.",
    )
c2.metric("Layanan dilaporkan", fmt.angka(len(layanan)))
c3.metric(
    "Layanan yang sasarannya belum terlayani penuh",
    fmt.angka(int((dinilai["capaian_penerima"] < 100).sum())),
    help="Jumlah layanan dengan capaian penerima di bawah 100 %; tiap layanan punya sasaran "
    "sendiri (orang, rumah tangga, ...), jadi sasaran tidak dijumlahkan antarlayanan.",
)
belum = layanan[~layanan["status_submission"].isin(VERIFIED)]
if not belum.empty:
    st.warning(
        f"Angka belum final: data {label(wilayah)} untuk {periode} berstatus "
        f"{', '.join(sorted(set(belum['status_submission'])))} (belum diverifikasi).",
        icon=":material/warning:",
    )

st.markdown("**Sasaran dan realisasi per layanan**")
grafik(
    nama_berkas("sasaran-realisasi", wilayah, tahun, f"tw{triwulan}"),
    layanan,
    spm.sasaran_realisasi,
    kategori,
    note="Batang = terlayani ÷ sasaran (capaian penerima, maks. 100 %); garis putus = target 100 %; "
    "warna = kategori nilai layanan (penerima dan mutu).",
)
st.dataframe(
    tables.angka_layanan(layanan).assign(
        Kategori=layanan["kategori"], Status=layanan["status_submission"]
    ),
    hide_index=True,
    width="stretch",
)

# Level 3: one service — progress by triwulan and where the number comes from (one
# service at a time: sasaran of different services count different people).
names = dict(zip(layanan["kode_layanan"], layanan["nama_layanan"], strict=True))
kode_layanan = filters.pilih(
    "layanan",
    "Layanan untuk dirinci",
    list(layanan["kode_layanan"]),
    layanan["kode_layanan"].iloc[0],
    lambda k: f"{k} — {names[k]}",
)
progres = data_capaian.progres_triwulan(tahun, wilayah, kode_layanan)
st.markdown(f"**Kemajuan per triwulan menuju sasaran {tahun} — {names[kode_layanan]}**")
tanpa_kemajuan = progres[["jumlah_sasaran", "jumlah_terlayani"]].fillna(0).eq(0).all(axis=None)
if not progres.empty and tanpa_kemajuan:
    st.info(
        f"Layanan ini tidak punya sasaran dan tidak ada yang terlayani pada {tahun}: "
        "belum ada kemajuan untuk digambarkan."
    )
else:
    grafik(
        nama_berkas("progres", wilayah, kode_layanan, tahun),
        progres,
        spm.progres_triwulan,
        note="Terlayani kumulatif per triwulan; garis = sasaran tahun ini. Proyeksi akhir tahun "
        "(perkiraan, bukan data) = terlayani sejauh ini diteruskan dengan pola wilayah itu tahun "
        "lalu, atau rata per triwulan (× 4 ÷ triwulan) bila pola tahun lalu tidak ada.",
    )

st.markdown(f"**Asal angka: {names[kode_layanan]} — {label(wilayah)}, {periode}**")
show_explanation(wilayah, tahun, triwulan, kode_layanan)
