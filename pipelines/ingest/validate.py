"""Reading and validating one uploaded file, before anything is written.

:func:`prepare` reads the sheet (:mod:`pipelines.ingest.readers`), parses every cell
(:mod:`pipelines.ingest.values`) and checks the file in stages: the sheet, the rows
and their required cells, the one region/year/triwulan of the file against the
template, the region and the catalog codes, warnings on the figures (against the
stored triwulan before), then permission, lock and the counts of rows new, changed
and unchanged (:mod:`pipelines.ingest.against_store`). Every problem names sheet,
row, column and cell.

It does so in two steps that may run apart: :func:`read_file` reads and parses within
the upload limits (:mod:`pipelines.ingest.limits`) without the database, even in
another process (:mod:`pipelines.ingest.worker`); :func:`check_read` then checks the
parsed rows against the database. So no database is held while a file is parsed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipelines.auth.access import Actor
from pipelines.capaian import pencilan
from pipelines.core import fmt, forms, reference, settings
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.ingest import against_store, mutu_rows
from pipelines.ingest.limits import Limits
from pipelines.ingest.readers import FileRefused, RawTable, is_header_like, read_table
from pipelines.ingest.result import (
    GALAT,
    PERINGATAN,
    IngestResult,
    Prepared,
    Problem,
    SubmissionMeta,
)
from pipelines.ingest.values import PARSERS, is_empty, shown


def limits(db: Database) -> Limits:
    """The upload limits of the settings in force."""
    return Limits.from_settings(settings.current(db))


_LABELS = {c.key: c.label for c in (*forms.SPM_COLUMNS, *forms.LPPD_COLUMNS, forms.ITEM_KEY)}


def label(key: str) -> str:
    """A column as the template names it ('Jumlah terlayani'), never its internal key."""
    return _LABELS.get(key, key)


def _cell(table: RawTable, key: str, row: int) -> str:
    return f"{table.letter(key)}{row}"


class _Checker:
    """Collects problems for one file, naming sheet, row, column and cell."""

    def __init__(self, result: IngestResult, table: RawTable | None) -> None:
        self.result = result
        self.table = table

    def add(
        self,
        level: str,
        message: str,
        row: int | None = None,
        key: str | None = None,
        cell: str | None = None,
    ) -> None:
        sheet = self.table.sheet if self.table else None
        column = None
        if key is not None and self.table is not None and key in self.table.columns:
            column = f"{label(key)} ({self.table.letter(key)})"
            if row is not None and cell is None:
                cell = _cell(self.table, key, row)
        elif key is not None:
            column = label(key)
        self.result.problems.append(Problem(level, sheet, row, column, message, cell))

    def error(self, message: str, row: int | None = None, key: str | None = None, **kw) -> None:
        self.add(GALAT, message, row, key, **kw)

    def warn(self, message: str, row: int | None = None, key: str | None = None, **kw) -> None:
        self.add(PERINGATAN, message, row, key, **kw)


def _detect_form(table: RawTable, chk: _Checker) -> str | None:
    meta_form = table.metadata.get("form")
    if meta_form:
        if meta_form not in forms.FORMS:
            chk.error(f"Metadata templat menyebut formulir '{meta_form}' yang tidak dikenal.")
            return None
        return meta_form
    if "kode_ikk" in table.columns:
        return "lppd-ikk"
    return "spm"  # kabkota or provinsi: decided by the region below


def _parse_rows(table: RawTable, form_cols: list[forms.Column], chk: _Checker) -> pd.DataFrame:
    """Canonical typed rows with ``_row`` (Excel row number); blank rows skipped."""
    item_key = "kode_ikk" if any(c.key == "kode_ikk" for c in form_cols) else "kode_layanan"
    meta = table.metadata
    records = []
    skipped = 0
    input_keys = [c.key for c in form_cols if c.input]
    for row_no, cells in table.rows:
        values = {k: (cells[i] if i < len(cells) else None) for k, i in table.columns.items()}
        if all(v is None for v in values.values()):
            continue
        if is_header_like(cells):
            continue
        if all(values.get(k) is None for k in input_keys):
            skipped += 1  # a catalog row left empty: not reported this time
            continue
        record: dict[str, object] = {"row_no": row_no}
        for col in form_cols:
            raw = values.get(col.key)
            if raw is None and col.key in ("kode_wilayah", "tahun", "triwulan"):
                raw = meta.get(col.key) or None
            upper = col.key in ("kode_layanan", "kode_ikk")
            parser = PARSERS[col.kind]
            value, error = parser(raw, upper=True) if upper else parser(raw)
            if error:
                chk.error(
                    f"{col.label}: {error}; perbaiki isian sel ini.",
                    row_no,
                    col.key,
                )
            record[col.key] = value
        records.append(record)
    chk.result.counts["dilewati"] = skipped
    frame = pd.DataFrame.from_records(records, columns=["row_no"] + [c.key for c in form_cols])
    for r in frame.itertuples(index=False):
        if is_empty(getattr(r, item_key)):
            chk.error(
                f"{label(item_key)} kosong padahal baris ini berisi nilai; isi kode atau hapus "
                "baris.",
                r.row_no,
                item_key,
            )
    return frame


def _check_required(form: str, rows: pd.DataFrame, table: RawTable, chk: _Checker) -> None:
    required = ["kode_wilayah", "tahun"] + (
        ["capaian"] if form == "lppd-ikk" else ["triwulan", "jumlah_sasaran", "jumlah_terlayani"]
    )
    for key in required:
        if key not in table.columns and not (key in table.metadata and table.metadata[key]):
            chk.error(
                f"Kolom {label(key)} tidak ditemukan di baris judul; tambahkan kolom ini "
                "(pakai templat agar judul kolomnya sesuai)."
            )
            continue
        # an error already reported for an unreadable cell is enough
        prefix = label(key) + " ("
        unreadable = {p.row for p in chk.result.errors if p.column and p.column.startswith(prefix)}
        hint = (
            "isi capaian, atau pembilang dan penyebut"
            if key == "capaian"
            else "isi sel ini (0 bila memang tidak ada)"
        )
        for row_no in rows.loc[rows[key].isna(), "row_no"]:
            if row_no not in unreadable:
                chk.error(f"Sel wajib {label(key)} kosong; {hint}.", int(row_no), key)


def _single(rows: pd.DataFrame, key: str, chk: _Checker, what: str) -> object:
    values = [_whole(v) for v in rows[key].tolist() if v is not None and not pd.isna(v)]
    distinct = list(dict.fromkeys(values))
    if len(distinct) > 1:
        first = distinct[0]
        for r in rows.itertuples(index=False):
            v = getattr(r, key)
            if v is not None and not pd.isna(v) and _whole(v) != first:
                chk.error(
                    f"Satu berkas hanya untuk satu {what}; baris ini berisi {shown(v)} "
                    f"sedangkan baris sebelumnya {shown(first)}. Pisahkan per {what} ke "
                    "berkas sendiri.",
                    r.row_no,
                    key,
                )
                break
        return None
    return distinct[0] if distinct else None


def _whole(value: object) -> object:
    """A year or triwulan that pandas turned into a float (2026.0) back to 2026."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def prepare(
    db: Database,
    path: str | Path,
    actor: Actor,
    *,
    original_name: str | None = None,
    today: dt.date | None = None,
) -> Prepared:
    """Read and validate ``path``; no writes. ``result.accepted`` says if it may commit.

    The two steps, :func:`read_file` (no database) and :func:`check_read`, may also run
    apart, so the database is never held while a file is parsed."""
    read = read_file(path, limits(db), original_name=original_name)
    return check_read(db, read, actor, today=today)


def read_file(path: str | Path, bounds: Limits, *, original_name: str | None = None) -> Prepared:
    """Read ``path`` and parse every cell, within ``bounds``; needs no database.

    The returned :class:`Prepared` carries the form found (``form``; None when the file
    was refused while reading) and the typed rows for :func:`check_read`."""
    path = Path(path)
    name = original_name or path.name
    result = IngestResult(file_name=name)
    empty = pd.DataFrame()
    try:
        data, table = read_table(path, name, bounds)
    except FileRefused as exc:
        result.problems.append(Problem(GALAT, exc.sheet, exc.row, None, exc.message))
        return Prepared(result, empty)
    except OSError as exc:
        result.problems.append(
            Problem(GALAT, None, None, None, f"Berkas tidak dapat dibuka ({exc.strerror}).")
        )
        return Prepared(result, empty)
    result.sha256 = hashlib.sha256(data).hexdigest()
    prepared = Prepared(result, empty, data, table, Path(name).suffix.lower())
    chk = _Checker(result, table)
    _check_sheet(table, chk)

    form = _detect_form(table, chk)
    if form is None:
        return prepared
    meta = table.metadata
    result.form = form if form != "spm" else None
    result.kode_wilayah = meta.get("kode_wilayah") or None
    result.kode_opd = meta.get("kode_opd") or None
    if (meta.get("tahun") or "").isdigit():
        result.tahun = int(meta["tahun"])
    if (meta.get("triwulan") or "").isdigit():
        result.triwulan = int(meta["triwulan"])
    rows = _read_rows(form, table, chk)
    if rows.empty:
        chk.error(
            "Tidak ada baris berisi data; isi nilai pada templat (kolom yang tidak terkunci) "
            "lalu unggah kembali."
        )
        return prepared
    prepared.form, prepared.rows = form, rows
    return prepared


def check_read(
    db: Database,
    prepared: Prepared,
    actor: Actor,
    *,
    today: dt.date | None = None,
    counts: bool = True,
) -> Prepared:
    """The checks of a file :func:`read_file` read against the database (catalog,
    region, permission, lock, stored rows); no writes. A database error is a galat of
    this file only. ``counts=False`` leaves the rows new, changed and unchanged to the
    commit that follows at once (it compares them with the stored rows anyway)."""
    if prepared.form is None:
        prepared.rows = pd.DataFrame()
        return prepared
    try:
        with db.reference_reads():
            _check_against_store(db, prepared, actor, today, counts)
    except SpmError as exc:
        prepared.result.problems.append(Problem(GALAT, None, None, None, str(exc)))
        prepared.result.accepted = False
    if not prepared.result.accepted:
        prepared.rows, prepared.items = pd.DataFrame(), None
    return prepared


def _check_against_store(
    db: Database, prepared: Prepared, actor: Actor, today: dt.date | None, counts: bool
) -> None:
    result, table, rows = prepared.result, prepared.table, prepared.rows
    assert table is not None and prepared.form is not None
    meta = table.metadata
    chk = _Checker(result, table)
    form = prepared.form

    # One pass: a bad cell makes that cell unusable (its value is empty), never the rest
    # of the file; every other check still runs, so the uploader sees every problem,
    # warning, the deadline and the lock in the first check.
    kode_wilayah, tahun, triwulan = _check_period(form, rows, meta, chk)
    region_known = kode_wilayah is not None and reference.wilayah(db, kode_wilayah) is not None
    form = _check_region(db, form, kode_wilayah, rows, chk)
    result.form = form
    rows, items = mutu_rows.split(db, form, rows, chk)
    usable = _check_items(db, form, rows, meta, chk).reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    period_known = region_known and tahun is not None and (form == "lppd-ikk" or triwulan)

    if form != "lppd-ikk" and period_known:
        _spm_warnings(db, usable, kode_wilayah, tahun, triwulan, chk)

    # Permission, deadline and lock: decided before anything is written.
    if period_known:
        submission = SubmissionMeta(form, kode_wilayah, tahun, triwulan, result.kode_opd)
        try:
            result.late = against_store.authorise(db, actor, submission, usable, today)
        except AccessDenied as exc:
            chk.error(str(exc))
        locked = against_store.locked_message(db, against_store.subs_frame([submission]), form)
        if locked:
            chk.error(locked)

    if result.errors:
        return
    prepared.rows = rows
    if not items.empty:
        prepared.items = items
    result.accepted = True
    if not counts:
        return
    found = against_store.row_counts(db, form, against_store.with_sub(rows, 0))
    if not items.empty:
        extra = against_store.row_counts(db, forms.MUTU_FORM, against_store.with_sub(items, 0))
        found = {k: found[k] + extra[k] for k in found}
    result.counts.update(found)
    result.unchanged = result.counts["baru"] == 0 and result.counts["berubah"] == 0


def _check_sheet(table: RawTable, chk: _Checker) -> None:
    """Problems of the sheet as a whole: repeated or unknown columns, formulas."""
    for letter, key in table.duplicate_columns:
        chk.error(f"Kolom {label(key)} muncul dua kali (kolom {letter}); hapus salah satunya.")
    for letter, header in table.ignored_columns:
        chk.warn(f"Kolom '{header}' (kolom {letter}) tidak dikenal dan diabaikan.")
    for ref in table.formulas_without_value:
        chk.error(
            f"Sel {ref} berisi rumus tanpa nilai tersimpan; buka berkas di Excel, tekan "
            "F9 (hitung ulang), simpan, lalu unggah kembali.",
            cell=ref,
        )


def _read_rows(form: str, table: RawTable, chk: _Checker) -> pd.DataFrame:
    """The form's typed rows (LPPD capaian derived from pembilang/penyebut), with a
    warning for absent input columns and an error for every empty required cell."""
    form_cols = forms.LPPD_COLUMNS if form == "lppd-ikk" else forms.SPM_COLUMNS
    if form != "lppd-ikk" and forms.ITEM_KEY.key in table.columns:
        form_cols = [*form_cols, forms.ITEM_KEY]
    absent = [
        c.key
        for c in form_cols
        if c.input
        and c.key not in table.columns
        and c.key not in ("jumlah_sasaran", "jumlah_terlayani", "capaian")
    ]
    if absent:
        chk.warn(
            "Kolom berikut tidak ada di berkas; nilainya dianggap kosong: "
            f"{', '.join(label(k) for k in absent)}."
        )
    rows = _parse_rows(table, form_cols, chk)
    if form == "lppd-ikk":
        derive = rows["capaian"].isna() & rows["pembilang"].notna() & (rows["penyebut"] > 0)
        if derive.any():
            rows.loc[derive, "capaian"] = (
                rows.loc[derive, "pembilang"] / rows.loc[derive, "penyebut"] * 100
            ).round(2)
    _check_required(form, rows[~mutu_rows.is_item_row(rows)], table, chk)
    return rows


def _check_period(
    form: str, rows: pd.DataFrame, meta: dict[str, str], chk: _Checker
) -> tuple[Any, Any, Any]:
    """The file's one region, year and triwulan (None where the rows disagree), checked
    against the template's metadata; also set on the result."""
    kode_wilayah = _single(rows, "kode_wilayah", chk, "wilayah")
    tahun = _single(rows, "tahun", chk, "tahun")
    triwulan = None if form == "lppd-ikk" else _single(rows, "triwulan", chk, "triwulan")
    chk.result.kode_wilayah, chk.result.tahun, chk.result.triwulan = kode_wilayah, tahun, triwulan
    for key, value in (("kode_wilayah", kode_wilayah), ("tahun", tahun), ("triwulan", triwulan)):
        expected = meta.get(key)
        if expected and value is not None and shown(value) != expected:
            bad = rows[rows[key].notna() & (rows[key].map(shown) != expected)]
            chk.error(
                f"{label(key)} {shown(value)} tidak sesuai dengan templat ({expected}); unduh templat "
                f"untuk {label(key).lower()} yang benar atau perbaiki isian.",
                int(bad["row_no"].iloc[0]) if not bad.empty else None,
                key,
            )
    return kode_wilayah, tahun, triwulan


def _check_region(
    db: Database, form: str, kode_wilayah: Any, rows: pd.DataFrame, chk: _Checker
) -> str:
    """The form once the region is known ('spm' becomes spm-provinsi or spm-kabkota);
    an error for an unknown region or one of the wrong level."""
    first_row = int(rows["row_no"].iloc[0])
    region = None
    if kode_wilayah is not None:
        region = reference.wilayah(db, kode_wilayah)
        if region is None:
            chk.error(
                f"Kode wilayah '{kode_wilayah}' tidak dikenal; gunakan kode Kemendagri, "
                "mis. 19.01.",
                first_row,
                "kode_wilayah",
            )
    if form == "spm":
        form = "spm-provinsi" if region and region["tingkat"] == "provinsi" else "spm-kabkota"
    level = forms.TINGKAT.get(form)
    if region and level and region["tingkat"] != level:
        chk.error(
            f"Wilayah {kode_wilayah} adalah {region['tingkat']}, padahal formulir ini untuk "
            f"{level}; gunakan templat SPM {region['tingkat']}.",
            first_row,
            "kode_wilayah",
        )
    return form


def _check_items(
    db: Database, form: str, rows: pd.DataFrame, meta: dict[str, str], chk: _Checker
) -> pd.DataFrame:
    """Every IKK or service code is in the catalog, at the form's level and (for a
    provincial OPD's template) of that OPD, and appears once; sets the result's OPD.
    Returns the rows whose item is known (the rows the later checks can use)."""
    if form == "lppd-ikk":
        known = set(db.df("SELECT kode_ikk FROM ikk")["kode_ikk"])
        for r in rows.itertuples(index=False):
            if not is_empty(r.kode_ikk) and r.kode_ikk not in known:
                chk.error(
                    f"Kode IKK '{r.kode_ikk}' tidak ada di katalog IKK; periksa kodenya.",
                    r.row_no,
                    "kode_ikk",
                )
    else:
        catalog = reference.layanan(db)
        known = set(catalog.loc[catalog["tingkat"] == forms.TINGKAT[form], "kode"])
        _check_layanan(db, form, rows, meta, chk)
    item_key = forms.item_column(form)
    usable = rows[rows[item_key].isin(known)]
    first_row: dict[object, int] = {}  # one pass: each code's first row
    for code, row_no in zip(rows[item_key], rows["row_no"], strict=True):
        if code is None or (isinstance(code, float) and np.isnan(code)):
            continue
        if code not in first_row:
            first_row[code] = row_no
            continue
        chk.error(
            f"{code} muncul dua kali (juga di baris {first_row[code]}); hapus salah satu baris.",
            int(row_no),
            item_key,
        )
    return usable.drop_duplicates(item_key)


def _check_layanan(
    db: Database, form: str, rows: pd.DataFrame, meta: dict[str, str], chk: _Checker
) -> None:
    catalog = reference.layanan(db).set_index("kode")
    level = forms.TINGKAT[form]
    for r in rows.itertuples(index=False):
        code = r.kode_layanan
        if is_empty(code):
            continue
        if code not in catalog.index:
            chk.error(
                f"Kode layanan '{code}' tidak dikenal; gunakan kode dari templat (mis. KES-K-01).",
                r.row_no,
                "kode_layanan",
            )
        elif catalog.at[code, "tingkat"] != level:
            other = "provinsi" if level == "kabupaten/kota" else "kabupaten/kota"
            chk.error(
                f"Layanan {code} adalah layanan SPM {other}, tidak boleh ada di berkas "
                f"SPM {level}; hapus baris ini.",
                r.row_no,
                "kode_layanan",
            )
    if form != "spm-provinsi":
        return
    opds = {
        catalog.at[c, "kode_opd"]
        for c in rows["kode_layanan"]
        if c in catalog.index and catalog.at[c, "tingkat"] == "provinsi"
    }
    meta_opd = meta.get("kode_opd") or None
    if meta_opd:
        for r in rows.itertuples(index=False):
            if r.kode_layanan in catalog.index and (
                catalog.at[r.kode_layanan, "kode_opd"] != meta_opd
            ):
                chk.error(
                    f"Layanan {r.kode_layanan} bukan layanan perangkat daerah "
                    f"{meta_opd} (templat ini khusus {meta_opd}); hapus baris ini.",
                    r.row_no,
                    "kode_layanan",
                )
        chk.result.kode_opd = meta_opd
    elif len(opds) == 1:
        chk.result.kode_opd = next(iter(opds))


def _spm_warnings(
    db: Database,
    rows: pd.DataFrame,
    kode_wilayah: str,
    tahun: int,
    triwulan: int,
    chk: _Checker,
) -> None:
    """Warnings on the figures of an SPM file: each row on its own, then against the
    other triwulan of the year already stored."""
    for r in rows.itertuples(index=False):
        if (
            r.jumlah_terlayani is not None
            and r.jumlah_sasaran is not None
            and r.jumlah_terlayani > r.jumlah_sasaran
        ):
            chk.warn(
                f"Jumlah terlayani ({fmt.angka(r.jumlah_terlayani)}) lebih besar dari jumlah "
                f"sasaran ({fmt.angka(r.jumlah_sasaran)}); periksa kembali bila bukan disengaja.",
                r.row_no,
                "jumlah_terlayani",
            )
        if (
            r.jumlah_sasaran
            and r.jumlah_terlayani is not None
            and r.jumlah_terlayani < r.jumlah_sasaran
            and (is_empty(r.permasalahan) or not str(r.permasalahan).strip())
        ):
            chk.warn(
                "Capaian di bawah 100 % tetapi permasalahan kosong; tuliskan permasalahan "
                "dan solusinya.",
                r.row_no,
                "permasalahan",
            )
    for message, row_no, key in against_store.triwulan_warnings(
        db, rows, kode_wilayah, tahun, triwulan
    ):
        chk.warn(message, row_no, key)
    for message, row_no, key in pencilan.peringatan_berkas(db, rows, kode_wilayah, tahun, triwulan):
        chk.warn(message, row_no, key)
