"""Complaints (seed 003 BAB VIII, SP4N-LAPOR! practice): recording one, moving its
status with history, disposing it to another unit.

A complaint has a tracking number (``ADU-<tahun>-<nnnnn>``, beside the SP4N-LAPOR! ID
when it came from there), a channel, the date received, the unit and (optionally) the
service of the standar pelayanan registry, a classification, a disposition, a status
with its history and three deadlines counted in working days on the project's calendar
(:func:`calendar`): disposition (setting ``pengaduan_hari_disposisi``, 3), response
(``pengaduan_hari_tanggapan``, 5) and, when the service's standar states its jangka
waktu, resolution.

Who: the Biro (admin, analis) records, disposes and moves any complaint; a unit's
uploaders record and move their unit's complaints; leaders read. The complainant's
name and contact are written here but read only through
:mod:`pipelines.pelayanan.pengaduan_baca`, which shows them to the handling unit and
administrators alone; the audit trail never holds them.
"""

from __future__ import annotations

import datetime as dt

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.core import fmt, settings
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.pelayanan import unit as units
from pipelines.pelayanan.standar_komponen import due_after
from pipelines.sop import definition

KANAL = ("langsung", "surat", "telepon", "e-mail", "SP4N-LAPOR!", "media sosial")
KLASIFIKASI = ("pengaduan", "aspirasi", "permintaan informasi")
STATUS = ("diterima", "diverifikasi", "ditindaklanjuti", "selesai", "bukan wewenang", "diarsipkan")
NEXT = {
    "diterima": ("diverifikasi", "ditindaklanjuti", "bukan wewenang", "diarsipkan"),
    "diverifikasi": ("ditindaklanjuti", "selesai", "bukan wewenang", "diarsipkan"),
    "ditindaklanjuti": ("selesai", "diarsipkan"),
    "selesai": (),
    "bukan wewenang": (),
    "diarsipkan": (),
}
RESPONDED = ("ditindaklanjuti", "selesai", "bukan wewenang")  # the complainant got an answer
CLOSED = ("selesai", "bukan wewenang", "diarsipkan")
MAX_TEXT = 5000


class PengaduanError(SpmError):
    """A complaint that cannot be recorded or changed as asked."""


def calendar(db: Database) -> definition.Calendar:
    """The project's working-day calendar (the one SOP planning and deadlines use), over
    the years a complaint's deadlines can reach."""
    year = dt.date.today().year
    return definition.calendar(db, range(year - 2, year + 2))


def _clean(text: str | None, what: str, *, required: bool = False, limit: int = MAX_TEXT):
    value = " ".join((text or "").split()) if what != "isi" else (text or "").strip()
    if required and not value:
        raise PengaduanError(f"{fmt.kalimat(what)} pengaduan wajib diisi.")
    if len(value) > limit:
        raise PengaduanError(f"{fmt.kalimat(what)} lebih dari {limit} karakter; ringkas isinya.")
    return value or None


def _on(tanggal: dt.date | None, today: dt.date, what: str) -> dt.date:
    when = tanggal or today
    if when > today:
        raise PengaduanError(
            f"Tanggal {what} ({when.isoformat()}) belum terjadi; periksa tanggalnya."
        )
    return when


def check_can_write(db: Database, actor: Actor, kode_unit: str) -> dict:
    """The unit, when ``actor`` may record or move its complaints (AccessDenied otherwise)."""
    if actor.role == "pimpinan":
        raise AccessDenied("Pimpinan membaca pengaduan; pencatatan dan tindak lanjut oleh unit.")
    return units.check_handles(db, actor, kode_unit, "menangani pengaduan")


def _service(db: Database, kode_layanan: str | None, kode_unit: str) -> dict | None:
    if not kode_layanan:
        return None
    rows = db.dicts(
        "SELECT kode_layanan, kode_unit, nama_layanan, jangka_waktu_nilai, jangka_waktu_satuan "
        "FROM standar_pelayanan WHERE kode_layanan = ?",
        [kode_layanan],
    )
    if not rows:
        raise PengaduanError(
            f"Layanan '{kode_layanan}' tidak ada di daftar standar pelayanan; kosongkan atau "
            "pilih layanan yang terdaftar."
        )
    if rows[0]["kode_unit"] != kode_unit:
        raise PengaduanError(
            f"Layanan {kode_layanan} milik unit {rows[0]['kode_unit']}, bukan {kode_unit}."
        )
    return rows[0]


def deadlines(db: Database, diterima: dt.date, service: dict | None) -> dict[str, dt.date | None]:
    """The disposition, response and (from the service's jangka waktu) resolution dates."""
    cal = calendar(db)
    current = settings.current(db)
    out = {
        "batas_disposisi": due_after(
            diterima, int(current.get("pengaduan_hari_disposisi", 3)), "hari kerja", cal
        ),
        "batas_tanggapan": due_after(
            diterima, int(current.get("pengaduan_hari_tanggapan", 5)), "hari kerja", cal
        ),
        "batas_penyelesaian": None,
    }
    if service and service.get("jangka_waktu_nilai") and service.get("jangka_waktu_satuan"):
        out["batas_penyelesaian"] = due_after(
            diterima, int(service["jangka_waktu_nilai"]), service["jangka_waktu_satuan"], cal
        )
    return out


def _history(
    db: Database,
    pengaduan_id: int,
    tanggal: dt.date,
    dari: str | None,
    ke: str,
    by: str,
    catatan: str | None,
    unit_dari: str | None = None,
    unit_ke: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO pengaduan_riwayat (pengaduan_id, tanggal, status_dari, status_ke, unit_dari, "
        "unit_ke, catatan, oleh) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [pengaduan_id, tanggal, dari, ke, unit_dari, unit_ke, catatan, by],
    )


def create(
    db: Database,
    *,
    actor: Actor,
    kode_unit: str,
    kanal: str,
    klasifikasi: str,
    judul: str,
    isi: str | None = None,
    diterima_pada: dt.date | None = None,
    kode_layanan: str | None = None,
    nama_pelapor: str | None = None,
    kontak_pelapor: str | None = None,
    nomor_lapor: str | None = None,
    disposisi: str | None = None,
    today: dt.date | None = None,
) -> str:
    """Record a complaint; returns its tracking number."""
    today = today or dt.date.today()
    unit = check_can_write(db, actor, kode_unit)
    if kanal not in KANAL:
        raise PengaduanError(f"Kanal '{kanal}' tidak dikenal; pilihan: {', '.join(KANAL)}.")
    if klasifikasi not in KLASIFIKASI:
        raise PengaduanError(
            f"Klasifikasi '{klasifikasi}' tidak dikenal; pilihan: {', '.join(KLASIFIKASI)}."
        )
    received = _on(diterima_pada, today, "diterima")
    service = _service(db, (kode_layanan or "").strip() or None, unit["kode"])
    values = {
        "nomor_lapor": _clean(nomor_lapor, "nomor SP4N-LAPOR!", limit=60),
        "kanal": kanal,
        "diterima_pada": received,
        "kode_unit": unit["kode"],
        "kode_layanan": service["kode_layanan"] if service else None,
        "klasifikasi": klasifikasi,
        "judul": _clean(judul, "judul", required=True, limit=200),
        "isi": _clean(isi, "isi"),
        "nama_pelapor": _clean(nama_pelapor, "nama pelapor", limit=200),
        "kontak_pelapor": _clean(kontak_pelapor, "kontak pelapor", limit=300),
        "disposisi": _clean(disposisi, "disposisi", limit=500),
        **deadlines(db, received, service),
        "dicatat_oleh": actor.username,
    }
    with db.transaction():
        seq = db.scalar(
            "SELECT coalesce(max(CAST(split_part(nomor, '-', 3) AS INTEGER)), 0) + 1 "
            "FROM pengaduan WHERE nomor LIKE ?",
            [f"ADU-{received.year}-%"],
        )
        nomor = f"ADU-{received.year}-{int(seq):05d}"
        cols = ["nomor", *values]
        new_id = db.scalar(
            f"INSERT INTO pengaduan ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
            "RETURNING id",
            [nomor, *values.values()],
        )
        _history(
            db, new_id, received, None, "diterima", actor.username, f"Dicatat melalui {kanal}."
        )
        audit.record(
            db,
            actor,
            "catat_pengaduan",
            f"pengaduan {nomor}",
            keterangan=f"{klasifikasi} melalui {kanal} untuk unit {unit['kode']}",
        )
    return nomor


def _row(db: Database, nomor: str) -> dict:
    rows = db.dicts("SELECT * FROM pengaduan WHERE nomor = ?", [(nomor or "").strip().upper()])
    if not rows:
        raise PengaduanError(f"Pengaduan {nomor} tidak ditemukan; periksa nomor pelacakannya.")
    return rows[0]


def _last_event(db: Database, pengaduan_id: int) -> dt.date:
    return db.scalar(
        "SELECT max(tanggal) FROM pengaduan_riwayat WHERE pengaduan_id = ?", [pengaduan_id]
    )


def change_status(
    db: Database,
    nomor: str,
    status: str,
    *,
    actor: Actor,
    catatan: str | None = None,
    tanggapan: str | None = None,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    """Move a complaint to ``status`` on ``tanggal`` (default today), with a note and,
    for a follow-up or a resolution, the response to the complainant."""
    today = today or dt.date.today()
    row = _row(db, nomor)
    check_can_write(db, actor, row["kode_unit"])
    if status not in STATUS:
        raise PengaduanError(f"Status '{status}' tidak dikenal; pilihan: {', '.join(STATUS)}.")
    allowed = NEXT[row["status"]]
    if status not in allowed:
        options = ", ".join(allowed) if allowed else "tidak ada (sudah ditutup)"
        raise PengaduanError(
            f"Pengaduan {row['nomor']} berstatus {row['status']}; status berikutnya yang "
            f"mungkin: {options}."
        )
    when = _on(tanggal, today, status)
    last = _last_event(db, row["id"])
    if last is not None and when < last:
        raise PengaduanError(
            f"Tanggal {when.isoformat()} sebelum kejadian terakhir pengaduan ini "
            f"({last.isoformat()}); periksa tanggalnya."
        )
    note = _clean(catatan, "catatan", limit=1000)
    answer = _clean(tanggapan, "isi", limit=MAX_TEXT) or row["tanggapan"]
    if status in ("ditindaklanjuti", "selesai") and not answer:
        raise PengaduanError(
            "Tulis tanggapan kepada pelapor untuk tindak lanjut atau penyelesaian."
        )
    if status in ("bukan wewenang", "diarsipkan") and not note:
        raise PengaduanError(f"Tulis alasan pengaduan {status} pada catatan.")
    changes = {"status": status, "tanggapan": answer}
    if status in RESPONDED and row["ditanggapi_pada"] is None:
        changes["ditanggapi_pada"] = when
    if status in CLOSED:
        changes["selesai_pada"] = when
    sets = ", ".join(f"{k} = ?" for k in changes)
    with db.transaction():
        db.execute(
            f"UPDATE pengaduan SET {sets}, diubah_oleh = ?, diubah_pada = current_timestamp "
            "WHERE id = ?",
            [*changes.values(), actor.username, row["id"]],
        )
        _history(db, row["id"], when, row["status"], status, actor.username, note)
        audit.record(
            db,
            actor,
            "ubah_pengaduan",
            f"pengaduan {row['nomor']}",
            sebelum={"status": row["status"]},
            sesudah={"status": status},
            keterangan=note,
        )
    return _row(db, row["nomor"])


def dispose(
    db: Database,
    nomor: str,
    kode_unit: str,
    *,
    actor: Actor,
    catatan: str | None = None,
    tanggal: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    """The Biro routes a complaint to the unit that handles it (also after a unit said
    'bukan wewenang'): the new unit, the disposition note, status ``diverifikasi``."""
    today = today or dt.date.today()
    if not actor.is_privileged:
        raise AccessDenied(
            "Hanya administrator dan analis Biro Pemerintahan yang mendisposisikan pengaduan."
        )
    row = _row(db, nomor)
    if row["status"] in ("selesai", "diarsipkan"):
        raise PengaduanError(
            f"Pengaduan {row['nomor']} sudah {row['status']}; tidak dapat didisposisikan."
        )
    target = units.get(db, (kode_unit or "").strip().lower())
    when = _on(tanggal, today, "disposisi")
    last = _last_event(db, row["id"])
    if last is not None and when < last:
        raise PengaduanError(
            f"Tanggal {when.isoformat()} sebelum kejadian terakhir pengaduan ini "
            f"({last.isoformat()}); periksa tanggalnya."
        )
    note = _clean(catatan, "disposisi", limit=500) or f"Didisposisikan kepada {target['nama']}."
    keep_service = row["kode_layanan"] if target["kode"] == row["kode_unit"] else None
    new_status = "diverifikasi"
    with db.transaction():
        db.execute(
            "UPDATE pengaduan SET kode_unit = ?, kode_layanan = ?, disposisi = ?, status = ?, "
            "selesai_pada = NULL, diubah_oleh = ?, diubah_pada = current_timestamp WHERE id = ?",
            [target["kode"], keep_service, note, new_status, actor.username, row["id"]],
        )
        _history(
            db,
            row["id"],
            when,
            row["status"],
            new_status,
            actor.username,
            note,
            unit_dari=row["kode_unit"],
            unit_ke=target["kode"],
        )
        audit.record(
            db,
            actor,
            "disposisi_pengaduan",
            f"pengaduan {row['nomor']}",
            sebelum={"unit": row["kode_unit"], "status": row["status"]},
            sesudah={"unit": target["kode"], "status": new_status},
        )
    return _row(db, row["nomor"])
