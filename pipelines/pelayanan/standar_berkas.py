"""Reading a standar pelayanan file (CSV or XLSX, one row per service) and checking it
row by row, before anything is written.

Columns (keys or their labels): ``kode_unit, nama_unit, kode_wilayah_unit,
kode_layanan, nama_layanan``, the 14 components (``persyaratan`` ...
``evaluasi_kinerja``), and optionally ``jangka_waktu_nilai, jangka_waktu_satuan``
(else read from the jangka waktu text), ``kode_sop``, ``maklumat``, ``penetapan``,
``penanda_tangan``. A component may hold several lines (a numbered list). Every problem
names the sheet, row and column; a galat refuses the whole file.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from pipelines.core import reference, settings
from pipelines.core.forms import normalise_header
from pipelines.db.store import Database
from pipelines.ingest.readers import FileRefused, check_file
from pipelines.ingest.result import GALAT, PERINGATAN, Problem
from pipelines.pelayanan import berkas
from pipelines.pelayanan import unit as units
from pipelines.pelayanan.standar_komponen import (
    COMPONENTS,
    SATUAN,
    LoadResult,
    parse_duration,
)
from pipelines.sop import definition

MAX_ROWS = 2000
MAX_CELL = 8000
KODE_LAYANAN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
OTHER_COLUMNS = {
    "kode_unit": "Kode unit",
    "nama_unit": "Nama unit",
    "kode_wilayah_unit": "Kode wilayah unit",
    "kode_layanan": "Kode layanan",
    "nama_layanan": "Nama layanan",
    "jangka_waktu_nilai": "Jangka waktu (nilai)",
    "jangka_waktu_satuan": "Jangka waktu (satuan)",
    "kode_sop": "Kode SOP",
    "maklumat": "Maklumat pelayanan",
    "penetapan": "Penetapan",
    "penanda_tangan": "Penanda tangan",
}
LABELS = {**OTHER_COLUMNS, **{k: label for k, label, _ in COMPONENTS}}
_LOOKUP = {normalise_header(k): k for k in LABELS} | {
    normalise_header(v): k for k, v in LABELS.items()
}


def _cells(path: Path, name: str, max_mb: float) -> tuple[str, list[tuple[int, tuple]]]:
    """The sheet's name and its rows (row number, values)."""
    sheet, rows, _ = berkas.read_rows(
        check_file(path, name, max_mb),
        name,
        cap=MAX_ROWS + 50,
        holds=lambda found: any(_header(r) for _, r in found[:20]),
        missing=(
            "Baris judul kolom tidak ditemukan; baris judul harus berisi kode_unit, "
            "kode_layanan, nama_layanan dan komponen standar pelayanan."
        ),
    )
    return sheet, rows


def _header(row: tuple) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = _LOOKUP.get(normalise_header(cell)) if cell is not None else None
        if key and key not in found:
            found[key] = i
    return found if {"kode_unit", "kode_layanan", "nama_layanan"} <= found.keys() else {}


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = [" ".join(line.split()) for line in str(value).replace("\r", "").split("\n")]
    text = "\n".join(line for line in lines if line)
    return text or None


def read(db: Database, path: Path, name: str, result: LoadResult) -> list[dict]:
    """The file's services as rows to store; every problem goes to ``result``."""
    max_mb = float(settings.current(db).get("ukuran_berkas_maks_mb", 10))
    try:
        sheet, rows = _cells(path, name, max_mb)
    except FileRefused as exc:
        result.problems.append(Problem(GALAT, exc.sheet, exc.row, None, exc.message))
        return []
    except OSError as exc:
        result.problems.append(
            Problem(GALAT, None, None, None, f"Berkas tidak dapat dibuka ({exc}).")
        )
        return []
    header_at = next((i for i, (_, r) in enumerate(rows[:20]) if _header(r)), None)
    if header_at is None:
        result.problems.append(
            Problem(
                GALAT,
                sheet,
                None,
                None,
                "Baris judul kolom tidak ditemukan dalam 20 baris pertama; baris judul harus "
                "berisi kode_unit, kode_layanan, nama_layanan dan komponen standar pelayanan.",
            )
        )
        return []
    columns = _header(rows[header_at][1])
    missing = [label for k, label, _ in COMPONENTS if k not in columns]
    if missing:
        result.problems.append(
            Problem(
                GALAT,
                sheet,
                rows[header_at][0],
                None,
                f"Kolom komponen {', '.join(missing)} tidak ditemukan; standar pelayanan "
                "memuat 14 komponen (isi '-' bila memang tidak ada).",
            )
        )
        return []
    body = [(n, r) for n, r in rows[header_at + 1 :] if any(_text(v) for v in r)]
    if len(body) > MAX_ROWS:
        result.problems.append(
            Problem(
                GALAT,
                sheet,
                None,
                None,
                f"Berkas berisi lebih dari {MAX_ROWS} layanan; bagi menjadi beberapa berkas.",
            )
        )
        return []
    if not body:
        result.problems.append(
            Problem(GALAT, sheet, None, None, "Berkas tidak berisi satu pun layanan.")
        )
        return []
    known_units = set(reference.unit_layanan(db, semua=True)["kode"])
    sops = set(definition.codes(db))
    checker = _RowChecker(result, sheet, columns)
    out, seen, new_units = [], {}, {}
    for order, (row_no, values) in enumerate(body, start=1):
        cell = {k: _text(values[i]) if i < len(values) else None for k, i in columns.items()}
        record = checker.row(row_no, cell, order, known_units | set(new_units), sops)
        if record is None:
            continue
        kode = record["kode_layanan"]
        if kode in seen:
            checker.error(
                row_no, "kode_layanan", f"kode layanan {kode} sudah dipakai di baris {seen[kode]}"
            )
            continue
        seen[kode] = row_no
        unit_row = record.get("_unit_baru")
        if unit_row is not None:
            new_units[unit_row[0]] = row_no
        out.append(record)
    return out


class _RowChecker:
    """Checks one row's cells, naming sheet, row, column and cell for every problem."""

    def __init__(self, result: LoadResult, sheet: str, columns: dict[str, int]) -> None:
        self.result, self.sheet, self.columns = result, sheet, columns

    def _add(self, level: str, row: int, key: str | None, message: str) -> None:
        column = cell = None
        if key is not None:
            letter = get_column_letter(self.columns[key] + 1) if key in self.columns else None
            column = f"{key} ({letter})" if letter else key
            cell = f"{letter}{row}" if letter else None
        self.result.problems.append(Problem(level, self.sheet, row, column, message, cell))

    def error(self, row: int, key: str | None, message: str) -> None:
        self._add(GALAT, row, key, message[0].upper() + message[1:] + ".")

    def warn(self, row: int, key: str | None, message: str) -> None:
        self._add(PERINGATAN, row, key, message[0].upper() + message[1:] + ".")

    def row(
        self, row: int, cell: dict, order: int, known_units: set[str], sops: set[str]
    ) -> dict | None:
        before = len(self.result.errors)
        for key, value in cell.items():
            if value is not None and len(value) > MAX_CELL:
                self.error(row, key, f"isian lebih dari {MAX_CELL} karakter; ringkas isinya")
        kode = cell.get("kode_layanan")
        if not kode:
            self.error(row, "kode_layanan", "kode layanan wajib diisi")
        elif not KODE_LAYANAN.fullmatch(kode):
            self.error(
                row,
                "kode_layanan",
                f"kode layanan '{kode}' tidak sah; pakai huruf, angka, '.', '_' atau '-'",
            )
        if not cell.get("nama_layanan"):
            self.error(row, "nama_layanan", "nama layanan wajib diisi")
        record: dict = {
            "kode_layanan": kode,
            "nama_layanan": cell.get("nama_layanan"),
            "urutan": order,
        }
        unit_kode = (cell.get("kode_unit") or "").lower() or None
        if unit_kode is None:
            self.error(row, "kode_unit", "kode unit wajib diisi")
        elif unit_kode not in known_units:
            if not cell.get("nama_unit"):
                self.error(
                    row,
                    "kode_unit",
                    f"unit '{unit_kode}' tidak dikenal; isi nama_unit untuk menambahkannya atau "
                    "pakai kode unit yang terdaftar ('spm unit list')",
                )
            elif not units.KODE_UNIT.fullmatch(unit_kode):
                self.error(
                    row,
                    "kode_unit",
                    f"kode unit '{unit_kode}' tidak sah; pakai huruf kecil, angka, '.', '_' atau '-'",
                )
            else:
                record["_unit_baru"] = (unit_kode, cell["nama_unit"], cell.get("kode_wilayah_unit"))
        record["kode_unit"] = unit_kode
        for key, label, _ in COMPONENTS:
            record[key] = cell.get(key)
            if record[key] is None:
                self.warn(
                    row, key, f"komponen {label} kosong; standar pelayanan memuat 14 komponen"
                )
        self._duration(row, cell, record)
        kode_sop = (cell.get("kode_sop") or "").lower() or None
        if kode_sop is not None and kode_sop not in sops:
            self.error(
                row,
                "kode_sop",
                f"prosedur '{kode_sop}' tidak dikenal; pilihan: {', '.join(sorted(sops))}",
            )
        record["kode_sop"] = kode_sop
        for key in ("maklumat", "penetapan", "penanda_tangan"):
            record[key] = cell.get(key)
        return record if len(self.result.errors) == before else None

    def _duration(self, row: int, cell: dict, record: dict) -> None:
        nilai, satuan = cell.get("jangka_waktu_nilai"), cell.get("jangka_waktu_satuan")
        record["jangka_waktu_nilai"] = record["jangka_waktu_satuan"] = None
        if nilai is None and satuan is None:
            parsed = parse_duration(cell.get("jangka_waktu"))
            if parsed is not None:
                record["jangka_waktu_nilai"], record["jangka_waktu_satuan"] = parsed
            return
        satuan = " ".join((satuan or "").lower().split())
        if not (nilai or "").isdigit() or int(nilai) < 1:
            self.error(row, "jangka_waktu_nilai", f"'{nilai}' bukan bilangan bulat positif")
        elif satuan not in SATUAN:
            self.error(
                row,
                "jangka_waktu_satuan",
                f"satuan '{satuan}' tidak dikenal; pilihan: {', '.join(SATUAN)}",
            )
        else:
            record["jangka_waktu_nilai"], record["jangka_waktu_satuan"] = int(nilai), satuan
