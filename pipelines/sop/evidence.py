"""Evidence of a step: files attached to it, kept by SHA-256 in the file store.

The bytes live in ``<store>/evidence/`` (:mod:`pipelines.db.files`); ``siklus_bukti``
records which step, the file's name, hash and size, and who attached it when. The
final report's export bundle takes phase B's evidence from here
(:func:`phase_b_for_report_year`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.auth.access import Actor
from pipelines.core import settings
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.sop import step
from pipelines.sop.step import Ref, SiklusError

LISTING = (
    "SELECT id, fase || nomor AS kode, nama_berkas, sha256, ukuran, keterangan, "
    "diunggah_oleh, diunggah_pada FROM siklus_bukti"
)


def attach(
    db: Database,
    siklus: int | Ref,
    kode: str,
    nama_berkas: str,
    content: bytes,
    *,
    actor: Actor,
    keterangan: str | None = None,
) -> int:
    """Store ``content`` by SHA-256 and record it as evidence of the step; returns its id."""
    ref = step.resolve(db, siklus)
    step.check_can_edit(actor, ref)
    name = checked_file(db, nama_berkas, content, SiklusError)
    row = step.row(db, ref, kode)
    digest = files.keep_evidence(db, content)
    with db.transaction():
        new_id = db.scalar(
            "INSERT INTO siklus_bukti (kode_sop, kode_wilayah, tahun, fase, nomor, nama_berkas, "
            "sha256, ukuran, keterangan, diunggah_oleh) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            [
                ref.sop,
                ref.wilayah,
                ref.tahun,
                row["fase"],
                row["nomor"],
                name,
                digest,
                len(content),
                keterangan,
                actor.username,
            ],
        )
        step.record(db, actor, "lampirkan_bukti", ref, step.label(row), f"{name} {digest}")
    return int(new_id)


def checked_file(
    db: Database, nama_berkas: str | None, content: bytes, error: type[SpmError]
) -> str:
    """The plain name of an evidence file about to be stored, after refusing (``error``,
    Indonesian) a missing name, an empty file or one over ``ukuran_berkas_maks_mb``;
    every kind of evidence (SOP steps, SPM documents) goes through this check."""
    name = Path(nama_berkas or "").name.strip()
    if not name:
        raise error("Nama berkas bukti tidak boleh kosong.")
    if not content:
        raise error(f"Berkas {name} kosong; pilih berkas yang berisi dokumen bukti.")
    limit_mb = settings.current(db).get("ukuran_berkas_maks_mb", 10)
    if len(content) > limit_mb * 1024 * 1024:
        raise error(
            f"Berkas {name} lebih besar dari batas {limit_mb} MB; perkecil atau pisahkan berkasnya."
        )
    return name


def listing(
    db: Database, siklus: int | Ref, kode: str | None = None, *, actor: Actor | None = None
) -> pd.DataFrame:
    """The evidence of the cycle (or of one step), in step and upload order."""
    step.check_can_see(actor, step.resolve(db, siklus))
    return step.of_cycle(db, LISTING, siklus, kode, "fase, nomor, diunggah_pada, id")


def read(db: Database, bukti_id: int, *, actor: Actor | None = None) -> tuple[str, bytes]:
    """The file name and exact bytes of evidence ``bukti_id`` (checked against its hash)."""
    rows = db.dicts(
        "SELECT nama_berkas, sha256, kode_sop, kode_wilayah, tahun FROM siklus_bukti WHERE id = ?",
        [bukti_id],
    )
    if not rows:
        raise SiklusError(f"Bukti nomor {bukti_id} tidak ada.")
    step.check_can_see(actor, Ref(rows[0]["kode_sop"], rows[0]["kode_wilayah"], rows[0]["tahun"]))
    name = rows[0]["nama_berkas"]
    try:
        return name, files.read_evidence(db, rows[0]["sha256"], name)
    except files.StoredFileMissing as exc:
        raise SiklusError(str(exc)) from None


def phase_b_for_report_year(db: Database, tahun: int) -> tuple[pd.DataFrame, list[dict]] | None:
    """Phase B of the cycle reporting ``tahun`` (cycle ``tahun + 1``), as recorded: its
    steps (no automatic completion applied) and its evidence (``nomor, nama_berkas,
    sha256``); both empty when that cycle has not started, None when the database has
    no SOP tracker (a read-only database from before it)."""
    if not (db.table_exists("siklus_langkah") and db.table_exists("siklus_bukti")):
        return None
    prov = settings.served_province(db)
    steps = db.df(
        "SELECT fase, nomor, aktivitas, pelaku, keluaran, rencana_mulai, rencana_selesai, "
        "mulai, selesai, status, penanggung_jawab FROM siklus_langkah "
        "WHERE kode_sop = ? AND kode_wilayah = ? AND fase = 'B' AND tahun_laporan = ? "
        "ORDER BY nomor",
        [step.PROVINSI, prov, tahun],
    )
    bukti = db.dicts(
        "SELECT b.nomor, b.nama_berkas, b.sha256 FROM siklus_bukti b "
        "JOIN siklus_langkah l ON l.kode_sop = b.kode_sop AND l.kode_wilayah = b.kode_wilayah "
        "AND l.tahun = b.tahun AND l.fase = b.fase AND l.nomor = b.nomor "
        "WHERE b.kode_sop = ? AND b.kode_wilayah = ? AND b.fase = 'B' AND l.tahun_laporan = ? "
        "ORDER BY b.nomor, b.id",
        [step.PROVINSI, prov, tahun],
    )
    return steps, bukti
