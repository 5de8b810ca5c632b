"""The demo's SOP cycles: past cycles with realistic delays and the current one half-way."""

from __future__ import annotations

import datetime as dt

import numpy as np

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.sop import cycle, step
from pipelines.sop import definition as sop
from pipelines.sop.step import PROVINSI, as_date

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
WAITING_REASON = "Draf laporan dikembalikan Asisten untuk perbaikan data capaian."


def _add_working_days(calendar: sop.Calendar, start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day counting ``start`` (a working day) as the first."""
    return calendar.end_of(calendar.next_working_day(start), max(days, 1), "hari")


def _person(rng: np.random.Generator, pelaku: str) -> str:
    people = DEMO_PEOPLE.get(pelaku, pelaku)
    return people[int(rng.integers(0, len(people)))] if isinstance(people, list) else people


def _reason(fase: str) -> str:
    if fase == "B":
        return "Draf dikembalikan pimpinan untuk perbaikan redaksi dan data."
    return "Konsep dikembalikan Bagian Hukum untuk perbaikan."


def load_demo(db: Database, years: list[int], *, seed: int = 7) -> int:
    """Past SOP cycles with realistic delays and the current one half-way; returns cycles.

    Cycles run for the last three data years (complete) and the year after them
    (in progress: phase B at the final report, phase A at the year-long step A6).
    Deterministic by ``seed``; replaces earlier cycles (call on a demo database only).
    """
    rng = np.random.default_rng(seed + 400)
    for table in ("siklus_bukti", "siklus_catatan", "siklus_perbaikan", "siklus_langkah", "siklus"):
        db.execute(f"DELETE FROM {table} WHERE kode_sop = ?", [PROVINSI])
    last = max(years)
    cycle_years = [y for y in range(last - 2, last + 2) if y - 1 >= min(years)]
    for tahun in cycle_years:
        cycle.start(db, tahun, actor=DEMO_ACTOR)
        # The current cycle stops here: (last finished step, status of the next one).
        stop = {"A": (5, "berjalan"), "B": (4, "menunggu perbaikan")} if tahun == last + 1 else {}
        _play(db, tahun, rng, stop)
    return len(cycle_years)


def _play(
    db: Database, tahun: int, rng: np.random.Generator, stop: dict[str, tuple[int, str]]
) -> None:
    """Record actual dates, revision loops and notes for cycle ``tahun`` up to ``stop``."""
    calendar = cycle.calendar_for(db, tahun)
    frame = cycle.steps(db, tahun, detect_auto=False)
    ref = step.resolve(db, tahun)
    updates, revs, notes_rows = [], [], []
    for fase, group in frame.groupby("fase", sort=True):
        day = as_date(group["rencana_mulai"].iloc[0])
        for row in group.itertuples():
            mean, spread, p_rev = DEMO_CHARACTER.get(row.kode, (1.1, 0.2, 0.1))
            if fase in stop and row.nomor > stop[fase][0] + 1:
                break
            lag = int(rng.integers(0, 4)) if row.nomor > 1 else int(rng.integers(0, 3))
            a_start = _add_working_days(calendar, day, lag + 1)
            work = max(1, round(row.hari_baku * max(rng.normal(mean, spread), 0.4)))
            rev_days = int(rng.integers(3, 12)) if rng.random() < p_rev else 0
            person = _person(rng, row.pelaku)
            key = [ref.sop, ref.wilayah, tahun, fase, row.nomor]
            running = fase in stop and row.nomor == stop[fase][0] + 1
            split = max(1, work // 2)
            if running and stop[fase][1] == "menunggu perbaikan":
                if rev_days:
                    rev_start = _add_working_days(calendar, a_start, split + 1)
                    reason = _reason(fase)
                else:
                    rev_start = _add_working_days(calendar, a_start, max(2, work // 2))
                    reason = WAITING_REASON
                revs.append([*key, 1, rev_start, None, reason, "demo"])
                updates.append([a_start, None, "menunggu perbaikan", person, *key])
                break
            if rev_days:
                rev_start = _add_working_days(calendar, a_start, split + 1)
                rev_end = _add_working_days(calendar, rev_start, rev_days + 1)
                revs.append([*key, 1, rev_start, rev_end, _reason(fase), "demo"])
                a_end = _add_working_days(calendar, rev_end, work - split)
            else:
                a_end = _add_working_days(calendar, a_start, work)
            if running:
                updates.append([a_start, None, "berjalan", person, *key])
                break
            updates.append([a_start, a_end, "selesai", person, *key])
            if row.kode in ("A4", "B1") and rng.random() < 0.7:
                notes_rows.append([*key, "Rapat dihadiri seluruh OPD pengampu SPM.", "demo"])
            day = a_end + dt.timedelta(days=1)
    record(db, updates, revs, notes_rows)


def record(db: Database, updates: list, revs: list, notes_rows: list) -> None:
    """Write a played cycle: step updates ``[mulai, selesai, status, penanggung_jawab,
    kode_sop, kode_wilayah, tahun, fase, nomor]``, revision loops and notes (keyed alike)."""
    db.executemany(
        "UPDATE siklus_langkah SET mulai = ?, selesai = ?, status = ?, penanggung_jawab = ?, "
        "diubah_oleh = 'demo', diubah_pada = current_timestamp "
        "WHERE kode_sop = ? AND kode_wilayah = ? AND tahun = ? AND fase = ? AND nomor = ?",
        updates,
    )
    db.executemany(
        "INSERT INTO siklus_perbaikan (kode_sop, kode_wilayah, tahun, fase, nomor, ke, mulai, "
        "selesai, alasan, dicatat_oleh) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        revs,
    )
    db.executemany(
        "INSERT INTO siklus_catatan (kode_sop, kode_wilayah, tahun, fase, nomor, isi, "
        "ditulis_oleh) VALUES (?, ?, ?, ?, ?, ?, ?)",
        notes_rows,
    )
