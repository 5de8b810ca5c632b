"""What every SPM document shares: who may hand one in for which region and year, the
file types accepted, and keeping or reading the bytes through the evidence store (the
same check and storage as SOP evidence, :func:`pipelines.sop.evidence.checked_file`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.core import reference, settings
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.sop.evidence import checked_file


class DokumenError(SpmError):
    """A document that cannot be accepted or a review step not possible now."""


# Accepted file types: suffix -> the bytes such a file starts with.
JENIS_BERKAS = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
JENIS_BERKAS_TEKS = "PDF, JPG atau PNG"


def checked(db: Database, nama_berkas: str | None, content: bytes) -> str:
    """The file's plain name after the evidence checks (name, empty, size) and its type:
    a PDF, JPG or PNG whose content is what its name says."""
    name = checked_file(db, nama_berkas, content, DokumenError)
    suffix = Path(name).suffix.lower()
    starts = JENIS_BERKAS.get(suffix)
    if starts is None:
        raise DokumenError(
            f"Jenis berkas {name} tidak diterima; unggah pindaian dokumen berformat "
            f"{JENIS_BERKAS_TEKS}."
        )
    if not content.startswith(starts):
        raise DokumenError(
            f"Isi berkas {name} bukan {suffix[1:].upper()} yang sah; simpan ulang dokumen "
            f"sebagai {JENIS_BERKAS_TEKS} lalu unggah kembali."
        )
    return name


def keep(db: Database, content: bytes) -> str:
    """Store the bytes in the evidence store; their SHA-256."""
    return files.keep_evidence(db, content)


def read(db: Database, digest: str | None, name: str) -> bytes:
    """The exact bytes of a stored document (checked against its hash)."""
    if not digest:
        raise DokumenError(f"Berkas {name} tidak tersimpan: catatan ini berasal dari data demo.")
    try:
        return files.read_evidence(db, digest, name)
    except files.StoredFileMissing as exc:
        raise DokumenError(str(exc)) from None


def check_region(db: Database, actor: Actor | None, kode_wilayah: str) -> dict:
    """The region (``reference.wilayah``) when it is the province served or one of its
    kabupaten/kota and ``actor`` may act for it (a kabupaten/kota uploader: its own)."""
    kode = (kode_wilayah or "").strip()
    prov = settings.served_province(db)
    found = reference.wilayah(db, kode) if kode else None
    if found is None or (found["kode"] != prov and found["kode_provinsi"] != prov):
        raise DokumenError(
            f"Kode wilayah '{kode}' bukan provinsi ini atau kabupaten/kotanya; gunakan kode "
            f"Kemendagri, misalnya {prov}.01."
        )
    access.check_region(db, actor, found["kode"])
    return found


def check_year(tahun: int, today: dt.date | None = None) -> int:
    """A year a document may be for: from 2000 to next year (a team is formed ahead)."""
    today = today or dt.date.today()
    if not 2000 <= int(tahun) <= today.year + 1:
        raise DokumenError(
            f"Tahun {tahun} tidak masuk akal untuk dokumen SPM; tulis tahun 2000 sampai "
            f"{today.year + 1}."
        )
    return int(tahun)


def scope_rows(actor: Actor | None, kode_wilayah: str | None) -> str | None:
    """The only region ``actor`` may list (a kabupaten/kota uploader: its own), else
    ``kode_wilayah`` as asked (None: all)."""
    if actor is not None and actor.role == "pengunggah_kabkota":
        return actor.kode_wilayah
    return kode_wilayah
