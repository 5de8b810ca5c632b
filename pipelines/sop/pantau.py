"""The Biro watching the kabupaten/kota run their own procedures (LPPD, LKPj).

For one kabupaten/kota procedure and year, :func:`overview` gives every kabupaten/kota
of the province served on one row: whether its cycle started, the step it is at, days
left to the deadline, whether it is late. :func:`step_matrix` gives every step of every
region (the leaders' chart), :func:`reminders` who needs a nudge and which accounts to
contact, and :func:`cycle_times` the measured duration of finished cycles (compared with
the standar pelayanan's jangka waktu). A kabupaten/kota uploader sees only its own
region; OPD uploaders see nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.auth.access import Actor
from pipelines.core import reference
from pipelines.db.store import Database
from pipelines.errors import AccessDenied
from pipelines.sop import cycle, definition, step
from pipelines.sop.step import Ref, as_date

OVERVIEW_COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "dimulai",
    "jumlah_langkah",
    "langkah_selesai",
    "langkah_sekarang",
    "aktivitas_sekarang",
    "status_sekarang",
    "penanggung_jawab",
    "rencana_selesai",
    "batas_waktu",
    "sisa_hari",
    "selesai_pada",
    "langkah_terlambat",
    "terlambat",
    "keadaan",
]
# How a kabupaten/kota stands, worst first (the order of the page's legend).
KEADAAN = (
    "Lewat batas waktu",
    "Belum dimulai",
    "Terlambat",
    "Menunggu perbaikan",
    "Sesuai rencana",
    "Selesai terlambat",
    "Selesai tepat waktu",
)
# A step of the leaders' chart, worst first.
STATUS_LANGKAH = (
    "terlambat",
    "menunggu perbaikan",
    "berjalan",
    "belum mulai, lewat rencana",
    "belum mulai",
    "selesai terlambat",
    "selesai",
)
REMIND_WITHIN_DAYS = 14


def _regions(db: Database, actor: Actor | None) -> pd.DataFrame:
    """The kabupaten/kota of the province served that ``actor`` may watch."""
    if actor is not None and actor.role == "pengunggah_opd":
        raise AccessDenied(
            "Pengunggah perangkat daerah provinsi tidak memantau siklus kabupaten/kota."
        )
    regions = reference.kabkota(db)[["kode", "nama"]]
    if actor is not None and actor.role == "pengunggah_kabkota":
        regions = regions[regions["kode"] == actor.kode_wilayah]
    return regions.reset_index(drop=True)


def _procedure(db: Database, sop_kode: str) -> definition.Sop:
    kode = (sop_kode or "").strip().lower()
    if kode not in definition.codes(db):
        raise definition.unknown(kode)
    proc = definition.current(db, kode=kode)
    if proc.tingkat != "kabupaten/kota":
        raise step.SiklusError(
            f"Prosedur {kode} bukan prosedur kabupaten/kota; pantau dengan halaman Siklus SOP."
        )
    return proc


@dataclass(frozen=True)
class Pantauan:
    """What the Biro watches of one kabupaten/kota procedure and year, read at once: the
    procedure, the regions ``actor`` may watch, the steps of each region's cycle and its
    deadline (regions without a cycle are absent from both)."""

    proc: definition.Sop
    tahun: int
    regions: pd.DataFrame
    steps: dict[str, pd.DataFrame]
    deadlines: dict[str, dt.date | None]
    today: dt.date


def watch(
    db: Database,
    sop_kode: str,
    tahun: int,
    *,
    today: dt.date | None = None,
    actor: Actor | None = None,
) -> Pantauan:
    """Read what :func:`overview`, :func:`step_matrix` and :func:`reminders` show (a
    handful of queries whatever the number of kabupaten/kota)."""
    today = today or dt.date.today()
    proc = _procedure(db, sop_kode)
    regions = _regions(db, actor)
    watched = set(regions["kode"])
    deadlines = {
        kode: as_date(batas)
        for kode, batas in db.rows(
            "SELECT kode_wilayah, batas_waktu FROM siklus WHERE kode_sop = ? AND tahun = ?",
            [proc.kode, int(tahun)],
        )
        if kode in watched
    }
    refs = [Ref(proc.kode, kode, int(tahun)) for kode in deadlines]
    steps = {ref.wilayah: f for ref, f in cycle.steps_of(db, refs, today=today).items()}
    return Pantauan(proc, int(tahun), regions, steps, deadlines, today)


def _keadaan(
    started: bool, done: bool, finished: dt.date | None, due: dt.date | None, today: dt.date
) -> str:
    past_due = due is not None and today > due
    if not started:
        return "Lewat batas waktu" if past_due else "Belum dimulai"
    if done:
        late = due is not None and finished is not None and finished > due
        return "Selesai terlambat" if late else "Selesai tepat waktu"
    return "Lewat batas waktu" if past_due else ""


def overview(
    db: Database,
    sop_kode: str,
    tahun: int,
    *,
    today: dt.date | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """One row per kabupaten/kota (:data:`OVERVIEW_COLUMNS`) for procedure ``sop_kode``
    of year ``tahun``; ``sisa_hari`` counts calendar days to the deadline (negative:
    past it)."""
    return overview_of(watch(db, sop_kode, tahun, today=today, actor=actor))


def overview_of(watched: Pantauan) -> pd.DataFrame:
    """:func:`overview` of what :func:`watch` read."""
    proc, today = watched.proc, watched.today
    due = proc.batas_waktu(watched.tahun)
    rows = []
    for kode, nama in watched.regions.itertuples(index=False):
        frame = watched.steps.get(kode)
        row = dict.fromkeys(OVERVIEW_COLUMNS)
        row.update(kode_wilayah=kode, nama_wilayah=nama, dimulai=frame is not None)
        row["jumlah_langkah"] = len(frame) if frame is not None else len(proc.steps)
        cycle_due = watched.deadlines.get(kode) or due
        row["batas_waktu"] = cycle_due
        row["sisa_hari"] = (cycle_due - today).days if cycle_due else None
        if frame is None:
            row.update(langkah_selesai=0, langkah_terlambat=0)
            row["keadaan"] = _keadaan(False, False, None, cycle_due, today)
            row["terlambat"] = row["keadaan"] == "Lewat batas waktu"
            rows.append(row)
            continue
        done = frame["status"] == "selesai"
        open_steps = frame[~done]
        row["langkah_selesai"] = int(done.sum())
        row["langkah_terlambat"] = int(frame["terlambat"].sum())
        row["rencana_selesai"] = max(frame["rencana_selesai"])
        finished = max(frame["selesai"]) if done.all() else None
        row["selesai_pada"] = finished
        if len(open_steps):
            current = open_steps.iloc[0]
            row.update(
                langkah_sekarang=current["kode"],
                aktivitas_sekarang=current["aktivitas"],
                status_sekarang=current["status"],
                penanggung_jawab=current["penanggung_jawab"],
            )
        if done.all():
            row["sisa_hari"] = None  # days to the deadline matter while the cycle is open
        keadaan = _keadaan(True, bool(done.all()), finished, cycle_due, today)
        if not keadaan:
            if row["langkah_terlambat"]:
                keadaan = "Terlambat"
            elif row["status_sekarang"] == "menunggu perbaikan":
                keadaan = "Menunggu perbaikan"
            else:
                keadaan = "Sesuai rencana"
        row["keadaan"] = keadaan
        row["terlambat"] = keadaan in ("Lewat batas waktu", "Terlambat", "Selesai terlambat")
        rows.append(row)
    out = pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)
    out["sisa_hari"] = out["sisa_hari"].astype("Int64")
    return out


def step_matrix(
    db: Database,
    sop_kode: str,
    tahun: int,
    *,
    today: dt.date | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """Every step of every kabupaten/kota's cycle: ``kode_wilayah, nama_wilayah, nomor,
    kode, aktivitas, status_langkah`` (one of :data:`STATUS_LANGKAH`: a running step past
    its standard time is ``terlambat``; regions without a cycle have every step ``belum
    mulai``)."""
    return step_matrix_of(watch(db, sop_kode, tahun, today=today, actor=actor))


def step_matrix_of(watched: Pantauan) -> pd.DataFrame:
    """:func:`step_matrix` of what :func:`watch` read."""
    rows = []
    for kode, nama in watched.regions.itertuples(index=False):
        frame = watched.steps.get(kode)
        if frame is None:
            for s in watched.proc.steps:
                rows.append([kode, nama, s.nomor, s.kode, s.aktivitas, "belum mulai"])
            continue
        for r in frame.itertuples(index=False):
            if r.status == "selesai":
                status = "selesai terlambat" if r.terlambat else "selesai"
            elif r.status == "belum mulai":
                status = "belum mulai, lewat rencana" if r.terlambat else "belum mulai"
            elif r.status == "berjalan" and r.terlambat:
                status = "terlambat"
            else:
                status = r.status
            rows.append([kode, nama, int(r.nomor), r.kode, r.aktivitas, status])
    return pd.DataFrame(
        rows,
        columns=["kode_wilayah", "nama_wilayah", "nomor", "kode", "aktivitas", "status_langkah"],
    )


def reminders(
    db: Database,
    sop_kode: str,
    tahun: int,
    *,
    today: dt.date | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The kabupaten/kota to remind, most urgent first: not started, past the deadline,
    late, waiting for a revised document, or due within two weeks with steps left;
    with why and the uploaders' accounts (username, e-mail) to contact."""
    return reminders_of(db, overview(db, sop_kode, tahun, today=today, actor=actor))


def reminders_of(db: Database, frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`reminders` from an :func:`overview` frame (``db`` for the accounts)."""
    rows = []
    for r in frame.itertuples(index=False):
        if r.keadaan.startswith("Selesai"):
            continue
        sisa = None if pd.isna(r.sisa_hari) else int(r.sisa_hari)
        if not r.dimulai:
            why = "Siklus belum dimulai"
        elif r.keadaan == "Lewat batas waktu":
            why = f"Lewat batas waktu {-sisa} hari; langkah {r.langkah_sekarang} belum selesai"
        elif r.keadaan == "Terlambat":
            why = f"{r.langkah_terlambat} langkah terlambat; sekarang di {r.langkah_sekarang}"
        elif r.keadaan == "Menunggu perbaikan":
            why = f"Langkah {r.langkah_sekarang} menunggu dokumen perbaikan"
        elif sisa is not None and sisa <= REMIND_WITHIN_DAYS:
            why = f"Batas waktu {sisa} hari lagi; sekarang di {r.langkah_sekarang}"
        else:
            continue
        if sisa is not None and sisa < 0 and not r.dimulai:
            why += f" dan lewat batas waktu {-sisa} hari"
        rows.append([r.kode_wilayah, r.nama_wilayah, why, r.langkah_sekarang, r.batas_waktu, sisa])
    out = pd.DataFrame(
        rows,
        columns=[
            "kode_wilayah",
            "nama_wilayah",
            "alasan",
            "langkah_sekarang",
            "batas_waktu",
            "sisa_hari",
        ],
    )
    out["sisa_hari"] = out["sisa_hari"].astype("Int64")
    contacts = _contacts(db, list(out["kode_wilayah"]))
    out["akun"] = [contacts.get(k, ("–", "–"))[0] for k in out["kode_wilayah"]]
    out["email"] = [contacts.get(k, ("–", "–"))[1] for k in out["kode_wilayah"]]
    order = out["sisa_hari"].fillna(np.iinfo(np.int32).max).astype(int)
    return (
        out.assign(_order=order)
        .sort_values(["_order", "kode_wilayah"], kind="mergesort")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def _contacts(db: Database, regions: list[str]) -> dict[str, tuple[str, str]]:
    """Region -> (usernames, e-mails) of its active kabupaten/kota uploaders."""
    if not regions:
        return {}
    found: dict[str, tuple[list[str], list[str]]] = {}
    for username, email, kode in db.rows(
        "SELECT username, email, kode_wilayah FROM pengguna WHERE aktif "
        "AND peran = 'pengunggah_kabkota' AND list_contains(?, kode_wilayah) ORDER BY username",
        [regions],
    ):
        names, mails = found.setdefault(kode, ([], []))
        names.append(username)
        if email:
            mails.append(email)
    return {k: (", ".join(n) or "–", ", ".join(m) or "–") for k, (n, m) in found.items()}


def cycle_times(
    db: Database, sop_kode: str, wilayah: str | None = None, *, today: dt.date | None = None
) -> pd.DataFrame:
    """Finished cycles of procedure ``sop_kode`` (of ``wilayah``, or every region):
    ``kode_wilayah, tahun, mulai, selesai, hari_kalender, hari_kerja, batas_waktu,
    tepat_waktu``; the duration runs from the first step's actual start to the last
    step's finish."""
    rows = []
    refs = [r for r in cycle.cycles(db, sop_kode) if wilayah in (None, r.wilayah)]
    for ref, frame in cycle.steps_of(db, refs, today=today).items():
        if frame.empty or not (frame["status"] == "selesai").all():
            continue
        start = min(as_date(v) for v in frame["mulai"] if v is not None)
        end = max(as_date(v) for v in frame["selesai"])
        due = cycle.deadline(db, ref)
        calendar = cycle.calendar_for(db, ref)
        rows.append(
            [
                ref.wilayah,
                ref.tahun,
                start,
                end,
                (end - start).days + 1,
                calendar.working_days(start, end),
                due,
                due is None or end <= due,
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            "kode_wilayah",
            "tahun",
            "mulai",
            "selesai",
            "hari_kalender",
            "hari_kerja",
            "batas_waktu",
            "tepat_waktu",
        ],
    )


# -- for the command line ------------------------------------------------------------------
def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The overview for ``--format csv``: ISO dates, ``ya``/``tidak``."""
    out = frame.copy()
    for col in ("rencana_selesai", "batas_waktu", "selesai_pada"):
        out[col] = [d.isoformat() if isinstance(d, dt.date) else "" for d in out[col]]
    for col in ("dimulai", "terlambat"):
        out[col] = np.where(out[col].astype(bool), "ya", "tidak")
    return out


def table_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The overview as the command prints it for people."""
    return pd.DataFrame(
        {
            "kode": frame["kode_wilayah"],
            "kabupaten/kota": frame["nama_wilayah"],
            "langkah": [
                f"{s}/{n}"
                for s, n in zip(frame["langkah_selesai"], frame["jumlah_langkah"], strict=True)
            ],
            "sekarang": frame["langkah_sekarang"],
            "status": frame["status_sekarang"],
            "batas": frame["batas_waktu"],
            "sisa hari": frame["sisa_hari"],
            "keadaan": frame["keadaan"],
        }
    )
