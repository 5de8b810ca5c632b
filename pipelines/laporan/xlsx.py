"""The report workbooks, ready to print (openpyxl, write-only mode).

Three workbooks, each built from one :class:`~pipelines.laporan_data.ReportData`:

- :func:`workbook_laporan_provinsi` — Laporan Penerapan dan Pencapaian SPM Provinsi:
  Ringkasan, the province's own services per urusan, the rekap of its kabupaten/kota
  per urusan, their ranking and the spread of categories;
- :func:`workbook_rekap_kabkota` — one sheet per kabupaten/kota with its services
  (with an index sheet), to send back to each region; streams 514 regions fine;
- :func:`workbook_lppd_bab_iv` — BAB IV LPPD (Penerapan dan Pencapaian SPM) and the
  LPPD IKK rekap of the kabupaten/kota.

Every sheet has a title block, column widths, number formats (``#,##0`` counts,
``#,##0.00`` capaian and nilai, ``"Rp" #,##0`` money: the numbers stay numbers and
Excel/LibreOffice show them with the machine's Indonesian separators), a frozen
header row repeated on every printed page, a print area, A4 landscape fitted to the
page width and "Halaman X dari Y" in the footer. User text is never a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from pipelines.core import fmt
from pipelines.laporan.berkas import EPOCH, is_risky_text, normalise_ooxml
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
        cell = WriteOnlyCell(self.ws, value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if is_risky_text(value):
            cell.quotePrefix = True
        return cell

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
            if is_risky_text(value):
                cell.quotePrefix = True
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


def _workbook(judul: str, data: ReportData) -> openpyxl.Workbook:
    wb = openpyxl.Workbook(write_only=True)
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.title = judul
    wb.properties.subject = data.periode
    wb.properties.keywords = f"versi_data={data.versi_data}; versi_setting={data.versi_setting}"
    wb.properties.language = "id-ID"
    return wb


def _save(wb: openpyxl.Workbook, data: ReportData) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_ooxml(buf.getvalue(), data.waktu_data or EPOCH)


def source_note(data: ReportData) -> str:
    s = data.settings
    return (
        f"Sumber: data SPM yang diterima sampai {fmt.tanggal(data.waktu_data)}; "
        f"versi data {data.versi_data}; versi pengaturan {data.versi_setting} "
        f"(bobot penerima {fmt.angka(s.get('bobot_penerima', 0) * 100)} %, "
        f"mutu {fmt.angka(s.get('bobot_mutu', 0) * 100)} %)."
    )


LAYANAN_TABLE = [
    Col("No", 5, "int"),
    Col("Urusan", 16, "wrap"),
    Col("Kode", 12),
    Col("Jenis Pelayanan Dasar", 40, "wrap"),
    Col("Sasaran", 12, "int"),
    Col("Terlayani", 12, "int"),
    Col("Belum Terlayani", 11, "int"),
    Col("Capaian Penerima (%)", 11, "dec"),
    Col("Capaian Mutu (%)", 11, "dec"),
    Col("Nilai", 9, "dec"),
    Col("Kategori", 16, "wrap"),
    Col("Anggaran Rencana (Rp)", 17, "rp"),
    Col("Anggaran Realisasi (Rp)", 17, "rp"),
    Col("Permasalahan", 32, "wrap"),
    Col("Solusi", 32, "wrap"),
]


def _layanan_rows(
    sheet: Sheet,
    layanan: pd.DataFrame,
    urusan_nilai: pd.DataFrame,
    urusan_order: list[str],
    *,
    extra: str | None = None,
) -> None:
    """Services grouped by urusan, each group closed by the urusan's nilai."""
    fields = [
        "kode_layanan",
        "nama_layanan",
        "jumlah_sasaran",
        "jumlah_terlayani",
        "kurang_terlayani",
        "capaian_penerima",
        "capaian_mutu",
        "nilai",
        "kategori",
        "anggaran_rencana",
        "anggaran_realisasi",
        "permasalahan",
        "solusi",
    ]
    by_urusan: dict[str, list[dict]] = {}
    for rec in layanan[["urusan", *fields, *([extra] if extra else [])]].to_dict("records"):
        by_urusan.setdefault(rec["urusan"], []).append(rec)
    totals = {
        r["urusan"]: (r["nilai"], r["kategori"])
        for r in urusan_nilai[["urusan", "nilai", "kategori"]].to_dict("records")
    }
    no = 0
    for urusan in urusan_order:
        for rec in by_urusan.get(urusan, []):
            no += 1
            values = [no, urusan, *(rec[f] for f in fields)]
            if extra:
                values.append(rec[extra])
            sheet.row(values)
        if urusan in by_urusan and urusan in totals:
            nilai, kategori = totals[urusan]
            sheet.row(
                [
                    None,
                    urusan,
                    None,
                    f"Nilai urusan {urusan}",
                    *([None] * 5),
                    nilai,
                    kategori,
                ],
                total=True,
            )


def workbook_laporan_provinsi(data: ReportData) -> bytes:
    """Laporan Penerapan dan Pencapaian SPM Provinsi (the Gubernur to the Menteri)."""
    prov = data.scope.nama_provinsi or ""
    judul = f"Laporan Penerapan dan Pencapaian SPM Provinsi {prov}"
    sub = f"{data.periode} (kumulatif sampai akhir triwulan)"
    note = source_note(data)
    wb = _workbook(judul, data)

    # Ringkasan
    ringkas = Sheet(
        wb,
        "Ringkasan",
        [Col("Uraian", 58, "wrap"), Col("Nilai", 14, "dec"), Col("Kategori", 22, "wrap")],
        judul,
        sub,
        note,
    )
    pw = data.provinsi_wilayah
    ringkas.row(
        [
            "IP-SPM Provinsi (pelayanan dasar kewenangan provinsi)",
            pw["nilai"] if pw else None,
            pw["kategori"] if pw else "Belum ada data",
        ],
        total=True,
    )
    for u in data.urusan:
        match = data.provinsi_urusan[data.provinsi_urusan["urusan"] == u]
        if not match.empty:
            r = match.iloc[0]
            ringkas.row([f"   Urusan {u}", r["nilai"], r["kategori"]])
    ag = data.agregat_kabkota
    ringkas.row(
        [
            "Rata-rata IP-SPM kabupaten/kota"
            + (f" ({ag['jumlah_melapor']} dari {ag['jumlah_kabkota']} melapor)" if ag else ""),
            ag["nilai"] if ag else None,
            ag["kategori"] if ag else "Belum ada data",
        ],
        total=True,
    )
    if ag and ag.get("nilai_tertimbang") is not None:
        ringkas.row(
            [
                "   Varian: rata-rata tertimbang jumlah sasaran (bukan IP-SPM resmi)",
                ag["nilai_tertimbang"],
                ag["kategori_tertimbang"],
            ]
        )
    for row in data.kabkota_wilayah.itertuples(index=False):
        ringkas.row([f"   {row.nama}", row.nilai, row.kategori if row.melapor else "Belum melapor"])
    ringkas.finish()

    # SPM Provinsi: the province's own services
    own = Sheet(
        wb,
        "SPM Provinsi",
        LAYANAN_TABLE,
        f"Penerapan dan Pencapaian SPM Kewenangan Provinsi {prov}",
        sub,
        note,
    )
    if data.provinsi_layanan.empty:
        own.note("Belum ada data SPM provinsi untuk periode ini.")
    else:
        _layanan_rows(own, data.provinsi_layanan, data.provinsi_urusan, data.urusan)
        if pw:
            own.row(
                [None, None, None, "IP-SPM Provinsi"] + [None] * 5 + [pw["nilai"], pw["kategori"]],
                total=True,
            )
    own.finish()

    _rekap_sheet(wb, data, judul, sub, note)
    _peringkat_sheet(wb, data, sub, note)
    _sebaran_sheet(wb, data, sub, note)
    return _save(wb, data)


def _rekap_sheet(wb, data: ReportData, judul: str, sub: str, note: str) -> None:
    cols = [Col("Kode", 8), Col("Kabupaten/Kota", 24, "wrap")]
    cols += [Col(u, 13, "dec") for u in data.urusan]
    cols += [
        Col("IP-SPM", 10, "dec"),
        Col("Kategori", 16, "wrap"),
        Col("Peringkat", 10, "int"),
        Col(f"IP-SPM {data.tahun - 1}", 10, "dec"),
        Col("Perubahan (poin)", 11, "dec"),
    ]
    sheet = Sheet(
        wb,
        "Rekap Kab-Kota",
        cols,
        "Evaluasi Penerapan SPM Kabupaten/Kota: Rekap per Urusan",
        sub,
        note,
    )
    pivot = (
        data.kabkota_urusan.pivot(index="kode_wilayah", columns="urusan", values="nilai")
        if not data.kabkota_urusan.empty
        else pd.DataFrame()
    )
    for row in data.kabkota_wilayah.itertuples(index=False):
        per_urusan = [
            pivot.at[row.kode, u] if (row.kode in pivot.index and u in pivot.columns) else None
            for u in data.urusan
        ]
        change = row.selisih  # selisih_tahun_lalu of v_capaian_wilayah
        sheet.row(
            [row.kode, row.nama, *per_urusan]
            + [
                row.nilai,
                row.kategori if row.melapor else "Belum melapor",
                row.peringkat,
                row.nilai_lalu,
                change,
            ]
        )
    ag = data.agregat_kabkota
    if ag:
        means = dict(zip(data.agregat_urusan["urusan"], data.agregat_urusan["nilai"], strict=True))
        sheet.row(
            [
                None,
                "Rata-rata kabupaten/kota",
                *(means.get(u) for u in data.urusan),
                ag["nilai"],
                ag["kategori"],
            ],
            total=True,
        )
    sheet.note(
        "Nilai urusan = rata-rata nilai jenis pelayanan dasar; IP-SPM = rata-rata nilai "
        "urusan. Layanan tanpa sasaran tidak ikut dirata-ratakan."
    )
    sheet.finish()


def _peringkat_sheet(wb, data: ReportData, sub: str, note: str) -> None:
    sheet = Sheet(
        wb,
        "Peringkat",
        [
            Col("Peringkat", 10, "int"),
            Col("Kode", 8),
            Col("Kabupaten/Kota", 28, "wrap"),
            Col("IP-SPM", 10, "dec"),
            Col("Kategori", 18, "wrap"),
            Col(f"IP-SPM {data.tahun - 1}", 10, "dec"),
            Col("Perubahan (poin)", 11, "dec"),
        ],
        "Peringkat IP-SPM Kabupaten/Kota",
        sub,
        note,
    )
    ordered = data.kabkota_wilayah.sort_values(
        ["peringkat", "kode"], na_position="last", kind="mergesort"
    )
    for row in ordered.itertuples(index=False):
        change = row.selisih  # selisih_tahun_lalu of v_capaian_wilayah
        sheet.row(
            [
                row.peringkat,
                row.kode,
                row.nama,
                row.nilai,
                row.kategori if row.melapor else "Belum melapor",
                row.nilai_lalu,
                change,
            ]
        )
    sheet.finish()


def _sebaran_sheet(wb, data: ReportData, sub: str, note: str) -> None:
    bands = [b["nama"] for b in sorted(data.settings["kategori"], key=lambda b: -b["min"])]
    cols = [Col("Kategori", 22, "wrap")] + [Col(u, 13, "int") for u in data.urusan]
    cols.append(Col("IP-SPM", 10, "int"))
    sheet = Sheet(
        wb,
        "Sebaran Kategori",
        cols,
        "Sebaran Kategori Capaian SPM Kabupaten/Kota (jumlah kabupaten/kota)",
        sub,
        note,
    )
    total = len(data.kabkota_wilayah)
    ku = data.kabkota_urusan
    for band in [*bands, "Belum melapor / tanpa nilai"]:
        counts = []
        for u in data.urusan:
            sel = ku[(ku["urusan"] == u) & ku["nilai"].notna()]
            if band in bands:
                counts.append(int((sel["kategori"] == band).sum()))
            else:
                counts.append(total - len(sel))
        kw = data.kabkota_wilayah
        if band in bands:
            counts.append(int(((kw["kategori"] == band) & kw["nilai"].notna()).sum()))
        else:
            counts.append(int(kw["nilai"].isna().sum()))
        sheet.row([band, *counts])
    sheet.row(["Jumlah kabupaten/kota", *([total] * (len(data.urusan) + 1))], total=True)
    sheet.finish()


def sheet_name(kode: str, nama: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (max 31 characters, no []:*?/\\)."""
    clean = "".join(ch for ch in nama if ch not in "[]:*?/\\")
    base = f"{kode} {clean}"[:31].rstrip()
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def workbook_rekap_kabkota(data: ReportData) -> bytes:
    """One sheet per kabupaten/kota with its services, after an index sheet."""
    judul = "Rekap Penerapan dan Pencapaian SPM per Kabupaten/Kota"
    if data.scope.nama_provinsi and data.scope.kode_provinsi:
        judul += f" Provinsi {data.scope.nama_provinsi}"
    sub = f"{data.periode} (kumulatif sampai akhir triwulan)"
    note = source_note(data)
    wb = _workbook(judul, data)
    index = Sheet(
        wb,
        "Daftar",
        [
            Col("Kode", 8),
            Col("Kabupaten/Kota", 28, "wrap"),
            Col("IP-SPM", 10, "dec"),
            Col("Kategori", 18, "wrap"),
            Col("Lembar", 32),
        ],
        judul,
        sub,
        note,
    )
    used: set[str] = {"daftar"}
    names = {
        row.kode: sheet_name(row.kode, row.nama, used)
        for row in data.kabkota_wilayah.itertuples(index=False)
    }
    for row in data.kabkota_wilayah.itertuples(index=False):
        index.row(
            [
                row.kode,
                row.nama,
                row.nilai,
                row.kategori if row.melapor else "Belum melapor",
                names[row.kode],
            ]
        )
    index.finish()
    layanan_by_region = dict(tuple(data.kabkota_layanan.groupby("kode_wilayah", sort=False)))
    urusan_by_region = dict(tuple(data.kabkota_urusan.groupby("kode_wilayah", sort=False)))
    cols = [*LAYANAN_TABLE, Col("Status Data", 12)]
    empty_urusan = pd.DataFrame(columns=["urusan", "nilai", "kategori"])
    for row in data.kabkota_wilayah.itertuples(index=False):
        sheet = Sheet(
            wb,
            names[row.kode],
            cols,
            f"Penerapan dan Pencapaian SPM {row.nama}",
            sub,
            note,
        )
        layanan = layanan_by_region.get(row.kode)
        if layanan is None or layanan.empty:
            sheet.note(f"{row.nama} belum menyampaikan data SPM {data.periode}.")
        else:
            _layanan_rows(
                sheet,
                layanan,
                urusan_by_region.get(row.kode, empty_urusan),
                data.urusan,
                extra="status_submission",
            )
            sheet.row(
                [None, None, None, f"IP-SPM {row.nama}"] + [None] * 5 + [row.nilai, row.kategori],
                total=True,
            )
        sheet.finish()
    return _save(wb, data)


def workbook_lppd_bab_iv(data: ReportData) -> bytes:
    """BAB IV LPPD (Penerapan dan Pencapaian SPM) and the LPPD IKK rekap."""
    prov = data.scope.nama_provinsi or ""
    judul = f"LPPD Provinsi {prov} Tahun {data.tahun} - BAB IV Penerapan dan Pencapaian SPM"
    sub = f"Data SPM {data.periode}"
    note = source_note(data)
    wb = _workbook(judul, data)
    bab = Sheet(
        wb,
        "BAB IV SPM",
        [
            Col("No", 5, "int"),
            Col("Urusan", 18, "wrap"),
            Col("Jenis Pelayanan Dasar", 46, "wrap"),
            Col("Target (Sasaran)", 13, "int"),
            Col("Realisasi (Terlayani)", 13, "int"),
            Col("Capaian Penerima (%)", 11, "dec"),
            Col("Capaian Mutu (%)", 11, "dec"),
            Col("Nilai", 9, "dec"),
            Col("Kategori", 16, "wrap"),
            Col("Anggaran Realisasi (Rp)", 17, "rp"),
        ],
        judul,
        sub,
        note,
    )
    layanan = data.provinsi_layanan
    if layanan.empty:
        bab.note("Belum ada data SPM kewenangan provinsi untuk periode ini.")
    no = 0
    urusan_idx = data.provinsi_urusan.set_index("urusan") if not layanan.empty else None
    for u in data.urusan:
        group = layanan[layanan["urusan"] == u] if not layanan.empty else layanan
        if group.empty:
            continue
        for r in group.itertuples(index=False):
            no += 1
            bab.row(
                [
                    no,
                    u,
                    r.nama_layanan,
                    r.jumlah_sasaran,
                    r.jumlah_terlayani,
                    r.capaian_penerima,
                    r.capaian_mutu,
                    r.nilai,
                    r.kategori,
                    r.anggaran_realisasi,
                ]
            )
        if urusan_idx is not None and u in urusan_idx.index:
            bab.row(
                [None, u, f"Nilai urusan {u}", None, None, None, None]
                + [urusan_idx.loc[u, "nilai"], urusan_idx.loc[u, "kategori"]],
                total=True,
            )
    if data.provinsi_wilayah:
        pw = data.provinsi_wilayah
        bab.row(
            [None, None, "Indeks Pencapaian SPM (IP-SPM) Provinsi", None, None, None, None]
            + [pw["nilai"], pw["kategori"]],
            total=True,
        )
    bab.finish()

    kab = Sheet(
        wb,
        "SPM Kab-Kota",
        [
            Col("Kode", 8),
            Col("Kabupaten/Kota", 28, "wrap"),
            Col("IP-SPM", 10, "dec"),
            Col("Kategori", 18, "wrap"),
            Col("Peringkat", 10, "int"),
        ],
        "Pencapaian SPM Kabupaten/Kota (lampiran BAB IV)",
        sub,
        note,
    )
    for r in data.kabkota_wilayah.itertuples(index=False):
        kab.row(
            [r.kode, r.nama, r.nilai, r.kategori if r.melapor else "Belum melapor", r.peringkat]
        )
    kab.finish()

    ikk_cols = [
        Col("Kode", 8),
        Col("Wilayah", 22, "wrap"),
        Col("Urusan", 18, "wrap"),
        Col("Kode IKK", 10),
        Col("Indikator Kinerja Kunci", 46, "wrap"),
        Col("Jenis", 9),
        Col("Pembilang", 12, "dec"),
        Col("Penyebut", 12, "dec"),
        Col("Capaian", 10, "dec"),
        Col("Satuan", 9),
        Col("Data Dukung", 24, "wrap"),
        Col("Keterangan", 24, "wrap"),
    ]
    ikk = Sheet(
        wb,
        "IKK Kab-Kota",
        ikk_cols,
        f"Rekap Capaian IKK LPPD Tahun {data.tahun}",
        "Kabupaten/kota" + (" dan provinsi" if data.scope.kode_provinsi else ""),
        note,
    )
    if data.ikk.empty:
        ikk.note(f"Belum ada data IKK LPPD tahun {data.tahun}.")
    else:
        for r in data.ikk.itertuples(index=False):
            ikk.row(
                [
                    r.kode_wilayah,
                    r.nama_wilayah,
                    r.urusan,
                    r.kode_ikk,
                    r.nama_ikk,
                    r.jenis,
                    r.pembilang,
                    r.penyebut,
                    r.capaian,
                    r.satuan,
                    r.data_dukung,
                    r.keterangan,
                ]
            )
    ikk.finish()

    lengkap = Sheet(
        wb,
        "Kelengkapan IKK",
        [
            Col("Kode", 8),
            Col("Wilayah", 28, "wrap"),
            Col("Jumlah IKK", 10, "int"),
            Col("IKK Terisi", 10, "int"),
            Col("Terisi (%)", 10, "dec"),
            Col("IKK dengan Data Dukung", 12, "int"),
            Col("Data Dukung (%)", 10, "dec"),
            Col("Status Data", 14),
        ],
        f"Kelengkapan Data IKK LPPD Tahun {data.tahun}",
        sub,
        note,
    )
    if data.ikk_kelengkapan.empty:
        lengkap.note(f"Belum ada data IKK LPPD tahun {data.tahun}.")
    for r in data.ikk_kelengkapan.itertuples(index=False):
        lengkap.row(
            [
                r.kode_wilayah,
                r.nama_wilayah,
                r.jumlah_ikk,
                r.ikk_terisi,
                r.persen_terisi,
                r.ikk_dengan_data_dukung,
                r.persen_data_dukung,
                r.status_submission if r.ada_submission else "Belum mengirim",
            ]
        )
    lengkap.finish()
    return _save(wb, data)
