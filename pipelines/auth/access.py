"""Who may do what: the rules every entry point (CLI, app, demo) goes through.

An :class:`Actor` is the person (or process) acting. The CLI acts as the local
administrator unless told otherwise; the app acts as the logged-in user. Rules live
here, not in hidden buttons: the uploader of 19.01 handing a 19.02 file to the
ingestion function is refused by :func:`check_upload`, whatever called it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipelines.auth import deadlines
from pipelines.auth.roles import require
from pipelines.core import fmt, settings
from pipelines.core.forms import FORMS
from pipelines.db.store import Database
from pipelines.errors import AccessDenied

ROLES = ("admin", "analis", "pengunggah_kabkota", "pengunggah_opd", "pimpinan")
ROLE_LABELS = {
    "admin": "Administrator",
    "analis": "Analis Biro Pemerintahan",
    "pengunggah_kabkota": "Pengunggah kabupaten/kota",
    "pengunggah_opd": "Pengunggah perangkat daerah provinsi",
    "pimpinan": "Pimpinan",
}


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    kode_wilayah: str | None = None  # for pengunggah_kabkota
    kode_opd: str | None = None  # for pengunggah_opd

    @property
    def is_privileged(self) -> bool:
        return self.role in ("admin", "analis")


# Which forms each role may send (admin and analis: every form; pimpinan: none).
FORMS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "admin": FORMS,
    "analis": FORMS,
    "pengunggah_kabkota": ("spm-kabkota", "lppd-ikk"),
    "pengunggah_opd": ("spm-provinsi",),
    "pimpinan": (),
}


FORM_REFUSED = {
    "pengunggah_kabkota": (
        "Pengunggah kabupaten/kota tidak dapat mengunggah data layanan SPM provinsi."
    ),
    "pengunggah_opd": (
        "Pengunggah perangkat daerah provinsi hanya dapat mengunggah formulir SPM provinsi."
    ),
}


def forms_for(actor: Actor) -> tuple[str, ...]:
    """The forms ``actor`` may send (for template and upload choices)."""
    return FORMS_BY_ROLE.get(actor.role, ())


def actor_for(db: Database, username: str) -> Actor:
    """The active account ``username`` as an Actor; AccessDenied if unknown or inactive."""
    rows = db.dicts(
        "SELECT username, peran, kode_wilayah, kode_opd, aktif FROM pengguna WHERE username = ?",
        [username],
    )
    if not rows:
        raise AccessDenied(
            f"Pengguna '{username}' tidak dikenal; periksa nama akun yang diberikan "
            "(daftar akun: spm users list)."
        )
    row = rows[0]
    if not row["aktif"]:
        raise AccessDenied(
            f"Akun '{username}' dinonaktifkan dan tidak dapat dipakai; minta administrator "
            "mengaktifkannya kembali."
        )
    return Actor(row["username"], row["peran"], row["kode_wilayah"], row["kode_opd"])


def local_admin(os_user: str) -> Actor:
    """The CLI without ``--as``: the local administrator, audited with the OS user."""
    return Actor(username=f"admin-lokal ({os_user})", role="admin")


# What each role may do (RULES, require: also access.require) lives in
# pipelines.auth.roles, which imports nothing of the project's: audit and deadlines,
# imported here, use it too.


def check_operator(as_user: str | None, command: str) -> None:
    """Refuse ``spm --as USER`` for a command only the machine's operator runs (setting up,
    filling or replacing the whole database): no account may do it in the app."""
    if as_user is not None:
        raise AccessDenied(
            f"Perintah 'spm {command}' hanya untuk operator mesin (administrator lokal), "
            f"bukan akun {as_user}; jalankan tanpa --as."
        )


def check_template(
    actor: Actor | None, *, form: str, kode_wilayah: str, kode_opd: str | None
) -> None:
    """Refuse a template ``actor`` may not fill: the uploader's own forms, region and OPD
    only (its stored values are prefilled); pimpinan none."""
    if actor is None or actor.is_privileged:
        return
    require(actor, "unggah")
    if form not in forms_for(actor):
        raise AccessDenied(FORM_REFUSED[actor.role])
    if actor.role == "pengunggah_kabkota" and kode_wilayah != actor.kode_wilayah:
        raise AccessDenied(
            f"Akun {actor.username} hanya dapat mengambil templat wilayah "
            f"{actor.kode_wilayah}, bukan {kode_wilayah}."
        )
    if actor.role == "pengunggah_opd" and kode_opd != actor.kode_opd:
        raise AccessDenied(
            f"Akun {actor.username} hanya dapat mengambil templat perangkat daerah "
            f"{actor.kode_opd}; tulis --opd {actor.kode_opd}."
        )


@dataclass(frozen=True)
class UploadPermission:
    late: bool  # after the original deadline (an exception never hides it)
    deadline: dt.date  # the original deadline
    batas_perpanjangan: dt.date | None = None  # an admin's exception, when one applies


def check_upload(
    db: Database,
    actor: Actor,
    *,
    form: str,
    kode_wilayah: str,
    year: int,
    quarter: int | None,
    kode_opd: str | None = None,
    today: dt.date | None = None,
) -> UploadPermission:
    """Raise AccessDenied unless ``actor`` may load this form for this region and period.

    Nobody loads a period that has not started yet (beyond the current triwulan, or
    the next one when the administrator opened it). Admin and analis may load any
    earlier period (backfill); it is recorded as late when the window has closed. Uploaders are bound to their region or OPD and refused after the
    deadline unless an admin granted an exception.
    """
    today = today or dt.date.today()
    not_started = deadlines.period_not_started(db, year, quarter, form, today)
    if not_started:  # for every role: a period that has not begun has no data yet
        raise AccessDenied(not_started)
    base = deadlines.deadline(db, year, quarter, form)
    due = deadlines.effective_deadline(db, form, kode_wilayah, year, quarter, kode_opd)
    late = today > base  # timeliness: against the original deadline
    extended = due if due > base else None
    if actor.is_privileged:
        return UploadPermission(late=late, deadline=base, batas_perpanjangan=extended)
    if form not in forms_for(actor):
        raise AccessDenied(
            FORM_REFUSED.get(
                actor.role,
                f"Peran {ROLE_LABELS.get(actor.role, actor.role)} tidak dapat mengunggah data.",
            )
        )
    if actor.role == "pengunggah_kabkota" and kode_wilayah != actor.kode_wilayah:
        raise AccessDenied(
            f"Akun {actor.username} hanya dapat mengunggah data wilayah "
            f"{actor.kode_wilayah}, bukan {kode_wilayah}."
        )
    if actor.role == "pengunggah_opd" and kode_opd is not None and kode_opd != actor.kode_opd:
        raise AccessDenied(
            f"Akun {actor.username} hanya dapat mengunggah layanan perangkat daerah "
            f"{actor.kode_opd}, bukan {kode_opd}."
        )
    if today > due:
        raise AccessDenied(
            f"Batas waktu pengisian periode ini telah lewat ({fmt.tanggal(due)}); "
            "minta administrator memberi pengecualian batas waktu untuk wilayah Anda."
        )
    return UploadPermission(late=late, deadline=base, batas_perpanjangan=extended)


def restrict(frame, actor: Actor, *, layanan_opd: dict[str, str] | None = None):
    """The rows of ``frame`` that ``actor`` may see (the data layer's scope rule).

    Admin, analis and pimpinan see everything. A kabupaten/kota uploader sees only
    rows of its region (column ``kode_wilayah``). An OPD uploader sees only rows of
    its OPD: by column ``kode_opd`` or, failing that, by ``kode_layanan`` mapped to its
    OPD through ``layanan_opd`` (service code -> OPD code); otherwise nothing.
    Frames without the columns needed to decide are returned empty for uploaders.
    """
    if actor.role in ("admin", "analis", "pimpinan"):
        return frame
    if actor.role == "pengunggah_kabkota" and "kode_wilayah" in frame.columns:
        return frame[frame["kode_wilayah"] == actor.kode_wilayah]
    if actor.role == "pengunggah_opd":
        if "kode_opd" in frame.columns:
            return frame[frame["kode_opd"] == actor.kode_opd]
        if "kode_layanan" in frame.columns and layanan_opd is not None:
            return frame[frame["kode_layanan"].map(layanan_opd) == actor.kode_opd]
    return frame.iloc[0:0]


def can_see(actor: Actor, kode_wilayah: str, kode_opd: str | None = None) -> bool:
    """Whether ``actor`` may see data of this region (and OPD)."""
    if actor.role in ("admin", "analis", "pimpinan"):
        return True
    if actor.role == "pengunggah_kabkota":
        return kode_wilayah == actor.kode_wilayah
    if actor.role == "pengunggah_opd":
        return kode_opd is not None and kode_opd == actor.kode_opd
    return False


def check_region(db: Database, actor: Actor | None, kode_wilayah: str | None) -> None:
    """Refuse (AccessDenied) a request naming a region whose figures ``actor`` may not
    see: a kabupaten/kota uploader asks only for its own region, an OPD uploader only
    for the province it reports for. ``actor=None`` is the library itself (no limit)."""
    if actor is None or kode_wilayah is None or actor.role in ("admin", "analis", "pimpinan"):
        return
    if actor.role == "pengunggah_kabkota" and kode_wilayah == actor.kode_wilayah:
        return
    if actor.role == "pengunggah_opd" and kode_wilayah == settings.served_province(db):
        return
    raise AccessDenied(
        f"Akun {actor.username} tidak berhak melihat data wilayah {kode_wilayah}; "
        "pilih wilayah Anda sendiri."
    )


def layanan_opd(db: Database) -> dict[str, str]:
    """Provincial service code -> its OPD (for scoping OPD uploaders, who report only
    the province's own services; kabupaten/kota services map to nothing)."""
    return dict(
        db.rows(
            "SELECT kode, kode_opd FROM layanan WHERE tingkat = 'provinsi' AND kode_opd IS NOT NULL"
        )
    )


def scope(db: Database, frame, actor: Actor | None, *, picker: bool = False):
    """:func:`restrict` with the service -> OPD map from the database.

    ``picker=True`` is for lists of regions/periods to choose from (no figures): an
    OPD uploader may then pick the province itself, whose services it reports.
    ``actor=None`` is the library itself: every row.
    """
    if actor is None:
        return frame
    if picker and actor.role == "pengunggah_opd" and "kode_wilayah" in frame.columns:
        return frame[frame["kode_wilayah"] == settings.served_province(db)]
    return restrict(frame, actor, layanan_opd=layanan_opd(db))
