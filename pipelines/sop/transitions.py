"""Moving a step, and what people write on it: start, finish, send back, resume, assign,
notes, and the revision loops.

A step goes ``belum mulai -> berjalan -> selesai``; its document can be sent back for
revision (``menunggu perbaikan``) from ``berjalan`` or ``selesai`` and resumed. Each
loop is a row of ``siklus_perbaikan`` whose working days the step's measured time
leaves out. Every change is checked (who may change the cycle, see
:func:`pipelines.sop.step.check_can_edit`; no date in the future or before the step
started), written with who and when, and audited. ``siklus`` is a cycle reference
(:class:`pipelines.sop.step.Ref`) or a year (the Biro's SOP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.sop import step
from pipelines.sop.step import Ref, SiklusError

REVISIONS = (
    "SELECT fase || nomor AS kode, ke, mulai, selesai, alasan, dicatat_oleh FROM siklus_perbaikan"
)
Siklus = int | Ref


@contextmanager
def _changing(db: Database, siklus: Siklus, kode: str, actor: Actor) -> Iterator[dict]:
    """The step's row, for a change by ``actor`` made in one transaction."""
    step.check_can_edit(actor, step.resolve(db, siklus))
    with db.transaction():
        yield step.row(db, siklus, kode)


def _on(row: dict, tanggal: dt.date | None, today: dt.date | None, action: str) -> dt.date:
    """The date of the change (default today): not in the future, not before the start."""
    today = today or dt.date.today()
    when = tanggal or today
    kode = step.label(row)
    if when > today:
        raise SiklusError(
            f"Tanggal {action} langkah {kode} ({when.isoformat()}) belum terjadi; "
            "isi tanggal hari ini atau sebelumnya."
        )
    started = step.as_date(row["mulai"])
    if started and when < started:
        raise SiklusError(
            f"Tanggal {action} langkah {kode} ({when.isoformat()}) sebelum langkah itu dimulai "
            f"({started.isoformat()}); periksa tanggalnya."
        )
    return when


def start_step(
    db: Database,
    siklus: Siklus,
    kode: str,
    *,
    actor: Actor,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    """belum mulai -> berjalan on ``tanggal`` (default today)."""
    with _changing(db, siklus, kode, actor) as row:
        if row["status"] != "belum mulai":
            raise SiklusError(f"Langkah {step.label(row)} sudah dimulai (status {row['status']}).")
        when = _on(row, tanggal, today, "mulai")
        step.update(db, row, actor, status="berjalan", mulai=when)
        step.record(db, actor, "mulai_langkah", siklus, step.label(row), when.isoformat())
    return step.row(db, siklus, kode)


def finish_step(
    db: Database,
    siklus: Siklus,
    kode: str,
    *,
    actor: Actor,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
    keterangan: str | None = None,
) -> dict:
    """berjalan / menunggu perbaikan -> selesai on ``tanggal`` (closes an open revision)."""
    with _changing(db, siklus, kode, actor) as row:
        label = step.label(row)
        if row["status"] == "belum mulai":
            raise SiklusError(
                f"Langkah {label} belum dimulai; catat dulu tanggal mulainya "
                f"('spm siklus step start {step.step_of(row).cli()} {label}')."
            )
        if row["status"] == "selesai":
            raise SiklusError(f"Langkah {label} sudah selesai pada {row['selesai']}.")
        when = _on(row, tanggal, today, "selesai")
        step.close_revision(db, row, when)
        step.update(db, row, actor, status="selesai", selesai=when, selesai_otomatis=keterangan)
        step.record(db, actor, "selesai_langkah", siklus, label, keterangan or when.isoformat())
    return step.row(db, siklus, kode)


def send_back(
    db: Database,
    siklus: Siklus,
    kode: str,
    *,
    actor: Actor,
    alasan: str | None = None,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    """The step's document went back for revision: -> menunggu perbaikan.

    From ``berjalan``, or from ``selesai`` (a finished document was returned, which
    reopens the step).
    """
    with _changing(db, siklus, kode, actor) as row:
        label = step.label(row)
        if row["status"] not in ("berjalan", "selesai"):
            raise SiklusError(
                f"Langkah {label} berstatus {row['status']}; hanya langkah yang berjalan atau "
                "selesai yang dapat dikembalikan untuk perbaikan."
            )
        when = _on(row, tanggal, today, "pengembalian")
        finished = step.as_date(row["selesai"])
        if finished and when < finished:
            raise SiklusError(
                f"Tanggal pengembalian ({when.isoformat()}) sebelum langkah {label} selesai "
                f"({finished.isoformat()}); periksa tanggalnya."
            )
        ref = step.step_of(row)
        cond, params = ref.where()
        ke = db.scalar(
            "SELECT coalesce(max(ke), 0) + 1 FROM siklus_perbaikan "
            f"WHERE {cond} AND fase = ? AND nomor = ?",
            [*params, row["fase"], row["nomor"]],
        )
        # From a finished step, the time since its (premature) finish counts as waiting.
        db.execute(
            "INSERT INTO siklus_perbaikan (kode_sop, kode_wilayah, tahun, fase, nomor, ke, "
            "mulai, alasan, dicatat_oleh) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*params, row["fase"], row["nomor"], ke, finished or when, alasan, actor.username],
        )
        step.update(
            db, row, actor, status="menunggu perbaikan", selesai=None, selesai_otomatis=None
        )
        step.record(db, actor, "kembalikan_langkah", siklus, label, alasan)
    return step.row(db, siklus, kode)


def resume_step(
    db: Database,
    siklus: Siklus,
    kode: str,
    *,
    actor: Actor,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    """The revised document came back: menunggu perbaikan -> berjalan."""
    with _changing(db, siklus, kode, actor) as row:
        if row["status"] != "menunggu perbaikan":
            raise SiklusError(
                f"Langkah {step.label(row)} tidak sedang menunggu perbaikan "
                f"(status {row['status']})."
            )
        when = _on(row, tanggal, today, "lanjut")
        step.close_revision(db, row, when)
        step.update(db, row, actor, status="berjalan")
        step.record(db, actor, "lanjutkan_langkah", siklus, step.label(row), when.isoformat())
    return step.row(db, siklus, kode)


def assign(db: Database, siklus: Siklus, kode: str, person: str, *, actor: Actor) -> dict:
    """Set the step's responsible person (free text, e.g. a name or a username)."""
    step.check_can_edit(actor, step.resolve(db, siklus))
    person = " ".join((person or "").split())
    if not person:
        raise SiklusError("Nama penanggung jawab tidak boleh kosong.")
    with _changing(db, siklus, kode, actor) as row:
        step.update(db, row, actor, penanggung_jawab=person)
        step.record(db, actor, "tugaskan_langkah", siklus, step.label(row), person)
    return step.row(db, siklus, kode)


def add_note(db: Database, siklus: Siklus, kode: str, text: str, *, actor: Actor) -> int:
    """Write a note on the step; returns its id."""
    step.check_can_edit(actor, step.resolve(db, siklus))
    text = (text or "").strip()
    if not text:
        raise SiklusError("Catatan tidak boleh kosong.")
    with _changing(db, siklus, kode, actor) as row:
        _, params = step.step_of(row).where()
        note_id = db.scalar(
            "INSERT INTO siklus_catatan (kode_sop, kode_wilayah, tahun, fase, nomor, isi, "
            "ditulis_oleh) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [*params, row["fase"], row["nomor"], text, actor.username],
        )
    return int(note_id)


def notes(db: Database, siklus: Siklus, kode: str) -> pd.DataFrame:
    """The step's notes, oldest first."""
    return step.of_cycle(
        db,
        "SELECT id, isi, ditulis_oleh, ditulis_pada FROM siklus_catatan",
        siklus,
        kode,
        "ditulis_pada, id",
    )


def revisions(db: Database, siklus: Siklus, kode: str | None = None) -> pd.DataFrame:
    """The revision loops of the cycle (or of one step): when sent back, when resumed, why."""
    return step.of_cycle(db, REVISIONS, siklus, kode, "fase, nomor, ke")
