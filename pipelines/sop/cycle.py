"""The year's SOP cycle: planned dates, what actually happened, evidence, performance.

``start`` copies the SOP in force into ``siklus_langkah`` for year Y: phase A
(implementing Y) and phase B (reporting Y-1), each planned step after step from the
cycle's start date with :class:`pipelines.sop.Calendar`. Step updates move a step
through ``belum mulai -> berjalan (<-> menunggu perbaikan) -> selesai``; time spent
in "menunggu perbaikan" is recorded in ``siklus_perbaikan`` and left out of the
step's measured time, as the SOP's warning says.

Measured and standard time are both counted in working days: a step's standard is
the working days of its planned window, its measured time the working days from its
actual start to its finish (or today) minus the working days waiting for revision.

Steps the system can see complete themselves (:func:`detect`): B2/B3 from the
provincial OPD submissions for Y-1, B4 from the kabupaten/kota submissions for Y-1,
B5 from the yearly provincial report (TW4 of Y-1) being final, B6/B7 from its export
(tables ``laporan`` and ``laporan_ekspor`` of pipelines/laporan.py, when they exist).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.core import settings
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.sop import definition as sop

STATUSES = ("belum mulai", "berjalan", "menunggu perbaikan", "selesai")
ACCEPTED = ("diajukan", "diverifikasi", "final")  # submission statuses that count as handed in


class SiklusError(SpmError):
    """A cycle or step operation that cannot be done."""


@dataclass(frozen=True)
class Detected:
    mulai: dt.date
    selesai: dt.date
    keterangan: str


# -- small helpers ---------------------------------------------------------------------
def parse_step(code: str) -> tuple[str, int]:
    """``'B3'`` -> ``('B', 3)``."""
    match = re.fullmatch(r"\s*([A-Za-z]{1,3})\s*[-.]?\s*(\d{1,3})\s*", code or "")
    if not match:
        raise SiklusError(f"Kode langkah '{code}' tidak sah; tulis fase dan nomor, misalnya A1.")
    return match.group(1).upper(), int(match.group(2))


def check_can_edit(actor: Actor) -> None:
    if not actor.is_privileged:
        raise AccessDenied(
            "Hanya administrator dan analis Biro Pemerintahan yang dapat mengubah siklus SOP."
        )


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _as_date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def calendar_for(db: Database, tahun: int) -> sop.Calendar:
    """The calendar a cycle was planned with (holidays saved at start), else the settings'."""
    raw = db.scalar("SELECT libur_nasional FROM siklus WHERE tahun = ?", [tahun])
    if raw is not None:
        return sop.Calendar(sop.parse_holidays(json.loads(raw)))
    return sop.Calendar(sop.holidays(db))


# -- starting a cycle --------------------------------------------------------------------
def default_start(tahun: int, calendar: sop.Calendar) -> dt.date:
    return calendar.next_working_day(dt.date(tahun, 1, 1))


def start(
    db: Database,
    tahun: int,
    *,
    actor: Actor,
    mulai: dt.date | None = None,
) -> pd.DataFrame:
    """Create year ``tahun``'s cycle from the SOP in force; returns its steps."""
    check_can_edit(actor)
    if not 2000 <= tahun <= 2100:
        raise SiklusError(f"Tahun {tahun} tidak masuk akal; tulis tahun empat angka.")
    if db.scalar("SELECT count(*) FROM siklus WHERE tahun = ?", [tahun]):
        raise SiklusError(
            f"Siklus tahun {tahun} sudah dimulai; lihat dengan 'spm siklus show --year {tahun}'."
        )
    with db.transaction():
        definition = sop.ensure_loaded(db, by=actor.username)
        libur = sop.holidays(db)
        calendar = sop.Calendar(libur)
        first = calendar.next_working_day(mulai or default_start(tahun, calendar))
        db.execute(
            "INSERT INTO siklus (tahun, sop_versi, tanggal_mulai, libur_nasional, dimulai_oleh) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                tahun,
                definition.versi,
                first,
                json.dumps([d.isoformat() for d in libur]),
                actor.username,
            ],
        )
        rows = []
        for fase in sorted({s.fase for s in definition.steps}):
            phase_steps = [s for s in definition.steps if s.fase == fase]
            plan = calendar.plan(first, [(s.durasi_nilai, s.durasi_satuan) for s in phase_steps])
            for step, (p_start, p_end) in zip(phase_steps, plan, strict=True):
                rows.append(
                    [
                        tahun,
                        step.fase,
                        step.nomor,
                        tahun + step.tahun_relatif,
                        step.judul_fase,
                        step.aktivitas,
                        step.pelaku,
                        step.masukan,
                        step.keluaran,
                        step.durasi_nilai,
                        step.durasi_satuan,
                        p_start,
                        p_end,
                    ]
                )
        db.executemany(
            "INSERT INTO siklus_langkah (tahun, fase, nomor, tahun_laporan, judul_fase, aktivitas, "
            "pelaku, masukan, keluaran, durasi_nilai, durasi_satuan, rencana_mulai, "
            "rencana_selesai) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        _audit(db, actor, "mulai_siklus", tahun, None, f"{len(rows)} langkah, mulai {first}")
    return steps(db, tahun)


def years(db: Database) -> list[int]:
    if not db.table_exists("siklus"):
        return []
    return [r[0] for r in db.rows("SELECT tahun FROM siklus ORDER BY tahun")]


def cycle(db: Database, tahun: int) -> dict | None:
    rows = db.dicts("SELECT * FROM siklus WHERE tahun = ?", [tahun])
    return rows[0] if rows else None


def _require_cycle(db: Database, tahun: int) -> None:
    if not db.table_exists("siklus") or cycle(db, tahun) is None:
        raise SiklusError(
            f"Siklus tahun {tahun} belum dimulai; jalankan 'spm siklus start --year {tahun}'."
        )


# -- reading a cycle ---------------------------------------------------------------------
STEP_COLUMNS = [
    "tahun",
    "fase",
    "nomor",
    "kode",
    "tahun_laporan",
    "judul_fase",
    "aktivitas",
    "pelaku",
    "masukan",
    "keluaran",
    "durasi_nilai",
    "durasi_satuan",
    "waktu_baku",
    "rencana_mulai",
    "rencana_selesai",
    "mulai",
    "selesai",
    "status",
    "penanggung_jawab",
    "selesai_otomatis",
    "hari_baku",
    "hari_terukur",
    "hari_perbaikan",
    "jumlah_perbaikan",
    "terlambat",
    "lewat_rencana",
    "jumlah_bukti",
]


def steps(
    db: Database, tahun: int, *, today: dt.date | None = None, detect_auto: bool = True
) -> pd.DataFrame:
    """The cycle's steps in order with plan, actuals, measured time and late flags.

    Steps the system sees complete (:func:`detect`) but nobody recorded yet are shown
    as ``selesai`` with ``selesai_otomatis`` saying why (``sync`` stores them).
    """
    _require_cycle(db, tahun)
    today = _today(today)
    frame = db.df(
        "SELECT l.*, (SELECT count(*) FROM siklus_bukti b WHERE b.tahun = l.tahun "
        "AND b.fase = l.fase AND b.nomor = l.nomor) AS jumlah_bukti "
        "FROM siklus_langkah l WHERE l.tahun = ? ORDER BY l.fase, l.nomor",
        [tahun],
    )
    for col in ("rencana_mulai", "rencana_selesai", "mulai", "selesai"):
        frame[col] = pd.Series([_as_date(v) for v in frame[col]], index=frame.index, dtype=object)
    revisions = db.df(
        "SELECT fase, nomor, mulai, selesai FROM siklus_perbaikan WHERE tahun = ?", [tahun]
    )
    if detect_auto:
        for (fase, nomor), found in detect(db, tahun).items():
            idx = frame.index[(frame["fase"] == fase) & (frame["nomor"] == nomor)]
            if len(idx) and frame.loc[idx[0], "status"] != "selesai":
                i = idx[0]
                current_start = _as_date(frame.loc[i, "mulai"])
                frame.loc[i, "mulai"] = current_start or min(found.mulai, found.selesai)
                frame.loc[i, "selesai"] = found.selesai
                frame.loc[i, "status"] = "selesai"
                frame.loc[i, "selesai_otomatis"] = found.keterangan
    return measure(frame, revisions, calendar_for(db, tahun), today)


def measure(
    frame: pd.DataFrame, revisions: pd.DataFrame, calendar: sop.Calendar, today: dt.date
) -> pd.DataFrame:
    """Add standard and measured working days and the late flags to a steps frame."""
    out = frame.copy()
    out["kode"] = out["fase"] + out["nomor"].astype(str)
    out["waktu_baku"] = [
        f"{v} {sop.UNIT_LABELS[u]}"
        for v, u in zip(out["durasi_nilai"], out["durasi_satuan"], strict=True)
    ]
    baku, terukur, perbaikan, jumlah, late, past_plan = [], [], [], [], [], []
    by_step: dict[tuple[str, int], list[tuple[dt.date, dt.date | None]]] = {}
    for fase, nomor, r_start, r_end in revisions[["fase", "nomor", "mulai", "selesai"]].itertuples(
        index=False
    ):
        by_step.setdefault((fase, int(nomor)), []).append((_as_date(r_start), _as_date(r_end)))
    for row in out.itertuples():
        p_start, p_end = _as_date(row.rencana_mulai), _as_date(row.rencana_selesai)
        a_start, a_end = _as_date(row.mulai), _as_date(row.selesai)
        standard = max(calendar.working_days(p_start, p_end), 1)
        own = by_step.get((row.fase, int(row.nomor)), [])
        rev_days = 0
        for r_start, r_end in own:
            last = (r_end - dt.timedelta(days=1)) if r_end else (a_end or today)
            rev_days += calendar.working_days(r_start, last)
        if a_start is None:
            measured = None
        else:
            measured = max(calendar.working_days(a_start, a_end or today) - rev_days, 0)
        done = row.status == "selesai"
        baku.append(standard)
        terukur.append(measured)
        perbaikan.append(rev_days)
        jumlah.append(len(own))
        late.append(
            bool(measured is not None and measured > standard) or (not done and today > p_end)
        )
        past_plan.append(bool((a_end or today) > p_end) if done or today > p_end else False)
    out["hari_baku"] = baku
    out["hari_terukur"] = pd.array(terukur, dtype="Int64")
    out["hari_perbaikan"] = perbaikan
    out["jumlah_perbaikan"] = jumlah
    out["terlambat"] = late
    out["lewat_rencana"] = past_plan
    if "jumlah_bukti" not in out:
        out["jumlah_bukti"] = 0
    for col in ("rencana_mulai", "rencana_selesai", "mulai", "selesai"):
        out[col] = [_as_date(v) for v in out[col]]
    for col in ("masukan", "keluaran", "penanggung_jawab", "selesai_otomatis"):
        out[col] = pd.Series(
            [v if isinstance(v, str) and v else None for v in out[col]],
            index=out.index,
            dtype=object,
        )
    return out[STEP_COLUMNS].reset_index(drop=True)


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per phase: steps done, the current step (first not done) and late steps."""
    rows = []
    for fase, group in frame.groupby("fase", sort=True):
        open_steps = group[group["status"] != "selesai"]
        current = open_steps.iloc[0] if len(open_steps) else None
        rows.append(
            {
                "fase": fase,
                "judul_fase": group["judul_fase"].iloc[0],
                "tahun_laporan": int(group["tahun_laporan"].iloc[0]),
                "jumlah_langkah": len(group),
                "selesai": int((group["status"] == "selesai").sum()),
                "langkah_sekarang": None if current is None else current["kode"],
                "status_sekarang": None if current is None else current["status"],
                "terlambat": int(group["terlambat"].sum()),
            }
        )
    return pd.DataFrame(rows)


def this_week(frame: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """What must happen this week (Monday-Sunday of ``today``), most urgent first.

    Open steps that are running, waiting for revision, late, planned to start or end
    this week, or next in line because the step before them is done.
    """
    today = _today(today)
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)
    rows = []
    for fase, group in frame.groupby("fase", sort=True):
        prev_done = True
        for row in group.itertuples():
            if row.status == "selesai":
                prev_done = True
                continue
            reason = None
            if row.status == "menunggu perbaikan":
                reason = "Menunggu perbaikan dokumen; tindak lanjuti agar dapat dilanjutkan."
            elif row.status == "berjalan" and row.rencana_selesai < monday:
                reason = f"Terlambat: rencana selesai {row.rencana_selesai.isoformat()}."
            elif row.status == "berjalan" and row.rencana_selesai <= sunday:
                reason = "Rencana selesai minggu ini."
            elif row.status == "berjalan":
                reason = "Sedang berjalan."
            elif prev_done and row.rencana_mulai < monday:
                reason = "Terlambat mulai: langkah sebelumnya sudah selesai."
            elif monday <= row.rencana_mulai <= sunday:
                reason = "Rencana mulai minggu ini."
            elif prev_done:
                reason = "Langkah berikutnya: langkah sebelumnya sudah selesai."
            prev_done = False
            if reason:
                rows.append(
                    {
                        "kode": row.kode,
                        "fase": fase,
                        "aktivitas": row.aktivitas,
                        "pelaku": row.pelaku,
                        "penanggung_jawab": row.penanggung_jawab,
                        "status": row.status,
                        "rencana_mulai": row.rencana_mulai,
                        "rencana_selesai": row.rencana_selesai,
                        "terlambat": bool(row.terlambat),
                        "alasan": reason,
                    }
                )
    out = pd.DataFrame(
        rows,
        columns=[
            "kode",
            "fase",
            "aktivitas",
            "pelaku",
            "penanggung_jawab",
            "status",
            "rencana_mulai",
            "rencana_selesai",
            "terlambat",
            "alasan",
        ],
    )
    return out.sort_values(["terlambat", "rencana_selesai"], ascending=[False, True]).reset_index(
        drop=True
    )


# -- updating a step -------------------------------------------------------------------
def _step_row(db: Database, tahun: int, kode: str) -> dict:
    _require_cycle(db, tahun)
    fase, nomor = parse_step(kode)
    rows = db.dicts(
        "SELECT * FROM siklus_langkah WHERE tahun = ? AND fase = ? AND nomor = ?",
        [tahun, fase, nomor],
    )
    if not rows:
        known = ", ".join(
            f"{f}{n}"
            for f, n in db.rows(
                "SELECT fase, nomor FROM siklus_langkah WHERE tahun = ? ORDER BY fase, nomor",
                [tahun],
            )
        )
        raise SiklusError(f"Langkah {fase}{nomor} tidak ada di siklus {tahun}; pilihan: {known}.")
    return rows[0]


def _check_date(row: dict, when: dt.date, today: dt.date, action: str) -> None:
    kode = f"{row['fase']}{row['nomor']}"
    if when > today:
        raise SiklusError(
            f"Tanggal {action} langkah {kode} ({when.isoformat()}) belum terjadi; "
            "isi tanggal hari ini atau sebelumnya."
        )
    started = _as_date(row["mulai"])
    if started and when < started:
        raise SiklusError(
            f"Tanggal {action} langkah {kode} ({when.isoformat()}) sebelum langkah itu dimulai "
            f"({started.isoformat()}); periksa tanggalnya."
        )


def _open_revision(db: Database, tahun: int, fase: str, nomor: int) -> dict | None:
    rows = db.dicts(
        "SELECT * FROM siklus_perbaikan WHERE tahun = ? AND fase = ? AND nomor = ? "
        "AND selesai IS NULL",
        [tahun, fase, nomor],
    )
    return rows[0] if rows else None


def _set(db: Database, row: dict, actor: Actor, **values) -> None:
    cols = ", ".join(f"{k} = ?" for k in values)
    db.execute(
        f"UPDATE siklus_langkah SET {cols}, diubah_oleh = ?, diubah_pada = current_timestamp "
        "WHERE tahun = ? AND fase = ? AND nomor = ?",
        [*values.values(), actor.username, row["tahun"], row["fase"], row["nomor"]],
    )


def _audit(
    db: Database, actor: Actor, aksi: str, tahun: int, kode: str | None, keterangan: str | None
) -> None:
    objek = f"siklus {tahun}" + (f" langkah {kode}" if kode else "")
    audit.record(db, actor, aksi, objek, keterangan=keterangan)


def start_step(
    db: Database,
    tahun: int,
    kode: str,
    *,
    actor: Actor,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    """belum mulai -> berjalan on ``tanggal`` (default today)."""
    check_can_edit(actor)
    today = _today(today)
    when = tanggal or today
    with db.transaction():
        row = _step_row(db, tahun, kode)
        if row["status"] != "belum mulai":
            raise SiklusError(
                f"Langkah {row['fase']}{row['nomor']} sudah dimulai (status {row['status']})."
            )
        _check_date(row, when, today, "mulai")
        _set(db, row, actor, status="berjalan", mulai=when)
        _audit(db, actor, "mulai_langkah", tahun, f"{row['fase']}{row['nomor']}", when.isoformat())
    return _step_row(db, tahun, kode)


def finish_step(
    db: Database,
    tahun: int,
    kode: str,
    *,
    actor: Actor,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
    keterangan: str | None = None,
) -> dict:
    """berjalan / menunggu perbaikan -> selesai on ``tanggal`` (closes an open revision)."""
    check_can_edit(actor)
    today = _today(today)
    when = tanggal or today
    with db.transaction():
        row = _step_row(db, tahun, kode)
        label = f"{row['fase']}{row['nomor']}"
        if row["status"] == "belum mulai":
            raise SiklusError(
                f"Langkah {label} belum dimulai; catat dulu tanggal mulainya "
                f"('spm siklus step start --year {tahun} {label}')."
            )
        if row["status"] == "selesai":
            raise SiklusError(f"Langkah {label} sudah selesai pada {row['selesai']}.")
        _check_date(row, when, today, "selesai")
        _close_revision(db, row, when)
        _set(db, row, actor, status="selesai", selesai=when, selesai_otomatis=keterangan)
        _audit(db, actor, "selesai_langkah", tahun, label, keterangan or when.isoformat())
    return _step_row(db, tahun, kode)


def _close_revision(db: Database, row: dict, when: dt.date) -> None:
    rev = _open_revision(db, row["tahun"], row["fase"], row["nomor"])
    if rev is None:
        return
    if when < _as_date(rev["mulai"]):
        raise SiklusError(
            f"Tanggal {when.isoformat()} sebelum dokumen langkah {row['fase']}{row['nomor']} "
            f"dikembalikan untuk perbaikan ({rev['mulai']}); periksa tanggalnya."
        )
    db.execute(
        "UPDATE siklus_perbaikan SET selesai = ? WHERE tahun = ? AND fase = ? AND nomor = ? "
        "AND ke = ?",
        [when, row["tahun"], row["fase"], row["nomor"], rev["ke"]],
    )


def send_back(
    db: Database,
    tahun: int,
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
    check_can_edit(actor)
    today = _today(today)
    when = tanggal or today
    with db.transaction():
        row = _step_row(db, tahun, kode)
        label = f"{row['fase']}{row['nomor']}"
        if row["status"] not in ("berjalan", "selesai"):
            raise SiklusError(
                f"Langkah {label} berstatus {row['status']}; hanya langkah yang berjalan atau "
                "selesai yang dapat dikembalikan untuk perbaikan."
            )
        _check_date(row, when, today, "pengembalian")
        finished = _as_date(row["selesai"])
        if finished and when < finished:
            raise SiklusError(
                f"Tanggal pengembalian ({when.isoformat()}) sebelum langkah {label} selesai "
                f"({finished.isoformat()}); periksa tanggalnya."
            )
        ke = db.scalar(
            "SELECT coalesce(max(ke), 0) + 1 FROM siklus_perbaikan "
            "WHERE tahun = ? AND fase = ? AND nomor = ?",
            [tahun, row["fase"], row["nomor"]],
        )
        # From a finished step, the time since its (premature) finish counts as waiting.
        when_rev = finished or when
        db.execute(
            "INSERT INTO siklus_perbaikan (tahun, fase, nomor, ke, mulai, alasan, dicatat_oleh) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [tahun, row["fase"], row["nomor"], ke, when_rev, alasan, actor.username],
        )
        _set(db, row, actor, status="menunggu perbaikan", selesai=None, selesai_otomatis=None)
        _audit(db, actor, "kembalikan_langkah", tahun, label, alasan)
    return _step_row(db, tahun, kode)


def resume_step(
    db: Database,
    tahun: int,
    kode: str,
    *,
    actor: Actor,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    """The revised document came back: menunggu perbaikan -> berjalan."""
    check_can_edit(actor)
    today = _today(today)
    when = tanggal or today
    with db.transaction():
        row = _step_row(db, tahun, kode)
        label = f"{row['fase']}{row['nomor']}"
        if row["status"] != "menunggu perbaikan":
            raise SiklusError(
                f"Langkah {label} tidak sedang menunggu perbaikan (status {row['status']})."
            )
        _check_date(row, when, today, "lanjut")
        _close_revision(db, row, when)
        _set(db, row, actor, status="berjalan")
        _audit(db, actor, "lanjutkan_langkah", tahun, label, when.isoformat())
    return _step_row(db, tahun, kode)


def assign(db: Database, tahun: int, kode: str, person: str, *, actor: Actor) -> dict:
    """Set the step's responsible person (free text, e.g. a name or a username)."""
    check_can_edit(actor)
    person = " ".join((person or "").split())
    if not person:
        raise SiklusError("Nama penanggung jawab tidak boleh kosong.")
    with db.transaction():
        row = _step_row(db, tahun, kode)
        _set(db, row, actor, penanggung_jawab=person)
        _audit(db, actor, "tugaskan_langkah", tahun, f"{row['fase']}{row['nomor']}", person)
    return _step_row(db, tahun, kode)


def add_note(db: Database, tahun: int, kode: str, text: str, *, actor: Actor) -> int:
    check_can_edit(actor)
    text = (text or "").strip()
    if not text:
        raise SiklusError("Catatan tidak boleh kosong.")
    with db.transaction():
        row = _step_row(db, tahun, kode)
        note_id = db.scalar(
            "INSERT INTO siklus_catatan (tahun, fase, nomor, isi, ditulis_oleh) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            [tahun, row["fase"], row["nomor"], text, actor.username],
        )
    return int(note_id)


def notes(db: Database, tahun: int, kode: str) -> pd.DataFrame:
    fase, nomor = parse_step(kode)
    return db.df(
        "SELECT id, isi, ditulis_oleh, ditulis_pada FROM siklus_catatan "
        "WHERE tahun = ? AND fase = ? AND nomor = ? ORDER BY ditulis_pada, id",
        [tahun, fase, nomor],
    )


def revisions(db: Database, tahun: int, kode: str | None = None) -> pd.DataFrame:
    sql = (
        "SELECT fase || nomor AS kode, ke, mulai, selesai, alasan, dicatat_oleh "
        "FROM siklus_perbaikan WHERE tahun = ?"
    )
    params: list = [tahun]
    if kode:
        fase, nomor = parse_step(kode)
        sql += " AND fase = ? AND nomor = ?"
        params += [fase, nomor]
    return db.df(sql + " ORDER BY fase, nomor, ke", params)


# -- evidence --------------------------------------------------------------------------
def attach(
    db: Database,
    tahun: int,
    kode: str,
    nama_berkas: str,
    content: bytes,
    *,
    actor: Actor,
    keterangan: str | None = None,
) -> int:
    """Store ``content`` by SHA-256 and record it as evidence of the step; returns its id."""
    check_can_edit(actor)
    name = Path(nama_berkas or "").name.strip()
    if not name:
        raise SiklusError("Nama berkas bukti tidak boleh kosong.")
    if not content:
        raise SiklusError(f"Berkas {name} kosong; pilih berkas yang berisi dokumen bukti.")
    limit_mb = settings.current(db).get("ukuran_berkas_maks_mb", 10)
    if len(content) > limit_mb * 1024 * 1024:
        raise SiklusError(
            f"Berkas {name} lebih besar dari batas {limit_mb} MB; perkecil atau pisahkan berkasnya."
        )
    row = _step_row(db, tahun, kode)
    digest = files.keep_evidence(db, content)
    with db.transaction():
        new_id = db.scalar(
            "INSERT INTO siklus_bukti (tahun, fase, nomor, nama_berkas, sha256, ukuran, "
            "keterangan, diunggah_oleh) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                tahun,
                row["fase"],
                row["nomor"],
                name,
                digest,
                len(content),
                keterangan,
                actor.username,
            ],
        )
        _audit(
            db, actor, "lampirkan_bukti", tahun, f"{row['fase']}{row['nomor']}", f"{name} {digest}"
        )
    return int(new_id)


def evidence(db: Database, tahun: int, kode: str | None = None) -> pd.DataFrame:
    sql = (
        "SELECT id, fase || nomor AS kode, nama_berkas, sha256, ukuran, keterangan, "
        "diunggah_oleh, diunggah_pada FROM siklus_bukti WHERE tahun = ?"
    )
    params: list = [tahun]
    if kode:
        fase, nomor = parse_step(kode)
        sql += " AND fase = ? AND nomor = ?"
        params += [fase, nomor]
    return db.df(sql + " ORDER BY fase, nomor, diunggah_pada, id", params)


def evidence_bytes(db: Database, bukti_id: int) -> tuple[str, bytes]:
    """The file name and exact bytes of evidence ``bukti_id`` (checked against its hash)."""
    rows = db.dicts("SELECT nama_berkas, sha256 FROM siklus_bukti WHERE id = ?", [bukti_id])
    if not rows:
        raise SiklusError(f"Bukti nomor {bukti_id} tidak ada.")
    name = rows[0]["nama_berkas"]
    try:
        return name, files.read_evidence(db, rows[0]["sha256"], name)
    except files.StoredFileMissing as exc:
        raise SiklusError(str(exc)) from None


# -- what the system can see -------------------------------------------------------------
def detect(db: Database, tahun: int) -> dict[tuple[str, int], Detected]:
    """Steps of phase B whose completion the data shows, with the dates it shows."""
    report_year = tahun - 1
    found: dict[tuple[str, int], Detected] = {}
    opds = [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT kode_opd FROM layanan WHERE tingkat = 'provinsi' "
            "AND kode_opd IS NOT NULL ORDER BY 1"
        )
    ]
    prov = settings.served_province(db)
    if opds:
        subs = db.df(
            "SELECT kode_opd, status, diunggah_pada FROM submission WHERE form = 'spm-provinsi' "
            "AND tahun = ? AND triwulan = 4 AND kode_wilayah = ?",
            [report_year, prov],
        )
        drafted = subs.groupby("kode_opd")["diunggah_pada"].min()
        if set(opds) <= set(drafted.index):
            first = drafted.min().date()
            found[("B", 2)] = Detected(
                first,
                drafted[opds].max().date(),
                f"Semua {len(opds)} perangkat daerah sudah menyusun laporan SPM {report_year}.",
            )
        handed = subs[subs["status"].isin(ACCEPTED)].groupby("kode_opd")["diunggah_pada"].min()
        if set(opds) <= set(handed.index):
            found[("B", 3)] = Detected(
                drafted.min().date(),
                handed[opds].max().date(),
                f"Semua {len(opds)} perangkat daerah sudah menyerahkan laporan SPM {report_year}.",
            )
    regions = [
        r[0]
        for r in db.rows(
            "SELECT kode FROM wilayah WHERE tingkat = 'kabupaten/kota' AND kode_provinsi = ?",
            [prov],
        )
    ]
    if regions:
        kab = db.df(
            "SELECT kode_wilayah, status, diunggah_pada FROM submission WHERE form = 'spm-kabkota' "
            "AND tahun = ? AND triwulan = 4",
            [report_year],
        )
        accepted = kab[kab["status"].isin(ACCEPTED)].groupby("kode_wilayah")["diunggah_pada"].min()
        if set(regions) <= set(accepted.index):
            found[("B", 4)] = Detected(
                kab["diunggah_pada"].min().date(),
                accepted[regions].max().date(),
                f"Data triwulan IV {report_year} dari semua {len(regions)} kabupaten/kota "
                "sudah lengkap.",
            )
    # The yearly provincial report (pipelines/laporan.py): TW4 of Y-1, package of the province.
    yearly = "jenis = 'laporan-spm-provinsi' AND triwulan = 4 AND tahun = ? AND status = 'final'"
    if db.table_exists("laporan"):
        final = db.scalar(f"SELECT min(difinalkan_pada) FROM laporan WHERE {yearly}", [report_year])
        if final is not None:
            day = _as_date(final)
            start_b5 = found[("B", 4)].selesai if ("B", 4) in found else day
            found[("B", 5)] = Detected(
                min(start_b5, day), day, f"Laporan SPM {report_year} sudah difinalkan."
            )
    if db.table_exists("laporan_ekspor") and ("B", 5) in found:
        exported = db.scalar(
            "SELECT min(e.dibuat_pada) FROM laporan_ekspor e WHERE e.laporan_id IN "
            f"(SELECT id FROM laporan WHERE {yearly})",
            [report_year],
        )
        if exported is not None:
            day = _as_date(exported)
            text = f"Laporan SPM {report_year} final sudah diekspor."
            found[("B", 6)] = Detected(found[("B", 5)].selesai, day, text)
            found[("B", 7)] = Detected(day, day, text)
    return found


def sync(db: Database, tahun: int, *, actor: Actor) -> list[str]:
    """Record the steps :func:`detect` sees complete; returns their codes."""
    check_can_edit(actor)
    _require_cycle(db, tahun)
    done = []
    with db.transaction():
        for (fase, nomor), found in sorted(detect(db, tahun).items()):
            row = _step_row(db, tahun, f"{fase}{nomor}")
            if row["status"] == "selesai":
                continue
            # Never before the step's start or its open revision (the data may be older).
            rev = _open_revision(db, tahun, fase, nomor)
            finish = max(
                d
                for d in (found.selesai, _as_date(row["mulai"]), rev and _as_date(rev["mulai"]))
                if d
            )
            _close_revision(db, row, finish)
            _set(
                db,
                row,
                actor,
                status="selesai",
                mulai=_as_date(row["mulai"]) or min(found.mulai, found.selesai),
                selesai=finish,
                selesai_otomatis=found.keterangan,
            )
            _audit(db, actor, "selesai_otomatis", tahun, f"{fase}{nomor}", found.keterangan)
            done.append(f"{fase}{nomor}")
    return done


# -- performance across cycles -------------------------------------------------------------
def performance(db: Database, *, today: dt.date | None = None) -> pd.DataFrame:
    """Every finished step of every cycle: measured against standard working days."""
    frames = [steps(db, y, today=today) for y in years(db)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(
            columns=[
                "tahun",
                "kode",
                "aktivitas",
                "hari_baku",
                "hari_terukur",
                "hari_perbaikan",
                "rasio",
                "terlambat",
            ]
        )
    data = pd.concat(frames, ignore_index=True)
    data = data[data["status"] == "selesai"].copy()
    data["hari_terukur"] = data["hari_terukur"].astype(float)
    data["rasio"] = data["hari_terukur"] / data["hari_baku"]
    return data[
        [
            "tahun",
            "fase",
            "nomor",
            "kode",
            "aktivitas",
            "waktu_baku",
            "hari_baku",
            "hari_terukur",
            "hari_perbaikan",
            "rasio",
            "terlambat",
        ]
    ].reset_index(drop=True)


def performance_by_step(perf: pd.DataFrame) -> pd.DataFrame:
    """Per step across cycles: how often late, average and worst ratio to standard time."""
    if perf.empty:
        return pd.DataFrame(
            columns=[
                "kode",
                "aktivitas",
                "siklus",
                "terlambat",
                "rasio_rata",
                "rasio_maks",
                "hari_perbaikan_rata",
                "selalu_terlambat",
            ]
        )
    grouped = perf.groupby(["fase", "nomor", "kode"], sort=True)
    out = grouped.agg(
        aktivitas=("aktivitas", "first"),
        siklus=("tahun", "nunique"),
        terlambat=("terlambat", "sum"),
        rasio_rata=("rasio", "mean"),
        rasio_maks=("rasio", "max"),
        hari_perbaikan_rata=("hari_perbaikan", "mean"),
    ).reset_index()
    out["terlambat"] = out["terlambat"].astype(int)
    out["selalu_terlambat"] = (out["terlambat"] == out["siklus"]) & (out["siklus"] > 1)
    return out.drop(columns=["fase", "nomor"])


# -- CSV / table output ---------------------------------------------------------------------
SHOW_COLUMNS = {
    "fase": "fase",
    "nomor": "nomor",
    "aktivitas": "aktivitas",
    "pelaku": "pelaku",
    "masukan": "masukan",
    "keluaran": "keluaran",
    "waktu_baku": "waktu_baku",
    "rencana_mulai": "rencana_mulai",
    "rencana_selesai": "rencana_selesai",
    "mulai": "mulai",
    "selesai": "selesai",
    "status": "status",
    "penanggung_jawab": "penanggung_jawab",
    "hari_baku": "hari_baku",
    "hari_terukur": "hari_terukur",
    "hari_perbaikan": "hari_perbaikan",
    "terlambat": "terlambat",
}


def show_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns ``spm siklus show`` prints, dates as ISO strings (empty when none)."""
    out = frame[list(SHOW_COLUMNS)].rename(columns=SHOW_COLUMNS).copy()
    for col in ("rencana_mulai", "rencana_selesai", "mulai", "selesai"):
        out[col] = [d.isoformat() if d else "" for d in out[col]]
    out["terlambat"] = np.where(out["terlambat"], "ya", "tidak")
    return out


# -- demo ----------------------------------------------------------------------------------
# How each step tends to run in the demo: (mean ratio of measured to standard time,
# spread, chance of a revision loop). B2 and B4 wait on others and are nearly always
# late; A2 (the SK) and B5 (the final report) are often sent back.
DEMO_CHARACTER: dict[str, tuple[float, float, float]] = {
    "A1": (1.6, 0.5, 0.0),
    "A2": (1.4, 0.25, 0.5),
    "A3": (1.1, 0.2, 0.0),
    "A4": (0.9, 0.2, 0.0),
    "A5": (1.3, 0.2, 0.2),
    "A6": (1.0, 0.03, 0.0),
    "A7": (1.05, 0.1, 0.0),
    "A8": (1.2, 0.15, 0.4),
    "B1": (0.9, 0.15, 0.0),
    "B2": (1.5, 0.2, 0.2),
    "B3": (1.3, 0.3, 0.3),
    "B4": (1.4, 0.2, 0.1),
    "B5": (1.1, 0.2, 0.6),
    "B6": (0.8, 0.2, 0.0),
    "B7": (2.0, 0.8, 0.0),
}
DEMO_PEOPLE = {
    "Sekretaris Daerah": "Sekretaris Daerah",
    "Biro Pemerintahan": ["Rina Marlina, S.IP.", "Dedi Kurniawan, S.E.", "Yuliana Sari, S.Sos."],
    "Tim Penerapan SPM": "Sekretariat Tim Penerapan SPM",
    "OPD terkait": "Koordinator OPD pengampu SPM",
}
DEMO_ACTOR = Actor("demo", "admin")


def _add_working_days(calendar: sop.Calendar, start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day counting ``start`` (a working day) as the first."""
    return calendar.end_of(calendar.next_working_day(start), max(days, 1), "hari")


def load_demo(db: Database, years: list[int], *, seed: int = 7) -> int:
    """Past SOP cycles with realistic delays and the current one half-way; returns cycles.

    Cycles run for the last three data years (complete) and the year after them
    (in progress: phase B at the final report, phase A at the year-long step A6).
    Deterministic by ``seed``; replaces earlier cycles (call on a demo database only).
    """
    rng = np.random.default_rng(seed + 400)
    for table in ("siklus_bukti", "siklus_catatan", "siklus_perbaikan", "siklus_langkah", "siklus"):
        db.execute(f"DELETE FROM {table}")
    last = max(years)
    cycle_years = [y for y in range(last - 2, last + 2) if y - 1 >= min(years)]
    for tahun in cycle_years:
        current_cycle = tahun == last + 1
        start(db, tahun, actor=DEMO_ACTOR)
        calendar = calendar_for(db, tahun)
        frame = steps(db, tahun, detect_auto=False)
        # The current cycle stops here: (last finished step, status of the next one).
        stop = {"A": (5, "berjalan"), "B": (4, "menunggu perbaikan")} if current_cycle else {}
        updates, revs, notes_rows = [], [], []
        for fase, group in frame.groupby("fase", sort=True):
            day = _as_date(group["rencana_mulai"].iloc[0])
            for row in group.itertuples():
                mean, spread, p_rev = DEMO_CHARACTER.get(row.kode, (1.1, 0.2, 0.1))
                if fase in stop and row.nomor > stop[fase][0] + 1:
                    break
                lag = int(rng.integers(0, 4)) if row.nomor > 1 else int(rng.integers(0, 3))
                a_start = _add_working_days(calendar, day, lag + 1)
                work = max(1, round(row.hari_baku * max(rng.normal(mean, spread), 0.4)))
                rev_days = int(rng.integers(3, 12)) if rng.random() < p_rev else 0
                people = DEMO_PEOPLE.get(row.pelaku, row.pelaku)
                person = (
                    people[int(rng.integers(0, len(people)))]
                    if isinstance(people, list)
                    else people
                )
                running = fase in stop and row.nomor == stop[fase][0] + 1
                if rev_days:
                    split = max(1, work // 2)
                    rev_start = _add_working_days(calendar, a_start, split + 1)
                    rev_end = _add_working_days(calendar, rev_start, rev_days + 1)
                    reason = (
                        "Draf dikembalikan pimpinan untuk perbaikan redaksi dan data."
                        if fase == "B"
                        else "Konsep dikembalikan Bagian Hukum untuk perbaikan."
                    )
                    if running and stop[fase][1] == "menunggu perbaikan":
                        revs.append([tahun, fase, row.nomor, 1, rev_start, None, reason, "demo"])
                        updates.append(
                            [a_start, None, "menunggu perbaikan", person, tahun, fase, row.nomor]
                        )
                        break
                    revs.append([tahun, fase, row.nomor, 1, rev_start, rev_end, reason, "demo"])
                    a_end = _add_working_days(calendar, rev_end, work - split)
                else:
                    if running and stop[fase][1] == "menunggu perbaikan":
                        rev_start = _add_working_days(calendar, a_start, max(2, work // 2))
                        revs.append(
                            [
                                tahun,
                                fase,
                                row.nomor,
                                1,
                                rev_start,
                                None,
                                "Draf laporan dikembalikan Asisten untuk perbaikan data capaian.",
                                "demo",
                            ]
                        )
                        updates.append(
                            [a_start, None, "menunggu perbaikan", person, tahun, fase, row.nomor]
                        )
                        break
                    a_end = _add_working_days(calendar, a_start, work)
                if running:
                    updates.append([a_start, None, "berjalan", person, tahun, fase, row.nomor])
                    break
                updates.append([a_start, a_end, "selesai", person, tahun, fase, row.nomor])
                if row.kode in ("A4", "B1") and rng.random() < 0.7:
                    notes_rows.append(
                        [tahun, fase, row.nomor, "Rapat dihadiri seluruh OPD pengampu SPM.", "demo"]
                    )
                day = a_end + dt.timedelta(days=1)
        db.executemany(
            "UPDATE siklus_langkah SET mulai = ?, selesai = ?, status = ?, penanggung_jawab = ?, "
            "diubah_oleh = 'demo', diubah_pada = current_timestamp "
            "WHERE tahun = ? AND fase = ? AND nomor = ?",
            updates,
        )
        db.executemany(
            "INSERT INTO siklus_perbaikan (tahun, fase, nomor, ke, mulai, selesai, alasan, "
            "dicatat_oleh) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            revs,
        )
        db.executemany(
            "INSERT INTO siklus_catatan (tahun, fase, nomor, isi, ditulis_oleh) VALUES (?, ?, ?, ?, ?)",
            notes_rows,
        )
    return len(cycle_years)
