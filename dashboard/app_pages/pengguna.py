"""Pengguna dan batas waktu: accounts (add, disable, reset password), deadline
exceptions and the deadline calendar. Administrators only; the library refuses everyone else as well."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.components import guard
from dashboard.components.actions import act, show_confirmation
from dashboard.data import review as data_review
from dashboard.data import settings as data_settings
from dashboard.data import users as data_users
from pipelines.auth.access import ROLE_LABELS, ROLES
from pipelines.auth.deadlines import label_periode
from pipelines.core import fmt
from pipelines.core.forms import FORM_LABELS, FORMS

guard.require_roles({"admin"})
FLASH = "pengguna_pesan"

st.title("Pengguna dan batas waktu")
show_confirmation(FLASH)

accounts = data_users.daftar()
regions, opds = data_users.pilihan_ikatan()
region_names = dict(regions)
opd_names = dict(opds)

# Keyed and tracked: after an action (its rerun puts a confirmation above the tabs) the
# administrator stays on the tab they were using.
tab_users, tab_new, tab_deadline, tab_calendar, tab_settings = st.tabs(
    [
        "Daftar pengguna",
        "Tambah pengguna",
        "Pengecualian batas waktu",
        "Kalender batas waktu",
        "Sesi dan batas waktu",
    ],
    key="pengguna_tab",
    on_change="rerun",
)

with tab_users:
    if accounts.empty:
        st.write("Belum ada akun. Tambahkan di tab 'Tambah pengguna'.")
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    "Nama pengguna": accounts["username"],
                    "Nama": accounts["nama"].fillna("–"),
                    "Peran": accounts["peran"].map(ROLE_LABELS),
                    "Wilayah/OPD": [
                        w if isinstance(w, str) else (o if isinstance(o, str) else "–")
                        for w, o in zip(accounts["nama_wilayah"], accounts["nama_opd"], strict=True)
                    ],
                    "E-mail": accounts["email"].fillna("–"),
                    "Aktif": accounts["aktif"].map({True: "ya", False: "tidak"}),
                    "Masuk terakhir": accounts["login_terakhir"].map(
                        lambda v: fmt.waktu(v) if pd.notna(v) else "–"
                    ),
                }
            ),
            hide_index=True,
        )
        st.subheader("Ubah akun")
        who = st.selectbox("Akun", list(accounts["username"]), key="akun_dipilih")
        row = accounts.set_index("username").loc[who]
        c1, c2 = st.columns(2)
        with c1:
            if row["aktif"]:
                if st.button("Nonaktifkan", key="nonaktifkan"):
                    act(
                        lambda: data_users.ubah_aktif(who, False),
                        f"Akun {who} dinonaktifkan.",
                        FLASH,
                    )
            elif st.button("Aktifkan kembali", key="aktifkan"):
                act(lambda: data_users.ubah_aktif(who, True), f"Akun {who} diaktifkan.", FLASH)
        with c2, st.form("reset_sandi", clear_on_submit=True):
            new1 = st.text_input("Kata sandi baru", type="password")
            new2 = st.text_input("Ulangi kata sandi baru", type="password")
            if st.form_submit_button("Atur ulang kata sandi"):
                if new1 != new2:
                    st.error("Kedua kata sandi tidak sama.")
                else:
                    act(
                        lambda: data_users.reset_sandi(who, new1),
                        f"Kata sandi akun {who} telah diganti.",
                        FLASH,
                    )

with tab_new, st.form("tambah_pengguna", clear_on_submit=False):
    username = st.text_input("Nama pengguna", help="Contoh: kab-19.01, opd-dinkes, budi.analis")
    role = st.selectbox("Peran", ROLES, format_func=ROLE_LABELS.get)
    kab_codes = [k for k, _ in regions[1:]]
    region = st.selectbox(
        "Kabupaten/kota (untuk pengunggah kabupaten/kota)",
        [None, *kab_codes],
        format_func=lambda k: "–" if k is None else f"{k} {region_names[k]}",
    )
    opd = st.selectbox(
        "Perangkat daerah (untuk pengunggah OPD provinsi)",
        [None, *opd_names],
        format_func=lambda k: "–" if k is None else opd_names[k],
    )
    nama = st.text_input("Nama lengkap")
    email = st.text_input("E-mail (untuk SSO, opsional)")
    pw1 = st.text_input("Kata sandi", type="password")
    pw2 = st.text_input("Ulangi kata sandi", type="password")
    if st.form_submit_button("Tambah pengguna", type="primary"):
        if pw1 != pw2:
            st.error("Kedua kata sandi tidak sama.")
        else:
            act(
                lambda: data_users.tambah(
                    username=username,
                    role=role,
                    password=pw1,
                    nama=nama or None,
                    email=email or None,
                    kode_wilayah=region if role == "pengunggah_kabkota" else None,
                    kode_opd=opd if role == "pengunggah_opd" else None,
                ),
                f"Akun {username.strip().lower()} dibuat.",
                FLASH,
            )

with tab_deadline:
    exceptions = data_review.daftar_pengecualian()
    if exceptions.empty:
        st.write("Belum ada pengecualian batas waktu.")
    else:
        st.table(
            pd.DataFrame(
                {
                    "Formulir": exceptions["form"].map(FORM_LABELS),
                    "Wilayah": exceptions["nama_wilayah"],
                    "OPD": exceptions["kode_opd"].fillna("–"),
                    "Periode": [
                        label_periode(t, q)
                        for t, q in zip(exceptions["tahun"], exceptions["triwulan"], strict=True)
                    ],
                    "Batas baru": exceptions["batas_baru"].map(fmt.tanggal),
                    "Alasan": exceptions["alasan"],
                    "Diberikan oleh": exceptions["diberikan_oleh"],
                }
            )
        )
    with st.form("pengecualian"):
        st.markdown("**Beri pengecualian batas waktu**")
        form = st.selectbox("Formulir", FORMS, format_func=FORM_LABELS.get)
        region = st.selectbox(
            "Wilayah",
            [k for k, _ in regions],
            format_func=lambda k: f"{k} {region_names[k]}",
        )
        opd = st.selectbox(
            "Perangkat daerah (formulir SPM provinsi)",
            [None, *opd_names],
            format_func=lambda k: "–" if k is None else opd_names[k],
            key="opd_pengecualian",
        )
        this_year = dt.date.today().year
        tahun = st.number_input("Tahun", 2000, 2100, this_year, step=1)
        triwulan = st.selectbox("Triwulan", [1, 2, 3, 4], format_func=fmt.triwulan)
        until = st.date_input(
            "Boleh mengunggah sampai", dt.date.today() + dt.timedelta(days=7), format="DD/MM/YYYY"
        )
        reason = st.text_area("Alasan (wajib)")
        if st.form_submit_button("Beri pengecualian", type="primary"):
            act(
                lambda: data_review.beri_pengecualian(
                    form=form,
                    kode_wilayah=region,
                    kode_opd=opd if form == "spm-provinsi" else None,
                    tahun=int(tahun),
                    triwulan=triwulan,
                    batas_baru=until,
                    alasan=reason,
                ),
                "Pengecualian batas waktu diberikan.",
                FLASH,
            )

with tab_calendar:
    st.caption(
        "Batas waktu per periode sesuai pengumuman Kemendagri. Periode tanpa tanggal di sini "
        "memakai aturan: tanggal pada tab 'Sesi dan batas waktu' bulan berikutnya (digeser ke "
        "hari kerja). Menetapkan atau menghapus tanggal menilai ulang keterlambatan "
        "pengiriman periode itu saja."
    )
    this_year = dt.date.today().year
    shown_year = st.number_input("Tahun", 2000, 2100, this_year, step=1, key="kalender_tahun")
    dates = data_settings.kalender_batas(int(shown_year))
    if dates.empty:
        st.write(f"Belum ada batas waktu yang ditetapkan untuk {int(shown_year)}; berlaku aturan.")
    else:
        st.table(
            pd.DataFrame(
                {
                    "Periode": [
                        label_periode(t, q)
                        for t, q in zip(dates["tahun"], dates["triwulan"], strict=True)
                    ],
                    "Formulir": dates["form"].map(lambda f: FORM_LABELS.get(f, "Semua formulir")),
                    "Batas waktu": dates["tanggal"].map(fmt.tanggal),
                    "Keterangan": dates["keterangan"].fillna("–"),
                    "Ditetapkan oleh": dates["ditetapkan_oleh"],
                }
            )
        )
    with st.form("kalender_batas"):
        st.markdown("**Tetapkan batas waktu periode**")
        c1, c2, c3 = st.columns(3)
        cal_form = c1.selectbox(
            "Formulir",
            [None, *FORMS],
            format_func=lambda f: "Semua formulir" if f is None else FORM_LABELS[f],
            key="kalender_form",
        )
        cal_quarter = c2.selectbox(
            "Triwulan (kosong untuk LPPD tahunan)",
            [1, 2, 3, 4, None],
            format_func=lambda q: "–" if q is None else fmt.triwulan(q),
            key="kalender_triwulan",
        )
        cal_date = c3.date_input("Batas waktu", format="DD/MM/YYYY", key="kalender_tanggal")
        cal_note = st.text_input("Keterangan (mis. nomor surat edaran)", key="kalender_keterangan")
        period = dict(tahun=int(shown_year), triwulan=cal_quarter, form=cal_form)
        set_it, unset_it = st.columns(2)
        if set_it.form_submit_button("Tetapkan", type="primary"):
            act(
                lambda: data_settings.tetapkan_batas(
                    **period, tanggal=cal_date, keterangan=cal_note or None
                ),
                f"Batas waktu {label_periode(int(shown_year), cal_quarter)} ditetapkan "
                f"{fmt.tanggal(cal_date)}.",
                FLASH,
            )
        if unset_it.form_submit_button("Kembalikan ke aturan"):
            act(
                lambda: data_settings.hapus_batas(**period),
                f"Batas waktu {label_periode(int(shown_year), cal_quarter)} kembali ke aturan.",
                FLASH,
            )

with tab_settings, st.form("pengaturan_akses"):
    current = data_settings.pengaturan()
    minutes = st.number_input(
        "Sesi berakhir setelah tidak aktif (menit)",
        5,
        1440,
        int(current.get("sesi_kedaluwarsa_menit", 60)),
        step=5,
    )
    day = st.number_input(
        "Batas pengisian triwulan: tanggal pada bulan berikutnya",
        1,
        28,
        int(current.get("hari_batas_triwulan", 20)),
        step=1,
    )
    note = st.text_input("Alasan perubahan")
    if st.form_submit_button("Simpan pengaturan", type="primary"):
        act(
            lambda: data_settings.ubah_akses(int(minutes), int(day), note or None),
            "Pengaturan disimpan sebagai versi baru.",
            FLASH,
        )
