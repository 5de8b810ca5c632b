"""Pemeriksaan: the analyst's queue; each report beside the previous period, with its
history and warnings; verify, send back with comments, finalise (admin: reopen, or
withdraw a submission accepted by mistake)."""

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.charts import exports
from dashboard.components import guard
from dashboard.components.actions import act, show_confirmation
from dashboard.data import kelengkapan as data_kelengkapan
from dashboard.data import review as data_review
from pipelines.core import fmt
from pipelines.core.forms import FORM_LABELS
from pipelines.review import STATUS_LABELS, label_periode
from pipelines.review import keterangan_waktu as review_waktu

actor = guard.require_roles(auth.BIRO)
FLASH = "pemeriksaan_pesan"

st.title("Pemeriksaan pengiriman")
show_confirmation(FLASH)

with st.expander("Daftar pengingat: siapa yang belum mengirim atau belum memperbaiki"):
    years, newest = data_kelengkapan.tahun_tersedia()
    tahun_ingat = st.selectbox("Tahun", years, index=years.index(newest), key="pengingat_tahun")
    todo = data_kelengkapan.pengingat(tahun_ingat)
    if todo.empty:
        st.write("Semua laporan yang diharapkan sudah diterima.")
    else:
        reminder = pd.DataFrame(
            {
                "Formulir": todo["form"].map(FORM_LABELS),
                "Wilayah/OPD": [
                    o if isinstance(o, str) else w
                    for w, o in zip(todo["nama_wilayah"], todo["nama_opd"], strict=True)
                ],
                "Periode": [
                    label_periode(t, q)
                    for t, q in zip(todo["tahun"], todo["triwulan"], strict=True)
                ],
                "Batas waktu": todo["batas_waktu"].map(fmt.tanggal),
                "Lewat (hari)": [max(-int(d), 0) for d in todo["sisa_hari"]],
                "Keterangan": todo["keterangan"],
                "Akun": todo["akun"].replace("", "–"),
                "E-mail": todo["email"].replace("", "–"),
            }
        )
        st.dataframe(reminder, hide_index=True)
        st.download_button(
            "Unduh daftar pengingat (CSV)",
            exports.csv_bytes(reminder),  # names and e-mails stay text in Excel
            file_name=f"pengingat_{tahun_ingat}.csv",
            mime="text/csv",
            key="pengingat_unduh",
        )

status = st.radio(
    "Status",
    ["diajukan", "diverifikasi", "dikembalikan", "final"],
    format_func=lambda s: STATUS_LABELS[s],
    horizontal=True,
    key="pemeriksaan_status",
)
queue = data_review.antrean(status)
guard.stop_if_empty(queue, f"Tidak ada pengiriman berstatus {STATUS_LABELS[status]}.")


def label(row) -> str:
    who = row.nama_opd if isinstance(row.nama_opd, str) else row.nama_wilayah
    periode = label_periode(row.tahun, row.triwulan)
    return f"#{row.submission_id} · {FORM_LABELS[row.form]} · {who} · {periode}"


labels = {int(r.submission_id): label(r) for r in queue.itertuples()}
st.caption(f"{fmt.angka(len(queue))} pengiriman, yang paling lama menunggu di atas.")
st.dataframe(
    pd.DataFrame(
        {
            "Pengiriman": list(labels.values()),
            "Diunggah oleh": queue["diunggah_oleh"],
            "Diunggah": queue["diunggah_pada"].map(fmt.waktu),
            "Waktu kirim": queue["waktu_kirim"],
            "Baris": queue["jumlah_baris"].map(fmt.angka),
        }
    ),
    hide_index=True,
)

chosen = st.selectbox(
    "Pengiriman yang diperiksa", list(labels), format_func=labels.get, key="pemeriksaan_pilih"
)
detail = data_review.rincian(int(chosen))
sub = detail["submission"]

st.subheader(detail["judul"])
c1, c2, c3 = st.columns(3)
c1.metric("Status", STATUS_LABELS[sub["status"]])
c2.metric("Lama proses (hari)", fmt.angka(detail["durasi"].total.total_seconds() / 86400, 1))
c3.metric(
    "Di antaranya dikembalikan (hari)",
    fmt.angka(detail["durasi"].dikembalikan.total_seconds() / 86400, 1),
)
st.caption(
    f"Berkas {sub['nama_berkas'] or '–'} diunggah oleh {sub['diunggah_oleh']} pada "
    f"{fmt.waktu(sub['diunggah_pada'])}"
    + f" · {review_waktu(sub)}"
    + (f" · menggantikan pengiriman #{sub['menggantikan_id']}" if sub["menggantikan_id"] else "")
)

warnings = detail["peringatan"]
if not warnings.empty:
    st.warning(f"{fmt.angka(len(warnings))} peringatan validasi dari unggahan:")
    shown = pd.DataFrame(  # a table that wraps its messages; no raw None
        {
            "Lembar": warnings["lembar"].fillna("–"),
            "Baris": ["–" if pd.isna(b) else str(int(b)) for b in warnings["baris"]],
            "Kolom": warnings["kolom"].fillna("–"),
            "Pesan": warnings["pesan"],
        }
    )
    st.table(shown.set_index("Lembar"))

with st.expander("Riwayat status dan komentar", expanded=sub["status"] != "diajukan"):
    history = detail["riwayat"]
    st.table(
        pd.DataFrame(
            {
                "Waktu": history["waktu"].map(fmt.waktu),
                "Pengiriman": history["submission_id"].map(lambda i: f"#{i}"),
                "Dari": history["dari"].map(lambda s: STATUS_LABELS.get(s, "–")),
                "Ke": history["ke"].map(STATUS_LABELS),
                "Oleh": history["oleh"],
                "Keterangan": history["keterangan"].fillna("–"),
            }
        ).set_index("Waktu")
    )
    notes = detail["komentar"]
    for note in notes.itertuples():
        where = "Seluruh berkas" if note.baris is None or pd.isna(note.baris) else note.baris
        st.markdown(
            f"- #{note.submission_id} *{where}*: {note.komentar} — {note.oleh}, "
            f"{fmt.waktu(note.waktu)}"
        )

st.subheader("Data dibanding periode sebelumnya")
compare = detail["banding"]
key_col = "kode_ikk" if "kode_ikk" in compare.columns else "kode_layanan"
LABELS = {
    "kode_layanan": "Kode",
    "layanan": "Jenis pelayanan dasar",
    "jumlah_sasaran": "Sasaran",
    "sasaran_sebelumnya": "Sasaran periode lalu",
    "jumlah_terlayani": "Terlayani",
    "terlayani_sebelumnya": "Terlayani periode lalu",
    "perubahan_sasaran_persen": "Perubahan sasaran (%)",
    "mutu_barang_jasa_kebutuhan": "Barang/jasa dibutuhkan",
    "mutu_barang_jasa_tersedia": "Barang/jasa tersedia",
    "mutu_sdm_kebutuhan": "SDM dibutuhkan",
    "mutu_sdm_tersedia": "SDM tersedia",
    "anggaran_rencana": "Anggaran rencana (Rp)",
    "anggaran_realisasi": "Anggaran realisasi (Rp)",
    "permasalahan": "Permasalahan",
    "solusi": "Solusi",
    "kode_ikk": "Kode",
    "indikator": "Indikator",
    "satuan": "Satuan",
    "pembilang": "Pembilang",
    "penyebut": "Penyebut",
    "capaian": "Capaian",
    "capaian_sebelumnya": "Capaian tahun lalu",
    "perubahan": "Perubahan",
    "data_dukung": "Data dukung",
    "keterangan": "Keterangan",
}
DECIMALS = {"perubahan_sasaran_persen": 1, "capaian": 2, "capaian_sebelumnya": 2, "perubahan": 2}


def shown_value(col: str, value) -> str:
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return "–"
    return fmt.angka(value, DECIMALS.get(col, 0))


row_comments: dict[str, str] = {}
if compare.empty:
    st.write("Data baris untuk pengiriman ini tidak ditemukan.")
else:
    display = pd.DataFrame(
        {LABELS.get(c, c): [shown_value(c, v) for v in compare[c]] for c in compare.columns}
    )
    if sub["status"] in ("diajukan", "diverifikasi"):
        display["Komentar untuk baris ini"] = ""
        edited = st.data_editor(
            display,
            hide_index=True,
            disabled=[c for c in display.columns if c != "Komentar untuk baris ini"],
            key=f"banding_{chosen}",
        )
        row_comments = {
            str(k): str(v)
            for k, v in zip(compare[key_col], edited["Komentar untuk baris ini"], strict=True)
            if isinstance(v, str) and v.strip()
        }
    else:
        st.dataframe(display, hide_index=True)

st.subheader("Tindakan")
if sub["status"] in ("diajukan", "diverifikasi"):
    col_ok, col_back = st.columns(2)
    with col_ok:
        if sub["status"] == "diajukan":
            note = st.text_input("Catatan verifikasi (opsional)", key="catatan_verifikasi")
            if st.button("Verifikasi", type="primary", key="verifikasi"):
                act(
                    lambda: data_review.verifikasi(int(chosen), note or None),
                    f"Pengiriman #{chosen} diverifikasi.",
                    FLASH,
                )
        else:
            st.write("Data sudah diverifikasi. Finalkan untuk mengunci data.")
            if st.button("Finalkan", type="primary", key="finalkan"):
                act(
                    lambda: data_review.finalkan(int(chosen)),
                    f"Pengiriman #{chosen} final dan terkunci.",
                    FLASH,
                )
    with col_back:
        comment = st.text_area(
            "Alasan pengembalian (untuk seluruh berkas)",
            key="alasan_kembali",
            help="Komentar per baris ditulis di kolom 'Komentar untuk baris ini' di atas.",
        )
        if row_comments:
            st.caption(f"{len(row_comments)} komentar baris akan ikut dikirim.")
        if st.button("Kembalikan ke pengunggah", key="kembalikan"):
            act(
                lambda: data_review.kembalikan(int(chosen), comment, row_comments),
                f"Pengiriman #{chosen} dikembalikan ke pengunggah.",
                FLASH,
            )
elif sub["status"] == "dikembalikan":
    st.info("Menunggu pengunggah memperbaiki dan mengunggah ulang.")
elif sub["status"] == "final":
    st.info("Data final dan terkunci.")
    if actor.role == "admin":
        reason = st.text_area("Alasan membuka kembali (wajib)", key="alasan_buka")
        if st.button("Buka kembali", key="buka_kembali"):
            act(
                lambda: data_review.buka_kembali(int(chosen), reason),
                f"Pengiriman #{chosen} dibuka kembali dan masuk antrean Diajukan.",
                FLASH,
            )
    else:
        st.caption("Hanya administrator yang dapat membuka kembali data final.")

if actor.role == "admin" and sub["status"] != "final":
    with st.expander("Tarik pengiriman ini (administrator)"):
        st.caption(
            "Untuk berkas yang diterima karena keliru (mis. tahun salah): datanya keluar dari "
            "semua angka, nilai sebelumnya kembali, dan penarikan tercatat di jejak audit."
        )
        why = st.text_area("Alasan menarik (wajib)", key="alasan_tarik")
        if st.button("Tarik pengiriman", key="tarik"):
            act(
                lambda: data_review.tarik(int(chosen), why),
                f"Pengiriman #{chosen} ditarik.",
                FLASH,
            )
