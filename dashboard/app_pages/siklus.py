"""Siklus SOP: a procedure's cycle (the Biro's SOP, or a kabupaten/kota's LPPD or LKPj),
its steps planned against actual, this week's work, the deadline, evidence.

The Biro (and leaders, reading) pick any procedure and region; a kabupaten/kota
uploader runs its own region's LPPD and LKPj here. An action the library refuses is
said at the top after the rerun (as its success is); an evidence file that cannot be
read is said beside it and the rest of the page stays.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.charts import sop as sop_charts
from dashboard.components import chart_panel
from dashboard.data import sop as data_sop
from pipelines.core import fmt
from pipelines.errors import SpmError
from pipelines.sop import cycle, detect, evidence, performance, step, transitions
from pipelines.sop.step import PROVINSI, Ref

STATUS_ICON = {
    "belum mulai": ":gray[:material/radio_button_unchecked:] belum mulai",
    "berjalan": ":blue[:material/play_circle:] berjalan",
    "menunggu perbaikan": ":orange[:material/pending:] menunggu perbaikan",
    "selesai": ":green[:material/check_circle:] selesai",
}
# The same statuses in tables: a colour per status, the word itself (no icon font needed).
STATUS_STYLE = {
    "belum mulai": "color: #4b5563",
    "berjalan": "color: #1d4ed8; font-weight: 600",
    "menunggu perbaikan": "color: #b45309; font-weight: 600",
    "selesai": "color: #15803d; font-weight: 600",
    "ya": "color: #b91c1c; font-weight: 700",
}


def berwarna(frame: pd.DataFrame):
    """Status (and Terlambat) cells coloured by their value."""
    columns = [c for c in ("Status", "Terlambat") if c in frame]
    return frame.style.map(lambda v: STATUS_STYLE.get(v, ""), subset=columns)


st.title("Siklus SOP")
today = dt.date.today()
actor = data.actor()


def _allowed(check, who, ref) -> bool:
    """Whether the library's rule ``check`` lets ``who`` act on cycle ``ref``."""
    try:
        check(who, ref)
    except SpmError:
        return False
    return True


def run_action(action, success: str) -> None:
    """Run one change of the cycle, then say after the rerun what happened (or why the
    library refused it)."""
    try:
        action()
    except SpmError as exc:
        st.session_state["siklus_pesan"] = ("error", str(exc))
    else:
        st.session_state["siklus_pesan"] = ("success", success)
    st.rerun()


def start_cycle_form(default_year: int, key: str) -> None:
    with st.form(key):
        c1, c2 = st.columns(2)
        tahun = c1.number_input("Tahun siklus", 2000, 2100, default_year, step=1)
        mulai = c2.date_input(
            "Tanggal mulai", dt.date(int(default_year), 1, 1), format="DD/MM/YYYY"
        )
        st.caption(
            (
                "Fase A menerapkan SPM tahun siklus; fase B melaporkan tahun sebelumnya. "
                if sop_kode == PROVINSI
                else "Siklus tahun Y menyusun dan menyampaikan laporan tahun Y-1 sebelum batas "
                "waktunya. "
            )
            + "Rencana tanggal dihitung dari waktu baku prosedur (hari = hari kerja, tanpa "
            "libur nasional)."
        )
        if st.form_submit_button("Mulai siklus", type="primary"):
            run_action(
                lambda: data_sop.ubah(cycle.start, Ref(sop_kode, wilayah, int(tahun)), mulai=mulai),
                f"{fmt.kalimat(Ref(sop_kode, wilayah, int(tahun)).text())} dimulai.",
            )


# -- which procedure, which region -------------------------------------------------------
own_region = actor.kode_wilayah if actor.role == "pengunggah_kabkota" else None
procs = [p for p in data_sop.procedures() if own_region is None or p[2] == "kabupaten/kota"]
titles = {kode: judul for kode, judul, _ in procs}
levels = {kode: tingkat for kode, _, tingkat in procs}
sop_kode = st.selectbox(
    "Prosedur", list(titles), format_func=lambda k: f"{titles[k]} ({k})", key="siklus_sop"
)
if levels[sop_kode] == "kabupaten/kota":
    regions = data_sop.kabkota()
    if own_region is not None:
        regions = {k: v for k, v in regions.items() if k == own_region}
    wilayah = st.selectbox(
        "Kabupaten/kota",
        list(regions),
        format_func=lambda k: f"{k} — {regions[k]}",
        key="siklus_wilayah",
    )
    wilayah_nama = regions[wilayah]
else:
    wilayah, wilayah_nama = data_sop.served_province()
probe = Ref(sop_kode, wilayah, today.year)
can_edit = _allowed(step.check_can_edit, actor, probe)
can_start = _allowed(step.check_can_start, actor, probe)


cycle_years = data_sop.years(sop_kode, wilayah)
title = data_sop.sop_title(sop_kode)

st.caption(f"{title} — {wilayah_nama}")
if "siklus_pesan" in st.session_state:
    kind, text = st.session_state.pop("siklus_pesan")
    (st.error if kind == "error" else st.success)(text)

if not cycle_years:
    hint = Ref(sop_kode, wilayah, today.year).cli()
    st.info(
        f"Belum ada siklus SOP {title} untuk {wilayah_nama}. Mulai siklus tahun {today.year} di "
        f"bawah ini, atau jalankan 'spm siklus start {hint}'."
    )
    if can_start:
        start_cycle_form(today.year, "mulai_siklus_kosong")
    st.stop()

default = cycle_years.index(today.year) if today.year in cycle_years else len(cycle_years) - 1
tahun = st.selectbox("Tahun siklus", cycle_years, index=default, key="siklus_tahun")
ref = Ref(sop_kode, wilayah, int(tahun))
steps = data_sop.steps(sop_kode, wilayah, int(tahun), today)
batas = data_sop.deadline(sop_kode, wilayah, int(tahun))

summary = cycle.summary(steps)
cols = st.columns(len(summary) + 1 + (batas is not None))
for col, row in zip(cols, summary.itertuples(), strict=False):
    col.metric(
        f"Fase {row.fase} (tahun {row.tahun_laporan})",
        f"{fmt.angka(row.selesai)} dari {fmt.angka(row.jumlah_langkah)} selesai",
        help=row.judul_fase,
    )
cols[len(summary)].metric("Langkah terlambat", fmt.angka(int(steps["terlambat"].sum())))
if batas is not None:
    all_done = bool((steps["status"] == "selesai").all())
    left = (batas - today).days
    cols[-1].metric(
        "Batas waktu",
        fmt.tanggal(batas),
        None if all_done else (f"{left} hari lagi" if left >= 0 else f"lewat {-left} hari"),
        delta_color="off" if all_done else ("normal" if left >= 0 else "inverse"),
        help="Batas waktu prosedur (mis. 31 Maret tahun berikutnya untuk LPPD).",
    )
st.caption(
    " · ".join(
        f"Fase {r.fase}: langkah sekarang {r.langkah_sekarang} ({r.status_sekarang})"
        if isinstance(r.langkah_sekarang, str)
        else f"Fase {r.fase}: semua langkah selesai"
        for r in summary.itertuples()
    )
)

# -- this week ------------------------------------------------------------------------------
st.subheader("Yang harus dilakukan minggu ini")
week = cycle.this_week(steps, today)
if week.empty:
    st.write("Tidak ada langkah yang harus ditangani minggu ini.")
else:
    st.dataframe(
        berwarna(
            pd.DataFrame(
                {
                    "Langkah": week["kode"],
                    "Aktivitas": week["aktivitas"],
                    "Pelaku": week["pelaku"],
                    "Penanggung jawab": week["penanggung_jawab"].fillna("–"),
                    "Status": week["status"],
                    "Rencana selesai": week["rencana_selesai"].map(fmt.tanggal),
                    "Keterangan": week["alasan"],
                }
            )
        ),
        hide_index=True,
    )

# -- Gantt ---------------------------------------------------------------------------------
st.subheader("Rencana dan realisasi")
st.caption(
    "Batang abu-abu: rencana dari waktu baku SOP; batang berwarna: realisasi. Garis merah: "
    "hari ini. Waktu menunggu perbaikan tidak dihitung sebagai waktu langkah."
)
chart_panel.gambar(sop_charts.gantt(steps, today))

st.subheader("Daftar langkah")
st.dataframe(
    berwarna(
        pd.DataFrame(
            {
                "Langkah": steps["kode"],
                "Aktivitas": steps["aktivitas"],
                "Pelaku": steps["pelaku"],
                "Waktu baku": steps["waktu_baku"],
                "Rencana mulai": steps["rencana_mulai"].map(fmt.tanggal),
                "Rencana selesai": steps["rencana_selesai"].map(fmt.tanggal),
                "Mulai": steps["mulai"].map(fmt.tanggal),
                "Selesai": steps["selesai"].map(fmt.tanggal),
                "Status": steps["status"],
                "Hari kerja (baku/terukur)": [
                    f"{fmt.angka(b)} / {fmt.angka(t) if pd.notna(t) else '–'}"
                    for b, t in zip(steps["hari_baku"], steps["hari_terukur"], strict=True)
                ],
                "Menunggu perbaikan (hari)": steps["hari_perbaikan"].map(fmt.angka),
                "Terlambat": steps["terlambat"].map({True: "ya", False: "tidak"}),
            }
        )
    ),
    hide_index=True,
)
auto = steps[steps["selesai_otomatis"].notna() & (steps["selesai_otomatis"] != "")]
if len(auto):
    st.caption(
        "Selesai menurut data: "
        + "; ".join(f"{r.kode}: {r.selesai_otomatis}" for r in auto.itertuples())
    )
if (
    can_edit
    and sop_kode == PROVINSI
    and st.button("Catat langkah yang selesai menurut data (B2–B7)", key="siklus_sync")
):
    run_action(
        lambda: data_sop.ubah(detect.sync, int(tahun)),
        "Langkah yang terlihat selesai dari data sudah dicatat.",
    )

# -- one step ------------------------------------------------------------------------------
st.subheader("Rincian langkah")
labels = {
    r.kode: f"{r.kode} · {r.aktivitas[:70]}{'…' if len(r.aktivitas) > 70 else ''}"
    for r in steps.itertuples()
}
kode = st.selectbox("Langkah", list(labels), format_func=labels.get, key="siklus_langkah")
step = steps.set_index("kode").loc[kode]
left, right = st.columns([3, 2])
with left:
    st.markdown(f"**{step['aktivitas']}**")
    st.markdown(
        f"Pelaku: {step['pelaku']} · Masukan: {step['masukan'] or '–'} · "
        f"Keluaran: {step['keluaran'] or '–'} · Waktu baku: {step['waktu_baku']}"
    )
    st.markdown(
        f"Rencana {fmt.tanggal(step['rencana_mulai'])} – {fmt.tanggal(step['rencana_selesai'])}"
        f" · Realisasi {fmt.tanggal(step['mulai'])} – {fmt.tanggal(step['selesai'])}"
    )
    st.markdown(
        f"Status: {STATUS_ICON[step['status']]} · Penanggung jawab: "
        f"{step['penanggung_jawab'] or '–'} · Hari kerja terukur "
        f"{fmt.angka(step['hari_terukur']) if pd.notna(step['hari_terukur']) else '–'} dari "
        f"{fmt.angka(step['hari_baku'])} baku · menunggu perbaikan "
        f"{fmt.angka(step['hari_perbaikan'])} hari kerja"
    )
with right:
    if not can_edit:
        st.caption(
            "Hanya analis dan administrator Biro Pemerintahan yang dapat mengubah langkah."
            if sop_kode == PROVINSI
            else f"Langkah siklus ini diubah oleh pengunggah {wilayah_nama} dan administrator."
        )
    else:
        tanggal = st.date_input(
            "Tanggal kejadian", today, max_value=today, format="DD/MM/YYYY", key="siklus_tanggal"
        )
        status = step["status"]
        if status == "belum mulai" and st.button("Mulai langkah", type="primary"):
            run_action(
                lambda: data_sop.ubah(transitions.start_step, ref, kode, tanggal=tanggal),
                f"Langkah {kode} dicatat mulai {fmt.tanggal(tanggal)}.",
            )
        if status in ("berjalan", "menunggu perbaikan") and st.button("Selesai", type="primary"):
            run_action(
                lambda: data_sop.ubah(transitions.finish_step, ref, kode, tanggal=tanggal),
                f"Langkah {kode} dicatat selesai {fmt.tanggal(tanggal)}.",
            )
        if status == "menunggu perbaikan" and st.button("Perbaikan diterima, lanjutkan"):
            run_action(
                lambda: data_sop.ubah(transitions.resume_step, ref, kode, tanggal=tanggal),
                f"Langkah {kode} berjalan lagi.",
            )
        if status in ("berjalan", "selesai"):
            alasan = st.text_input("Alasan pengembalian", key="siklus_alasan")
            if st.button("Kembalikan untuk perbaikan"):
                run_action(
                    lambda: data_sop.ubah(
                        transitions.send_back, ref, kode, alasan=alasan or None, tanggal=tanggal
                    ),
                    f"Langkah {kode} menunggu perbaikan.",
                )

if can_edit:
    with st.expander("Penanggung jawab dan catatan"):
        person = st.text_input(
            "Penanggung jawab", value=step["penanggung_jawab"] or "", key="siklus_pj"
        )
        if st.button("Simpan penanggung jawab"):
            run_action(
                lambda: data_sop.ubah(transitions.assign, ref, kode, person),
                f"Penanggung jawab langkah {kode} disimpan.",
            )
        note = st.text_area("Catatan baru", key="siklus_catatan")
        if st.button("Simpan catatan"):
            run_action(
                lambda: data_sop.ubah(transitions.add_note, ref, kode, note),
                "Catatan disimpan.",
            )

extras = data_sop.step_extras(sop_kode, wilayah, int(tahun), kode)
if len(extras["perbaikan"]):
    st.markdown("**Riwayat perbaikan**")
    st.dataframe(
        pd.DataFrame(
            {
                "Ke": extras["perbaikan"]["ke"],
                "Dikembalikan": extras["perbaikan"]["mulai"].map(fmt.tanggal),
                "Diterima kembali": extras["perbaikan"]["selesai"].map(
                    lambda d: fmt.tanggal(d) if pd.notna(d) else "masih menunggu"
                ),
                "Alasan": extras["perbaikan"]["alasan"].fillna("–"),
                "Dicatat oleh": extras["perbaikan"]["dicatat_oleh"],
            }
        ),
        hide_index=True,
    )
if len(extras["catatan"]):
    st.markdown("**Catatan**")
    for r in extras["catatan"].itertuples():
        st.markdown(f"- {r.isi} — _{r.ditulis_oleh}, {fmt.waktu(r.ditulis_pada)}_")

st.markdown("**Bukti**")
bukti = extras["bukti"]
if bukti.empty:
    st.write("Belum ada bukti untuk langkah ini.")
for r in bukti.itertuples():
    c1, c2 = st.columns([4, 1])
    c1.write(
        f"{r.nama_berkas} ({fmt.angka(r.ukuran)} bita) — diunggah {r.diunggah_oleh}, "
        f"{fmt.waktu(r.diunggah_pada)}" + (f" · {r.keterangan}" if r.keterangan else "")
    )
    try:
        name, content = data_sop.evidence_file(int(r.id))
    except SpmError as exc:
        c2.error(str(exc))
    else:
        c2.download_button("Unduh", content, file_name=name, key=f"unduh_bukti_{r.id}")
if can_edit:
    with st.form("bukti_form", clear_on_submit=True):
        upload = st.file_uploader("Lampirkan bukti (SK, notulen, laporan)", key="siklus_unggah")
        keterangan = st.text_input("Keterangan bukti")
        if st.form_submit_button("Simpan bukti"):
            if upload is None:
                st.error("Pilih berkas bukti terlebih dahulu.")
            else:
                content = upload.getvalue()
                run_action(
                    lambda: data_sop.ubah(
                        evidence.attach,
                        ref,
                        kode,
                        upload.name,
                        content,
                        keterangan=keterangan or None,
                    ),
                    f"Bukti {upload.name} disimpan.",
                )

# -- across cycles --------------------------------------------------------------------------
st.subheader("Kinerja SOP antarsiklus")
perf = data_sop.performance(today, sop_kode, wilayah)
if perf.empty:
    st.write("Belum ada langkah yang selesai untuk dibandingkan dengan waktu baku.")
else:
    st.caption(
        "Waktu terukur (hari kerja, tanpa waktu menunggu perbaikan) dibanding waktu baku SOP; "
        "garis putus-putus = 100 % waktu baku."
    )
    chart_panel.gambar(sop_charts.performance(perf))
    by_step = performance.by_step(perf)
    always = by_step[by_step["selalu_terlambat"]]
    if len(always):
        st.warning(
            "Selalu melewati waktu baku: "
            + ", ".join(f"{r.kode} ({r.aktivitas[:50]})" for r in always.itertuples())
            + "."
        )
    st.dataframe(
        pd.DataFrame(
            {
                "Langkah": by_step["kode"],
                "Aktivitas": by_step["aktivitas"],
                "Siklus": by_step["siklus"].map(fmt.angka),
                "Terlambat": [
                    f"{fmt.angka(t)} dari {fmt.angka(s)}"
                    for t, s in zip(by_step["terlambat"], by_step["siklus"], strict=True)
                ],
                "Rata-rata % waktu baku": (by_step["rasio_rata"] * 100).map(
                    lambda v: fmt.persen(v, 0)
                ),
                "Terburuk % waktu baku": (by_step["rasio_maks"] * 100).map(
                    lambda v: fmt.persen(v, 0)
                ),
                "Rata-rata menunggu perbaikan (hari)": by_step["hari_perbaikan_rata"].map(
                    lambda v: fmt.angka(v, 1)
                ),
            }
        ),
        hide_index=True,
    )

if can_start:
    with st.expander("Mulai siklus tahun lain"):
        start_cycle_form(max(cycle_years) + 1, "mulai_siklus_baru")

with st.expander("SOP yang berlaku"):
    st.dataframe(data_sop.sop_steps(sop_kode), hide_index=True)
    versions = data_sop.sop_versions(sop_kode)
    if len(versions):
        st.dataframe(
            pd.DataFrame(
                {
                    "Versi": versions["versi"],
                    "Judul": versions["judul"],
                    "Berkas": versions["nama_berkas"],
                    "Langkah": versions["jumlah_langkah"],
                    "Dimuat oleh": versions["dimuat_oleh"],
                    "Dimuat pada": versions["dimuat_pada"].map(fmt.waktu),
                }
            ),
            hide_index=True,
        )
    st.caption(
        "Administrator dapat memuat SOP lain (YAML dengan format data/"
        "sop_spm_biro_pemerintahan.yaml) sebagai versi baru; siklus yang sudah berjalan "
        "tidak berubah."
    )
    if actor.role == "admin":
        with st.form("sop_form", clear_on_submit=True):
            sop_file = st.file_uploader("Berkas SOP (YAML)", type=["yaml", "yml"], key="sop_unggah")
            if st.form_submit_button("Muat SOP"):
                if sop_file is None:
                    st.error("Pilih berkas SOP terlebih dahulu.")
                else:
                    raw = sop_file.getvalue()
                    run_action(
                        lambda: data_sop.muat_sop(sop_file.name, raw),
                        f"SOP dari {sop_file.name} dimuat.",
                    )
