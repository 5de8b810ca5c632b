"""The audit trail: who did what, when, with the state before and after.

Every login, upload, status change, deadline exception, settings change and user
change writes one row to ``audit_log``. Values are stored as JSON; passwords and
password hashes never are (:func:`record` refuses keys that look like them).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from pipelines.auth import roles
from pipelines.db.store import Database

if TYPE_CHECKING:  # access imports settings, which records through this module
    from pipelines.auth.access import Actor

# Action names (aksi) and how the audit page labels them.
AKSI_LABELS = {
    "login": "Masuk",
    "login_gagal": "Gagal masuk",
    "logout": "Keluar",
    "sesi_berakhir": "Sesi berakhir",
    "unggah": "Unggah data",
    "ubah_status": "Perubahan status",
    "buka_kembali": "Buka kembali data final",
    "beri_pengecualian_batas": "Pengecualian batas waktu",
    "cabut_pengecualian_batas": "Cabut pengecualian batas waktu",
    "tetapkan_batas_waktu": "Tetapkan batas waktu periode",
    "hapus_batas_waktu": "Kembalikan batas waktu periode ke aturan",
    "ubah_pengaturan": "Perubahan pengaturan",
    "tambah_pengguna": "Tambah pengguna",
    "ubah_pengguna": "Ubah pengguna",
    "nonaktifkan_pengguna": "Nonaktifkan pengguna",
    "aktifkan_pengguna": "Aktifkan pengguna",
    "reset_kata_sandi": "Atur ulang kata sandi",
    "ganti_kata_sandi": "Ganti kata sandi",
    # written by other modules (catalog, SOP cycle, reports)
    "muat_katalog_ikk": "Muat katalog IKK",
    "muat_katalog_mutu": "Muat katalog item mutu",
    "muat_sop": "Muat SOP",
    "mulai_siklus": "Mulai siklus SOP",
    "mulai_langkah": "Mulai langkah SOP",
    "selesai_langkah": "Selesaikan langkah SOP",
    "selesai_otomatis": "Langkah SOP selesai otomatis",
    "kembalikan_langkah": "Kembalikan langkah SOP",
    "lanjutkan_langkah": "Lanjutkan langkah SOP",
    "tugaskan_langkah": "Tugaskan langkah SOP",
    "buat_draf_laporan": "Buat draf laporan",
    "finalkan_laporan": "Finalkan laporan",
    # public service delivery (pipelines/pelayanan)
    "tambah_unit": "Tambah unit layanan",
    "muat_standar": "Muat standar pelayanan",
    "unggah_skm": "Unggah hasil SKM",
    "catat_pengaduan": "Catat pengaduan",
    "ubah_pengaduan": "Ubah status pengaduan",
    "disposisi_pengaduan": "Disposisi pengaduan",
    # data quality (pipelines/capaian/pencilan)
    "tandai_pencilan": "Tandai pencilan",
    # SPM documents (pipelines/sop/dokumen_*.py)
    "unggah_dokumen_spm": "Unggah dokumen Tim/Rencana Aksi SPM",
    "ubah_status_dokumen_spm": "Perubahan status dokumen SPM",
    "unggah_data_dukung_tahapan": "Unggah data dukung tahapan SPM",
}
_SECRET_KEYS = ("password", "kata_sandi", "hash", "sandi")


def _check_no_secrets(value: Any) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if any(s in str(key).lower() for s in _SECRET_KEYS):
                raise ValueError(f"audit values must not contain secrets (key {key!r})")
            _check_no_secrets(inner)


def who(actor: Actor | str) -> str:
    return str(getattr(actor, "username", actor))


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def record(
    db: Database,
    by: Actor | str,
    aksi: str,
    objek: str | None = None,
    *,
    sebelum: Any = None,
    sesudah: Any = None,
    keterangan: str | None = None,
    waktu: dt.datetime | None = None,
) -> None:
    """Append one audit row (inside the caller's transaction, if any)."""
    _check_no_secrets(sebelum)
    _check_no_secrets(sesudah)
    db.execute(
        "INSERT INTO audit_log (waktu, pengguna, aksi, objek, sebelum, sesudah, keterangan) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            waktu or dt.datetime.now(),
            who(by),
            aksi,
            objek,
            _json(sebelum),
            _json(sesudah),
            keterangan,
        ],
    )


def record_many(db: Database, rows: pd.DataFrame) -> None:
    """Append many audit rows at once (columns ``pengguna, aksi, objek, sesudah,
    keterangan``, ``sesudah`` as dicts), e.g. one per file of an ingest batch."""
    if rows.empty:
        return
    for value in rows.get("sesudah", []):
        _check_no_secrets(value)
    frame = rows.copy()
    if "sesudah" in frame:
        frame["sesudah"] = frame["sesudah"].map(_json)
    db.insert_df("audit_log", frame)


# What the demo loader records and replaces on every run (as the demo's own actors).
DEMO_ACTORS = ("demo", "demo-analis")
DEMO_REPLACED = (
    "mulai_siklus",
    "tambah_unit",
    "muat_standar",
    "unggah_skm",
    "catat_pengaduan",
    "ubah_pengaduan",
)


def forget_demo_uploads(db: Database) -> None:
    """Drop the audit rows of demo data being replaced (``spm demo`` only: the audit
    trail of a real database is never edited): the uploads, and what the demo's own
    actors recorded for the cycles, units, standards, SKM and complaints it replaces,
    so running the demo again leaves the same rows."""
    if db.meta("demo") == "true" or not db.scalar("SELECT count(*) FROM submission"):
        db.execute("DELETE FROM audit_log WHERE aksi = 'unggah'")
        db.execute(
            "DELETE FROM audit_log WHERE list_contains(?, pengguna) AND list_contains(?, aksi)",
            [list(DEMO_ACTORS), list(DEMO_REPLACED)],
        )


def log(
    db: Database,
    *,
    pengguna: str | None = None,
    aksi: str | list[str] | None = None,
    objek_mengandung: str | None = None,
    sejak: dt.date | None = None,
    sampai: dt.date | None = None,
    batas: int = 1000,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """Audit rows, newest first, filtered by user, action(s), object text and dates;
    only for administrators and analysts (``actor=None``: the library itself)."""
    roles.require(actor, "lihat_audit")
    actions = [aksi] if isinstance(aksi, str) else (aksi or None)
    return db.df(
        """
        SELECT id, waktu, pengguna, aksi, objek, sebelum, sesudah, keterangan
        FROM audit_log
        WHERE (? IS NULL OR pengguna = ?)
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], aksi))
          AND (? IS NULL OR objek ILIKE '%' || ? || '%')
          AND (?::DATE IS NULL OR waktu >= ?::DATE)
          AND (?::DATE IS NULL OR waktu < ?::DATE + INTERVAL 1 DAY)
        ORDER BY waktu DESC, id DESC
        LIMIT ?
        """,
        [
            pengguna,
            pengguna,
            actions,
            actions,
            objek_mengandung,
            objek_mengandung,
            sejak,
            sejak,
            sampai,
            sampai,
            batas,
        ],
    )
