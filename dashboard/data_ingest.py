"""Data access for the Unggah Data page: templates, checking and saving uploads.

Checking opens the database read-only; saving goes through the app's single writer
(``pipelines/writer.py``): sessions pressing Simpan at the same time take turns, each
file is confirmed only after its commit, and the file is held only while saving.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.data import db_path, read, session_actor, write
from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.core import forms, settings
from pipelines.db import writer
from pipelines.db.store import Database
from pipelines.ingest import commit, error_report, templates, validate
from pipelines.ingest.result import GALAT, IngestResult, Prepared, Problem, SubmissionLocked


def current_actor() -> Actor:
    """The logged-in user (set by the login page); nobody else may upload."""
    return session_actor()


@dataclass
class TemplateChoices:
    provinsi: str
    provinsi_nama: str
    kabkota: pd.DataFrame  # kode, nama
    opd: pd.DataFrame  # kode, nama (those with provincial services)


@st.cache_data(ttl=60, show_spinner=False)
def template_choices(path: str) -> TemplateChoices:
    del path  # cache key only

    def load(db: Database) -> TemplateChoices:
        prov = settings.served_province(db)
        name = db.scalar("SELECT nama FROM wilayah WHERE kode = ?", [prov]) or prov
        kab = db.df(
            "SELECT kode, nama FROM wilayah WHERE kode_provinsi = ? AND tingkat = 'kabupaten/kota' "
            "ORDER BY kode",
            [prov],
        )
        opd = db.df(
            "SELECT DISTINCT o.kode, o.nama FROM opd o JOIN layanan l ON l.kode_opd = o.kode "
            "WHERE l.tingkat = 'provinsi' ORDER BY o.kode"
        )
        return TemplateChoices(prov, name, kab, opd)

    return read(load)


def template_bytes(spec: templates.TemplateSpec) -> bytes:
    return read(lambda db: templates.to_bytes(db, spec))


def check_files(
    files: list[tuple[str, bytes]],
    actor: Actor,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Prepared]:
    """Validate every file (no writes); one Prepared per file, in order."""
    out = []
    with tempfile.TemporaryDirectory() as tmp, writer.reading(db_path(), wait_seconds=5) as db:
        for i, (name, data) in enumerate(files):
            if progress:
                progress(i, len(files), name)
            path = Path(tmp) / f"{i}{Path(name).suffix.lower()}"
            path.write_bytes(data)
            out.append(validate.prepare(db, path, actor, original_name=name))
        if progress:
            progress(len(files), len(files), "")
    return out


def save(
    prepared: list[Prepared],
    actor: Actor,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[IngestResult]:
    """Commit every accepted file, each atomically through the app's single writer;
    refused ones are returned as they are."""
    results = []
    for i, item in enumerate(prepared):
        if progress:
            progress(i, len(prepared), item.result.file_name)
        if not item.result.accepted:
            results.append(item.result)
            continue
        try:
            results.append(write(lambda db, item=item: commit.commit_prepared(db, item, actor)))
        except (access.AccessDenied, SubmissionLocked) as exc:
            item.result.accepted = False
            item.result.problems.append(Problem(GALAT, None, None, None, str(exc)))
            results.append(item.result)
    if progress:
        progress(len(prepared), len(prepared), "")
    return results


def summary_frame(results: list[IngestResult]) -> pd.DataFrame:
    rows = []
    for r in results:
        if not r.accepted:
            status = "Ditolak"
        elif r.committed:
            status = f"Tersimpan (#{r.submission_id})"
        elif r.unchanged:
            status = "Tidak ada perubahan"
        else:
            status = "Siap disimpan"
        rows.append(
            {
                "Berkas": r.file_name,
                "Formulir": forms.FORM_LABELS.get(r.form or "", r.form or "–"),
                "Wilayah": r.kode_wilayah or "–",
                "OPD": r.kode_opd or "",
                "Periode": r.period_text(),
                "Baru": r.counts["baru"],
                "Berubah": r.counts["berubah"],
                "Sama": r.counts["sama"],
                "Galat": len(r.errors),
                "Peringatan": len(r.warnings),
                "Terlambat": "Ya" if r.late else "",
                "Status": status,
            }
        )
    return pd.DataFrame(rows)


def problems_frame(result: IngestResult) -> pd.DataFrame:
    """Galat first, then peringatan, each in file order."""
    ordered = result.errors + result.warnings
    frame = pd.DataFrame(
        [
            {
                "Tingkat": "Galat" if p.level == GALAT else "Peringatan",
                "Lembar": p.sheet or "",
                "Baris": p.row,
                "Kolom": p.column or "",
                "Pesan": p.message,
            }
            for p in ordered
        ]
    )
    frame["Baris"] = frame["Baris"].astype("Int64")
    return frame


def error_report_bytes(item: Prepared) -> bytes:
    return error_report.build(item.data, item.result.file_name, item.result)


def report_name(file_name: str) -> str:
    return error_report.report_name(file_name)
