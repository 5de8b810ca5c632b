"""Excel templates generated from the catalog, every time (never round-tripped).

A template has four sheets: ``Petunjuk`` (instructions), ``Data`` (catalog columns
filled and locked, input cells unlocked with validation, a row of human labels and
a hidden row of canonical keys), ``_daftar`` (hidden; lists too long for Excel's
inline 255-character limit) and ``_meta`` (hidden; form, template version, region,
period, generation time), which ingestion checks the data against.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.core import forms, mutu_item, reference
from pipelines.core.fmt import tanggal
from pipelines.core.fmt import triwulan as triwulan_label
from pipelines.core.safe_text import keep_as_text
from pipelines.db.store import PROJECT_ROOT, Database
from pipelines.errors import SpmError
from pipelines.ingest import mutu_rows

TEMPLATES_DIR = PROJECT_ROOT / "templates_xlsx"
DATA_SHEET = "Data"
LIST_SHEET = "_daftar"
META_SHEET = "_meta"
LABEL_ROW = 4
KEY_ROW = 5
FIRST_DATA_ROW = 6
INLINE_LIST_LIMIT = 255

LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
PREFILL_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDTHS = {"kode": 14, "tahun": 8, "triwulan": 9, "text": 40, "bool": 16}


class TemplateError(SpmError):
    """A template that cannot be made for the given region/period."""


@dataclass(frozen=True)
class TemplateSpec:
    form: str
    kode_wilayah: str
    tahun: int
    triwulan: int | None = None
    kode_opd: str | None = None

    def file_name(self) -> str:
        parts = [self.form, self.kode_wilayah, str(self.tahun)]
        if self.triwulan is not None:
            parts.append(f"TW{self.triwulan}")
        if self.kode_opd:
            parts.append(self.kode_opd)
        return "_".join(parts) + ".xlsx"


def check_spec(db: Database, spec: TemplateSpec) -> dict:
    """The region row for a valid spec; TemplateError (Indonesian) otherwise."""
    if spec.form not in forms.FORMS:
        raise TemplateError(
            f"Formulir '{spec.form}' tidak dikenal; pilih {', '.join(forms.FORMS)}."
        )
    region = reference.wilayah(db, spec.kode_wilayah)
    if region is None:
        raise TemplateError(f"Kode wilayah '{spec.kode_wilayah}' tidak dikenal; mis. 19.01.")
    level = forms.TINGKAT.get(spec.form)
    if level and region["tingkat"] != level:
        raise TemplateError(
            f"{region['nama']} adalah {region['tingkat']}; templat {spec.form} untuk {level}."
        )
    if not 2000 <= spec.tahun <= 2100:
        raise TemplateError(f"Tahun {spec.tahun} tidak masuk akal.")
    if spec.form == "lppd-ikk":
        if spec.triwulan is not None:
            raise TemplateError("Formulir LPPD IKK bersifat tahunan; jangan isi triwulan.")
    elif spec.triwulan not in (1, 2, 3, 4):
        raise TemplateError("Triwulan wajib diisi 1 sampai 4 untuk formulir SPM.")
    if spec.kode_opd is not None:
        if spec.form != "spm-provinsi":
            raise TemplateError("Pilihan perangkat daerah hanya untuk formulir spm-provinsi.")
        if spec.kode_opd not in set(reference.layanan(db, "provinsi")["kode_opd"]):
            raise TemplateError(
                f"Perangkat daerah '{spec.kode_opd}' tidak mengampu layanan SPM provinsi."
            )
    return region


def _items(db: Database, spec: TemplateSpec) -> pd.DataFrame:
    if spec.form == "lppd-ikk":
        return db.df("SELECT kode_ikk, nama AS nama_ikk, satuan FROM ikk ORDER BY urutan")
    items = reference.layanan(db, forms.TINGKAT[spec.form])
    if spec.kode_opd:
        items = items[items["kode_opd"] == spec.kode_opd]
    items = items.rename(columns={"kode": "kode_layanan", "nama": "nama_layanan"})
    return items[["kode_layanan", "nama_layanan", "satuan_penerima", "urusan"]].reset_index(
        drop=True
    )


def _prefill(db: Database, spec: TemplateSpec) -> tuple[pd.DataFrame, str | None]:
    """Values already stored for this period, else the previous triwulan's (same year)."""
    if spec.form == "lppd-ikk":
        current = db.df(
            "SELECT * FROM lppd_data WHERE kode_wilayah = ? AND tahun = ?",
            [spec.kode_wilayah, spec.tahun],
        )
        return current.set_index("kode_ikk"), "Data tersimpan" if not current.empty else None
    sql = (
        "SELECT d.*, d.anggaran_rencana::DOUBLE AS anggaran_rencana, "
        "d.anggaran_realisasi::DOUBLE AS anggaran_realisasi FROM spm_data d "
        "WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ?"
    )
    current = db.df(sql, [spec.kode_wilayah, spec.tahun, spec.triwulan])
    current = current.loc[:, ~current.columns.duplicated(keep="last")]
    if not current.empty:
        return current.set_index("kode_layanan"), "Data tersimpan triwulan ini"
    if spec.triwulan and spec.triwulan > 1:
        prev = db.df(sql, [spec.kode_wilayah, spec.tahun, spec.triwulan - 1])
        prev = prev.loc[:, ~prev.columns.duplicated(keep="last")]
        if not prev.empty:
            return prev.set_index("kode_layanan"), (
                f"Nilai triwulan {spec.triwulan - 1} (perbarui)"
            )
    return pd.DataFrame(), None


def _mutu_items(db: Database, services: pd.DataFrame) -> pd.DataFrame:
    """The catalog's detailed mutu items of the template's services (empty: the
    template keeps one mutu pair per kelompok on each service row)."""
    items = mutu_rows.detailed(db)
    return items[items["kode_layanan"].isin(services["kode_layanan"])].reset_index(drop=True)


def _prefill_items(db: Database, spec: TemplateSpec, source: str | None) -> dict:
    """Stored item values of the period the prefill came from: (layanan, item) ->
    {column of its kelompok: value}."""
    if source is None:
        return {}
    triwulan = spec.triwulan if source.startswith("Data tersimpan") else spec.triwulan - 1
    stored = db.dicts(
        "SELECT kode_layanan, kode_item, kelompok, kebutuhan, tersedia FROM spm_mutu "
        "WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ?",
        [spec.kode_wilayah, spec.tahun, triwulan],
    )
    return {
        (r["kode_layanan"], r["kode_item"]): {
            f"{mutu_rows.PAIRS[r['kelompok']]}_kebutuhan": r["kebutuhan"],
            f"{mutu_rows.PAIRS[r['kelompok']]}_tersedia": r["tersedia"],
        }
        for r in stored
    }


def _lines(
    services: pd.DataFrame, prefill: pd.DataFrame, mutu: pd.DataFrame, stored_items: dict
) -> list[tuple[dict, dict | None, set[str] | None]]:
    """The template's data rows in order: (cells, stored input values, the input keys
    open on this row; None = all). A service whose kelompok the catalog details has
    that kelompok's pair closed and one row per item under it, open only for the item's
    kebutuhan and tersedia."""
    inputs = [c.key for c in forms.SPM_COLUMNS if c.input]
    out = []
    for service in services.to_dict("records"):
        code = service.get("kode_layanan")
        stored = prefill.loc[code] if code in prefill.index else None
        own = mutu[mutu["kode_layanan"] == code] if code is not None else mutu.iloc[:0]
        if own.empty:
            out.append((service, stored, None))
            continue
        closed = {
            f"{mutu_rows.PAIRS[k]}_{part}"
            for k in set(own["kelompok"])
            for part in ("kebutuhan", "tersedia")
        }
        out.append((service, stored, set(inputs) - closed))
        for item in own.to_dict("records"):
            name = f"{mutu_item.KELOMPOK[item['kelompok']]}: {item['nama_item']}"
            if item["satuan"]:
                name += f" ({item['satuan']})"
            cells = {"kode_layanan": code, "kode_item": item["kode_item"], "nama_layanan": name}
            values = stored_items.get((code, item["kode_item"]))
            prefix = mutu_rows.PAIRS[item["kelompok"]]
            out.append((cells, values, {f"{prefix}_kebutuhan", f"{prefix}_tersedia"}))
    return out


def _layout(form: str, with_items: bool = False) -> list[tuple[str, str, str, bool]]:
    """(key, label, kind, input) per column, display columns after the item code (and
    the mutu item's code when the template has item rows)."""
    cols = [(c.key, c.label, c.kind, c.input) for c in forms.columns(form)]
    item = forms.item_column(form)
    pos = [c[0] for c in cols].index(item) + 1
    if with_items:
        key = forms.ITEM_KEY
        cols.insert(pos, (key.key, key.label, key.kind, key.input))
        pos += 1
    if form == "lppd-ikk":
        extra = [("nama_ikk", "Nama IKK", "text", False), ("satuan", "Satuan", "kode", False)]
    else:
        extra = [
            ("nama_layanan", "Jenis pelayanan dasar", "text", False),
            ("satuan_penerima", "Satuan penerima", "text", False),
        ]
    return (
        cols[:pos]
        + extra
        + cols[pos:]
        + [("sumber_nilai_awal", forms.DISPLAY_COLUMNS["sumber_nilai_awal"], "text", False)]
    )


def list_validation(wb: Workbook, values: list[str], title: str) -> DataValidation:
    """A drop-down list; lists over 255 characters go to the hidden list sheet."""
    inline = ",".join(values)
    if len(inline) <= INLINE_LIST_LIMIT:
        formula = f'"{inline}"'
    else:
        ws = wb[LIST_SHEET] if LIST_SHEET in wb.sheetnames else wb.create_sheet(LIST_SHEET)
        ws.sheet_state = "hidden"
        col = ws.max_column + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
        letter = get_column_letter(col)
        ws.cell(row=1, column=col, value=title)
        for i, v in enumerate(values, start=2):
            ws.cell(row=i, column=col, value=v)
        formula = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.error = f"Pilih salah satu: {', '.join(values[:10])}{'...' if len(values) > 10 else ''}."
    dv.errorTitle = "Isian tidak sah"
    return dv


def _number_validation(kind: str) -> DataValidation:
    whole = kind == "count"
    dv = DataValidation(
        type="whole" if whole else "decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
    )
    dv.errorTitle = "Isian tidak sah"
    dv.error = "Isi bilangan bulat 0 atau lebih." if whole else "Isi angka 0 atau lebih."
    dv.promptTitle = "Isian angka"
    dv.prompt = dv.error
    return dv


def _instructions(
    ws,
    spec: TemplateSpec,
    region: dict,
    n_rows: int,
    prefill: str | None,
    *,
    with_items: bool = False,
) -> None:
    period = (
        f"Tahun {spec.tahun}"
        if spec.triwulan is None
        else f"Tahun {spec.tahun}, {triwulan_label(spec.triwulan)}"
    )
    lines = [
        (f"Templat {forms.FORM_LABELS[spec.form]} — {region['nama']} ({region['kode']})", True),
        (period + (f" — perangkat daerah {spec.kode_opd}" if spec.kode_opd else ""), False),
        ("", False),
        ("Cara mengisi", True),
        (f"1. Buka lembar '{DATA_SHEET}'. Ada {n_rows} baris, satu baris per item katalog.", False),
        ("2. Isi hanya sel berwarna putih. Sel abu-abu (kode, tahun, nama) terkunci.", False),
        ("3. Angka ditulis tanpa satuan; boleh memakai titik ribuan (1.234) atau Rp.", False),
        ("4. Kolom tahap diisi Ya atau Tidak (pilih dari daftar).", False),
        (
            "5. Nilai SPM bersifat kumulatif dalam setahun: triwulan II berisi capaian "
            "triwulan I dan II.",
            False,
        ),
        (
            "6. Bila capaian belum 100 %, tuliskan permasalahan dan solusinya.",
            False,
        ),
        ("7. Baris yang seluruh isiannya kosong dianggap belum dilaporkan.", False),
        (
            "8. Simpan sebagai .xlsx (jangan .xls), lalu unggah di menu Unggah Data atau "
            "dengan perintah 'spm ingest'.",
            False,
        ),
        ("", False),
    ]
    if with_items:
        lines += [
            ("Mutu per item", True),
            (
                "Layanan yang merinci mutu (B.1 barang/jasa, B.2 SDM) punya satu baris per item "
                "di bawah baris layanannya: isi kebutuhan (jumlah harus dipenuhi) dan tersedia "
                "(terpenuhi) item itu pada kolom mutu kelompoknya. Kolom mutu pada baris "
                "layanannya terkunci.",
                False,
            ),
            ("", False),
        ]
    if prefill:
        lines.append(
            (
                f"Sel berwarna kuning sudah terisi nilai awal: {prefill}. Periksa dan "
                "perbarui sebelum mengunggah.",
                False,
            )
        )
    lines.append(
        ("Jangan mengubah nama lembar, urutan kolom, atau baris kode (tersembunyi).", False)
    )
    for i, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.font = Font(bold=bold, size=13 if i == 1 else 11)
    ws.column_dimensions["A"].width = 110


def build(
    db: Database,
    spec: TemplateSpec,
    *,
    now: dt.datetime | None = None,
    actor: Actor | None = None,
) -> Workbook:
    """The template workbook for ``spec``, prefilled where values exist; refused unless
    ``actor`` may fill it (:func:`access.check_template`; None: the library itself)."""
    access.check_template(
        actor, form=spec.form, kode_wilayah=spec.kode_wilayah, kode_opd=spec.kode_opd
    )
    region = check_spec(db, spec)
    items = _items(db, spec)
    prefill, prefill_source = _prefill(db, spec)
    mutu = _mutu_items(db, items) if spec.form != "lppd-ikk" else pd.DataFrame()
    if mutu.empty:
        lines = [
            (i, prefill.loc[c] if c in prefill.index else None, None)
            for i, c in zip(
                items.to_dict("records"), items[forms.item_column(spec.form)], strict=True
            )
        ]
    else:
        lines = _lines(items, prefill, mutu, _prefill_items(db, spec, prefill_source))
    layout = _layout(spec.form, with_items=not mutu.empty)
    now = now or dt.datetime.now().replace(microsecond=0)

    wb = Workbook()
    guide = wb.active
    guide.title = "Petunjuk"
    ws = wb.create_sheet(DATA_SHEET)
    wb.active = 1

    last_col = get_column_letter(len(layout))
    period = (
        f"Tahun {spec.tahun}"
        if spec.triwulan is None
        else f"Tahun {spec.tahun} {triwulan_label(spec.triwulan)}"
    )
    ws["A1"] = f"{forms.FORM_LABELS[spec.form]} — {region['nama']} — {period}"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last_col}1")
    ws["A2"] = (
        "Isi sel putih; sel abu-abu terkunci. Petunjuk lengkap di lembar Petunjuk. "
        f"Dibuat {tanggal(now)}."
    )
    ws.merge_cells(f"A2:{last_col}2")

    for j, (key, label, kind, _is_input) in enumerate(layout, start=1):
        head = ws.cell(row=LABEL_ROW, column=j, value=label)
        head.font = Font(bold=True, color="FFFFFF")
        head.fill = HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center")
        head.border = BORDER
        ws.cell(row=KEY_ROW, column=j, value=key)
        width = WIDTHS.get(kind, 16)
        if key in ("nama_layanan", "nama_ikk"):
            width = 55
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[LABEL_ROW].height = 48
    ws.row_dimensions[KEY_ROW].hidden = True

    bool_dv = list_validation(wb, ["Ya", "Tidak"], "ya_tidak")
    validations: dict[str, DataValidation] = {}
    last_row = FIRST_DATA_ROW + len(lines) - 1
    for i, (item, stored, open_keys) in enumerate(lines):
        r = FIRST_DATA_ROW + i
        for j, (key, _label, kind, is_input) in enumerate(layout, start=1):
            is_input = is_input and (open_keys is None or key in open_keys)
            cell = ws.cell(row=r, column=j)
            cell.border = BORDER
            if key == "kode_wilayah":
                cell.value = spec.kode_wilayah
            elif key == "tahun":
                cell.value = spec.tahun
            elif key == "triwulan":
                cell.value = spec.triwulan
            elif key == "sumber_nilai_awal":
                cell.value = prefill_source if stored is not None else None
            elif key in item:
                cell.value = item[key]
            elif is_input and stored is not None and key in stored:
                value = stored[key]
                if value is not None and not pd.isna(value):
                    if kind == "bool":
                        value = "Ya" if bool(value) else "Tidak"
                    elif kind == "count":
                        value = int(value)
                    elif kind in ("money", "number", "percent"):
                        value = float(value)
                    cell.value = value
                    cell.fill = PREFILL_FILL
            if is_input:
                cell.protection = Protection(locked=False)
                if kind == "count":
                    cell.number_format = "#,##0"
                elif kind == "money":
                    cell.number_format = "#,##0.00"
                elif kind == "text":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.fill = LOCKED_FILL
                if key in ("nama_layanan", "nama_ikk"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if len(items):
        for j, (_key, _label, kind, is_input) in enumerate(layout, start=1):
            if not is_input:
                continue
            ref = f"{get_column_letter(j)}{FIRST_DATA_ROW}:{get_column_letter(j)}{last_row}"
            if kind == "bool":
                bool_dv.add(ref)
            elif kind in ("count", "money", "number", "percent"):
                dv = validations.setdefault(kind, _number_validation(kind))
                dv.add(ref)
    ws.add_data_validation(bool_dv)
    for dv in validations.values():
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=len(forms.key_columns(spec.form)) + 2)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.cell(row=LABEL_ROW, column=1).comment = Comment(
        "Baris di bawah ini (tersembunyi) berisi kunci kolom untuk pembacaan otomatis.", "SPM"
    )

    meta = wb.create_sheet(META_SHEET)
    for key, value in (
        ("form", spec.form),
        ("versi_templat", forms.TEMPLATE_VERSION),
        ("kode_wilayah", spec.kode_wilayah),
        ("nama_wilayah", region["nama"]),
        ("tahun", str(spec.tahun)),
        ("triwulan", "" if spec.triwulan is None else str(spec.triwulan)),
        ("kode_opd", spec.kode_opd or ""),
        ("dibuat_pada", now.isoformat(sep=" ")),
        ("nilai_awal", prefill_source or ""),
    ):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True

    _instructions(guide, spec, region, len(lines), prefill_source, with_items=not mutu.empty)
    # Stored text (permasalahan, solusi, data dukung, catalog names) is text, never a
    # formula: the template holds no formula of its own.
    keep_as_text(wb)
    return wb


def to_bytes(
    db: Database,
    spec: TemplateSpec,
    *,
    now: dt.datetime | None = None,
    actor: Actor | None = None,
) -> bytes:
    buffer = io.BytesIO()
    build(db, spec, now=now, actor=actor).save(buffer)
    return buffer.getvalue()


def write(
    db: Database,
    spec: TemplateSpec,
    out: Path | None = None,
    *,
    now: dt.datetime | None = None,
    actor: Actor | None = None,
) -> Path:
    """Write the template to ``out`` (default ``templates_xlsx/<name>.xlsx``)."""
    data = to_bytes(db, spec, now=now, actor=actor)  # refused before anything is written
    path = Path(out) if out is not None else TEMPLATES_DIR / spec.file_name()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
