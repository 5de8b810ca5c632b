"""The SOP library as versioned data, and the calendar its standard times are counted in.

The tracker holds several procedures, each with a code (``kode_sop``) and a level:
the Biro's SOP "Pelaksanaan Penerapan dan Pelaporan SPM" (``spm-provinsi``, provinsi,
``data/sop_spm_biro_pemerintahan.yaml``) and the kabupaten/kota Bagian Pemerintahan's
LPPD and LKPj procedures of seed 002 (``lppd-kabkota``, ``lkpj-kabkota``,
``data/sop_lppd_kabkota.yaml`` and ``data/sop_lkpj_kabkota.yaml``). Loading a document
validates it and stores it as a new version of its procedure in ``sop_versi`` and
``sop_langkah``; cycles started afterwards copy the newest version's steps. A document
without ``sop.code`` is a version of the Biro's SOP (another province's, say).

A procedure may have a deadline anchor (``sop.deadline``: day, month and ``year: same``
or ``next`` relative to the year it reports on, e.g. "31 Maret tahun berikutnya").

Standard times: ``hari`` are working days (Monday to Friday without Indonesia's
holidays: :mod:`pipelines.core.workdays`); ``minggu`` and ``bulan`` are calendar
periods, ending on their last working day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines.auth import access, audit
from pipelines.auth.access import Actor
from pipelines.core import settings, workdays
from pipelines.core.fmt import BULAN
from pipelines.db.store import DATA_DIR, Database
from pipelines.errors import SpmError

SHIPPED_SOP = DATA_DIR / "sop_spm_biro_pemerintahan.yaml"
PROVINSI = "spm-provinsi"  # the Biro's SOP
# The procedures shipped with the application, by code.
SHIPPED = {
    PROVINSI: SHIPPED_SOP,
    "lppd-kabkota": DATA_DIR / "sop_lppd_kabkota.yaml",
    "lkpj-kabkota": DATA_DIR / "sop_lkpj_kabkota.yaml",
}
LEVELS = ("provinsi", "kabupaten/kota")
DEADLINE_YEARS = {"same": 0, "next": 1}
UNITS = ("hari", "minggu", "bulan")
UNIT_LABELS = {"hari": "hari kerja", "minggu": "minggu", "bulan": "bulan"}
YEAR_OFFSETS = {"current": 0, "previous": -1}


class SopError(SpmError):
    """An SOP document or a holiday list that cannot be accepted."""


@dataclass(frozen=True)
class SopStep:
    fase: str
    nomor: int
    judul_fase: str
    tahun_relatif: int
    aktivitas: str
    pelaku: str
    pelaku_disimpulkan: bool
    masukan: str | None
    keluaran: str | None
    durasi_nilai: int
    durasi_satuan: str

    @property
    def kode(self) -> str:
        return f"{self.fase}{self.nomor}"

    @property
    def waktu_baku(self) -> str:
        return f"{self.durasi_nilai} {UNIT_LABELS[self.durasi_satuan]}"


@dataclass(frozen=True)
class Deadline:
    """A deadline anchor: ``hari`` ``bulan`` of the reported year plus ``tahun_setelah``."""

    hari: int
    bulan: int
    tahun_setelah: int
    teks: str

    def for_year(self, tahun_laporan: int) -> dt.date:
        """The deadline of a cycle reporting on ``tahun_laporan``."""
        return dt.date(tahun_laporan + self.tahun_setelah, self.bulan, self.hari)


@dataclass(frozen=True)
class Sop:
    versi: int | None
    judul: str
    unit: str | None
    dokumen: dict[str, Any]
    steps: list[SopStep]
    kode: str = PROVINSI
    tingkat: str = "provinsi"
    batas: Deadline | None = None

    @property
    def tahun_laporan_relatif(self) -> int:
        """The year the procedure reports on, relative to the cycle's (the latest phase)."""
        return max((s.tahun_relatif for s in self.steps), default=0)

    def batas_waktu(self, tahun: int) -> dt.date | None:
        """The deadline of this procedure's cycle of year ``tahun`` (None: no deadline)."""
        if self.batas is None:
            return None
        return self.batas.for_year(tahun + self.tahun_laporan_relatif)


def check_admin(actor) -> None:
    """Only the administrator changes the SOP (another province's SOP, a corrected one)."""
    if actor.role != "admin":
        raise SopError("Hanya administrator yang dapat memuat SOP baru.")


# -- the document ----------------------------------------------------------------------
def parse(text: str, source: str = "berkas SOP") -> Sop:
    """Validate an SOP YAML document; SopError (Indonesian) says what is wrong and where."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" baris {mark.line + 1}" if mark is not None else ""
        raise SopError(f"{source}{where} bukan YAML yang sah; periksa penulisannya.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("phases"), list) or not doc["phases"]:
        raise SopError(f"{source} harus berisi bagian 'phases' dengan daftar fase SOP.")
    header = doc.get("sop") or {}
    if not isinstance(header, dict):
        raise SopError(f"{source}: bagian 'sop' harus berisi title, code, level, ...")
    title = str(header.get("title") or "").strip()
    if not title:
        raise SopError(f"{source}: isi 'sop.title' dengan judul SOP.")
    kode, tingkat, batas = parse_header(header, source)
    steps: list[SopStep] = []
    codes: set[str] = set()
    for p_idx, phase in enumerate(doc["phases"], start=1):
        where = f"{source}, fase ke-{p_idx}"
        if not isinstance(phase, dict):
            raise SopError(f"{where}: harus berisi code, title, year dan steps.")
        code = str(phase.get("code") or "").strip().upper()
        if not code.isalpha() or len(code) > 3:
            raise SopError(f"{where}: 'code' harus huruf, misalnya A atau B.")
        if code in codes:
            raise SopError(f"{where}: kode fase {code} dipakai dua kali.")
        codes.add(code)
        year = phase.get("year", "current")
        if year not in YEAR_OFFSETS:
            raise SopError(f"{where} ({code}): 'year' harus 'current' atau 'previous'.")
        phase_title = str(phase.get("title") or "").strip() or f"Fase {code}"
        raw_steps = phase.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise SopError(f"{where} ({code}): 'steps' harus berisi daftar langkah.")
        seen: set[int] = set()
        for s_idx, raw in enumerate(raw_steps, start=1):
            here = f"{source}, fase {code} langkah ke-{s_idx}"
            if not isinstance(raw, dict):
                raise SopError(f"{here}: harus berisi no, activity, actor dan duration.")
            # YAML 1.1 reads the bare key `no` as the boolean false.
            no = raw.get("no", raw.get(False))
            if not isinstance(no, int) or no < 1 or no in seen:
                raise SopError(f"{here}: 'no' harus bilangan bulat positif yang tidak kembar.")
            seen.add(no)
            activity = " ".join(str(raw.get("activity") or "").split())
            actor = str(raw.get("actor") or "").strip()
            if not activity or not actor:
                raise SopError(f"{here}: 'activity' dan 'actor' wajib diisi.")
            dur = raw.get("duration") or {}
            value, unit = dur.get("value"), dur.get("unit")
            if not isinstance(value, int) or value < 1 or unit not in UNITS:
                raise SopError(
                    f"{here}: 'duration' harus {{value: bilangan bulat positif, unit: "
                    "hari|minggu|bulan}."
                )
            steps.append(
                SopStep(
                    fase=code,
                    nomor=no,
                    judul_fase=phase_title,
                    tahun_relatif=YEAR_OFFSETS[year],
                    aktivitas=activity,
                    pelaku=actor,
                    pelaku_disimpulkan=bool(raw.get("actor_inferred", False)),
                    masukan=_text(raw.get("input")),
                    keluaran=_text(raw.get("output")),
                    durasi_nilai=value,
                    durasi_satuan=unit,
                )
            )
    steps.sort(key=lambda s: (s.fase, s.nomor))
    return Sop(
        versi=None,
        judul=title,
        unit=_text(header.get("unit")),
        dokumen=json.loads(json.dumps(doc, default=str)),
        steps=steps,
        kode=kode,
        tingkat=tingkat,
        batas=batas,
    )


def parse_header(header: dict, source: str = "berkas SOP") -> tuple[str, str, Deadline | None]:
    """The procedure's code, level and deadline anchor from the document's ``sop`` part."""
    kode = str(header.get("code") or PROVINSI).strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,39}", kode):
        raise SopError(
            f"{source}: 'sop.code' harus huruf kecil, angka dan tanda '-', misalnya lppd-kabkota."
        )
    tingkat = str(header.get("level") or "provinsi").strip()
    if tingkat not in LEVELS:
        raise SopError(f"{source}: 'sop.level' harus 'provinsi' atau 'kabupaten/kota'.")
    raw = header.get("deadline")
    if raw is None:
        return kode, tingkat, None
    if not isinstance(raw, dict):
        raise SopError(f"{source}: 'sop.deadline' harus berisi day, month, year dan text.")
    day, month, year = raw.get("day"), raw.get("month"), raw.get("year", "next")
    if not (isinstance(day, int) and isinstance(month, int) and year in DEADLINE_YEARS):
        raise SopError(
            f"{source}: 'sop.deadline' harus {{day: 1-31, month: 1-12, year: same|next}}."
        )
    try:
        dt.date(2000, month, day)  # a leap year: 29 February is allowed
    except ValueError:
        raise SopError(f"{source}: tanggal batas waktu {day}/{month} tidak ada.") from None
    bulan = BULAN[month - 1]
    default = f"{day} {bulan} " + ("tahun berikutnya" if year == "next" else "tahun yang sama")
    teks = _text(raw.get("text")) or default
    return kode, tingkat, Deadline(day, month, DEADLINE_YEARS[year], teks)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def load(db: Database, path: Path, *, by: str, note: str | None = None) -> Sop:
    """Store the SOP in ``path`` as a new version (unchanged text: the version in force)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SopError(f"Berkas SOP {path} tidak dapat dibaca ({exc.strerror}).") from None
    return load_bytes(db, Path(path).name, raw, by=by, note=note)


def load_bytes(db: Database, name: str, raw: bytes, *, by: str, note: str | None = None) -> Sop:
    """Like :func:`load` for an uploaded file's bytes."""
    path = Path(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SopError(f"Berkas SOP {path.name} harus berupa teks UTF-8.") from None
    sop = parse(text, source=f"Berkas {Path(path).name}")
    digest = hashlib.sha256(raw).hexdigest()
    with db.transaction():
        latest = db.rows(
            "SELECT versi, sha256 FROM sop_versi WHERE kode_sop = ? ORDER BY versi DESC LIMIT 1",
            [sop.kode],
        )
        if latest and latest[0][1] == digest:
            return current(db, kode=sop.kode)
        versi = (latest[0][0] if latest else 0) + 1
        db.execute(
            "INSERT INTO sop_versi (kode_sop, versi, judul, unit, tingkat, nama_berkas, sha256, "
            "dokumen, dimuat_oleh, catatan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                sop.kode,
                versi,
                sop.judul,
                sop.unit,
                sop.tingkat,
                Path(path).name,
                digest,
                json.dumps(sop.dokumen, ensure_ascii=False),
                by,
                note,
            ],
        )
        db.executemany(
            "INSERT INTO sop_langkah (kode_sop, versi, fase, nomor, judul_fase, tahun_relatif, "
            "aktivitas, pelaku, pelaku_disimpulkan, masukan, keluaran, durasi_nilai, "
            "durasi_satuan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    sop.kode,
                    versi,
                    s.fase,
                    s.nomor,
                    s.judul_fase,
                    s.tahun_relatif,
                    s.aktivitas,
                    s.pelaku,
                    s.pelaku_disimpulkan,
                    s.masukan,
                    s.keluaran,
                    s.durasi_nilai,
                    s.durasi_satuan,
                ]
                for s in sop.steps
            ],
        )
        audit.record(
            db,
            by,
            "muat_sop",
            f"SOP {sop.kode} v{versi}",
            keterangan=f"{sop.judul} ({len(sop.steps)} langkah) dari {Path(path).name}",
        )
    return current(db, kode=sop.kode)


def shipped(kode: str) -> Sop:
    """The procedure ``kode`` as shipped with the application."""
    path = SHIPPED.get(kode)
    if path is None:
        raise unknown(kode)
    return parse(path.read_text(encoding="utf-8"), source=path.name)


def unknown(kode: str) -> SopError:
    return SopError(
        f"Prosedur '{kode}' tidak dikenal; pilihan: {', '.join(SHIPPED)} (lihat 'spm sop list')."
    )


def ensure_loaded(db: Database, *, by: str = "sistem", kode: str = PROVINSI) -> Sop:
    """The procedure ``kode`` in force, loading its shipped document first if none was
    loaded yet."""
    if not db.scalar("SELECT count(*) FROM sop_versi WHERE kode_sop = ?", [kode]):
        if kode not in SHIPPED:
            raise unknown(kode)
        return load(db, SHIPPED[kode], by=by, note="SOP bawaan aplikasi")
    return current(db, kode=kode)


def current(
    db: Database, versi: int | None = None, *, kode: str = PROVINSI, actor: Actor | None = None
) -> Sop:
    """Version ``versi`` of procedure ``kode`` (default: the newest); the shipped file
    if none was loaded. ``actor`` must be one who follows the procedures (page Siklus
    SOP; None: the library itself)."""
    access.require(actor, "lihat_sop")
    if versi is None:
        versi = db.scalar("SELECT max(versi) FROM sop_versi WHERE kode_sop = ?", [kode])
    if versi is None:
        return shipped(kode)
    head = db.dicts(
        "SELECT judul, unit, dokumen FROM sop_versi WHERE kode_sop = ? AND versi = ?",
        [kode, versi],
    )
    if not head:
        raise SopError(f"SOP {kode} versi {versi} tidak ada.")
    rows = db.dicts(
        "SELECT fase, nomor, judul_fase, tahun_relatif, aktivitas, pelaku, pelaku_disimpulkan, "
        "masukan, keluaran, durasi_nilai, durasi_satuan FROM sop_langkah "
        "WHERE kode_sop = ? AND versi = ? ORDER BY fase, nomor",
        [kode, versi],
    )
    dokumen = json.loads(head[0]["dokumen"])
    _, tingkat, batas = parse_header(dokumen.get("sop") or {})
    return Sop(
        versi=versi,
        judul=head[0]["judul"],
        unit=head[0]["unit"],
        dokumen=dokumen,
        steps=[SopStep(**r) for r in rows],
        kode=kode,
        tingkat=tingkat,
        batas=batas,
    )


def versions(db: Database, kode: str = PROVINSI) -> list[dict]:
    return db.dicts(
        "SELECT v.versi, v.judul, v.nama_berkas, v.dimuat_oleh, v.dimuat_pada, v.catatan, "
        "count(l.nomor) AS jumlah_langkah FROM sop_versi v "
        "LEFT JOIN sop_langkah l ON l.kode_sop = v.kode_sop AND l.versi = v.versi "
        "WHERE v.kode_sop = ? GROUP BY ALL ORDER BY v.versi DESC",
        [kode],
    )


def codes(db: Database) -> list[str]:
    """Every procedure's code: the shipped ones, then others loaded, in that order."""
    loaded = [r[0] for r in db.rows("SELECT DISTINCT kode_sop FROM sop_versi ORDER BY 1")]
    return [*SHIPPED, *(k for k in loaded if k not in SHIPPED)]


def library(db: Database, *, actor: Actor | None = None) -> list[Sop]:
    """Every procedure in force (loaded version, else as shipped), shipped ones first."""
    access.require(actor, "lihat_sop")
    return [current(db, kode=k) for k in codes(db)]


def of_level(db: Database, tingkat: str) -> list[Sop]:
    """The procedures in force of one level ('provinsi' or 'kabupaten/kota')."""
    return [s for s in library(db) if s.tingkat == tingkat]


# -- the calendar ----------------------------------------------------------------------
# One working-day calendar for the SOP and the deadlines: pipelines/core/workdays.py.
Calendar = workdays.Calendar
add_months = workdays.add_months


def calendar(db: Database, years: range | list[int]) -> Calendar:
    """Working days in ``years`` by the settings in force (Indonesian holidays from the
    ``holidays`` package, cuti bersama, the settings' additions and removals)."""
    return workdays.calendar_for(settings.current(db), years)
