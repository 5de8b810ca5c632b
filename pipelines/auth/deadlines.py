"""When input for a period closes, and the administrator's exceptions to it.

A triwulan closes on the date the administrator set for it in the calendar
(:mod:`pipelines.auth.kalender`), else on day N (setting ``hari_batas_triwulan``) of the
month after the quarter; a yearly form (LPPD) on 31 March of the following year. A deadline that falls
on a weekend or holiday moves to the next working day (setting
``batas_geser_hari_kerja``; the calendar of :mod:`pipelines.core.workdays`). An administrator may
let one region (or, for the provincial form, one OPD) upload a closed period until a
later date, with a written reason (``pengecualian_batas``, audited).
:func:`pipelines.auth.access.check_upload` applies the result to every upload.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from pipelines.auth import audit, kalender, roles
from pipelines.core import fmt, settings, workdays
from pipelines.core.forms import FORMS
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError

if TYPE_CHECKING:  # access applies the deadlines defined here
    from pipelines.auth.access import Actor

YEARLY_FORMS = kalender.YEARLY_FORMS
MIN_REASON_LENGTH = 10  # a written reason: reopening final data, a deadline exception


class DeadlineError(SpmError):
    """A deadline exception that cannot be granted (Indonesian message)."""


def label_periode(tahun: int, triwulan: int | None) -> str:
    """``'TW2 2025'``, or ``'2025'`` for a yearly period."""
    return f"{tahun}" if triwulan is None or pd.isna(triwulan) else f"TW{int(triwulan)} {tahun}"


def written_reason(alasan: str | None, about: str, error: type[SpmError]) -> str:
    """The reason an administrator wrote for ``about``, stripped; ``error`` when it is
    shorter than MIN_REASON_LENGTH characters."""
    alasan = (alasan or "").strip()
    if len(alasan) < MIN_REASON_LENGTH:
        raise error(f"Tuliskan alasan {about} (minimal {MIN_REASON_LENGTH} karakter).")
    return alasan


def quarter_deadline(
    year: int, quarter: int, day: int, calendar: workdays.Calendar | None = None
) -> dt.date:
    """Input for a triwulan closes on ``day`` of the month after the quarter (with a
    ``calendar``: on the next working day when that day is off)."""
    month = quarter * 3 + 1
    due = dt.date(year + 1, 1, day) if month == 13 else dt.date(year, month, day)
    return calendar.next_working_day(due) if calendar is not None else due


def rule_deadline(
    year: int, quarter: int | None, form: str, day: int, calendar: workdays.Calendar | None
) -> dt.date:
    """The deadline by the rules alone: :func:`quarter_deadline`, or 31 March of the
    following year for yearly forms (LPPD), moved to a working day by ``calendar``."""
    if form in YEARLY_FORMS or quarter is None:
        due = dt.date(year + 1, 3, 31)
        return calendar.next_working_day(due) if calendar is not None else due
    return quarter_deadline(year, quarter, day, calendar)


def deadline_calendar(values: dict, years: range | list[int]) -> workdays.Calendar | None:
    """The calendar deadlines in ``years`` move by; None when the setting
    ``batas_geser_hari_kerja`` is off. A deadline of year Y falls in Y or Y+1."""
    if not values.get("batas_geser_hari_kerja", True):
        return None
    return workdays.calendar_for(values, range(min(years), max(years) + 2))


def deadline(db: Database, year: int, quarter: int | None, form: str) -> dt.date:
    """When input for a period closes: the date the administrator set in the calendar
    (:mod:`pipelines.auth.kalender`), else day N (setting) of the month after the
    quarter; for yearly forms (LPPD) 31 March of the following year; on a working day."""
    announced = kalender.ditetapkan(db, year, quarter, form)
    if announced is not None:
        return announced
    values = settings.current(db)
    calendar = deadline_calendar(values, [year])
    return rule_deadline(year, quarter, form, values["hari_batas_triwulan"], calendar)


def current_quarter(today: dt.date) -> tuple[int, int]:
    """(year, triwulan) that ``today`` falls in."""
    return today.year, (today.month - 1) // 3 + 1


def periode_isian(db: Database, form: str, today: dt.date | None = None) -> tuple[int, int | None]:
    """The period an uploader most likely fills now: the last one that has ended while
    its input is still open (its deadline not passed), else the current one (for the
    yearly LPPD: last year until its deadline, then this year)."""
    today = today or dt.date.today()
    year, quarter = current_quarter(today)
    if form in YEARLY_FORMS:
        return (year - 1, None) if deadline(db, year - 1, None, form) >= today else (year, None)
    before = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return before if deadline(db, *before, form) >= today else (year, quarter)


def latest_open_period(db: Database, today: dt.date | None = None) -> tuple[int, int]:
    """The last (year, triwulan) data may be sent for: the current triwulan, or the next
    one when the administrator opened it early (setting ``buka_triwulan_berikutnya``)."""
    year, quarter = current_quarter(today or dt.date.today())
    if settings.current(db).get("buka_triwulan_berikutnya", False):
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return year, quarter


def period_not_started(
    db: Database, year: int, quarter: int | None, form: str, today: dt.date | None = None
) -> str | None:
    """Why a period may not be sent yet (it has not started: a file for 2099 is a
    typo, and would move every dashboard to 2099), or None. A yearly form (LPPD) is
    open from its year on."""
    last_year, last_quarter = latest_open_period(db, today)
    if form in YEARLY_FORMS or quarter is None:
        if year <= last_year:
            return None
        shown = str(year)
    else:
        if (year, quarter) <= (last_year, last_quarter):
            return None
        shown = label_periode(year, quarter)
    return (
        f"Periode {shown} belum dimulai; data hanya dapat dikirim sampai periode "
        f"{label_periode(last_year, last_quarter)}. Periksa tahun dan triwulan di berkas "
        "(administrator dapat membuka triwulan berikutnya lebih awal dengan pengaturan "
        "buka_triwulan_berikutnya)."
    )


_EXCEPTION_KEY = "form = ? AND kode_wilayah = ? AND kode_opd = ? AND tahun = ? AND triwulan = ?"


def effective_deadline(
    db: Database,
    form: str,
    kode_wilayah: str,
    year: int,
    quarter: int | None,
    kode_opd: str | None = None,
) -> dt.date:
    """The deadline, moved by an admin's exception for this region/OPD if one exists."""

    def load() -> dt.date:
        base = deadline(db, year, quarter, form)
        moved = db.scalar(
            f"SELECT batas_baru FROM pengecualian_batas WHERE {_EXCEPTION_KEY}",
            [form, kode_wilayah, kode_opd or "", year, quarter or 0],
        )
        return max(base, moved) if moved else base

    return db.remember(("batas", form, kode_wilayah, year, quarter, kode_opd), load)


def _check_exception(
    db: Database, form: str, kode_wilayah: str, triwulan: int | None, kode_opd: str | None
) -> int | None:
    """Refuse an exception for an unknown form, period, region or OPD; returns the
    triwulan to record (None for a yearly form)."""
    if form not in ("spm-kabkota", "spm-provinsi", "lppd-ikk"):
        raise DeadlineError(f"Formulir '{form}' tidak dikenal.")
    if form in YEARLY_FORMS:
        triwulan = None
    elif triwulan not in (1, 2, 3, 4):
        raise DeadlineError("Sebutkan triwulan (1-4) untuk formulir SPM.")
    if not db.scalar("SELECT count(*) FROM wilayah WHERE kode = ?", [kode_wilayah]):
        raise DeadlineError(f"Kode wilayah '{kode_wilayah}' tidak dikenal.")
    if form == "spm-provinsi" and not kode_opd:
        raise DeadlineError("Sebutkan perangkat daerah (--opd) untuk formulir SPM provinsi.")
    if kode_opd and not db.scalar("SELECT count(*) FROM opd WHERE kode = ?", [kode_opd]):
        raise DeadlineError(f"Kode OPD '{kode_opd}' tidak dikenal.")
    return triwulan


def beri_pengecualian(
    db: Database,
    actor: Actor,
    *,
    form: str,
    kode_wilayah: str,
    tahun: int,
    triwulan: int | None,
    batas_baru: dt.date,
    alasan: str,
    kode_opd: str | None = None,
) -> None:
    """Admin only: let one region (or OPD) upload a closed period until ``batas_baru``."""
    if actor.role != "admin":
        raise AccessDenied("Hanya administrator yang dapat memberi pengecualian batas waktu.")
    alasan = written_reason(alasan, "pengecualian batas waktu", DeadlineError)
    triwulan = _check_exception(db, form, kode_wilayah, triwulan, kode_opd)
    base = deadline(db, tahun, triwulan, form)
    if batas_baru <= base:
        raise DeadlineError(f"Batas baru harus setelah batas resmi ({fmt.tanggal(base)}).")
    key = [form, kode_wilayah, kode_opd or "", tahun, triwulan or 0]
    with db.transaction():
        before = db.scalar(f"SELECT batas_baru FROM pengecualian_batas WHERE {_EXCEPTION_KEY}", key)
        db.execute(
            "INSERT INTO pengecualian_batas (form, kode_wilayah, kode_opd, tahun, triwulan, "
            "batas_baru, alasan, diberikan_oleh, diberikan_pada) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET batas_baru = excluded.batas_baru, "
            "alasan = excluded.alasan, diberikan_oleh = excluded.diberikan_oleh, "
            "diberikan_pada = excluded.diberikan_pada",
            key + [batas_baru, alasan, actor.username, dt.datetime.now()],
        )
        audit.record(
            db,
            actor,
            "beri_pengecualian_batas",
            f"batas waktu {form} {kode_wilayah}{' ' + kode_opd if kode_opd else ''} "
            f"{label_periode(tahun, triwulan)}",
            sebelum={"batas_baru": before} if before else None,
            sesudah={"batas_baru": batas_baru, "batas_resmi": base},
            keterangan=alasan,
        )


def daftar_pengecualian(
    db: Database, tahun: int | None = None, *, actor: Actor | None = None
) -> pd.DataFrame:
    """The deadline exceptions granted (of year ``tahun``), newest first (the Biro's list;
    ``actor=None``: the library itself)."""
    roles.require(actor, "lihat_pengecualian")
    return db.df(
        "SELECT p.form, p.kode_wilayah, w.nama AS nama_wilayah, nullif(p.kode_opd, '') AS kode_opd,"
        " p.tahun, nullif(p.triwulan, 0) AS triwulan, p.batas_baru, p.alasan, p.diberikan_oleh,"
        " p.diberikan_pada FROM pengecualian_batas p LEFT JOIN wilayah w ON w.kode = p.kode_wilayah"
        " WHERE (? IS NULL OR p.tahun = ?) ORDER BY p.diberikan_pada DESC",
        [tahun, tahun],
    )


# -- the deadline calendar: dates the administrator sets per period (kalender) ----------


def tetapkan_batas(
    db: Database,
    actor: Actor,
    *,
    tahun: int,
    triwulan: int | None,
    tanggal: dt.date,
    form: str | None = None,
    keterangan: str | None = None,
) -> int:
    """Admin only: set the deadline of one period (for one form, or every form);
    returns how many submissions of the period changed their late flag."""
    q, key_form = _check_kalender(actor, tahun, triwulan, form)
    ends = kalender.period_end(tahun, q)
    if tanggal <= ends:
        raise kalender.KalenderError(
            f"Batas waktu {kalender.label(tahun, q, key_form)} harus setelah periodenya berakhir "
            f"({fmt.tanggal(ends)})."
        )
    if (tanggal - ends).days > kalender.MAKS_HARI:
        raise kalender.KalenderError(
            f"Batas waktu {fmt.tanggal(tanggal)} lebih dari setahun setelah periodenya berakhir; "
            "periksa tahunnya."
        )
    keterangan = " ".join((keterangan or "").split()) or None
    key = [tahun, q, key_form]
    with db.transaction():
        before = db.scalar(
            "SELECT tanggal FROM kalender_batas WHERE tahun = ? AND triwulan = ? AND form = ?", key
        )
        db.execute(
            "INSERT INTO kalender_batas VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
            "tanggal = excluded.tanggal, keterangan = excluded.keterangan, "
            "ditetapkan_oleh = excluded.ditetapkan_oleh, ditetapkan_pada = excluded.ditetapkan_pada",
            [*key, tanggal, keterangan, actor.username, dt.datetime.now().replace(microsecond=0)],
        )
        changed = _recompute_late(db, tahun, q, key_form)
        audit.record(
            db,
            actor,
            "tetapkan_batas_waktu",
            f"batas waktu {kalender.label(tahun, q, key_form)}",
            sebelum={"tanggal": before} if before else None,
            sesudah={"tanggal": tanggal, "keterlambatan_berubah": changed},
            keterangan=keterangan,
        )
    return changed


def hapus_batas(
    db: Database, actor: Actor, *, tahun: int, triwulan: int | None, form: str | None = None
) -> int:
    """Admin only: the period's deadline goes back to the rule; returns how many
    submissions changed their late flag."""
    q, key_form = _check_kalender(actor, tahun, triwulan, form)
    key = [tahun, q, key_form]
    with db.transaction():
        before = db.scalar(
            "SELECT tanggal FROM kalender_batas WHERE tahun = ? AND triwulan = ? AND form = ?", key
        )
        if before is None:
            raise kalender.KalenderError(
                f"Belum ada batas waktu yang ditetapkan untuk {kalender.label(tahun, q, key_form)}."
            )
        db.execute("DELETE FROM kalender_batas WHERE tahun = ? AND triwulan = ? AND form = ?", key)
        changed = _recompute_late(db, tahun, q, key_form)
        audit.record(
            db,
            actor,
            "hapus_batas_waktu",
            f"batas waktu {kalender.label(tahun, q, key_form)}",
            sebelum={"tanggal": before},
            sesudah={"keterlambatan_berubah": changed},
        )
    return changed


def _recompute_late(db: Database, tahun: int, q: int, key_form: str) -> int:
    """Re-decide ``submission.terlambat`` of the period against its deadline now."""
    forms = [key_form] if key_form else [f for f in FORMS if (f in YEARLY_FORMS) == (q == 0)]
    changed = 0
    for form in forms:
        due = deadline(db, tahun, q or None, form)
        changed += db.scalar(
            "SELECT count(*) FROM submission WHERE form = ? AND tahun = ? "
            "AND coalesce(triwulan, 0) = ? AND terlambat <> (CAST(diunggah_pada AS DATE) > ?)",
            [form, tahun, q, due],
        )
        db.execute(
            "UPDATE submission SET terlambat = CAST(diunggah_pada AS DATE) > ? "
            "WHERE form = ? AND tahun = ? AND coalesce(triwulan, 0) = ?",
            [due, form, tahun, q],
        )
    return int(changed)


def _check_kalender(
    actor: Actor, tahun: int, triwulan: int | None, form: str | None
) -> tuple[int, str]:
    roles.require(actor, "tetapkan_batas_waktu")
    if form is not None and form not in FORMS:
        raise kalender.KalenderError(f"Formulir '{form}' tidak dikenal; pilih {', '.join(FORMS)}.")
    if not 2000 <= tahun <= 2100:
        raise kalender.KalenderError(f"Tahun {tahun} tidak masuk akal.")
    if form in YEARLY_FORMS:
        if triwulan is not None:
            raise kalender.KalenderError("Formulir LPPD tahunan: jangan sebutkan triwulan.")
        return 0, form
    if triwulan not in (1, 2, 3, 4):
        raise kalender.KalenderError(
            "Sebutkan triwulan (1-4); untuk LPPD tahunan sebutkan --form lppd-ikk."
        )
    return triwulan, form or kalender.SEMUA
