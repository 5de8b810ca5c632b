"""The export bundle for the Pusat: the ZIP of a Final report.

It holds the report's files byte for byte, the PDFs of the narrative and the
provincial workbook (:mod:`pipelines.laporan.pdf`, where LibreOffice is installed),
the evidence of the SOP phase B steps of
the cycle reporting that year (:func:`pipelines.sop.evidence.phase_b_for_report_year`),
and ``manifest.json`` with the SHA-256 of every file, the data and settings versions,
and who finalised the report and when. The same report always gives the same bytes.
Each export is recorded in ``laporan_ekspor``, from which the SOP tracker completes
steps B6-B7.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipelines.auth import audit
from pipelines.db import files as file_store
from pipelines.db.store import Database
from pipelines.laporan import pdf, records
from pipelines.laporan.berkas import EPOCH, deterministic_zip, sha256, write_csv
from pipelines.sop import evidence


def _cell(value: object) -> object:
    """A step's field for the CSV: numbers stay numbers, anything else its text."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    return value if isinstance(value, int | float) else str(value)


def _sop_evidence(db: Database, tahun: int) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Evidence of SOP phase B for reporting year ``tahun`` (cycle ``tahun + 1``)."""
    found = evidence.phase_b_for_report_year(db, tahun)
    if found is None:
        return [], ["Pelacak SOP belum tersedia; bukti langkah fase B tidak disertakan."]
    steps, bukti = found
    if steps.empty:
        return [], [f"Siklus SOP untuk pelaporan tahun {tahun} belum dimulai."]
    out: list[tuple[str, bytes]] = []
    header = list(steps.columns)
    out.append(
        (
            "bukti_sop/langkah_fase_b.csv",
            write_csv(
                header,
                [
                    [None if pd.isna(v) else _cell(v) for v in row]
                    for row in steps.itertuples(index=False)
                ],
            ),
        )
    )
    notes: list[str] = []
    seen: set[str] = set()
    for b in bukti:
        path = file_store.evidence_path(db, b["sha256"])
        name = f"bukti_sop/B{b['nomor']}_{Path(b['nama_berkas']).name}"
        if name in seen:
            name = f"bukti_sop/B{b['nomor']}_{b['sha256'][:8]}_{Path(b['nama_berkas']).name}"
        seen.add(name)
        if path.exists():
            out.append((name, path.read_bytes()))
        else:
            notes.append(f"Berkas bukti {b['nama_berkas']} (B{b['nomor']}) tidak ditemukan.")
    return out, notes


def _pdfs(stored: list[records.Berkas], stamp) -> tuple[list[tuple[str, bytes]], list[str]]:
    """PDFs of the narrative and the provincial workbook (LibreOffice), or a note why not."""
    if not pdf.available():
        return [], ["PDF tidak disertakan: LibreOffice tidak terpasang di server."]
    return pdf.pdfs(stored, stamp), []


def bundle_name(record: dict) -> str:
    return (
        f"ekspor-pusat_{record['jenis']}_{record['kode_wilayah'] or 'nasional'}_"
        f"{record['tahun']}_TW{record['triwulan']}_v{record['versi']}.zip"
    )


def _manifest(record: dict, entries: list[tuple[str, bytes]], notes: list[str]) -> dict:
    return {
        "laporan": {
            "id": record["id"],
            "jenis": record["jenis"],
            "judul": records.JENIS_LABEL.get(record["jenis"], record["jenis"]),
            "tahun": record["tahun"],
            "triwulan": record["triwulan"],
            "kode_wilayah": record["kode_wilayah"],
            "versi": record["versi"],
            "status": record["status"],
            "isi_sha256": record["isi_sha256"],
        },
        "versi_data": record["versi_data"],
        "data": records.label_versi_data(record),
        "versi_setting": record["versi_setting"],
        "dibuat_oleh": record["dibuat_oleh"],
        "dibuat_pada": record["dibuat_pada"].isoformat(),
        "difinalkan_oleh": record["difinalkan_oleh"],
        "difinalkan_pada": record["difinalkan_pada"].isoformat(),
        "berkas": [
            {"nama": name, "sha256": sha256(content), "ukuran": len(content)}
            for name, content in entries
        ],
        "catatan": notes,
    }


def bundle_bytes(db: Database, laporan_id: int) -> tuple[str, bytes, dict]:
    """The ZIP for the Pusat of a Final report: (file name, bytes, manifest)."""
    record = records.get(db, laporan_id)
    if record["status"] != "final":
        raise records.ReportError(
            f"{records.describe(record)} masih draf; finalkan terlebih dahulu sebelum "
            "diekspor ke Pusat."
        )
    stored = records.files(db, laporan_id)
    entries = [(f.nama_berkas, f.isi) for f in stored]
    pdf_files, notes = _pdfs(stored, record["difinalkan_pada"] or EPOCH)
    entries += pdf_files
    sop_files, sop_notes = _sop_evidence(db, record["tahun"])
    entries += sop_files
    manifest = _manifest(record, entries, records.catatan_final(record) + notes + sop_notes)
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    entries.append(("manifest.json", text.encode("utf-8")))
    stamp = record["difinalkan_pada"] or EPOCH
    return bundle_name(record), deterministic_zip(entries, stamp), manifest


def export_bundle(db: Database, laporan_id: int, *, by: str) -> tuple[str, bytes]:
    """Build the bundle of a Final report and record the export."""
    name, content, _ = bundle_bytes(db, laporan_id)
    record = records.get(db, laporan_id)
    digest = sha256(content)
    with db.transaction():
        new_id = db.scalar(
            "INSERT INTO laporan_ekspor (laporan_id, tahun, triwulan, dibuat_oleh, dibuat_pada, "
            "sha256, nama_berkas) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [laporan_id, record["tahun"], record["triwulan"], by, records.now(), digest, name],
        )
        audit.record(
            db,
            by,
            "ekspor_laporan",
            f"laporan {laporan_id}",
            sesudah={"ekspor_id": new_id, "nama_berkas": name, "sha256": digest},
            keterangan=records.describe(record),
        )
    return name, content
