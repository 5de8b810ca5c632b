"""Reports as versioned records (Draf -> Final).

- :func:`generate` reads the figures (:mod:`pipelines.laporan.data`), writes the
  workbooks (``pipelines/laporan/xlsx_*.py``), the narrative
  (:mod:`pipelines.laporan.docx`) and a CSV of the data, and records them as a new
  draft version in ``laporan`` / ``laporan_berkas`` with the data version and settings
  version used. Generating again from unchanged inputs gives the same bytes and returns
  the existing version.
- :func:`finalise` turns a draft into Final after checking that data and settings are
  still what the draft was built from. A Final report never changes: every update is
  refused here, and its files are kept byte for byte.
- :func:`sync_sop` lets the SOP tracker record what finalising and exporting (the
  export bundle for the Pusat: :mod:`pipelines.laporan.bundle`) completed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.capaian.status_data import uraian_kiriman
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.laporan.berkas import csv_value, sha256, write_csv
from pipelines.laporan.data import LAYANAN_COLUMNS, ReportData, collect
from pipelines.laporan.data import label_versi_data as label_versi_data_of
from pipelines.laporan.docx import build_docx
from pipelines.laporan.xlsx_lppd_bab_iv import workbook_lppd_bab_iv
from pipelines.laporan.xlsx_provinsi import workbook_laporan_provinsi
from pipelines.laporan.xlsx_rekap_kabkota import workbook_rekap_kabkota
from pipelines.sop import detect, step

JENIS_LABEL = {
    "laporan-spm-provinsi": "Laporan Penerapan dan Pencapaian SPM Provinsi",
    "rekap-kabkota": "Rekap SPM kabupaten/kota",
}
Progress = Callable[[float, str], None]


class ReportError(SpmError):
    """A report operation that cannot be done (one Indonesian sentence)."""


@dataclass(frozen=True)
class Berkas:
    nama_berkas: str
    jenis_berkas: str  # xlsx, docx, csv
    judul: str
    isi: bytes

    @property
    def sha256(self) -> str:
        return sha256(self.isi)


@dataclass
class Hasil:
    """The outcome of :func:`generate`."""

    laporan: dict
    berkas: list[Berkas]
    baru: bool  # False when the newest version already had exactly this content


def check_can_write(actor: Actor) -> None:
    """Only the Biro (admin, analis) builds, finalises and exports reports; pimpinan reads."""
    if not actor.is_privileged:
        raise AccessDenied(
            "Hanya administrator dan analis Biro Pemerintahan yang dapat membuat, "
            "memfinalkan atau mengekspor laporan."
        )


def check_can_read(actor: Actor) -> None:
    """The Biro and the leaders read and download reports; uploaders see their figures
    on the dashboards instead."""
    if not (actor.is_privileged or actor.role == "pimpinan"):
        raise AccessDenied("Hanya Biro Pemerintahan dan pimpinan yang dapat mengunduh laporan.")


def now() -> dt.datetime:
    """The time a report's record keeps (to the second)."""
    return dt.datetime.now().replace(microsecond=0)


def _noop(_fraction: float, _text: str) -> None:
    return None


def base_name(data: ReportData) -> str:
    code = data.scope.kode_wilayah or "nasional"
    return f"{code}_{data.tahun}_TW{data.triwulan}"


def build_files(data: ReportData, progress: Progress | None = None) -> list[Berkas]:
    """Every file of the report for ``data``, in a fixed order (pure; no writes)."""
    progress = progress or _noop
    stem = base_name(data)
    jobs: list[tuple[str, str, str, Callable[[ReportData], bytes]]] = []
    if data.scope.kode_provinsi is not None:
        jobs.append(
            (
                f"laporan-spm-provinsi_{stem}.xlsx",
                "xlsx",
                "Laporan Penerapan dan Pencapaian SPM Provinsi",
                workbook_laporan_provinsi,
            )
        )
    jobs.append(
        (
            f"rekap-kabkota_{stem}.xlsx",
            "xlsx",
            "Rekap per kabupaten/kota",
            workbook_rekap_kabkota,
        )
    )
    if data.scope.kode_provinsi is not None:
        jobs.append(
            (
                f"lppd-bab-iv_{stem}.xlsx",
                "xlsx",
                "BAB IV LPPD dan rekap IKK kabupaten/kota",
                workbook_lppd_bab_iv,
            )
        )
    jobs.append((f"narasi_{stem}.docx", "docx", "Draf narasi laporan", build_docx))
    jobs.append((f"data-spm_{stem}.csv", "csv", "Data SPM (CSV)", data_csv))
    if data.scope.kode_provinsi is not None:
        jobs.append(
            (f"ringkasan-provinsi_{stem}.csv", "csv", "Ringkasan provinsi (CSV)", ringkasan_csv)
        )
    files = []
    for i, (name, kind, title, writer) in enumerate(jobs):
        progress(i / len(jobs), f"Menyusun {title}…")
        files.append(Berkas(name, kind, title, writer(data)))
    progress(1.0, "Semua berkas selesai disusun.")
    return files


def data_csv(data: ReportData) -> bytes:
    """The service-level figures behind the report (machine format, dot decimals)."""
    frame = pd.concat([data.provinsi_layanan, data.kabkota_layanan], ignore_index=True)
    cols = [c for c in LAYANAN_COLUMNS if c != "urutan_layanan"]
    header = ["tahun", "triwulan", *cols]
    rows = [
        [data.tahun, data.triwulan, *(csv_value(v) for v in rec)]
        for rec in (frame[cols].itertuples(index=False) if not frame.empty else [])
    ]
    return write_csv(header, rows)


def ringkasan_csv(data: ReportData) -> bytes:
    """The province's figures, one row, columns named as everywhere (labels.RINGKASAN_COLUMNS)."""
    frame = data.ringkasan_provinsi()
    return write_csv(list(frame.columns), frame.itertuples(index=False, name=None))


def content_sha256(files: list[Berkas]) -> str:
    """One fingerprint of a report's content: its files' names and SHA-256 in order."""
    lines = "".join(f"{f.nama_berkas}\0{f.sha256}\n" for f in files)
    return sha256(lines.encode("utf-8"))


# -- records -------------------------------------------------------------------------
RECORD_COLUMNS = (
    "id, jenis, tahun, triwulan, kode_wilayah, versi, status, dibuat_oleh, dibuat_pada, "
    "difinalkan_oleh, difinalkan_pada, versi_data, versi_setting, isi_sha256, catatan, "
    "data_per, jumlah_berkas, dipaksa, catatan_final"
)


def get(db: Database, laporan_id: int) -> dict:
    rows = db.dicts(f"SELECT {RECORD_COLUMNS} FROM laporan WHERE id = ?", [laporan_id])
    if not rows:
        raise ReportError(f"Laporan nomor {laporan_id} tidak ditemukan.")
    return rows[0]


def list_reports(
    db: Database, tahun: int | None = None, *, actor: Actor | None = None
) -> pd.DataFrame:
    """The report versions (of year ``tahun``), for the Biro and leaders (``actor=None``:
    the library itself)."""
    if actor is not None:
        check_can_read(actor)
    sql = (
        f"SELECT {RECORD_COLUMNS}, (SELECT count(*) FROM laporan_ekspor e "
        "WHERE e.laporan_id = l.id) AS jumlah_ekspor FROM laporan l"
    )
    params: list = []
    if tahun is not None:
        sql += " WHERE tahun = ?"
        params.append(tahun)
    return db.df(
        sql + " ORDER BY tahun DESC, triwulan DESC, jenis, kode_wilayah, versi DESC", params
    )


def files(db: Database, laporan_id: int) -> list[Berkas]:
    get(db, laporan_id)
    rows = db.rows(
        "SELECT nama_berkas, jenis_berkas, judul, isi FROM laporan_berkas "
        "WHERE laporan_id = ? ORDER BY urutan",
        [laporan_id],
    )
    return [Berkas(r[0], r[1], r[2], bytes(r[3])) for r in rows]


def _audit(db: Database, by: str, aksi: str, objek: str, sesudah: dict, note: str) -> None:
    audit.record(db, by, aksi, objek, sesudah=sesudah, keterangan=note)


def describe(record: dict) -> str:
    """'Laporan ... 19 Triwulan IV 2025 versi 2 (draf)'."""
    return (
        f"{JENIS_LABEL.get(record['jenis'], record['jenis'])} {record['kode_wilayah'] or ''} "
        f"{fmt.triwulan(record['triwulan'])} {record['tahun']} versi {record['versi']} "
        f"({record['status']})"
    ).replace("  ", " ")


def generate(
    db: Database,
    tahun: int,
    triwulan: int | None = None,
    region: str | None = None,
    *,
    by: str,
    progress: Progress | None = None,
    catatan: str | None = None,
) -> Hasil:
    """Build the report and record it as a new draft version (unless unchanged)."""
    progress = progress or _noop
    progress(0.0, "Membaca angka capaian dari basis data…")
    data = collect(db, tahun, triwulan, region)
    built = build_files(data, lambda f, t: progress(0.1 + 0.8 * f, t))
    digest = content_sha256(built)
    key = [data.scope.jenis, data.tahun, data.triwulan, data.scope.kode_wilayah]
    newest = db.dicts(
        f"SELECT {RECORD_COLUMNS} FROM laporan WHERE jenis = ? AND tahun = ? AND triwulan = ? "
        "AND kode_wilayah IS NOT DISTINCT FROM ? ORDER BY versi DESC LIMIT 1",
        key,
    )
    if newest and newest[0]["isi_sha256"] == digest:
        progress(1.0, "Isi sama dengan versi terakhir; tidak ada versi baru.")
        return Hasil(newest[0], built, baru=False)
    progress(0.92, "Menyimpan draf…")
    with db.transaction():
        versi = (newest[0]["versi"] if newest else 0) + 1
        new_id = db.scalar(
            "INSERT INTO laporan (jenis, tahun, triwulan, kode_wilayah, versi, status, "
            "dibuat_oleh, dibuat_pada, versi_data, versi_setting, isi_sha256, catatan, "
            "data_per, jumlah_berkas) VALUES (?, ?, ?, ?, ?, 'draf', ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            [*key, versi, by, now(), data.versi_data, data.versi_setting, digest, catatan]
            + [data.waktu_data, data.jumlah_pengiriman],
        )
        db.executemany(
            "INSERT INTO laporan_berkas (laporan_id, urutan, nama_berkas, jenis_berkas, judul, "
            "sha256, ukuran, isi) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [new_id, i, f.nama_berkas, f.jenis_berkas, f.judul, f.sha256, len(f.isi), f.isi]
                for i, f in enumerate(built, 1)
            ],
        )
        record = get(db, new_id)
        _audit(db, by, "buat_draf_laporan", f"laporan {new_id}", record, describe(record))
    progress(1.0, "Draf tersimpan.")
    return Hasil(record, built, baru=True)


def label_versi_data(record: dict) -> str:
    """A record's data version for people: 'Data per 20 Januari 2026 09.37, 11 berkas'."""
    jumlah = record.get("jumlah_berkas")
    if jumlah is None or pd.isna(jumlah):  # a record from before the count was kept
        jumlah = int(str(record["versi_data"]).split("n=")[-1].split(";")[0] or 0)
    waktu = record.get("data_per")
    return label_versi_data_of(None if waktu is None or pd.isna(waktu) else waktu, int(jumlah))


def catatan_final(record: dict) -> list[str]:
    """What the record says about its finalisation (a forced one lists the data that was
    not yet verified); [] when there is nothing to say."""
    text = record.get("catatan_final")
    return json.loads(text) if isinstance(text, str) and text else []


def belum_diverifikasi(db: Database, laporan_id: int) -> list[str]:
    """The submissions behind a report's figures, as they are now, that are neither
    diverifikasi nor final ('#46 SPM Kabupaten Bangka Selatan (diajukan)')."""
    record = get(db, laporan_id)
    data = collect(db, record["tahun"], record["triwulan"], record["kode_wilayah"])
    return [uraian_kiriman(r) for r in data.belum_diverifikasi.itertuples(index=False)]


def finalise(db: Database, laporan_id: int, *, by: str, paksa: bool = False) -> dict:
    """Draf -> Final, when data and settings are still those the draft was built from
    and every submission behind its figures is diverifikasi or final.

    ``paksa`` finalises a report whose data is not all verified anyway: the list of
    those submissions (already in the draft's files, which say so) is kept with the
    record (``catatan_final``), in the audit trail and in the export's manifest.
    """
    record = get(db, laporan_id)
    if record["status"] == "final":
        raise ReportError(
            f"{describe(record)} sudah final sejak {fmt.waktu(record['difinalkan_pada'])} "
            "dan tidak dapat diubah; buat draf baru bila perlu perbaikan."
        )
    data = collect(db, record["tahun"], record["triwulan"], record["kode_wilayah"])
    if data.versi_data != record["versi_data"] or data.versi_setting != record["versi_setting"]:
        raise ReportError(
            f"Data atau pengaturan telah berubah sejak draf versi {record['versi']} dibuat; "
            "buat draf baru lalu finalkan draf itu."
        )
    unverified = [uraian_kiriman(r) for r in data.belum_diverifikasi.itertuples(index=False)]
    if unverified and not paksa:
        raise ReportError(
            f"{describe(record)} belum dapat difinalkan: angkanya memakai "
            f"{fmt.angka(len(unverified))} kiriman yang belum diverifikasi: "
            f"{'; '.join(unverified)}. Verifikasi kiriman itu (halaman Pemeriksaan atau "
            "'spm review verify ID'), buat draf baru, lalu finalkan; atau finalkan dengan "
            "--paksa (di aplikasi: centang 'Finalkan walaupun ada data yang belum "
            "diverifikasi') agar daftar ini tercatat di laporan dan manifest."
        )
    notes = (
        [
            f"Difinalkan oleh {by} walaupun {fmt.angka(len(unverified))} kiriman di balik "
            "angkanya belum diverifikasi:",
            *unverified,
        ]
        if unverified
        else []
    )
    with db.transaction():
        # Guard against a concurrent finalisation: only a draft row changes.
        changed = db.rows(
            "UPDATE laporan SET status = 'final', difinalkan_oleh = ?, difinalkan_pada = ?, "
            "dipaksa = ?, catatan_final = ? WHERE id = ? AND status = 'draf' RETURNING id",
            [by, now(), bool(unverified), json.dumps(notes, ensure_ascii=False) if notes else None]
            + [laporan_id],
        )
        if not changed:
            raise ReportError(f"Laporan nomor {laporan_id} sudah difinalkan oleh proses lain.")
        record = get(db, laporan_id)
        note = describe(record) + (f"; {' '.join(notes)}" if notes else "")
        _audit(db, by, "finalkan_laporan", f"laporan {laporan_id}", record, note)
    return record


def verify(db: Database, laporan_id: int, *, actor: Actor | None = None) -> tuple[bool, str]:
    """Rebuild the report from the database now and compare with the stored content."""
    if actor is not None:
        check_can_read(actor)
    record = get(db, laporan_id)
    data = collect(db, record["tahun"], record["triwulan"], record["kode_wilayah"])
    digest = content_sha256(build_files(data))
    if digest == record["isi_sha256"]:
        return True, f"{describe(record)}: dibangun ulang dengan isi yang sama persis."
    return False, (
        f"{describe(record)}: isi berbeda bila dibangun ulang sekarang (sekarang "
        f"{data.label_versi_data}, pengaturan versi {data.versi_setting}; laporan memakai "
        f"{label_versi_data(record)}, pengaturan versi {record['versi_setting']})."
    )


def sync_sop(db: Database, tahun: int, actor: Actor) -> list[str]:
    """Let the SOP tracker record the steps the report shows done (B5 final, B6-B7
    exported) in the cycle whose phase B reports ``tahun``; [] without a tracker/cycle."""
    cycle_year = tahun + 1
    if step.cycle(db, cycle_year) is None:
        return []
    return detect.sync(db, cycle_year, actor=actor)


def write_files(out_dir: Path, items: list[tuple[str, bytes]]) -> list[Path]:
    """Write files into ``out_dir`` atomically (temp file then rename)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in items:
        target = out_dir / name
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(content)
        tmp.replace(target)
        written.append(target)
    return written
