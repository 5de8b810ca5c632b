"""A cycle of a procedure: starting it, its steps with plan and actuals, measured time.

A cycle is one procedure run by one region for one year (:class:`pipelines.sop.step.Ref`;
a plain year means the Biro's SOP run by the province served). :func:`start` copies the
procedure in force into ``siklus_langkah``: for the Biro's SOP of year Y phase A
(implementing Y) and phase B (reporting Y-1), for a kabupaten/kota's LPPD or LKPj of
year Y its one phase (reporting Y-1, due by 31 March of Y); each phase planned step
after step from the cycle's start date with :class:`pipelines.sop.definition.Calendar`,
and the procedure's deadline anchor fixed as the cycle's ``batas_waktu``. Steps move through
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
from pipelines.core import fmt, reference, settings
from pipelines.db.store import Database
from pipelines.sop import definition as sop
from pipelines.sop import detect, step
from pipelines.sop.step import PROVINSI, Ref, as_date

STATUSES = ("belum mulai", "berjalan", "menunggu perbaikan", "selesai")


def calendar_for(db: Database, siklus: int | Ref) -> sop.Calendar:
    """The calendar a cycle was planned with (holidays saved at start), else the settings'."""
    ref = step.resolve(db, siklus)
    cond, params = ref.where()
    raw = db.scalar(f"SELECT libur_nasional FROM siklus WHERE {cond}", params)
    return _calendar(db, raw, ref.tahun)


def _calendar(db: Database, libur_nasional: str | None, tahun: int) -> sop.Calendar:
    """The holidays a cycle of ``tahun`` saved at its start (JSON), else the settings'."""
    if libur_nasional is not None:
        return sop.Calendar(dt.date.fromisoformat(d) for d in json.loads(libur_nasional))
    return sop.calendar(db, cycle_years(tahun))


def cycle_years(tahun: int) -> range:
    """The years a cycle's plan can reach (phase A runs well into the next year)."""
    return range(tahun - 1, tahun + 3)


def default_start(tahun: int, calendar: sop.Calendar) -> dt.date:
    return calendar.next_working_day(dt.date(tahun, 1, 1))


def start(
    db: Database,
    siklus: int | Ref,
    *,
    actor: Actor,
    mulai: dt.date | None = None,
) -> pd.DataFrame:
    """Create the cycle from its procedure in force; returns its steps."""
    ref = step.resolve(db, siklus)
    ref = step.ref_for(db, ref.sop, ref.wilayah, ref.tahun)  # the region fits the level
    step.check_can_start(actor, ref)
    tahun = ref.tahun
    if not 2000 <= tahun <= 2100:
        raise step.SiklusError(f"Tahun {tahun} tidak masuk akal; tulis tahun empat angka.")
    if step.cycle(db, ref) is not None:
        raise step.SiklusError(
            f"{fmt.kalimat(ref.text())} sudah dimulai; lihat dengan 'spm siklus show {ref.cli()}'."
        )
    with db.transaction():
        definition = sop.ensure_loaded(db, by=actor.username, kode=ref.sop)
        calendar = sop.calendar(db, cycle_years(tahun))
        first = calendar.next_working_day(mulai or default_start(tahun, calendar))
        db.execute(
            "INSERT INTO siklus (kode_sop, kode_wilayah, tahun, sop_versi, tanggal_mulai, "
            "batas_waktu, libur_nasional, dimulai_oleh) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ref.sop,
                ref.wilayah,
                tahun,
                definition.versi,
                first,
                definition.batas_waktu(tahun),
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
                        ref.sop,
                        ref.wilayah,
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
            "INSERT INTO siklus_langkah (kode_sop, kode_wilayah, tahun, fase, nomor, "
            "tahun_laporan, judul_fase, aktivitas, pelaku, masukan, keluaran, durasi_nilai, "
            "durasi_satuan, rencana_mulai, rencana_selesai) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        step.record(db, actor, "mulai_siklus", ref, None, f"{len(rows)} langkah, mulai {first}")
    return steps(db, ref)


def start_all(
    db: Database, sop_kode: str, tahun: int, *, actor: Actor, mulai: dt.date | None = None
) -> list[str]:
    """Start the cycle of a kabupaten/kota procedure for every kabupaten/kota of the
    province served that has none yet (the Biro setting up the year); returns the
    regions started."""
    started = []
    for kode in reference.kabkota(db)["kode"]:
        ref = step.ref_for(db, sop_kode, kode, tahun)
        if step.cycle(db, ref) is None:
            start(db, ref, actor=actor, mulai=mulai)
            started.append(kode)
    return started


def deadline(db: Database, siklus: int | Ref) -> dt.date | None:
    """The cycle's deadline (``batas_waktu``), None when its procedure has none."""
    row = step.cycle(db, siklus)
    return as_date(row["batas_waktu"]) if row else None


def years(db: Database, sop_kode: str = PROVINSI, wilayah: str | None = None) -> list[int]:
    """The years with a cycle of procedure ``sop_kode`` (for ``wilayah``; default: the
    province served for the Biro's SOP, any region for other procedures)."""
    if not db.table_exists("siklus"):
        return []
    if wilayah is None and sop_kode == PROVINSI:
        wilayah = settings.served_province(db)
    return [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT tahun FROM siklus WHERE kode_sop = ? "
            "AND (? IS NULL OR kode_wilayah = ?) ORDER BY tahun",
            [sop_kode, wilayah, wilayah],
        )
    ]


def cycles(db: Database, sop_kode: str | None = None, *, actor: Actor | None = None) -> list[Ref]:
    """Every cycle (of one procedure) that ``actor`` may see, by procedure, region, year."""
    if not db.table_exists("siklus"):
        return []
    refs = [
        Ref(*r)
        for r in db.rows(
            "SELECT kode_sop, kode_wilayah, tahun FROM siklus WHERE ? IS NULL OR kode_sop = ? "
            "ORDER BY kode_sop, kode_wilayah, tahun",
            [sop_kode, sop_kode],
        )
    ]
    return [r for r in refs if step.can_see(actor, r)]


# -- reading a cycle ---------------------------------------------------------------------
STEP_COLUMNS = [
    "kode_sop",
    "kode_wilayah",
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
    db: Database,
    siklus: int | Ref,
    *,
    today: dt.date | None = None,
    detect_auto: bool = True,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The cycle's steps in order with plan, actuals, measured time and late flags
    (``actor``: who reads; refused when it may not see the cycle).

    Steps the system sees complete (:func:`pipelines.sop.detect.detect`, the Biro's SOP
    only) but nobody recorded yet are shown as ``selesai`` with ``selesai_otomatis``
    saying why (:func:`pipelines.sop.detect.sync` stores them).
    """
    ref = step.require_cycle(db, siklus)
    step.check_can_see(actor, ref)
    return steps_of(db, [ref], today=today, detect_auto=detect_auto)[ref]


def steps_of(
    db: Database,
    refs: list[Ref],
    *,
    today: dt.date | None = None,
    detect_auto: bool = True,
) -> dict[Ref, pd.DataFrame]:
    """:func:`steps` of several cycles, read at once (three queries whatever their
    number, plus what the Biro's SOP detects per year); cycles not started are absent.
    No access check: the caller decides whose cycles it shows."""
    today = today or dt.date.today()
    wanted = set(refs)
    if not wanted or not db.table_exists("siklus"):
        return {}
    # Every cycle of these procedures, regions and years; those not asked for are skipped.
    cond = (
        "list_contains(?, l.kode_sop) AND list_contains(?, l.kode_wilayah) "
        "AND list_contains(?, l.tahun)"
    )
    params = [sorted({getattr(r, part) for r in wanted}) for part in ("sop", "wilayah", "tahun")]
    cycles = db.rows(
        f"SELECT kode_sop, kode_wilayah, tahun, libur_nasional FROM siklus l WHERE {cond} "
        "ORDER BY kode_sop, kode_wilayah, tahun",
        params,
    )
    frame, revisions = _rows(db, cond, params)
    key = ["kode_sop", "kode_wilayah", "tahun"]
    steps_by = {Ref(s, w, int(t)): f for (s, w, t), f in frame.groupby(key, sort=False)}
    revisions_by = {Ref(s, w, int(t)): f for (s, w, t), f in revisions.groupby(key, sort=False)}
    calendars: dict[tuple[str | None, int], sop.Calendar] = {}  # the same holidays saved
    biro = [r.tahun for r in wanted if r.sop == PROVINSI and not r.kabkota]
    detected = detect.detect_years(db, biro) if detect_auto and biro else {}
    found: list[tuple[Ref, pd.DataFrame, pd.DataFrame, sop.Calendar]] = []
    for kode_sop, kode_wilayah, tahun, libur in cycles:
        ref = Ref(kode_sop, kode_wilayah, int(tahun))
        if ref not in wanted:
            continue
        if (libur, ref.tahun) not in calendars:
            calendars[libur, ref.tahun] = _calendar(db, libur, ref.tahun)
        own = steps_by.get(ref, frame.iloc[:0]).reset_index(drop=True)
        if ref.tahun in detected and ref.sop == PROVINSI and not ref.kabkota:
            own = _detected(own, detected[ref.tahun])
        found.append(
            (ref, own, revisions_by.get(ref, revisions.iloc[:0]), calendars[libur, ref.tahun])
        )
    if not found:
        return {}
    # Measured together (a page shows many cycles: one pass, not one per cycle), then
    # each cycle's rows taken back in order.
    measured = measure(
        pd.concat([own for _, own, _, _ in found], ignore_index=True),
        [(rev, cal) for _, _, rev, cal in found],
        [i for i, (_, own, _, _) in enumerate(found) for _ in range(len(own))],
        today,
    )
    out, start = {}, 0
    for ref, own, _, _ in found:
        out[ref] = measured.iloc[start : start + len(own)].reset_index(drop=True)
        start += len(own)
    return out


def _detected(frame: pd.DataFrame, found_steps: dict) -> pd.DataFrame:
    """The Biro's steps the data shows complete (``found_steps``, from
    :func:`detect.detect_years`) but nobody recorded, shown as done."""
    frame = frame.copy()
    for (fase, nomor), found in found_steps.items():
        idx = frame.index[(frame["fase"] == fase) & (frame["nomor"] == nomor)]
        if len(idx) and frame.loc[idx[0], "status"] != "selesai":
            i = idx[0]
            current_start = as_date(frame.loc[i, "mulai"])
            frame.loc[i, "mulai"] = current_start or min(found.mulai, found.selesai)
            frame.loc[i, "selesai"] = found.selesai
            frame.loc[i, "status"] = "selesai"
            frame.loc[i, "selesai_otomatis"] = found.keterangan
    return frame


def _rows(db: Database, cond: str, params: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The steps (with their evidence count) and the revisions of the cycles ``cond``
    selects (on alias ``l``), ordered by cycle, phase and step."""
    frame = db.df(
        "SELECT l.*, (SELECT count(*) FROM siklus_bukti b WHERE b.kode_sop = l.kode_sop "
        "AND b.kode_wilayah = l.kode_wilayah AND b.tahun = l.tahun "
        "AND b.fase = l.fase AND b.nomor = l.nomor) AS jumlah_bukti "
        f"FROM siklus_langkah l WHERE {cond} "
        "ORDER BY l.kode_sop, l.kode_wilayah, l.tahun, l.fase, l.nomor",
        params,
    )
    for col in ("rencana_mulai", "rencana_selesai", "mulai", "selesai"):
        frame[col] = pd.Series([as_date(v) for v in frame[col]], index=frame.index, dtype=object)
    revisions = db.df(
        "SELECT kode_sop, kode_wilayah, tahun, fase, nomor, mulai, selesai "
        f"FROM siklus_perbaikan l WHERE {cond}",
        params,
    )
    return frame, revisions


def measure(
    frame: pd.DataFrame,
    cycles: list[tuple[pd.DataFrame, sop.Calendar]],
    cycle_of_row: list[int],
    today: dt.date,
) -> pd.DataFrame:
    """Add standard and measured working days and the late flags to a steps frame of one
    or several cycles: ``cycles`` holds each cycle's revisions and calendar, and
    ``cycle_of_row`` the index there of each row's cycle."""
    out = frame.copy()
    out["kode"] = out["fase"] + out["nomor"].astype(str)
    out["waktu_baku"] = [
        f"{v} {sop.UNIT_LABELS[u]}"
        for v, u in zip(out["durasi_nilai"], out["durasi_satuan"], strict=True)
    ]
    baku, terukur, perbaikan, jumlah, late, past_plan = [], [], [], [], [], []
    # Per cycle, its revisions by step.
    by_cycle: list[dict[tuple[str, int], list[tuple[dt.date, dt.date | None]]]] = []
    for revisions, _ in cycles:
        by_step: dict[tuple[str, int], list[tuple[dt.date, dt.date | None]]] = {}
        for fase, nomor, r_start, r_end in revisions[
            ["fase", "nomor", "mulai", "selesai"]
        ].itertuples(index=False):
            by_step.setdefault((fase, int(nomor)), []).append((as_date(r_start), as_date(r_end)))
        by_cycle.append(by_step)
    for row, i in zip(out.itertuples(), cycle_of_row, strict=True):
        calendar = cycles[i][1]
        p_start, p_end = as_date(row.rencana_mulai), as_date(row.rencana_selesai)
        a_start, a_end = as_date(row.mulai), as_date(row.selesai)
        standard = max(calendar.working_days(p_start, p_end), 1)
        own = by_cycle[i].get((row.fase, int(row.nomor)), [])
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
    "kode_sop",
    "kode_wilayah",
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
