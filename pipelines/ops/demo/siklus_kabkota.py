"""The demo's kabupaten/kota LPPD and LKPj cycles: past years finished (some late), and
the current year with the seven Babel kabupaten/kota at different steps."""

from __future__ import annotations

import datetime as dt

import numpy as np

from pipelines.auth.access import Actor
from pipelines.core import reference
from pipelines.db.store import Database
from pipelines.ops.demo.siklus import record
from pipelines.sop import cycle
from pipelines.sop.step import Ref, as_date

DEMO_ACTOR = Actor("demo", "admin")
PROCEDURES = ("lppd-kabkota", "lkpj-kabkota")
# The current year: how far each region got (steps finished, status of the next one;
# None: the cycle was never started) and how it runs (mean ratio to standard time).
CURRENT = {
    "lppd-kabkota": [
        (10, None, 0.9),
        (10, None, 1.5),
        (7, "berjalan", 1.6),
        (5, "menunggu perbaikan", 1.2),
        (3, "berjalan", 2.2),
        (10, None, 1.1),
        None,
    ],
    "lkpj-kabkota": [
        (8, None, 1.0),
        (6, "berjalan", 1.5),
        (8, None, 1.4),
        (4, "berjalan", 1.3),
        (8, None, 0.9),
        (2, "menunggu perbaikan", 1.8),
        (1, "berjalan", 1.0),
    ],
}
PEOPLE = ["Hendra Saputra, S.IP.", "Nurul Aini, S.Sos.", "Rizal Effendi, S.E.", "Dewi Lestari"]


def load_demo(db: Database, years: list[int], *, seed: int = 7) -> int:
    """Cycles of both procedures for the last two data years (finished) and the year
    after (the current one); returns how many cycles were made."""
    rng = np.random.default_rng(seed + 900)
    for table in ("siklus_bukti", "siklus_catatan", "siklus_perbaikan", "siklus_langkah", "siklus"):
        db.execute(
            f"DELETE FROM {table} WHERE kode_sop IN (SELECT unnest(?::VARCHAR[]))",
            [list(PROCEDURES)],
        )
    last = max(years)
    regions = list(reference.kabkota(db)["kode"])
    made = 0
    for sop in PROCEDURES:
        for tahun in (last - 1, last, last + 1):
            for i, kode in enumerate(regions):
                if tahun == last + 1:
                    plan = CURRENT[sop][i % len(CURRENT[sop])]
                else:
                    plan = (99, None, float(rng.choice([0.8, 1.0, 1.2, 1.6])))
                if plan is None:
                    continue
                ref = Ref(sop, kode, tahun)
                cycle.start(db, ref, actor=DEMO_ACTOR)
                _play(db, ref, plan, rng)
                made += 1
    return made


def _play(db: Database, ref: Ref, plan: tuple, rng: np.random.Generator) -> None:
    done, status, pace = plan
    calendar = cycle.calendar_for(db, ref)
    frame = cycle.steps(db, ref, detect_auto=False)
    updates, revs, notes = [], [], []
    day = as_date(frame["rencana_mulai"].iloc[0])
    person = PEOPLE[int(rng.integers(0, len(PEOPLE)))]
    key = [ref.sop, ref.wilayah, ref.tahun]
    for row in frame.itertuples():
        start = calendar.end_of(calendar.next_working_day(day), int(rng.integers(1, 3)), "hari")
        work = max(1, round(row.hari_baku * max(rng.normal(pace, 0.2), 0.5)))
        if row.nomor > done:
            if row.nomor == done + 1 and status is not None:
                updates.append([start, None, status, person, *key, row.fase, row.nomor])
                if status == "menunggu perbaikan":
                    back = calendar.end_of(start, max(2, work // 2), "hari")
                    reason = "Draf dikembalikan OPD untuk perbaikan data capaian kinerja."
                    revs.append([*key, row.fase, row.nomor, 1, back, None, reason, "demo"])
            break
        end = calendar.end_of(start, work, "hari")
        if row.nomor == 6 and rng.random() < 0.4:  # verification often goes back once
            back = calendar.end_of(start, max(1, work // 2), "hari")
            resumed = calendar.end_of(back, int(rng.integers(2, 6)), "hari")
            reason = "Data dukung OPD belum bertanda tangan dan berstempel."
            revs.append([*key, row.fase, row.nomor, 1, back, resumed, reason, "demo"])
            end = calendar.end_of(resumed, max(1, work - work // 2), "hari")
        updates.append([start, end, "selesai", person, *key, row.fase, row.nomor])
        if row.nomor == 3:
            notes.append([*key, row.fase, row.nomor, "Undangan dikirim ke seluruh OPD.", "demo"])
        day = end + dt.timedelta(days=1)
    record(db, updates, revs, notes)
