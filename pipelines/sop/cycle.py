"""The year's SOP cycle: starting it, its steps with plan and actuals, measured time.

:func:`start` copies the SOP in force into ``siklus_langkah`` for year Y: phase A
(implementing Y) and phase B (reporting Y-1), each planned step after step from the
cycle's start date with :class:`pipelines.sop.definition.Calendar`. Steps move through
``belum mulai -> berjalan (<-> menunggu perbaikan) -> selesai``
(:mod:`pipelines.sop.transitions`); time spent in "menunggu perbaikan" is recorded in
``siklus_perbaikan`` and left out of the step's measured time, as the SOP's warning says.

Measured and standard time are both counted in working days: a step's standard is
the working days of its planned window, its measured time the working days from its
actual start to its finish (or today) minus the working days waiting for revision.
Steps the data shows complete (:mod:`pipelines.sop.detect`) are shown as done.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.sop import definition as sop
from pipelines.sop import detect, step
from pipelines.sop.step import as_date

STATUSES = ("belum mulai", "berjalan", "menunggu perbaikan", "selesai")


def calendar_for(db: Database, tahun: int) -> sop.Calendar:
    """The calendar a cycle was planned with (holidays saved at start), else the settings'."""
    raw = db.scalar("SELECT libur_nasional FROM siklus WHERE tahun = ?", [tahun])
    if raw is not None:
        return sop.Calendar(dt.date.fromisoformat(d) for d in json.loads(raw))
    return sop.calendar(db, cycle_years(tahun))


def cycle_years(tahun: int) -> range:
    """The years a cycle's plan can reach (phase A runs well into the next year)."""
    return range(tahun - 1, tahun + 3)


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
    step.check_can_edit(actor)
    if not 2000 <= tahun <= 2100:
        raise step.SiklusError(f"Tahun {tahun} tidak masuk akal; tulis tahun empat angka.")
    if db.scalar("SELECT count(*) FROM siklus WHERE tahun = ?", [tahun]):
        raise step.SiklusError(
            f"Siklus tahun {tahun} sudah dimulai; lihat dengan 'spm siklus show --year {tahun}'."
        )
    with db.transaction():
        definition = sop.ensure_loaded(db, by=actor.username)
        calendar = sop.calendar(db, cycle_years(tahun))
        first = calendar.next_working_day(mulai or default_start(tahun, calendar))
        db.execute(
            "INSERT INTO siklus (tahun, sop_versi, tanggal_mulai, libur_nasional, dimulai_oleh) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                tahun,
                definition.versi,
                first,
                json.dumps([d.isoformat() for d in sorted(calendar.libur)]),
                actor.username,
            ],
        )
        rows = []
        for fase in sorted({s.fase for s in definition.steps}):
            phase_steps = [s for s in definition.steps if s.fase == fase]
            plan = calendar.plan(first, [(s.durasi_nilai, s.durasi_satuan) for s in phase_steps])
            for planned, (p_start, p_end) in zip(phase_steps, plan, strict=True):
                rows.append(
                    [
                        tahun,
                        planned.fase,
                        planned.nomor,
                        tahun + planned.tahun_relatif,
                        planned.judul_fase,
                        planned.aktivitas,
                        planned.pelaku,
                        planned.masukan,
                        planned.keluaran,
                        planned.durasi_nilai,
                        planned.durasi_satuan,
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
        step.record(db, actor, "mulai_siklus", tahun, None, f"{len(rows)} langkah, mulai {first}")
    return steps(db, tahun)


def years(db: Database) -> list[int]:
    if not db.table_exists("siklus"):
        return []
    return [r[0] for r in db.rows("SELECT tahun FROM siklus ORDER BY tahun")]


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

    Steps the system sees complete (:func:`pipelines.sop.detect.detect`) but nobody
    recorded yet are shown as ``selesai`` with ``selesai_otomatis`` saying why
    (:func:`pipelines.sop.detect.sync` stores them).
    """
    step.require_cycle(db, tahun)
    today = today or dt.date.today()
    frame = db.df(
        "SELECT l.*, (SELECT count(*) FROM siklus_bukti b WHERE b.tahun = l.tahun "
        "AND b.fase = l.fase AND b.nomor = l.nomor) AS jumlah_bukti "
        "FROM siklus_langkah l WHERE l.tahun = ? ORDER BY l.fase, l.nomor",
        [tahun],
    )
    for col in ("rencana_mulai", "rencana_selesai", "mulai", "selesai"):
        frame[col] = pd.Series([as_date(v) for v in frame[col]], index=frame.index, dtype=object)
    revisions = db.df(
        "SELECT fase, nomor, mulai, selesai FROM siklus_perbaikan WHERE tahun = ?", [tahun]
    )
    if detect_auto:
        for (fase, nomor), found in detect.detect(db, tahun).items():
            idx = frame.index[(frame["fase"] == fase) & (frame["nomor"] == nomor)]
            if len(idx) and frame.loc[idx[0], "status"] != "selesai":
                i = idx[0]
                current_start = as_date(frame.loc[i, "mulai"])
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
        by_step.setdefault((fase, int(nomor)), []).append((as_date(r_start), as_date(r_end)))
    for row in out.itertuples():
        p_start, p_end = as_date(row.rencana_mulai), as_date(row.rencana_selesai)
        a_start, a_end = as_date(row.mulai), as_date(row.selesai)
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
        out[col] = [as_date(v) for v in out[col]]
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


WEEK_COLUMNS = [
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
]


def this_week(frame: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """What must happen this week (Monday-Sunday of ``today``), most urgent first.

    Open steps that are running, waiting for revision, late, planned to start or end
    this week, or next in line because the step before them is done.
    """
    today = today or dt.date.today()
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
                    [
                        row.kode,
                        fase,
                        row.aktivitas,
                        row.pelaku,
                        row.penanggung_jawab,
                        row.status,
                        row.rencana_mulai,
                        row.rencana_selesai,
                        bool(row.terlambat),
                        reason,
                    ]
                )
    out = pd.DataFrame(rows, columns=WEEK_COLUMNS)
    return out.sort_values(["terlambat", "rencana_selesai"], ascending=[False, True]).reset_index(
        drop=True
    )


# -- CSV / table output ---------------------------------------------------------------------
# ``spm siklus show``: a step's columns without the bookkeeping ones.
NOT_SHOWN = {
    "tahun",
    "kode",
    "tahun_laporan",
    "judul_fase",
    "durasi_nilai",
    "durasi_satuan",
    "selesai_otomatis",
    "jumlah_perbaikan",
    "lewat_rencana",
    "jumlah_bukti",
}
SHOW_COLUMNS = [c for c in STEP_COLUMNS if c not in NOT_SHOWN]


def show_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns ``spm siklus show`` prints, dates as ISO strings (empty when none)."""
    out = frame[SHOW_COLUMNS].copy()
    for col in ("rencana_mulai", "rencana_selesai", "mulai", "selesai"):
        out[col] = [d.isoformat() if d else "" for d in out[col]]
    out["terlambat"] = np.where(out["terlambat"], "ya", "tidak")
    return out
