"""Data dukung of the four tahapan of SPM implementation (the ``tahap_*`` columns of the
SPM form, :data:`pipelines.core.forms.SPM_COLUMNS`): files per region, year, service and
tahap, kept like SOP evidence. The figures themselves (tahap done or not) stay in the
submitted form; these files show what a "Ya" rests on."""

from __future__ import annotations

import pandas as pd

from pipelines.auth import audit, roles
from pipelines.auth.access import Actor
from pipelines.core.forms import SPM_COLUMNS
from pipelines.db.store import Database
from pipelines.sop import dokumen_berkas as berkas
from pipelines.sop.dokumen_berkas import DokumenError

# tahap_pengumpulan_data -> 'Tahap 1: pengumpulan data', in the form's order.
TAHAPAN = {
    c.key: c.label.removesuffix(" (Ya/Tidak)") for c in SPM_COLUMNS if c.key.startswith("tahap_")
}
COLUMNS = [
    "id",
    "kode_wilayah",
    "nama_wilayah",
    "tahun",
    "kode_layanan",
    "nama_layanan",
    "tahap",
    "nama_tahap",
    "nama_berkas",
    "sha256",
    "ukuran",
    "diunggah_oleh",
    "diunggah_pada",
]


def _check_tahap(tahap: str) -> str:
    if tahap not in TAHAPAN:
        raise DokumenError(f"Tahap '{tahap}' tidak dikenal; pilihan: {', '.join(TAHAPAN)}.")
    return tahap


def _check_layanan(db: Database, wilayah: dict, kode_layanan: str) -> str:
    """A service of the region's level in the catalog."""
    kode = (kode_layanan or "").strip()
    found = db.scalar(
        "SELECT count(*) FROM layanan WHERE kode = ? AND tingkat = ?", [kode, wilayah["tingkat"]]
    )
    if not found:
        raise DokumenError(
            f"Kode layanan '{kode}' bukan jenis pelayanan dasar {wilayah['tingkat']}; lihat "
            "katalog layanan pada templat SPM."
        )
    return kode


def unggah(
    db: Database,
    actor: Actor,
    *,
    kode_wilayah: str,
    tahun: int,
    kode_layanan: str,
    tahap: str,
    nama_berkas: str | None,
    content: bytes,
) -> int:
    """Store a data dukung file of one tahap of a service; returns its id."""
    roles.require(actor, "unggah_dokumen_spm")
    wilayah = berkas.check_region(db, actor, kode_wilayah)
    tahun = berkas.check_year(tahun)
    kode_layanan = _check_layanan(db, wilayah, kode_layanan)
    _check_tahap(tahap)
    name = berkas.checked(db, nama_berkas, content)
    digest = berkas.keep(db, content)
    with db.transaction():
        new_id = int(
            db.scalar(
                "INSERT INTO dokumen_tahapan (kode_wilayah, tahun, kode_layanan, tahap, "
                "nama_berkas, sha256, ukuran, diunggah_oleh) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING id",
                [wilayah["kode"], tahun, kode_layanan, tahap, name, digest, len(content)]
                + [actor.username],
            )
        )
        audit.record(
            db,
            actor,
            "unggah_data_dukung_tahapan",
            f"#{new_id} {TAHAPAN[tahap]} {kode_layanan} {wilayah['nama']} {tahun}",
            sesudah={"berkas": name, "sha256": digest},
        )
    return new_id


def daftar(
    db: Database,
    actor: Actor | None,
    *,
    tahun: int | None = None,
    kode_wilayah: str | None = None,
) -> pd.DataFrame:
    """The tahapan files ``actor`` may see (a kabupaten/kota uploader: its own region)."""
    roles.require(actor, "lihat_dokumen_spm")
    if kode_wilayah is not None:
        berkas.check_region(db, actor, kode_wilayah)
    kode_wilayah = berkas.scope_rows(actor, kode_wilayah)
    frame = db.df(
        """
        SELECT d.*, w.nama AS nama_wilayah, l.nama AS nama_layanan
        FROM dokumen_tahapan d
        LEFT JOIN wilayah w ON w.kode = d.kode_wilayah
        LEFT JOIN layanan l ON l.kode = d.kode_layanan
        WHERE (? IS NULL OR d.tahun = ?) AND (? IS NULL OR d.kode_wilayah = ?)
        ORDER BY d.tahun DESC, d.kode_wilayah, l.urutan, d.tahap, d.id
        """,
        [tahun, tahun, kode_wilayah, kode_wilayah],
    )
    frame["nama_tahap"] = frame["tahap"].map(TAHAPAN)
    return frame[COLUMNS]


def berkas_tahapan(db: Database, tahapan_id: int, *, actor: Actor | None) -> tuple[str, bytes]:
    """The file name and exact bytes of tahapan file ``tahapan_id``."""
    roles.require(actor, "lihat_dokumen_spm")
    rows = db.dicts(
        "SELECT nama_berkas, sha256, kode_wilayah FROM dokumen_tahapan WHERE id = ?",
        [int(tahapan_id)],
    )
    if not rows:
        raise DokumenError(f"Data dukung tahapan #{tahapan_id} tidak ditemukan.")
    berkas.check_region(db, actor, rows[0]["kode_wilayah"])
    return rows[0]["nama_berkas"], berkas.read(db, rows[0]["sha256"], rows[0]["nama_berkas"])
