"""Jejak audit: every login, upload, status change, unlock, settings and user change."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.components import bahasa, guard
from dashboard.data import audit as data_audit
from pipelines.auth.audit import AKSI_LABELS
from pipelines.core import fmt

guard.require_roles(auth.BIRO)

st.title("Jejak audit")
st.caption("Siapa, kapan, apa, sebelum dan sesudah — terbaru di atas (paling banyak 1.000 baris).")

c1, c2, c3, c4 = st.columns([1, 2, 1, 1])
pengguna = c1.text_input("Pengguna", key="audit_pengguna").strip() or None
aksi = c2.multiselect(
    "Jenis kegiatan",
    list(AKSI_LABELS),
    format_func=AKSI_LABELS.get,
    key="audit_aksi",
    placeholder=bahasa.PILIH_BEBERAPA,
)
sejak = c3.date_input("Sejak", value=None, format="DD/MM/YYYY", key="audit_sejak")
sampai = c4.date_input("Sampai", value=None, format="DD/MM/YYYY", key="audit_sampai")
objek = st.text_input("Objek mengandung", key="audit_objek").strip() or None

log = data_audit.jejak(pengguna, tuple(aksi), objek, sejak, sampai)
guard.stop_if_empty(log, "Tidak ada kegiatan yang cocok dengan saringan ini.")


def readable(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return str(value)
    if isinstance(parsed, dict):
        return "; ".join(f"{k}: {v}" for k, v in parsed.items())
    return str(parsed)


st.dataframe(
    pd.DataFrame(
        {
            "Waktu": log["waktu"].map(fmt.waktu),
            "Pengguna": log["pengguna"],
            "Kegiatan": log["aksi"].map(lambda a: AKSI_LABELS.get(a, a)),
            "Objek": log["objek"].fillna("–"),
            "Sebelum": log["sebelum"].map(readable),
            "Sesudah": log["sesudah"].map(readable),
            "Keterangan": log["keterangan"].fillna("–"),
        }
    ),
    hide_index=True,
)
st.caption(f"{fmt.angka(len(log))} kegiatan ditampilkan · {fmt.tanggal(dt.date.today())}")
