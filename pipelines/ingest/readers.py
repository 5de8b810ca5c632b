"""Read an uploaded ``.xlsx`` or ``.csv`` into a plain table of cells with positions.

Nothing here knows about the database. A file that cannot be read at all raises
:class:`FileRefused` with an Indonesian message; a readable file becomes a
:class:`RawTable`: the chosen sheet, where its header is, which column holds which
canonical key, and every row below the header with its Excel row number, so every
problem found later can name its sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from pipelines.core.forms import DISPLAY_COLUMNS, header_lookup, normalise_header
from pipelines.ingest.limits import Limits, whole

HEADER_SEARCH_ROWS = 30
META_SHEET = "_meta"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ITEM_KEYS = {"kode_layanan", "kode_ikk"}
_LOOKUP = header_lookup()


class FileRefused(Exception):
    """The file as a whole cannot be read; ``message`` says why and what to do."""

    def __init__(self, message: str, sheet: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row


@dataclass
class RawTable:
    kind: str  # 'xlsx' | 'csv'
    sheet: str
    header_row: int
    columns: dict[str, int]  # canonical key -> 0-based column index
    rows: list[tuple[int, tuple]]  # (Excel row number, cell values) below the header
    metadata: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[tuple[str, str]] = field(default_factory=list)  # (letter, header)
    duplicate_columns: list[tuple[str, str]] = field(default_factory=list)  # (letter, key)
    formulas_without_value: list[str] = field(default_factory=list)  # cell refs

    def letter(self, key: str) -> str:
        return get_column_letter(self.columns[key] + 1)


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = value.replace("\xa0", " ").strip()
        return value or None
    return value


def _header_score(row: tuple) -> tuple[int, dict[str, int], list[tuple[str, str]]]:
    """How many canonical keys a row names, their positions, and duplicates."""
    found: dict[str, int] = {}
    dupes: list[tuple[str, str]] = []
    for i, cell in enumerate(row):
        if cell is None:
            continue
        key = _LOOKUP.get(normalise_header(cell))
        if key is None:
            continue
        if key in found:
            dupes.append((get_column_letter(i + 1), key))
            continue
        found[key] = i
    score = sum(1 for k in found if k not in DISPLAY_COLUMNS)
    return score, found, dupes


def is_header_like(row: tuple) -> bool:
    return _header_score(row)[0] >= 3


def _find_header(rows: list[tuple], sheet: str) -> tuple[int, dict[str, int], list] | None:
    best: tuple[int, int, dict[str, int], list] | None = None
    for idx, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score, found, dupes = _header_score(row)
        if score < 3 or not (ITEM_KEYS & found.keys()):
            continue
        if best is None or score >= best[0]:  # ties: the later row (keys under labels)
            best = (score, idx, found, dupes)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _table(kind: str, sheet: str, rows: list[tuple], metadata: dict[str, str]) -> RawTable | None:
    rows = [tuple(_clean(v) for v in r) for r in rows]
    found = _find_header(rows, sheet)
    if found is None:
        return None
    idx, columns, dupes = found
    header = rows[idx]
    ignored = []
    for i, cell in enumerate(header):
        if cell is None or i in columns.values():
            continue
        if _LOOKUP.get(normalise_header(cell)) is None:
            ignored.append((get_column_letter(i + 1), str(cell)))
    body = [(n + 1, r) for n, r in enumerate(rows) if n > idx]
    return RawTable(
        kind=kind,
        sheet=sheet,
        header_row=idx + 1,
        columns={k: v for k, v in columns.items() if k not in DISPLAY_COLUMNS},
        rows=body,
        metadata=metadata,
        ignored_columns=ignored,
        duplicate_columns=dupes,
    )


def check_file(path: Path, display_name: str, max_mb: float) -> bytes:
    """The file's bytes, or FileRefused for wrong type, size, emptiness or encryption."""
    suffix = Path(display_name).suffix.lower()
    if suffix in (".xls", ".xlsm", ".xlsb", ".ods"):
        raise FileRefused(
            f"Format {suffix} tidak diterima; simpan ulang berkas sebagai .xlsx "
            "(Excel Workbook) atau .csv lalu unggah kembali."
        )
    if suffix not in (".xlsx", ".csv"):
        raise FileRefused(
            f"Berkas '{display_name}' bukan .xlsx atau .csv; gunakan templat dari aplikasi "
            "atau simpan sebagai .xlsx/.csv."
        )
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise FileRefused(
            f"Ukuran berkas {size / 1024 / 1024:.1f} MB melebihi batas {max_mb:g} MB; "
            "hapus lembar atau gambar yang tidak perlu lalu unggah kembali."
        )
    data = path.read_bytes()
    if not data.strip():
        raise FileRefused("Berkas kosong (0 byte); isi templat lalu unggah kembali.")
    if suffix == ".xlsx" and data.startswith(OLE_MAGIC):
        raise FileRefused(
            "Berkas dilindungi kata sandi (terenkripsi) sehingga tidak dapat dibaca; "
            "buka di Excel, hapus kata sandinya (File > Info > Protect Workbook), simpan, "
            "lalu unggah kembali."
        )
    return data


def read_xlsx(data: bytes, limits: Limits | None = None) -> RawTable:
    """The best table of an .xlsx's visible sheets, read with calamine (a Rust reader,
    some 15 times faster than openpyxl on the templates) after the package, each sheet's
    rows and columns and its unpacked size were checked against ``limits``."""
    limits = limits or Limits()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileRefused(
            "Berkas rusak atau bukan berkas Excel .xlsx yang sah; buka dan simpan ulang "
            "di Excel sebagai .xlsx lalu unggah kembali."
        )
    check_unpacked_size(data, limits)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            m.name
            for m in wb.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet
            and (m.name == META_SHEET or m.visible == SheetVisibleEnum.Visible)
        ]
    except Exception:  # calamine raises its own errors and more for broken packages
        raise FileRefused(
            "Berkas rusak sehingga tidak dapat dibuka; buka dan simpan ulang di Excel "
            "sebagai .xlsx lalu unggah kembali."
        ) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = _sheet_parts(zf)
            for name in sheets:  # rows and columns counted before any sheet is parsed
                scan_sheet(zf, parts.get(name, ""), name, limits)
            best = _best_table(wb, sheets, limits)
            _cell_notes(zf, parts.get(best.sheet), best)
        return best
    finally:
        wb.close()


def _best_table(wb: CalamineWorkbook, sheets: list[str], limits: Limits) -> RawTable:
    """The visible sheet whose header names the most columns, with the ``_meta`` sheet's
    metadata; FileRefused when no sheet has data or a header."""
    metadata: dict[str, str] = {}
    if META_SHEET in sheets:
        for row in _sheet_rows(wb, META_SHEET, limits):
            if row and row[0] is not None and len(row) > 1:
                metadata[str(row[0]).strip()] = "" if row[1] is None else str(row[1]).strip()
    best: RawTable | None = None
    anything = False
    for name in sheets:
        if name == META_SHEET:
            continue
        rows = _sheet_rows(wb, name, limits)
        anything = anything or any(any(v is not None for v in r) for r in rows)
        table = _table("xlsx", name, rows, metadata)
        if table is not None and (best is None or len(table.columns) > len(best.columns)):
            best = table
    if best is None:
        if not anything:
            raise FileRefused("Berkas tidak berisi data apa pun; isi templat lalu unggah.")
        raise FileRefused(
            "Baris judul kolom tidak ditemukan dalam 30 baris pertama lembar mana pun; "
            "gunakan templat dari aplikasi atau pastikan ada baris berisi kode_wilayah, "
            "tahun, kode_layanan/kode_ikk dan kolom nilai."
        )
    return best


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name -> its part in the package (``xl/worksheets/sheet1.xml``), from
    the workbook and its relationships."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        where = target.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        parts[sheet.get("name", "")] = (
            where.lstrip("/") if where.startswith("/") else posixpath.normpath("xl/" + where)
        )
    return parts


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_rows(wb: CalamineWorkbook, name: str, limits: Limits) -> list[tuple]:
    """The sheet's values row by row from A1 (an empty cell is None, a whole number
    an int, as Excel shows them); a cell longer than the limit refuses the file."""
    try:
        values = wb.get_sheet_by_name(name).to_python(
            skip_empty_area=False,
            nrows=limits.rows,  # scan_sheet counted them already
        )
    except MemoryError:
        raise  # the worker's memory bound, not a broken sheet
    except Exception:
        raise FileRefused(
            f"Lembar '{name}' rusak sehingga tidak dapat dibaca; simpan ulang berkas "
            "di Excel sebagai .xlsx lalu unggah kembali."
        ) from None
    rows = []
    for n, row in enumerate(values, start=1):
        cells = []
        for i, value in enumerate(row[: limits.columns]):
            if isinstance(value, str):
                if len(value) > limits.cell_chars:
                    raise _long_cell(f"{get_column_letter(i + 1)}{n}", name, n, limits)
                value = value or None
            elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                value = int(value)
            cells.append(value)
        rows.append(tuple(cells))
    return rows


def _long_cell(ref: str, sheet: str, row: int, limits: Limits) -> FileRefused:
    return FileRefused(
        f"Sel {ref} berisi lebih dari {whole(limits.cell_chars)} karakter (batas isi satu "
        "sel); persingkat isinya (uraian panjang cukup diringkas) lalu unggah kembali.",
        sheet,
        row,
    )


def _too_big(limits: Limits) -> FileRefused:
    return FileRefused(
        f"Isi berkas setelah dibuka melebihi {whole(limits.content_mb)} MB (batas unggah), "
        "padahal data SPM satu wilayah jauh lebih kecil; berkas ini kemungkinan berisi "
        "sangat banyak baris atau sel kosong. Salin data saja ke templat baru lalu unggah "
        "kembali."
    )


# How Excel (and every spreadsheet program's .xlsx) stores the parts of a workbook.
_EXCEL_ZIP = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def check_unpacked_size(data: bytes, limits: Limits) -> None:
    """Refuse an .xlsx whose parts, declared or actually unpacked, exceed the limit
    (a "zip bomb": a small file that unpacks to hundreds of MB). Unpacks in chunks and
    stops at the limit, so it never holds more than a chunk."""
    budget = limits.content_bytes
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > budget:
                raise _too_big(limits)
            if any(i.flag_bits & 0x1 or i.compress_type not in _EXCEL_ZIP for i in infos):
                raise FileRefused(
                    "Berkas bukan .xlsx seperti yang disimpan Excel (bagiannya terkunci sandi "
                    "atau dikompresi dengan cara lain); buka dan simpan ulang di Excel sebagai "
                    ".xlsx tanpa sandi lalu unggah kembali."
                )
            total = 0
            for info in infos:
                with zf.open(info) as part:
                    while chunk := part.read(1 << 20):
                        total += len(chunk)
                        if total > budget:
                            raise _too_big(limits)
    except (
        zipfile.BadZipFile,  # not a zip, or a damaged directory or member
        zlib.error,  # damaged compressed data
        EOFError,  # cut short
        OSError,
        ValueError,
    ):
        raise FileRefused(
            "Berkas rusak sehingga tidak dapat dibuka; buka dan simpan ulang di Excel "
            "sebagai .xlsx lalu unggah kembali."
        ) from None


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*)>")
_REF = re.compile(rb'\br="([A-Za-z]*)([0-9]*)"')
_MAX_TAG = 1 << 20


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def scan_sheet(zf: zipfile.ZipFile, member: str, sheet: str, limits: Limits) -> None:
    """Count a sheet's rows and each row's cells in its XML, streaming, before any
    parser builds them; refuse at the first row or column past the limits."""
    try:
        part = zf.open(member.lstrip("/"))
    except KeyError:
        return
    row = col = 0
    carry = b""
    with part:
        while True:
            chunk = part.read(1 << 20)
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            if chunk and cut != -1 and buffer.find(b">", cut) == -1:
                buffer, carry = buffer[:cut], buffer[cut:]
                if len(carry) > _MAX_TAG:
                    raise FileRefused(
                        f"Lembar '{sheet}' rusak sehingga tidak dapat dibaca; simpan ulang "
                        "berkas di Excel sebagai .xlsx lalu unggah kembali."
                    )
            else:
                carry = b""
            for match in _TAG.finditer(buffer):
                ref = _REF.search(match.group(2))
                if match.group(1) == b"row":
                    row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                    col = 0
                    if row > limits.rows:
                        raise _too_many_rows(sheet, limits)
                else:
                    col = _column_number(ref.group(1)) if ref and ref.group(1) else col + 1
                    if col > limits.columns:
                        raise FileRefused(
                            f"Baris {row} lembar '{sheet}' berisi sel di kolom "
                            f"{get_column_letter(min(col, 16384))}, melewati batas "
                            f"{whole(limits.columns)} kolom; hapus kolom kosong atau berformat "
                            "di sebelah kanan data lalu unggah kembali.",
                            sheet,
                            row,
                        )
            if not chunk:
                return


def _too_many_rows(sheet: str, limits: Limits) -> FileRefused:
    where = "Berkas CSV" if sheet == "CSV" else f"Lembar '{sheet}'"
    return FileRefused(
        f"{where} berisi lebih dari {whole(limits.rows)} baris (batas unggah, baris kosong "
        "atau berformat ikut terhitung); hapus baris kosong di bawah data atau pecah "
        "berkas per wilayah dan triwulan, lalu unggah kembali.",
        None if sheet == "CSV" else sheet,
    )


_CACHED_VALUE = re.compile(rb"<v>[^<]+</v>")
_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _cell_notes(zf: zipfile.ZipFile, sheet_path: str | None, table: RawTable) -> None:
    """What the sheet's XML says that a reader of values does not: cells holding a
    formula whose cached value is missing (saved without recalculation), and error
    values (``#DIV/0!``, ``#REF!``), put back in the table's rows as Excel shows them
    so they are reported at their cell instead of passing for empty."""
    if not sheet_path:
        return
    try:
        xml = zf.read(sheet_path)
    except KeyError:
        return
    if b"<f" not in xml and b't="e"' not in xml:
        return
    rows = {n: i for i, (n, _) in enumerate(table.rows)}
    for match in _CELL.finditer(xml):
        letters, number, attrs, inner = match.groups()
        inner = inner or b""
        if b"<f" in inner and not _CACHED_VALUE.search(inner) and b"<is>" not in inner:
            table.formulas_without_value.append((letters + number).decode())
        elif _ERROR_TYPE.search(attrs) and (value := _VALUE.search(inner)):
            at = rows.get(int(number))
            col = _column_number(letters) - 1
            if at is not None:
                n, cells = table.rows[at]
                cells = cells + (None,) * (col + 1 - len(cells))
                text = value.group(1).decode("utf-8", "replace")
                table.rows[at] = (n, cells[:col] + (text,) + cells[col + 1 :])


def _decode_csv(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)  # Excel's "Unicode Text"
    elif data[1:200:2].count(0) > 50 and not data[0:200:2].count(0):
        encodings = ("utf-16-le",)
    elif data[0:200:2].count(0) > 50 and not data[1:200:2].count(0):
        encodings = ("utf-16-be",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    if "\x00" in text:
        raise FileRefused(
            "Berkas CSV berisi karakter kosong (NUL) sehingga tidak dapat dibaca; buka di "
            "Excel lalu simpan sebagai 'CSV UTF-8 (Comma delimited)' dan unggah kembali."
        )
    return text


def read_csv(data: bytes, limits: Limits | None = None) -> RawTable:
    limits = limits or Limits()
    text = _decode_csv(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    rows: list[tuple] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for n, fields in enumerate(reader, start=1):
            if n > limits.rows:
                raise _too_many_rows("CSV", limits)
            while fields and not fields[-1].strip():
                fields.pop()
            if len(fields) > limits.columns:
                raise FileRefused(
                    f"Baris {n} berkas CSV berisi {len(fields)} kolom, melewati batas "
                    f"{whole(limits.columns)} kolom; periksa pemisah kolom lalu unggah kembali.",
                    None,
                    n,
                )
            for i, value in enumerate(fields):
                if len(value) > limits.cell_chars:
                    raise _long_cell(f"{get_column_letter(i + 1)}{n}", "CSV", n, limits)
            rows.append(tuple(fields))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise _long_cell(
                f"di baris {reader.line_num}", "CSV", reader.line_num, limits
            ) from None
        raise FileRefused(
            f"Baris {reader.line_num} berkas CSV tidak dapat dibaca (tanda petik tidak "
            "berpasangan atau karakter aneh); simpan ulang sebagai CSV UTF-8 lalu unggah kembali.",
            None,
            reader.line_num,
        ) from None
    if not any(any(c.strip() for c in r) for r in rows):
        raise FileRefused("Berkas tidak berisi data apa pun; isi templat lalu unggah.")
    table = _table("csv", "CSV", rows, {})
    if table is None:
        raise FileRefused(
            "Baris judul kolom tidak ditemukan dalam 30 baris pertama; baris judul harus "
            "berisi kode_wilayah, tahun, kode_layanan/kode_ikk dan kolom nilai."
        )
    return table


def read_table(path: Path, display_name: str, limits: Limits | float) -> tuple[bytes, RawTable]:
    """The file's bytes and its table; ``limits`` (or only the file size in MB)."""
    if not isinstance(limits, Limits):
        limits = Limits(file_mb=float(limits))
    data = check_file(path, display_name, limits.file_mb)
    if Path(display_name).suffix.lower() == ".csv":
        return data, read_csv(data, limits)
    return data, read_xlsx(data, limits)
