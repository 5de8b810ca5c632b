"""Pemantauan LPPD/LKPj: every kabupaten/kota of the province on one page for one of
their procedures (seed 002's LPPD or LKPj) and year: which step each is at, days to the
deadline, who is late, who to remind. Leaders read the chart; the Biro also the table,
the reminder list, and may start the year's cycles for the regions that have none."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.auth import BIRO
from dashboard.charts import sop as sop_charts
from dashboard.components import guard
from dashboard.components.chart_panel import grafik, nama_berkas
from dashboard.data import sop as data_sop
from pipelines.core import fmt
from pipelines.errors import SpmError
from pipelines.sop import cycle

st.title("Pemantauan LPPD dan LKPj Kabupaten/Kota")
actor = guard.require_roles(BIRO | {"pimpinan"})
today = dt.date.today()

procs = {k: judul for k, judul, tingkat in data_sop.procedures() if tingkat == "kabupaten/kota"}
guard.stop_if_empty(not procs, "Belum ada prosedur kabupaten/kota di pustaka SOP.")
c1, c2 = st.columns([3, 1])
sop_kode = c1.selectbox(
    "Prosedur", list(procs), format_func=lambda k: f"{procs[k]} ({k})", key="pantau_sop"
)
years = data_sop.years(sop_kode)
if "pantau_pesan" in st.session_state:
    kind, text = st.session_state.pop("pantau_pesan")
    (st.error if kind == "error" else st.success)(text)


def start_all(tahun: int) -> None:
    try:
        started = data_sop.ubah(cycle.start_all, sop_kode, tahun)
    except SpmError as exc:
        st.session_state["pantau_pesan"] = ("error", str(exc))
    else:
        st.session_state["pantau_pesan"] = (
            "success",
            f"Siklus {tahun} dimulai untuk {len(started)} kabupaten/kota.",
        )
    st.rerun()


if not years:
    st.info(
        f"Belum ada siklus {procs[sop_kode]} di kabupaten/kota mana pun. Mulai siklus tahun "
        f"{today.year} untuk semua, atau jalankan 'spm siklus start --sop {sop_kode} --region "
        f"semua --year {today.year}'."
    )
    if actor.is_privileged and st.button(f"Mulai siklus {today.year} untuk semua kabupaten/kota"):
        start_all(today.year)
    st.stop()
tahun = c2.selectbox("Tahun siklus", years, index=len(years) - 1, key="pantau_tahun")
overview = data_sop.overview(sop_kode, int(tahun), today)
matrix = data_sop.step_matrix(sop_kode, int(tahun), today)

batas = overview["batas_waktu"].dropna()
if len(batas):
    left = (batas.iloc[0] - today).days
    st.markdown(
        f"**Batas waktu: {fmt.tanggal(batas.iloc[0])}** "
        + (f"({left} hari lagi)" if left >= 0 else f"(sudah lewat {-left} hari)")
    )
done = overview["keadaan"].str.startswith("Selesai")
m = st.columns(4)
m[0].metric(
    "Selesai tepat waktu", fmt.angka(int((overview["keadaan"] == "Selesai tepat waktu").sum()))
)
m[1].metric("Selesai terlambat", fmt.angka(int((overview["keadaan"] == "Selesai terlambat").sum())))
m[2].metric("Masih berjalan", fmt.angka(int((overview["dimulai"] & ~done).sum())))
m[3].metric("Belum dimulai", fmt.angka(int((~overview["dimulai"]).sum())))

st.subheader("Posisi setiap kabupaten/kota")
grafik(
    nama_berkas("posisi", sop_kode, tahun),
    matrix,
    sop_charts.posisi_kabkota,
    note=(
        "Setiap kotak satu langkah prosedur: S selesai (oranye: melewati waktu baku), B "
        "berjalan, P menunggu perbaikan, ! berjalan melewati waktu baku; merah muda: belum "
        "mulai padahal rencana selesainya sudah lewat. Waktu baku per langkah dari pustaka SOP."
    ),
)

st.subheader("Rincian per kabupaten/kota")
st.dataframe(
    pd.DataFrame(
        {
            "Kode": overview["kode_wilayah"],
            "Kabupaten/kota": overview["nama_wilayah"],
            "Langkah selesai": [
                f"{fmt.angka(s)} dari {fmt.angka(n)}"
                for s, n in zip(
                    overview["langkah_selesai"], overview["jumlah_langkah"], strict=True
                )
            ],
            "Langkah sekarang": [
                f"{k} · {a}" if isinstance(k, str) else "–"
                for k, a in zip(
                    overview["langkah_sekarang"], overview["aktivitas_sekarang"], strict=True
                )
            ],
            "Status": overview["status_sekarang"].fillna("–"),
            "Penanggung jawab": overview["penanggung_jawab"].fillna("–"),
            "Sisa hari": [
                "–" if pd.isna(v) else (f"{v} hari lagi" if v >= 0 else f"lewat {-v} hari")
                for v in overview["sisa_hari"]
            ],
            "Selesai pada": overview["selesai_pada"].map(fmt.tanggal),
            "Keadaan": overview["keadaan"],
        }
    ),
    hide_index=True,
)
st.caption(
    "Sisa hari dihitung dalam hari kalender sampai batas waktu; langkah terlambat bila waktu "
    "terukurnya (hari kerja, tanpa menunggu perbaikan) melebihi waktu baku atau masih "
    "terbuka setelah rencana selesainya."
)

if actor.is_privileged:
    st.subheader("Daftar pengingat")
    remind = data_sop.reminders(sop_kode, int(tahun), today)
    if remind.empty:
        st.write("Tidak ada kabupaten/kota yang perlu diingatkan.")
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    "Kabupaten/kota": remind["nama_wilayah"],
                    "Alasan": remind["alasan"],
                    "Batas waktu": remind["batas_waktu"].map(fmt.tanggal),
                    "Akun yang dihubungi": remind["akun"],
                    "E-mail": remind["email"],
                }
            ),
            hide_index=True,
        )
    missing = int((~overview["dimulai"]).sum())
    if missing and st.button(
        f"Mulai siklus {tahun} untuk {missing} kabupaten/kota yang belum punya", key="pantau_mulai"
    ):
        start_all(int(tahun))
