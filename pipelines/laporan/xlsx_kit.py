"""The sheet kit of the report workbooks (openpyxl, write-only mode): fonts, fills,
number formats, :class:`Col`, the printable :class:`Sheet`, and :class:`Book`, a
workbook of one report's sheets that share its title block.

Every sheet has a title block, column widths, number formats (``#,##0`` counts,
``#,##0.00`` capaian and nilai, ``"Rp" #,##0`` money: the numbers stay numbers and
Excel/LibreOffice show them with the machine's Indonesian separators), a frozen
header row repeated on every printed page, a print area, A4 landscape fitted to the
page width and "Halaman X dari Y" in the footer. User text is never a formula.

It also holds what two workbooks lay out alike: the services table grouped by urusan
(:data:`LAYANAN_TABLE`, :func:`layanan_rows`) and the columns of a kabupaten/kota's
IP-SPM.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from pipelines.core import fmt
from pipelines.core.safe_text import set_value
from pipelines.laporan.berkas import EPOCH, normalise_ooxml
from pipelines.laporan.data import ReportData

FORMATS = {
    "int": "#,##0",
    "dec": "#,##0.00",
    "rp": '"Rp" #,##0',
    "dec4": "#,##0.0000",
}
TITLE_FONT = Font(name="Calibri", size=14, bold=True)
SUBTITLE_FONT = Font(name="Calibri", size=11, bold=True)
NOTE_FONT = Font(name="Calibri", size=9, italic=True, color="555555")
HEADER_FONT = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
BODY_FONT = Font(name="Calibri", size=10)
BOLD_FONT = Font(name="Calibri", size=10, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="9E9E9E")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
CREATOR = "Pemantauan SPM dan LPPD - Biro Pemerintahan"
FOOTER = "Halaman &P dari &N"
HEADER_ROW = 5  # title, subtitle, source note, blank, then the header row


@dataclass(frozen=True)
class Col:
    label: str
    width: float
    kind: str = "text"  # text, wrap, int, dec, dec4, rp


def _plain(value: object) -> object:
    """numpy/pandas scalars to plain Python; NaN/NA to None."""
    if value is None:
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (estimate)."""
    per_line = max(int(width * 1.15) - 1, 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n"))


class Sheet:
    """A printable write-only sheet: title block, header row, body rows, print setup."""

    def __init__(
        self,
        wb: openpyxl.Workbook,
        title: str,
        columns: Sequence[Col],
        judul: str,
        subjudul: str,
        catatan: str,
    ) -> None:
        self.ws = wb.create_sheet(title=title)
        self.columns = list(columns)
        ws = self.ws
        for i, col in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = FOOTER
        ws.oddFooter.center.size = 8
        ws.oddFooter.left.text = judul[:100]
        ws.oddFooter.left.size = 8
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        self.rows = 0
        self._line(judul, TITLE_FONT)
        self._line(subjudul, SUBTITLE_FONT)
        self._line(catatan, NOTE_FONT)
        self._line("", BODY_FONT)
        header = []
        for col in self.columns:
            cell = self._text(col.label)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = HEADER_ALIGN
            cell.border = BORDER
            header.append(cell)
        lines = max(_lines(col.label, col.width * 0.8) for col in self.columns)
        self.ws.row_dimensions[HEADER_ROW].height = 13.5 * lines + 4
        self._append(header)

    def _append(self, cells: list) -> None:
        self.ws.append(cells)
        self.rows += 1

    def _text(self, value: str) -> WriteOnlyCell:
        # never a formula, whatever the text starts with
        return set_value(WriteOnlyCell(self.ws), value)

    def _styled(self, value: object, kind: str, total: bool) -> WriteOnlyCell:
        """A body cell; its style is built once per (kind, total, text) and copied after,
        since openpyxl's per-attribute styling dominates the time of large workbooks."""
        is_text = isinstance(value, str)
        key = (kind, total, is_text)
        styles = self.ws.parent.__dict__.setdefault("_laporan_styles", {})
        template = styles.get(key)
        if template is None:
            proto = WriteOnlyCell(self.ws, None)
            if not is_text and kind in FORMATS:
                proto.number_format = FORMATS[kind]
            proto.font = BOLD_FONT if total else BODY_FONT
            proto.alignment = WRAP_TOP if kind == "wrap" else TOP
            proto.border = BORDER
            if total:
                proto.fill = TOTAL_FILL
            template = styles[key] = proto._style
        if is_text:
            cell = self._text(value)
            cell._style = StyleArray(template)
            set_value(cell, value)  # the quote prefix again, over the copied style
        else:
            cell = WriteOnlyCell(self.ws, value)
            cell._style = StyleArray(template)
        return cell

    def _line(self, text: str, font: Font) -> None:
        cell = self._text(text)
        cell.font = font
        self._append([cell])

    def row(self, values: Sequence[object], *, total: bool = False) -> None:
        cells = []
        lines = 1
        values = [*values, *([None] * (len(self.columns) - len(values)))]
        for col, raw in zip(self.columns, values, strict=False):
            value = _plain(raw)
            cells.append(self._styled(value, col.kind, total))
            if col.kind == "wrap" and isinstance(value, str):
                lines = max(lines, _lines(value, col.width))
        if lines > 1:
            # Spreadsheet apps do not grow rows for wrapped text they did not lay out.
            self.ws.row_dimensions[self.rows + 1].height = 13.5 * lines + 2
        self._append(cells)

    def note(self, text: str) -> None:
        """A line of text under the table (or instead of it when there is no data)."""
        self._line(text, NOTE_FONT)

    def finish(self) -> None:
        last_col = get_column_letter(len(self.columns))
        self.ws.print_area = f"A1:{last_col}{max(self.rows, HEADER_ROW)}"


def source_note(data: ReportData) -> str:
    """'Sumber: data SPM per 20 Januari 2026 09.37, 11 berkas; pengaturan versi 1 (...)',
    with how many of those files are not yet verified."""
    s = data.settings
    bad = len(data.belum_diverifikasi)
    status = (
        f" {fmt.angka(bad)} dari {fmt.angka(len(data.kiriman))} berkas belum diverifikasi "
        "(angka dapat berubah)."
        if bad
        else ""
    )
    return (
        f"Sumber: {data.label_versi_data}; pengaturan versi {data.versi_setting} "
        f"(bobot penerima {fmt.angka(s.get('bobot_penerima', 0) * 100)} %, "
        f"mutu {fmt.angka(s.get('bobot_mutu', 0) * 100)} %).{status}"
    )


class Book:
    """One report's workbook: its document properties, and sheets that share the
    report's title, subtitle and source note unless told otherwise."""

    def __init__(self, judul: str, subjudul: str, data: ReportData) -> None:
        self.judul = judul
        self.subjudul = subjudul
        self.data = data
        self.note = source_note(data)
        self.wb = openpyxl.Workbook(write_only=True)
        props = self.wb.properties
        props.creator = CREATOR
        props.lastModifiedBy = CREATOR
        props.title = judul
        props.subject = data.periode
        props.keywords = f"versi_data={data.versi_data}; versi_setting={data.versi_setting}"
        props.language = "id-ID"

    def sheet(
        self,
        title: str,
        columns: Sequence[Col],
        judul: str | None = None,
        subjudul: str | None = None,
    ) -> Sheet:
        return Sheet(
            self.wb,
            title,
            columns,
            self.judul if judul is None else judul,
            self.subjudul if subjudul is None else subjudul,
            self.note,
        )

    def table(
        self,
        title: str,
        table: Sequence[tuple[str, Col]],
        frame: pd.DataFrame,
        judul: str | None = None,
        subjudul: str | None = None,
        *,
        empty: str,
    ) -> None:
        """A sheet of ``frame``'s rows in the columns of ``table`` ((field, column)
        pairs), or the note ``empty`` when it has none."""
        sheet = self.sheet(title, columns(table), judul, subjudul)
        if frame.empty:
            sheet.note(empty)
        else:
            for values in frame[fields(table)].itertuples(index=False, name=None):
                sheet.row(values)
        sheet.finish()

    def build(self, *sheets: Callable[[Book], None]) -> bytes:
        """Write the sheets (each function adds one) in order; the workbook's bytes."""
        for write in sheets:
            write(self)
        return self.save()

    def save(self) -> bytes:
        """The workbook's bytes, normalised so that the same data gives the same bytes."""
        buf = io.BytesIO()
        self.wb.save(buf)
        return normalise_ooxml(buf.getvalue(), self.data.waktu_data or EPOCH)


def columns(table: Sequence[tuple[str, Col]]) -> list[Col]:
    """The columns of a table given as (field, column) pairs."""
    return [col for _, col in table]


def fields(table: Sequence[tuple[str, Col]]) -> list[str]:
    """The fields of a table given as (field, column) pairs."""
    return [field for field, _ in table]


# -- what two workbooks lay out alike ----------------------------------------------------
# A kabupaten/kota's IP-SPM (rows of ReportData.kabkota_wilayah).
KABKOTA_COLUMNS = [
    Col("Kode", 8),
    Col("Kabupaten/Kota", 28, "wrap"),
    Col("IP-SPM", 10, "dec"),
    Col("Kategori", 18, "wrap"),
]


def kategori_kabkota(row: Any) -> str:
    """A kabupaten/kota's kategori, or that it has not reported."""
    return row.kategori if row.melapor else "Belum melapor"


def kabkota_values(row: Any) -> list[object]:
    """The values of :data:`KABKOTA_COLUMNS` for one kabupaten/kota."""
    return [row.kode, row.nama, row.nilai, kategori_kabkota(row)]


def status_rows(sheet: Sheet, data: ReportData) -> None:
    """Rows saying which data behind the figures is not yet verified (none when all is)."""
    lines = data.catatan_status()
    if not lines:
        return
    sheet.row([f"Catatan status data: {lines[0]}"], total=True)
    for line in lines[1:]:
        sheet.row([f"   {line}"])


def total_row(
    label: str, nilai: object, kategori: object, urusan: str | None = None
) -> list[object]:
    """A closing row of :data:`LAYANAN_TABLE`: ``label`` with its nilai and kategori."""
    return [None, urusan, None, label, *([None] * 5), nilai, kategori]


# The services table: each column with the field of ReportData's layanan frames it shows,
# after the running number and the urusan.
LAYANAN_FIELDS = [
    ("kode_layanan", Col("Kode", 12)),
    ("nama_layanan", Col("Jenis Pelayanan Dasar", 40, "wrap")),
    ("jumlah_sasaran", Col("Sasaran", 12, "int")),
    ("jumlah_terlayani", Col("Terlayani", 12, "int")),
    ("kurang_terlayani", Col("Belum Terlayani", 11, "int")),
    ("capaian_penerima", Col("Capaian Penerima (%)", 11, "dec")),
    ("capaian_mutu", Col("Capaian Mutu (%)", 11, "dec")),
    ("nilai", Col("Nilai", 9, "dec")),
    ("kategori", Col("Kategori", 16, "wrap")),
    ("anggaran_rencana", Col("Anggaran Rencana (Rp)", 17, "rp")),
    ("anggaran_realisasi", Col("Anggaran Realisasi (Rp)", 17, "rp")),
    ("permasalahan", Col("Permasalahan", 32, "wrap")),
    ("solusi", Col("Solusi", 32, "wrap")),
]
LAYANAN_TABLE = [Col("No", 5, "int"), Col("Urusan", 16, "wrap"), *columns(LAYANAN_FIELDS)]


def layanan_rows(
    sheet: Sheet,
    layanan: pd.DataFrame,
    urusan_nilai: pd.DataFrame,
    urusan_order: list[str],
    *,
    extra: str | None = None,
) -> None:
    """Services grouped by urusan, each group closed by the urusan's nilai; ``extra``:
    one more field, in a column after the table's."""
    shown = fields(LAYANAN_FIELDS)
    by_urusan: dict[str, list[dict]] = {}
    for rec in layanan[["urusan", *shown, *([extra] if extra else [])]].to_dict("records"):
        by_urusan.setdefault(rec["urusan"], []).append(rec)
    totals = {
        r["urusan"]: (r["nilai"], r["kategori"])
        for r in urusan_nilai[["urusan", "nilai", "kategori"]].to_dict("records")
    }
    no = 0
    for urusan in urusan_order:
        for rec in by_urusan.get(urusan, []):
            no += 1
            values = [no, urusan, *(rec[f] for f in shown)]
            if extra:
                values.append(rec[extra])
            sheet.row(values)
        if urusan in by_urusan and urusan in totals:
            nilai, kategori = totals[urusan]
            sheet.row(total_row(f"Nilai urusan {urusan}", nilai, kategori, urusan), total=True)
