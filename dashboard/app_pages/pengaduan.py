"""Pengaduan: complaints per seed 003 BAB VIII and SP4N-LAPOR! practice: the overdue
list, the complaints a person may see (a unit's uploaders only their unit's; the
complainant's identity only for the handling unit and administrators), one complaint
with its history and actions, a form to record one, and the counts per unit and
service beside the unit's IKM."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.charts import pelayanan as charts
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.data import actor as current_actor
from dashboard.data import pelayanan as data_pel
from pipelines.core import fmt
from pipelines.errors import SpmError
from pipelines.pelayanan import pengaduan

st.title("Pengaduan Masyarakat")
actor = current_actor()
today = dt.date.today()
if "aduan_pesan" in st.session_state:
    kind, text = st.session_state.pop("aduan_pesan")
    (st.error if kind == "error" else st.success)(text)


def act(action, success: str) -> None:
    """Run one change, then say after the rerun what happened (or why it was refused)."""
    try:
        done = action()
    except SpmError as exc:
        st.session_state["aduan_pesan"] = ("error", str(exc))
    else:
        st.session_state["aduan_pesan"] = ("success", success.format(done=done))
    st.rerun()


tahun = st.selectbox(
    "Tahun diterima", list(range(today.year, today.year - 4, -1)), key="aduan_tahun"
)
frame = data_pel.complaints(int(tahun), today)
late = data_pel.overdue(today)
m = st.columns(4)
m[0].metric("Pengaduan diterima", fmt.angka(len(frame)))
m[1].metric("Masih terbuka", fmt.angka(int((~frame["status"].isin(pengaduan.CLOSED)).sum())))
m[2].metric("Lewat batas waktu (semua tahun)", fmt.angka(len(late)))
answered = frame["hari_kerja_tanggapan"].dropna()
m[3].metric(
    "Rata-rata hari kerja sampai ditanggapi",
    fmt.angka(answered.mean(), 1) if len(answered) else "–",
)

st.subheader("Lewat batas waktu")
if late.empty:
    st.write("Tidak ada pengaduan yang melewati batas waktu.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Nomor": late["nomor"],
                "Unit": late["nama_unit"],
                "Pokok": late["judul"],
                "Status": late["status"],
                "Batas yang lewat": late["jenis_batas"],
                "Tanggal batas": late["batas"].map(fmt.tanggal),
                "Lewat (hari kerja)": late["lewat_hari_kerja"].map(fmt.angka),
            }
        ),
        hide_index=True,
    )
st.caption(
    "Batas disposisi dan tanggapan dihitung dalam hari kerja sejak diterima (pengaturan "
    "pengaduan_hari_disposisi dan pengaduan_hari_tanggapan); batas penyelesaian dari jangka "
    "waktu standar pelayanan layanannya."
)

st.subheader(f"Daftar pengaduan {tahun}")
if frame.empty:
    st.write("Belum ada pengaduan tahun ini.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Nomor": frame["nomor"],
                "Diterima": frame["diterima_pada"].map(fmt.tanggal),
                "Kanal": frame["kanal"],
                "Unit": frame["nama_unit"],
                "Klasifikasi": frame["klasifikasi"],
                "Pokok": frame["judul"],
                "Status": frame["status"],
                "Batas tanggapan": frame["batas_tanggapan"].map(fmt.tanggal),
                "Terlambat": frame["terlambat"].map({True: "ya, lewat batas", False: "tidak"}),
                "Pelapor": frame["nama_pelapor"].fillna("–"),
            }
        ),
        hide_index=True,
    )

    st.subheader("Rincian pengaduan")
    titles = dict(zip(frame["nomor"], frame["judul"], strict=True))
    nomor = st.selectbox(
        "Nomor pengaduan",
        list(titles),
        format_func=lambda n: f"{n} · {titles[n]}",
        key="aduan_nomor",
    )
    row, history = data_pel.complaint(nomor, today)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{row['judul']}** ({row['klasifikasi']}, melalui {row['kanal']})")
        st.write(row["isi"] or "–")
        st.markdown(
            f"Unit: {row['nama_unit']} · Layanan: {row['nama_layanan'] or '–'} · Status: "
            f"**{row['status']}**"
        )
        st.markdown(
            f"Pelapor: {row['nama_pelapor'] or '–'} · Kontak: {row['kontak_pelapor'] or '–'}"
            + (f" · ID SP4N-LAPOR!: {row['nomor_lapor']}" if row["nomor_lapor"] else "")
        )
        st.markdown(
            f"Diterima {fmt.tanggal(row['diterima_pada'])} · batas disposisi "
            f"{fmt.tanggal(row['batas_disposisi'])} · batas tanggapan "
            f"{fmt.tanggal(row['batas_tanggapan'])} · batas penyelesaian "
            f"{fmt.tanggal(row['batas_penyelesaian'])}"
        )
        if row["disposisi"]:
            st.markdown(f"Disposisi: {row['disposisi']}")
        if row["tanggapan"]:
            st.markdown(f"Tanggapan: {row['tanggapan']}")
        st.dataframe(
            pd.DataFrame(
                {
                    "Tanggal": history["tanggal"].map(fmt.tanggal),
                    "Dari": history["status_dari"].fillna("–"),
                    "Ke": history["status_ke"],
                    "Unit": [
                        f"{a} → {b}" if isinstance(b, str) else "–"
                        for a, b in zip(history["unit_dari"], history["unit_ke"], strict=True)
                    ],
                    "Catatan": history["catatan"].fillna("–"),
                    "Oleh": history["oleh"],
                }
            ),
            hide_index=True,
        )
    with right:
        options = pengaduan.NEXT[row["status"]]
        if actor.role == "pimpinan":
            st.caption("Pimpinan membaca pengaduan; tindak lanjut oleh unit dan Biro.")
        elif options:
            with st.form("aduan_status"):
                status = st.selectbox("Status baru", options, key="aduan_status_baru")
                tanggal = st.date_input("Tanggal", today, max_value=today, format="DD/MM/YYYY")
                tanggapan = st.text_area("Tanggapan kepada pelapor")
                catatan = st.text_input("Catatan (alasan)")
                if st.form_submit_button("Simpan status", type="primary"):
                    act(
                        lambda: data_pel.move_complaint(
                            nomor,
                            status,
                            tanggal=tanggal,
                            tanggapan=tanggapan or None,
                            catatan=catatan or None,
                        ),
                        f"Pengaduan {nomor}: {status}.",
                    )
        if actor.is_privileged and row["status"] not in ("selesai", "diarsipkan"):
            units = data_pel.visible_units()
            names = dict(zip(units["kode"], units["nama"], strict=True))
            with st.form("aduan_disposisi"):
                target = st.selectbox("Disposisikan ke unit", list(names), format_func=names.get)
                note = st.text_input("Isi disposisi")
                if st.form_submit_button("Disposisikan"):
                    act(
                        lambda: data_pel.dispose_complaint(nomor, target, note or None),
                        f"Pengaduan {nomor} didisposisikan.",
                    )

# -- record one ------------------------------------------------------------------------------
handled = data_pel.handled_units()
if actor.role != "pimpinan" and len(handled):
    with st.expander("Catat pengaduan baru"):
        names = dict(zip(handled["kode"], handled["nama"], strict=True))
        services = data_pel.standar_list()
        with st.form("aduan_baru", clear_on_submit=True):
            c1, c2, c3 = st.columns(3)
            unit_kode = c1.selectbox("Unit", list(names), format_func=names.get)
            kanal = c2.selectbox("Kanal", pengaduan.KANAL)
            klas = c3.selectbox("Klasifikasi", pengaduan.KLASIFIKASI)
            own = services[services["kode_unit"] == unit_kode]
            layanan_names = {"": "(layanan tidak disebut)"} | dict(
                zip(own["kode_layanan"], own["nama_layanan"], strict=True)
            )
            layanan = st.selectbox("Layanan", list(layanan_names), format_func=layanan_names.get)
            judul = st.text_input("Pokok pengaduan")
            isi = st.text_area("Isi")
            c4, c5, c6 = st.columns(3)
            nama = c4.text_input("Nama pelapor (dirahasiakan)")
            kontak = c5.text_input("Kontak pelapor (dirahasiakan)")
            lapor = c6.text_input("ID SP4N-LAPOR! (bila ada)")
            diterima = st.date_input("Diterima", today, max_value=today, format="DD/MM/YYYY")
            if st.form_submit_button("Catat pengaduan", type="primary"):
                act(
                    lambda: data_pel.record_complaint(
                        kode_unit=unit_kode,
                        kanal=kanal,
                        klasifikasi=klas,
                        judul=judul,
                        isi=isi or None,
                        kode_layanan=layanan or None,
                        nama_pelapor=nama or None,
                        kontak_pelapor=kontak or None,
                        nomor_lapor=lapor or None,
                        diterima_pada=diterima,
                    ),
                    "Pengaduan dicatat dengan nomor {done}.",
                )
        st.caption(
            "Nama dan kontak pelapor hanya terlihat oleh unit yang menangani dan administrator."
        )

# -- counts beside the IKM ---------------------------------------------------------------------
per_unit, per_service = data_pel.complaint_counts(int(tahun), today)
st.subheader(f"Rekap {tahun} per unit, di samping IKM")
if per_unit.empty:
    st.write("Belum ada pengaduan untuk direkap.")
else:
    grafik(
        nama_berkas("pengaduan-unit", tahun),
        per_unit[["nama_unit", "jumlah", "terbuka", "terlambat"]],
        charts.pengaduan_unit,
        note="Ditutup: selesai, bukan wewenang atau diarsipkan; lewat batas waktu: masih terbuka "
        "dan melewati batas disposisi, tanggapan atau penyelesaian.",
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Unit": per_unit["nama_unit"],
                "Pengaduan": per_unit["jumlah"].map(fmt.angka),
                "Terbuka": per_unit["terbuka"].map(fmt.angka),
                "Lewat batas": per_unit["terlambat"].map(fmt.angka),
                "Selesai": per_unit["selesai"].map(fmt.angka),
                "Rata-rata hari kerja tanggapan": per_unit["rata_hari_kerja_tanggapan"].map(
                    lambda v: fmt.angka(v, 1) if pd.notna(v) else "–"
                ),
                f"IKM {tahun}": per_unit["ikm"].map(lambda v: fmt.angka(v, 2)),
                "Mutu": per_unit["mutu"].fillna("–"),
            }
        ),
        hide_index=True,
    )
    st.markdown("**Per layanan**")
    st.dataframe(
        pd.DataFrame(
            {
                "Unit": per_service["nama_unit"],
                "Layanan": per_service["nama_layanan"],
                "Pengaduan": per_service["jumlah"].map(fmt.angka),
                "Terbuka": per_service["terbuka"].map(fmt.angka),
                "Lewat batas": per_service["terlambat"].map(fmt.angka),
            }
        ),
        hide_index=True,
    )
