"""What ingestion hands back: problems, the result of one file, a validated file
ready to commit, a submission's metadata and the outcome of a commit.

``GALAT`` problems refuse a file as a whole; ``PERINGATAN`` are shown and let it
through (and are kept with the submission for the reviewer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from pipelines.core import fmt, forms
from pipelines.errors import SpmError
from pipelines.ingest.readers import RawTable

GALAT = "galat"
PERINGATAN = "peringatan"
SUBMISSION_KEY = ["form", "kode_wilayah", "tahun", "triwulan", "kode_opd"]


class SubmissionLocked(SpmError):
    """The period's submission is final; an administrator must reopen it first."""


@dataclass
class Problem:
    level: str  # 'galat' blocks the file, 'peringatan' lets it through
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    cell: str | None = None  # e.g. 'E12', for highlighting in the error report

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"lembar {self.sheet}")
        if self.row:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f"kolom {self.column}")
        return ", ".join(parts)

    def text(self) -> str:
        where = self.where()
        label = "Galat" if self.level == GALAT else "Peringatan"
        return f"{label} ({where}): {self.message}" if where else f"{label}: {self.message}"


@dataclass
class IngestResult:
    file_name: str
    accepted: bool = False
    form: str | None = None
    kode_wilayah: str | None = None
    tahun: int | None = None
    triwulan: int | None = None
    kode_opd: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"baris": 0, "baru": 0, "berubah": 0, "sama": 0, "dilewati": 0}
    )
    problems: list[Problem] = field(default_factory=list)
    submission_id: int | None = None
    unchanged: bool = False
    late: bool = False
    committed: bool = False
    dry_run: bool = False
    sha256: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == GALAT]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == PERINGATAN]

    def period_text(self) -> str:
        if self.tahun is None:
            return "-"
        if self.triwulan is None:
            return f"tahun {self.tahun}"
        return f"{fmt.triwulan(self.triwulan)} {self.tahun}"

    def summary(self) -> str:
        """One Indonesian line: what happened to the file."""
        c = self.counts
        what = (
            f"{forms.FORM_LABELS.get(self.form or '', self.form or '?')} "
            f"{self.kode_wilayah or '?'}{' (' + self.kode_opd + ')' if self.kode_opd else ''} "
            f"{self.period_text()}"
        )
        if not self.accepted:
            if self.form is None and self.kode_wilayah is None and self.tahun is None:
                return f"{self.file_name}: DITOLAK ({len(self.errors)} galat)."  # unread
            return f"{self.file_name}: DITOLAK ({len(self.errors)} galat) — {what}."
        rows = f"{c['baru']} baru, {c['berubah']} berubah, {c['sama']} sama"
        late = "; terlambat" if self.late else ""
        if self.unchanged:
            return f"{self.file_name}: tidak ada perubahan ({rows}) — {what}."
        if self.dry_run or not self.committed:
            return f"{self.file_name}: dapat diterima ({rows}{late}) — {what}; belum disimpan."
        return (
            f"{self.file_name}: DITERIMA sebagai pengiriman #{self.submission_id} "
            f"({rows}{late}) — {what}."
        )


@dataclass
class Prepared:
    """A validated file, ready for :func:`commit_prepared` when ``result.accepted``."""

    result: IngestResult
    rows: pd.DataFrame  # canonical columns of the form
    data: bytes = b""
    table: RawTable | None = None
    suffix: str = ".xlsx"
    form: str | None = None  # the form read (validate.read_file); None: nothing to check
    items: pd.DataFrame | None = None  # mutu item rows (ingest/mutu_rows.py), if any


@dataclass
class SubmissionMeta:
    form: str
    kode_wilayah: str
    tahun: int
    triwulan: int | None
    kode_opd: str | None = None
    nama_berkas: str | None = None
    sha256: str | None = None
    diunggah_pada: dt.datetime | None = None
    terlambat: bool | None = None  # None: decided by access.check_upload
    status: str = "diajukan"
    catatan: str | None = None
    diunggah_oleh: str | None = None  # defaults to the actor


@dataclass
class CommitOutcome:
    submission_id: int | None
    counts: dict[str, int]
    unchanged: bool
    late: bool
