"""The SK Tim Penerapan SPM and the Rencana Aksi of a region and year, reviewed like
submissions (:mod:`pipelines.review`)::

    Diajukan ──► Diverifikasi
        │             │
        └──► Dikembalikan ◄┘  (with a comment; the region uploads a fixed document)

The region's kabupaten/kota uploader (its own region only) or the Biro hands in the
decree's number, date and file (PDF, JPG or PNG, stored by SHA-256 like SOP evidence);
the Biro verifies the newest document of its kind or sends it back with a comment.
Every upload and status change is one row of the audit trail.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.auth import audit, roles
from pipelines.auth.access import Actor
from pipelines.auth.deadlines import written_reason
from pipelines.core import fmt, reference
from pipelines.db.store import Database
from pipelines.review import STATUS_LABELS
from pipelines.sop import dokumen_berkas as berkas
from pipelines.sop.dokumen_berkas import DokumenError

JENIS = {"tim": "SK Tim Penerapan SPM", "rencana-aksi": "Rencana Aksi (Perkada)"}
NOMOR = {"tim": "Nomor SK Tim Penerapan SPM", "rencana-aksi": "Nomor Perkada Rencana Aksi"}
DIAJUKAN, DIVERIFIKASI, DIKEMBALIKAN = "diajukan", "diverifikasi", "dikembalikan"
STATUS = (DIAJUKAN, DIVERIFIKASI, DIKEMBALIKAN)
BELUM = "belum diunggah"

COLUMNS = [
    "id",
    "jenis",
    "nama_jenis",
    "kode_wilayah",
    "nama_wilayah",
    "tahun",
    "nomor",
    "tanggal",
    "nama_berkas",
    "sha256",
    "ukuran",
    "status",
    "komentar",
    "diunggah_oleh",
    "diunggah_pada",
    "diperiksa_oleh",
    "diperiksa_pada",
    "terbaru",
]
# Each document with whether it is the newest of its kind, region and year.
_ROWS = """
SELECT d.*, w.nama AS nama_wilayah,
       d.id = max(d.id) OVER (PARTITION BY d.jenis, d.kode_wilayah, d.tahun) AS terbaru
FROM dokumen_spm d LEFT JOIN wilayah w ON w.kode = d.kode_wilayah
"""


def _check_jenis(jenis: str) -> str:
    if jenis not in JENIS:
        raise DokumenError(
            f"Jenis dokumen '{jenis}' tidak dikenal; pilihan: {', '.join(JENIS)} "
            "(SK Tim Penerapan SPM atau Rencana Aksi)."
        )
    return jenis


def describe(doc: dict) -> str:
    """'#3 SK Tim Penerapan SPM Kabupaten Bangka 2025' for messages and the audit trail."""
    return (
        f"#{doc['id']} {JENIS[doc['jenis']]} {doc.get('nama_wilayah') or doc['kode_wilayah']} "
        f"{doc['tahun']}"
    )


def unggah(
    db: Database,
    actor: Actor,
    *,
    jenis: str,
    kode_wilayah: str,
    tahun: int,
    nomor: str | None,
    tanggal: dt.date | None,
    nama_berkas: str | None,
    content: bytes,
    today: dt.date | None = None,
) -> int:
    """Record a document (status diajukan) after checking everything; returns its id.
    A bad number, date or file changes nothing."""
    roles.require(actor, "unggah_dokumen_spm")
    today = today or dt.date.today()
    _check_jenis(jenis)
    wilayah = berkas.check_region(db, actor, kode_wilayah)
    tahun = berkas.check_year(tahun, today)
    nomor = (nomor or "").strip()
    if not nomor:
        raise DokumenError(f"{NOMOR[jenis]} wajib diisi, sesuai nomor pada dokumennya.")
    if tanggal is None:
        raise DokumenError(f"Tanggal {JENIS[jenis]} wajib diisi.")
    if tanggal > today:
        raise DokumenError(
            f"Tanggal {JENIS[jenis]} ({fmt.tanggal(tanggal)}) belum terjadi; tulis tanggal "
            f"penetapan dokumen, paling lambat hari ini ({fmt.tanggal(today)})."
        )
    name = berkas.checked(db, nama_berkas, content)
    digest = berkas.keep(db, content)
    with db.transaction():
        new_id = int(
            db.scalar(
                "INSERT INTO dokumen_spm (jenis, kode_wilayah, tahun, nomor, tanggal, "
                "nama_berkas, sha256, ukuran, status, diunggah_oleh) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    jenis,
                    wilayah["kode"],
                    tahun,
                    nomor,
                    tanggal,
                    name,
                    digest,
                    len(content),
                    DIAJUKAN,
                    actor.username,
                ],
            )
        )
        doc = {"id": new_id, "jenis": jenis, "nama_wilayah": wilayah["nama"], "tahun": tahun}
        doc["kode_wilayah"] = wilayah["kode"]
        audit.record(
            db,
            actor,
            "unggah_dokumen_spm",
            describe(doc),
            sesudah={"nomor": nomor, "tanggal": tanggal, "berkas": name, "sha256": digest},
        )
    return new_id


def daftar(
    db: Database,
    actor: Actor | None,
    *,
    tahun: int | None = None,
    kode_wilayah: str | None = None,
    jenis: str | None = None,
    status: str | None = None,
    semua: bool = False,
) -> pd.DataFrame:
    """The documents ``actor`` may see (a kabupaten/kota uploader: its own region), the
    newest of each kind, region and year (``semua``: every version), by year, region and
    kind."""
    roles.require(actor, "lihat_dokumen_spm")
    if jenis is not None:
        _check_jenis(jenis)
    if status is not None and status not in STATUS:
        raise DokumenError(f"Status '{status}' tidak dikenal; pilihan: {', '.join(STATUS)}.")
    if kode_wilayah is not None:
        berkas.check_region(db, actor, kode_wilayah)
    kode_wilayah = berkas.scope_rows(actor, kode_wilayah)
    frame = db.df(
        f"""
        SELECT * FROM ({_ROWS}) d
        WHERE (? IS NULL OR tahun = ?) AND (? IS NULL OR kode_wilayah = ?)
          AND (? IS NULL OR jenis = ?) AND (? IS NULL OR status = ?) AND (? OR terbaru)
        ORDER BY tahun DESC, kode_wilayah, jenis DESC, id DESC
        """,
        [tahun, tahun, kode_wilayah, kode_wilayah, jenis, jenis, status, status, semua],
    )
    frame["nama_jenis"] = frame["jenis"].map(JENIS)
    return frame[COLUMNS]


def get(db: Database, dokumen_id: int, *, actor: Actor | None = None) -> dict:
    """One document (a row of :func:`daftar`), if ``actor`` may see it."""
    roles.require(actor, "lihat_dokumen_spm")
    rows = db.dicts(f"SELECT * FROM ({_ROWS}) d WHERE id = ?", [int(dokumen_id)])
    if not rows:
        raise DokumenError(f"Dokumen #{dokumen_id} tidak ditemukan.")
    berkas.check_region(db, actor, rows[0]["kode_wilayah"])
    return rows[0]


def berkas_dokumen(db: Database, dokumen_id: int, *, actor: Actor | None) -> tuple[str, bytes]:
    """The file name and exact bytes of document ``dokumen_id``."""
    doc = get(db, dokumen_id, actor=actor)
    return doc["nama_berkas"], berkas.read(db, doc["sha256"], doc["nama_berkas"])


def _change(
    db: Database, actor: Actor, dokumen_id: int, to: str, allowed: tuple[str, ...], komentar=None
) -> dict:
    roles.require(actor, "periksa_dokumen_spm")
    doc = get(db, dokumen_id, actor=actor)
    if not doc["terbaru"]:
        raise DokumenError(
            f"Dokumen {describe(doc)} sudah diganti unggahan yang lebih baru; periksa dokumen "
            "terbaru."
        )
    if doc["status"] not in allowed:
        raise DokumenError(
            f"Dokumen {describe(doc)} berstatus {STATUS_LABELS[doc['status']]}; hanya dokumen "
            f"berstatus {' atau '.join(STATUS_LABELS[s] for s in allowed)} yang dapat "
            f"di{'verifikasi' if to == DIVERIFIKASI else 'kembalikan'}."
        )
    with db.transaction():
        db.execute(
            "UPDATE dokumen_spm SET status = ?, komentar = ?, diperiksa_oleh = ?, "
            "diperiksa_pada = ? WHERE id = ?",
            [to, komentar, actor.username, dt.datetime.now(), doc["id"]],
        )
        audit.record(
            db,
            actor,
            "ubah_status_dokumen_spm",
            describe(doc),
            sebelum={"status": doc["status"]},
            sesudah={"status": to, **({"komentar": komentar} if komentar else {})},
        )
    return {**doc, "status": to, "komentar": komentar}


def verifikasi(db: Database, actor: Actor, dokumen_id: int) -> dict:
    """Diajukan → Diverifikasi (the Biro)."""
    return _change(db, actor, dokumen_id, DIVERIFIKASI, (DIAJUKAN,))


def kembalikan(db: Database, actor: Actor, dokumen_id: int, komentar: str | None) -> dict:
    """Diajukan or Diverifikasi → Dikembalikan with a comment saying what to fix."""
    roles.require(actor, "periksa_dokumen_spm")
    komentar = written_reason(komentar, "pengembalian dokumen", DokumenError)
    return _change(db, actor, dokumen_id, DIKEMBALIKAN, (DIAJUKAN, DIVERIFIKASI), komentar)


def kelengkapan(db: Database, actor: Actor | None, tahun: int) -> pd.DataFrame:
    """Per kabupaten/kota of the province (an uploader: its own) the status of its newest
    SK Tim and Rencana Aksi of ``tahun`` ('belum diunggah' when none): ``kode_wilayah,
    nama_wilayah, tim, rencana_aksi``."""
    roles.require(actor, "lihat_dokumen_spm")
    kab = reference.kabkota(db)[["kode", "nama"]].rename(
        columns={"kode": "kode_wilayah", "nama": "nama_wilayah"}
    )
    own = berkas.scope_rows(actor, None)
    if own is not None:
        kab = kab[kab["kode_wilayah"] == own].copy()
    docs = daftar(db, None, tahun=tahun)
    for jenis, column in (("tim", "tim"), ("rencana-aksi", "rencana_aksi")):
        status = dict(docs.loc[docs["jenis"] == jenis, ["kode_wilayah", "status"]].values)
        kab[column] = [status.get(kode, BELUM) for kode in kab["kode_wilayah"]]
    return kab.reset_index(drop=True)
