"""Uploads for the Unggah Data page: template choices and files, checking and saving.

Checking reads each file in a worker process bounded in time and memory
(``pipelines/ingest/worker.py``), holding nothing of the app while it parses, then checks
it against the database read-only; saving goes through the app's single writer
(``pipelines/db/writer.py``): files of sessions pressing Simpan at the same time are
committed together in one transaction, each file is confirmed only after that commit,
and the file is held only while saving. Each file is checked and saved all or nothing
on its own: a problem with one never stops the others.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.data import actor, cached, db_path, read
from pipelines.auth import access, deadlines
from pipelines.auth.access import Actor
from pipelines.core import forms, reference, settings
from pipelines.db import writer
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ingest import against_store, commit, error_report, templates, validate, worker
from pipelines.ingest.result import GALAT, IngestResult, Prepared, Problem, SubmissionLocked


@dataclass
class TemplateChoices:
    provinsi: str
    provinsi_nama: str
    kabkota: pd.DataFrame  # kode, nama
    opd: pd.DataFrame  # kode, nama (those with provincial services)


@cached
def template_choices() -> TemplateChoices:
    def load(db: Database) -> TemplateChoices:
        prov = settings.served_province(db)
        return TemplateChoices(
            prov,
            reference.nama_wilayah(db, prov),
            reference.kabkota(db, prov),
            reference.opd(db, pengampu_saja=True),
        )

    return read(load)


@cached
def status_unggah(
    form: str,
    kode_wilayah: str,
    tahun: int,
    triwulan: int | None,
    kode_opd: str | None = None,
    *,
    actor: Actor,
) -> against_store.UploadState:
    """Whether the logged-in person may send this period now (deadline, exception, lock),
    told before a file is chosen, by the same rules the check of a file applies."""
    return read(
        lambda db: against_store.upload_state(
            db, actor, form, kode_wilayah, tahun, triwulan, kode_opd
        )
    )


@cached
def periode_isian(form: str) -> tuple[int, int | None]:
    """The period the template picker offers first (:func:`deadlines.periode_isian`)."""
    return read(lambda db: deadlines.periode_isian(db, form))


def template_bytes(spec: templates.TemplateSpec) -> bytes:
    who = actor()
    return read(lambda db: templates.to_bytes(db, spec, actor=who))


# Checks against the database are Python work, and the app's Python runs one thread at a
# time: checking several files at once only makes every thread (the writer's commit,
# the pages' reads) queue for Python's lock after each query. One check at a time,
# measured with fifty sessions uploading together: the reads meanwhile p95 190 ms
# (fifty at once: 540 ms) and the uploads done sooner.
_checking = threading.Lock()


def check_files(
    files: list[tuple[str, bytes]],
    actor: Actor,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Prepared]:
    """Validate every file (no writes); one Prepared per file, in order. Each file is
    parsed in a bounded worker process, then checked on a short read-only view.
    ``actor`` is explicit: sessions' threads call this too."""
    bounds = read(validate.limits)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, data) in enumerate(files):
            if progress:
                progress(i, len(files), name)
            path = Path(tmp) / f"{i}{Path(name).suffix.lower()}"
            path.write_bytes(data)
            parsed = worker.read_bounded(path, bounds, original_name=name)
            try:
                with _checking:
                    out.append(read(lambda db, p=parsed: validate.check_read(db, p, actor)))
            except SpmError as exc:  # e.g. the database busy: this file only
                parsed.result.accepted = False
                parsed.result.problems.append(Problem(GALAT, None, None, None, str(exc)))
                out.append(parsed)
    if progress:
        progress(len(files), len(files), "")
    return out


def save(
    prepared: list[Prepared],
    actor: Actor,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[IngestResult]:
    """Commit every accepted file through the app's single writer, each atomically
    (together with what other sessions save at the same moment); refused ones are
    returned as they are."""
    if progress:
        progress(0, len(prepared), f"{len(prepared)} berkas")
    try:
        results = writer.commit_files(prepared, actor, db_path())
        st.cache_data.clear()
    except (access.AccessDenied, SubmissionLocked, SpmError) as exc:
        commit.refuse_unsaved([p for p in prepared if p.result.accepted], str(exc))
        results = [p.result for p in prepared]
    if progress:
        progress(len(prepared), len(prepared), "")
    return results


SUMMARY_COLUMNS = ["Berkas", "Laporan", "Baris", "Masalah", "Status"]


def summary_frame(results: list[IngestResult]) -> pd.DataFrame:
    """One row per file, few enough columns to fit a laptop screen: what the file is for,
    its rows new/changed/unchanged, its problems, and its status (late ones say so; a
    deadline or lock refusal is among the problems)."""
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
        if r.accepted and r.late:
            status += ", terlambat"
        laporan = " · ".join(
            part
            for part in (
                forms.FORM_LABELS.get(r.form or "", r.form or ""),
                (r.kode_wilayah or "") + (f" ({r.kode_opd})" if r.kode_opd else ""),
                r.period_text() if r.tahun else "",
            )
            if part
        )
        c = r.counts
        rows.append(
            {
                "Berkas": r.file_name,
                "Laporan": laporan or "–",
                "Baris": f"{c['baru']} baru · {c['berubah']} berubah · {c['sama']} sama",
                "Masalah": f"{len(r.errors)} galat · {len(r.warnings)} peringatan",
                "Status": status,
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def problems_frame(result: IngestResult) -> pd.DataFrame:
    """Galat first, then peringatan, each in file order."""
    ordered = result.errors + result.warnings
    return pd.DataFrame(
        [
            {
                "Tingkat": "Galat" if p.level == GALAT else "Peringatan",
                "Lembar": p.sheet or "–",
                "Baris": str(p.row) if p.row else "–",
                "Kolom": p.column or "–",
                "Pesan": p.message,
            }
            for p in ordered
        ],
        columns=["Tingkat", "Lembar", "Baris", "Kolom", "Pesan"],
    )


def error_report_bytes(item: Prepared) -> bytes:
    return error_report.build(item.data, item.result.file_name, item.result)


def report_name(file_name: str) -> str:
    return error_report.report_name(file_name)
