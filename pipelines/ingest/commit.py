"""One ingestion pipeline for the CLI, the app and the demo loader.

Two stages, so a write can be routed through a single writer:

1. :func:`prepare` reads and validates a file (read-only queries, no writes) and
   returns a :class:`Prepared`: the canonical rows, the submission's key, every
   problem found (sheet, row, column, level, message) and the counts of rows new,
   changed and unchanged.
2. :func:`commit_rows` / :func:`commit_many` write already-parsed rows plus their
   submission metadata in one transaction: permission and lock checks, a new
   ``submission`` row, the data rows (pointing to the newest submission of their
   key), every changed value's previous value in ``perubahan_nilai`` and an
   ``audit_log`` row. All rows of a file or none.

:func:`ingest_file` does both for one file (and stores the original file by hash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.auth import access, audit
from pipelines.auth.access import Actor
from pipelines.core import forms, settings
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.ingest.readers import FileRefused, RawTable, is_header_like, read_table
from pipelines.ingest.values import PARSERS

GALAT = "galat"
PERINGATAN = "peringatan"
CHANGE_WARNING_RATIO = 0.5
# Columns compared with the previous triwulan (stock-like; cumulative ones only must not fall).
STOCK_COLUMNS = [
    "jumlah_sasaran",
    "mutu_barang_jasa_kebutuhan",
    "mutu_sdm_kebutuhan",
    "anggaran_rencana",
]
CUMULATIVE_COLUMNS = ["jumlah_terlayani", "anggaran_realisasi"]
SUBMISSION_KEY = ["form", "kode_wilayah", "tahun", "triwulan", "kode_opd"]


class SubmissionLocked(SpmError):
    """The period's submission is final; an administrator must reopen it first."""


@dataclass
class Problem:
    level: str  # 'galat' blocks the file, 'peringatan' lets it through
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    cell: str | None = None  # e.g. 'E12', for highlighting in the error report

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"lembar {self.sheet}")
        if self.row:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f"kolom {self.column}")
        return ", ".join(parts)

    def text(self) -> str:
        where = self.where()
        label = "Galat" if self.level == GALAT else "Peringatan"
        return f"{label} ({where}): {self.message}" if where else f"{label}: {self.message}"


@dataclass
class IngestResult:
    file_name: str
    accepted: bool = False
    form: str | None = None
    kode_wilayah: str | None = None
    tahun: int | None = None
    triwulan: int | None = None
    kode_opd: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"baris": 0, "baru": 0, "berubah": 0, "sama": 0, "dilewati": 0}
    )
    problems: list[Problem] = field(default_factory=list)
    submission_id: int | None = None
    unchanged: bool = False
    late: bool = False
    committed: bool = False
    dry_run: bool = False
    sha256: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == GALAT]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == PERINGATAN]

    def period_text(self) -> str:
        if self.tahun is None:
            return "-"
        if self.triwulan is None:
            return f"tahun {self.tahun}"
        return f"{self.tahun} triwulan {self.triwulan}"

    def summary(self) -> str:
        """One Indonesian line: what happened to the file."""
        c = self.counts
        what = (
            f"{forms.FORM_LABELS.get(self.form or '', self.form or '?')} "
            f"{self.kode_wilayah or '?'}{' (' + self.kode_opd + ')' if self.kode_opd else ''} "
            f"{self.period_text()}"
        )
        if not self.accepted:
            return f"{self.file_name}: DITOLAK ({len(self.errors)} galat) — {what}."
        rows = f"{c['baru']} baru, {c['berubah']} berubah, {c['sama']} sama"
        late = "; terlambat" if self.late else ""
        if self.unchanged:
            return f"{self.file_name}: tidak ada perubahan ({rows}) — {what}."
        if self.dry_run or not self.committed:
            return f"{self.file_name}: dapat diterima ({rows}{late}) — {what}; belum disimpan."
        return (
            f"{self.file_name}: DITERIMA sebagai pengiriman #{self.submission_id} "
            f"({rows}{late}) — {what}."
        )


@dataclass
class Prepared:
    """A validated file, ready for :func:`commit_prepared` when ``result.accepted``."""

    result: IngestResult
    rows: pd.DataFrame  # canonical columns of the form
    data: bytes = b""
    table: RawTable | None = None
    suffix: str = ".xlsx"


@dataclass
class SubmissionMeta:
    form: str
    kode_wilayah: str
    tahun: int
    triwulan: int | None
    kode_opd: str | None = None
    nama_berkas: str | None = None
    sha256: str | None = None
    diunggah_pada: dt.datetime | None = None
    terlambat: bool | None = None  # None: decided by access.check_upload
    status: str = "diajukan"
    catatan: str | None = None
    diunggah_oleh: str | None = None  # defaults to the actor


@dataclass
class CommitOutcome:
    submission_id: int | None
    counts: dict[str, int]
    unchanged: bool
    late: bool


# -- reading and validating ----------------------------------------------------------
def _max_mb(db: Database) -> float:
    return float(settings.current(db).get("ukuran_berkas_maks_mb", 10))


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
            column = f"{key} ({self.table.letter(key)})"
            if row is not None and cell is None:
                cell = _cell(self.table, key, row)
        elif key is not None:
            column = key
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
        if getattr(r, item_key) is None:
            chk.error(
                f"{item_key} kosong padahal baris ini berisi nilai; isi kode atau hapus baris.",
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
            chk.error(f"Kolom {key} tidak ditemukan di baris judul; tambahkan kolom ini.")
            continue
        for r in rows.itertuples(index=False):
            if getattr(r, key) is None or (
                isinstance(getattr(r, key), float) and np.isnan(getattr(r, key))
            ):
                # an error already reported for an unreadable cell is enough
                if any(
                    p.row == r.row_no and p.column and p.column.startswith(key + " ")
                    for p in chk.result.errors
                ):
                    continue
                hint = (
                    "isi capaian, atau pembilang dan penyebut"
                    if key == "capaian"
                    else "isi sel ini (0 bila memang tidak ada)"
                )
                chk.error(f"Sel wajib {key} kosong; {hint}.", r.row_no, key)


def _single(rows: pd.DataFrame, key: str, chk: _Checker, what: str) -> object:
    values = [v for v in rows[key].tolist() if v is not None and not pd.isna(v)]
    distinct = list(dict.fromkeys(values))
    if len(distinct) > 1:
        first = distinct[0]
        for r in rows.itertuples(index=False):
            v = getattr(r, key)
            if v is not None and v != first:
                chk.error(
                    f"Satu berkas hanya untuk satu {what}; baris ini berisi {v} sedangkan "
                    f"baris sebelumnya {first}. Pisahkan per {what} ke berkas sendiri.",
                    r.row_no,
                    key,
                )
                break
        return None
    return distinct[0] if distinct else None


def prepare(
    db: Database,
    path: str | Path,
    actor: Actor,
    *,
    original_name: str | None = None,
    today: dt.date | None = None,
) -> Prepared:
    """Read and validate ``path``; no writes. ``result.accepted`` says if it may commit."""
    path = Path(path)
    name = original_name or path.name
    result = IngestResult(file_name=name)
    empty = pd.DataFrame()
    try:
        data, table = read_table(path, name, _max_mb(db))
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

    for letter, key in table.duplicate_columns:
        chk.error(f"Kolom {key} muncul dua kali (kolom {letter}); hapus salah satunya.")
    for letter, header in table.ignored_columns:
        chk.warn(f"Kolom '{header}' (kolom {letter}) tidak dikenal dan diabaikan.")
    for ref in table.formulas_without_value:
        chk.error(
            f"Sel {ref} berisi rumus tanpa nilai tersimpan; buka berkas di Excel, tekan "
            "F9 (hitung ulang), simpan, lalu unggah kembali.",
            cell=ref,
        )

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
    form_cols = forms.LPPD_COLUMNS if form == "lppd-ikk" else forms.SPM_COLUMNS
    item_key = "kode_ikk" if form == "lppd-ikk" else "kode_layanan"
    absent = [
        c.key
        for c in form_cols
        if c.input
        and c.key not in table.columns
        and c.key not in ("jumlah_sasaran", "jumlah_terlayani", "capaian")
    ]
    if absent:
        chk.warn(
            f"Kolom berikut tidak ada di berkas; nilainya dianggap kosong: {', '.join(absent)}."
        )
    rows = _parse_rows(table, form_cols, chk)
    if form == "lppd-ikk":
        derive = rows["capaian"].isna() & rows["pembilang"].notna() & (rows["penyebut"] > 0)
        if derive.any():
            rows.loc[derive, "capaian"] = (
                rows.loc[derive, "pembilang"] / rows.loc[derive, "penyebut"] * 100
            ).round(2)
    _check_required(form, rows, table, chk)
    if rows.empty:
        chk.error(
            "Tidak ada baris berisi data; isi nilai pada templat (kolom yang tidak terkunci) "
            "lalu unggah kembali."
        )
        return prepared

    kode_wilayah = _single(rows, "kode_wilayah", chk, "wilayah")
    tahun = _single(rows, "tahun", chk, "tahun")
    triwulan = None if form == "lppd-ikk" else _single(rows, "triwulan", chk, "triwulan")
    result.kode_wilayah, result.tahun, result.triwulan = kode_wilayah, tahun, triwulan
    for key, value in (("kode_wilayah", kode_wilayah), ("tahun", tahun), ("triwulan", triwulan)):
        expected = meta.get(key)
        if expected and value is not None and str(value) != expected:
            bad = rows[rows[key].astype(str) != expected]
            chk.error(
                f"{key} {value} tidak sesuai dengan templat ({expected}); unduh templat untuk "
                f"{key} yang benar atau perbaiki isian.",
                int(bad["row_no"].iloc[0]) if not bad.empty else None,
                key,
            )

    # Reference data.
    region = None
    if kode_wilayah is not None:
        found = db.dicts("SELECT kode, nama, tingkat FROM wilayah WHERE kode = ?", [kode_wilayah])
        if not found:
            chk.error(
                f"Kode wilayah '{kode_wilayah}' tidak dikenal; gunakan kode Kemendagri, "
                "mis. 19.01.",
                int(rows["row_no"].iloc[0]),
                "kode_wilayah",
            )
        else:
            region = found[0]
    if form == "spm":
        form = "spm-provinsi" if region and region["tingkat"] == "provinsi" else "spm-kabkota"
    result.form = form
    if region and form == "spm-kabkota" and region["tingkat"] != "kabupaten/kota":
        chk.error(
            f"Wilayah {kode_wilayah} adalah provinsi, padahal formulir ini untuk "
            "kabupaten/kota; gunakan templat SPM provinsi.",
            int(rows["row_no"].iloc[0]),
            "kode_wilayah",
        )
    if region and form == "spm-provinsi" and region["tingkat"] != "provinsi":
        chk.error(
            f"Wilayah {kode_wilayah} adalah kabupaten/kota, padahal formulir ini untuk "
            "provinsi; gunakan templat SPM kabupaten/kota.",
            int(rows["row_no"].iloc[0]),
            "kode_wilayah",
        )

    if form == "lppd-ikk":
        known = set(db.df("SELECT kode_ikk FROM ikk")["kode_ikk"])
        for r in rows.itertuples(index=False):
            if r.kode_ikk is not None and r.kode_ikk not in known:
                chk.error(
                    f"Kode IKK '{r.kode_ikk}' tidak ada di katalog IKK; periksa kodenya.",
                    r.row_no,
                    "kode_ikk",
                )
    else:
        catalog = db.df("SELECT kode, tingkat, kode_opd FROM layanan").set_index("kode")
        level = "provinsi" if form == "spm-provinsi" else "kabupaten/kota"
        for r in rows.itertuples(index=False):
            code = r.kode_layanan
            if code is None:
                continue
            if code not in catalog.index:
                chk.error(
                    f"Kode layanan '{code}' tidak dikenal; gunakan kode dari templat "
                    "(mis. KES-K-01).",
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
        if form == "spm-provinsi":
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
                result.kode_opd = meta_opd
            elif len(opds) == 1:
                result.kode_opd = next(iter(opds))

    dup = rows[rows[item_key].notna() & rows.duplicated(item_key, keep="first")]
    for r in dup.itertuples(index=False):
        first = rows[rows[item_key] == getattr(r, item_key)]["row_no"].iloc[0]
        chk.error(
            f"{getattr(r, item_key)} muncul dua kali (juga di baris {first}); "
            "hapus salah satu baris.",
            r.row_no,
            item_key,
        )

    if result.errors:
        return prepared
    rows = rows.drop(columns=[]).reset_index(drop=True)
    prepared.rows = rows

    if form != "lppd-ikk":
        _spm_warnings(db, rows, form, kode_wilayah, tahun, triwulan, chk)

    # Permission and lock: decided before anything is written.
    try:
        result.late = _authorise(
            db, actor, form, kode_wilayah, tahun, triwulan, result.kode_opd, rows, today
        )
    except AccessDenied as exc:
        chk.error(str(exc))
        return prepared
    meta_obj = SubmissionMeta(form, kode_wilayah, tahun, triwulan, result.kode_opd)
    locked = _locked_message(db, _subs_frame([meta_obj]), _with_sub(rows, 0), form)
    if locked:
        chk.error(locked)
        return prepared

    status = _row_status(db, form, _with_sub(rows, 0))[0]
    result.counts.update(_count(status))
    result.unchanged = result.counts["baru"] == 0 and result.counts["berubah"] == 0
    result.accepted = not result.errors
    return prepared


def _spm_warnings(
    db: Database,
    rows: pd.DataFrame,
    form: str,
    kode_wilayah: str,
    tahun: int,
    triwulan: int,
    chk: _Checker,
) -> None:
    for r in rows.itertuples(index=False):
        if (
            r.jumlah_terlayani is not None
            and r.jumlah_sasaran is not None
            and r.jumlah_terlayani > r.jumlah_sasaran
        ):
            chk.warn(
                f"Jumlah terlayani ({r.jumlah_terlayani}) lebih besar dari jumlah sasaran "
                f"({r.jumlah_sasaran}); periksa kembali bila bukan disengaja.",
                r.row_no,
                "jumlah_terlayani",
            )
        if (
            r.jumlah_sasaran
            and r.jumlah_terlayani is not None
            and r.jumlah_terlayani < r.jumlah_sasaran
            and (_missing(r.permasalahan) or not str(r.permasalahan).strip())
        ):
            chk.warn(
                "Capaian di bawah 100 % tetapi permasalahan kosong; tuliskan permasalahan "
                "dan solusinya.",
                r.row_no,
                "permasalahan",
            )
    others = db.dicts(
        "SELECT triwulan, kode_layanan, jumlah_sasaran, jumlah_terlayani, "
        "mutu_barang_jasa_kebutuhan, mutu_sdm_kebutuhan, anggaran_rencana::DOUBLE AS "
        "anggaran_rencana, anggaran_realisasi::DOUBLE AS anggaran_realisasi FROM spm_data "
        "WHERE kode_wilayah = ? AND tahun = ? AND triwulan <> ? ORDER BY triwulan",
        [kode_wilayah, tahun, triwulan],
    )
    if not others:
        return
    prev = {o["kode_layanan"]: o for o in others if o["triwulan"] == triwulan - 1}
    for r in rows.to_dict("records"):
        code, row_no = r["kode_layanan"], r["row_no"]
        before = prev.get(code)
        if before is not None:
            for key in STOCK_COLUMNS:
                new, old = r[key], before[key]
                if _missing(new) or old is None or old == 0:
                    continue
                change = abs(float(new) - float(old)) / float(old)
                if change > CHANGE_WARNING_RATIO:
                    chk.warn(
                        f"{key} berubah {change * 100:.0f} % dari triwulan {triwulan - 1} "
                        f"({_num(old)} menjadi {_num(new)}); periksa kembali.",
                        row_no,
                        key,
                    )
            for key in CUMULATIVE_COLUMNS:
                new, old = r[key], before[key]
                if not _missing(new) and old is not None and float(new) < float(old):
                    chk.warn(
                        f"{key} ({_num(new)}) lebih kecil dari triwulan {triwulan - 1} "
                        f"({_num(old)}), padahal nilainya kumulatif dalam setahun; periksa "
                        "kembali.",
                        row_no,
                        key,
                    )
        if _missing(r["jumlah_sasaran"]):
            continue
        for o in others:
            if (
                o["kode_layanan"] == code
                and o["jumlah_sasaran"] is not None
                and o["jumlah_sasaran"] != r["jumlah_sasaran"]
            ):
                chk.warn(
                    f"Jumlah sasaran berbeda dengan triwulan {o['triwulan']} tahun yang sama "
                    f"({_num(o['jumlah_sasaran'])}); sasaran biasanya tetap dalam setahun.",
                    row_no,
                    "jumlah_sasaran",
                )
                break


def _missing(value: object) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _num(value: object) -> str:
    from pipelines.core.fmt import angka

    number = float(value)  # type: ignore[arg-type]
    return angka(number, 0 if number.is_integer() else 2)


def _authorise(
    db: Database,
    actor: Actor,
    form: str,
    kode_wilayah: str,
    tahun: int,
    triwulan: int | None,
    kode_opd: str | None,
    rows: pd.DataFrame,
    today: dt.date | None,
) -> bool:
    """access.check_upload for the submission (per OPD of a province-wide file)."""
    opds: Iterable[str | None] = [kode_opd]
    if form == "spm-provinsi" and kode_opd is None and actor.role == "pengunggah_opd":
        opds = sorted(
            set(
                db.df("SELECT kode, kode_opd FROM layanan")
                .set_index("kode")
                .loc[[c for c in rows["kode_layanan"]], "kode_opd"]
            )
        )
    late = False
    for opd in opds:
        perm = access.check_upload(
            db,
            actor,
            form=form,
            kode_wilayah=kode_wilayah,
            year=tahun,
            quarter=triwulan,
            kode_opd=opd,
            today=today,
        )
        late = late or perm.late
    return late


# -- diffing and committing ------------------------------------------------------------
def _with_sub(rows: pd.DataFrame, sub: int) -> pd.DataFrame:
    frame = rows.drop(columns=[c for c in ("row_no",) if c in rows.columns]).copy()
    frame["_sub"] = sub
    return frame


def _subs_frame(metas: list[SubmissionMeta]) -> pd.DataFrame:
    frame = pd.DataFrame([m.__dict__ for m in metas])
    frame.insert(0, "_sub", range(len(frame)))
    return frame


SQL_TYPES = {
    "kode": "VARCHAR",
    "tahun": "INTEGER",
    "triwulan": "INTEGER",
    "count": "BIGINT",
    "money": "DECIMAL(18, 2)",
    "number": "DOUBLE",
    "bool": "BOOLEAN",
    "text": "VARCHAR",
}


def _canonical(form: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The form's columns (missing ones empty) plus ``_sub`` and a row index ``_idx``."""
    out = frame.reindex(columns=[*forms.keys(form), "_sub"]).reset_index(drop=True)
    out["_idx"] = np.arange(len(out), dtype=np.int64)
    return out


def _typed_sql(form: str, name: str, extra: str = "_sub, _idx") -> str:
    """A subquery giving the frame ``name`` the database's column types."""
    cols = ", ".join(
        f"CAST({c.key} AS {SQL_TYPES[c.kind]}) AS {c.key}" for c in forms.columns(form)
    )
    return f"(SELECT {cols}, {extra} FROM {name})"


def _compare_sql(form: str, column: str) -> str:
    """SQL true when the incoming value ``i.column`` differs from the stored ``d.column``."""
    kind = next(c.kind for c in forms.columns(form) if c.key == column)
    if kind == "money":
        return f"i.{column}::DECIMAL(18, 2) IS DISTINCT FROM d.{column}"
    return f"i.{column} IS DISTINCT FROM d.{column}"


def _text_sql(form: str, alias: str, column: str) -> str:
    """A value as the text kept in ``perubahan_nilai`` (Ya/Tidak for the tahap columns)."""
    kind = next(c.kind for c in forms.columns(form) if c.key == column)
    ref = f"{alias}.{column}"
    if kind == "bool":
        return f"CASE WHEN {ref} THEN 'Ya' WHEN NOT {ref} THEN 'Tidak' END"
    if kind == "money":
        return f"CAST({ref}::DECIMAL(18, 2) AS VARCHAR)"
    return f"CAST({ref} AS VARCHAR)"


def _diff(
    db: Database, form: str, frame: pd.DataFrame, *, with_changes: bool = True
) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """Per row 'baru' | 'berubah' | 'sama', the long frame of changed values, and the
    typed rows (with ``_sub``). Compared in SQL against the stored rows."""
    typed = _canonical(form, frame)
    table = forms.data_table(form)
    keys = forms.key_columns(form)
    values = forms.value_columns(form)
    on = " AND ".join(f"d.{k} = i.{k}" for k in keys)
    flags = ", ".join(f"({_compare_sql(form, c)}) AS ch_{c}" for c in values)
    with db.registered("_ingest_in", typed) as raw:
        name = _typed_sql(form, raw)
        found = db.df(
            f"SELECT i._idx, d.{keys[0]} IS NULL AS is_new, {flags} "
            f"FROM {name} i LEFT JOIN {table} d ON {on} ORDER BY i._idx"
        )
        is_new = found["is_new"].to_numpy(dtype=bool)
        flag_cols = [f"ch_{c}" for c in values]
        changed = found[flag_cols].fillna(False).to_numpy(dtype=bool).any(axis=1) & ~is_new
        changes = pd.DataFrame()
        if with_changes and changed.any():
            texts = ", ".join(
                f"{_text_sql(form, 'd', c)} AS old_{c}, {_text_sql(form, 'i', c)} AS new_{c}"
                for c in values
            )
            wide = db.df(
                f"SELECT i._sub, {', '.join('i.' + k for k in keys)}, "
                f"d.submission_id AS _old_sub, {flags}, {texts} "
                f"FROM {name} i JOIN {table} d ON {on} "
                f"WHERE {' OR '.join(_compare_sql(form, c) for c in values)}"
            )
            parts = []
            for c in values:
                mask = wide[f"ch_{c}"].fillna(False).astype(bool)
                if not mask.any():
                    continue
                part = wide.loc[mask, ["_sub", *keys, "_old_sub"]].copy()
                part["kolom"] = c
                part["nilai_lama"] = wide.loc[mask, f"old_{c}"]
                part["nilai_baru"] = wide.loc[mask, f"new_{c}"]
                parts.append(part)
            changes = pd.concat(parts, ignore_index=True)
    status = pd.Series(
        np.where(is_new, "baru", np.where(changed, "berubah", "sama")), index=typed.index
    )
    return status, changes, typed


def _row_status(db: Database, form: str, frame: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    status, changes, _ = _diff(db, form, frame, with_changes=False)
    return status, changes


def _count(status: pd.Series) -> dict[str, int]:
    return {
        "baris": int(len(status)),
        "baru": int((status == "baru").sum()),
        "berubah": int((status == "berubah").sum()),
        "sama": int((status == "sama").sum()),
    }


def _scope_condition(form: str) -> str:
    """SQL joining data rows ``d`` (and layanan ``l``) to submissions ``s``: the rows a
    submission of this form covers."""
    if form == "lppd-ikk":
        return "d.kode_wilayah = s.kode_wilayah AND d.tahun = s.tahun"
    level = "provinsi" if form == "spm-provinsi" else "kabupaten/kota"
    return (
        "d.kode_wilayah = s.kode_wilayah AND d.tahun = s.tahun AND d.triwulan = s.triwulan "
        f"AND l.kode = d.kode_layanan AND l.tingkat = '{level}' "
        "AND (s.kode_opd IS NULL OR l.kode_opd = s.kode_opd)"
    )


def _locked_message(db: Database, subs: pd.DataFrame, rows: pd.DataFrame, form: str) -> str | None:
    """Why these submissions may not be loaded (their data is final), or None.

    Data rows always point to the newest submission of their key, so the rows a
    submission would cover tell whether that key is final; this also catches a
    province-wide file overlapping one OPD's final submission.
    """
    del rows  # the scope covers every row of the file
    table = forms.data_table(form)
    scope = subs[["form", "kode_wilayah", "tahun", "triwulan", "kode_opd"]].copy()
    scope["tahun"] = scope["tahun"].astype("int64")
    scope["triwulan"] = scope["triwulan"].astype("Int64")
    scope["kode_opd"] = scope["kode_opd"].astype("string")
    join_layanan = "" if form == "lppd-ikk" else ", layanan l"
    with db.registered("_lock_subs", scope):
        found = db.rows(
            "SELECT x.form, x.kode_wilayah, x.tahun, x.triwulan, x.kode_opd, x.id "
            f"FROM {table} d, _lock_subs s{join_layanan}, submission x "
            f"WHERE {_scope_condition(form)} AND x.id = d.submission_id "
            "AND x.status = 'final' LIMIT 1"
        )
    if not found:
        return None
    f, w, y, q, opd, sid = found[0]
    period = f"tahun {y}" if q is None else f"tahun {y} triwulan {q}"
    opd_text = f" ({opd})" if opd else ""
    return (
        f"Data {forms.FORM_LABELS.get(f, f)} {w}{opd_text} {period} sudah final (pengiriman "
        f"#{sid}) dan terkunci; minta administrator membukanya kembali sebelum mengunggah ulang."
    )


def commit_many(
    db: Database,
    subs: pd.DataFrame,
    rows: pd.DataFrame,
    actor: Actor,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    warnings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Write many submissions of one data table atomically; the core every load uses.

    ``subs``: one row per submission with ``_sub`` and the :class:`SubmissionMeta`
    fields. ``rows``: canonical columns of the form plus ``_sub``. Returns ``subs``
    with ``submission_id`` (None when nothing changed), counts and ``terlambat``.
    Raises AccessDenied, SubmissionLocked or SpmError; then nothing is written.
    """
    forms_in = set(subs["form"])
    tables = {forms.data_table(f) for f in forms_in}
    if len(tables) != 1:
        raise ValueError("commit_many takes submissions of one data table at a time")
    form = sorted(forms_in)[0]
    table = tables.pop()
    now = now or dt.datetime.now()
    subs = subs[["_sub"] + [c for c in subs.columns if c != "_sub"]].reset_index(drop=True)
    # ``warnings``: optional ``_sub, lembar, baris, kolom, pesan`` kept for the reviewer.
    with db.transaction():
        # Permission (privileged actors passing a known lateness are backfills: no check
        # can refuse them, so the per-submission lookups are skipped).
        late = []
        for s in subs.itertuples(index=False, name="Sub"):
            known = getattr(s, "terlambat", None)
            if actor.is_privileged and known is not None and not pd.isna(known):
                late.append(bool(known))
                continue
            sub_rows = rows[rows["_sub"] == s[0]]
            late.append(
                _authorise(
                    db,
                    actor,
                    s.form,
                    s.kode_wilayah,
                    int(s.tahun),
                    None if pd.isna(s.triwulan) else int(s.triwulan),
                    s.kode_opd if isinstance(s.kode_opd, str) else None,
                    sub_rows,
                    today,
                )
            )
        subs["terlambat"] = late
        message = _locked_message(db, subs, rows, form)
        if message:
            raise SubmissionLocked(message)

        status, changes, typed = _diff(db, form, rows)
        typed["_status"] = status.to_numpy()
        counts = typed.groupby("_sub")["_status"].value_counts().unstack(fill_value=0)
        for col in ("baru", "berubah", "sama"):
            if col not in counts.columns:
                counts[col] = 0
        subs = subs.merge(counts[["baru", "berubah", "sama"]], on="_sub", how="left").fillna(
            {"baru": 0, "berubah": 0, "sama": 0}
        )
        subs["jumlah_baris"] = (subs["baru"] + subs["berubah"] + subs["sama"]).astype(int)
        active = subs[(subs["baru"] + subs["berubah"]) > 0].copy()
        subs["submission_id"] = pd.Series([None] * len(subs), dtype=object)
        if active.empty:
            return subs

        n = len(active)
        ids = sorted(
            r[0] for r in db.rows("SELECT nextval('submission_id_seq') FROM range(?)", [n])
        )
        active["id"] = np.array(ids, dtype=np.int64)
        record = pd.DataFrame(
            {
                "id": active["id"],
                "form": active["form"],
                "kode_wilayah": active["kode_wilayah"],
                "tahun": active["tahun"].astype(int),
                "triwulan": active["triwulan"].astype("Int64"),
                "kode_opd": active["kode_opd"].where(active["kode_opd"].notna(), None),
                "nama_berkas": active.get("nama_berkas"),
                "sha256": active.get("sha256"),
                "diunggah_oleh": active["diunggah_oleh"].where(
                    active["diunggah_oleh"].notna(), actor.username
                ),
                "diunggah_pada": active["diunggah_pada"].where(
                    active["diunggah_pada"].notna(), now
                ),
                "status": active["status"].fillna("diajukan"),
                "terlambat": active["terlambat"].astype(bool),
                "jumlah_baris": active["jumlah_baris"].astype(int),
                "jumlah_baru": active["baru"].astype(int),
                "jumlah_berubah": active["berubah"].astype(int),
                "jumlah_sama": active["sama"].astype(int),
                "catatan": active.get("catatan"),
            }
        )
        record["diunggah_pada"] = pd.to_datetime(record["diunggah_pada"])
        db.insert_df("submission", record)

        id_of = dict(zip(active["_sub"], active["id"], strict=True))
        write = typed[typed["_sub"].isin(id_of.keys())].copy()
        write["submission_id"] = write["_sub"].map(id_of).astype("int64")
        cols = forms.keys(form)
        key_cols = forms.key_columns(form)
        others = [c for c in cols if c not in key_cols] + ["submission_id"]
        col_list = ", ".join([*cols, "submission_id"])
        assign = ", ".join(f"{c} = excluded.{c}" for c in others)
        with db.registered("_ingest_rows", write) as raw:
            db.execute(
                f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM "
                f"{_typed_sql(form, raw, 'submission_id')} "
                f"ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET {assign}"
            )
        # Rows of the same key not in this file now belong to the newest submission too.
        scope_subs = record[["id", "form", "kode_wilayah", "tahun", "triwulan", "kode_opd"]]
        join_layanan = "" if form == "lppd-ikk" else ", layanan l"
        with db.registered("_scope_subs", scope_subs):
            db.execute(
                f"UPDATE {table} AS d SET submission_id = s.id FROM _scope_subs s{join_layanan} "
                f"WHERE {_scope_condition(form)} AND d.submission_id <> s.id"
            )

        if not changes.empty:
            changes = changes[changes["_sub"].isin(id_of.keys())]
            previous = pd.DataFrame(
                {
                    "submission_id": changes["_sub"].map(id_of).astype("int64"),
                    "tabel": table,
                    "kode_wilayah": changes["kode_wilayah"],
                    "tahun": changes["tahun"].astype(int),
                    "triwulan": changes["triwulan"].astype("Int64")
                    if "triwulan" in changes
                    else pd.Series([None] * len(changes), dtype="Int64"),
                    "kode": changes[forms.item_column(form)],
                    "kolom": changes["kolom"],
                    "nilai_lama": changes["nilai_lama"],
                    "nilai_baru": changes["nilai_baru"],
                    "submission_lama": changes["_old_sub"].astype("Int64"),
                }
            )
            db.insert_df("perubahan_nilai", previous)

        log = pd.DataFrame(
            {
                "waktu": record["diunggah_pada"],
                "pengguna": actor.username,
                "aksi": "unggah",
                "objek": [f"submission #{i}" for i in record["id"]],
                "sesudah": [
                    {
                        "form": r.form,
                        "kode_wilayah": r.kode_wilayah,
                        "tahun": int(r.tahun),
                        "triwulan": None if pd.isna(r.triwulan) else int(r.triwulan),
                        "kode_opd": r.kode_opd,
                        "berkas": r.nama_berkas,
                        "sha256": r.sha256,
                        "baru": int(r.jumlah_baru),
                        "berubah": int(r.jumlah_berubah),
                        "sama": int(r.jumlah_sama),
                        "terlambat": bool(r.terlambat),
                    }
                    for r in record.itertuples(index=False)
                ],
                "keterangan": [
                    f"{r.nama_berkas or 'tanpa berkas'}: {r.jumlah_baru} baru, "
                    f"{r.jumlah_berubah} berubah, {r.jumlah_sama} sama"
                    for r in record.itertuples(index=False)
                ],
            }
        )
        audit.record_many(db, log)
        if warnings is not None and not warnings.empty:
            kept = warnings[warnings["_sub"].isin(id_of.keys())]
            db.insert_df(
                "validasi_peringatan",
                pd.DataFrame(
                    {
                        "submission_id": kept["_sub"].map(id_of).astype("int64"),
                        "lembar": kept["lembar"],
                        "baris": kept["baris"].astype("Int64"),
                        "kolom": kept["kolom"],
                        "pesan": kept["pesan"],
                    }
                ),
            )
    subs.loc[subs["_sub"].isin(id_of.keys()), "submission_id"] = subs["_sub"].map(id_of)
    return subs


def commit_rows(
    db: Database,
    rows: pd.DataFrame,
    meta: SubmissionMeta,
    actor: Actor,
    *,
    today: dt.date | None = None,
    warnings: list[Problem] | None = None,
) -> CommitOutcome:
    """Write one submission's already-parsed rows (canonical columns) atomically;
    ``warnings`` are kept with the submission (table ``validasi_peringatan``)."""
    subs = _subs_frame([meta])
    notes = pd.DataFrame(
        [
            {"_sub": 0, "lembar": p.sheet, "baris": p.row, "kolom": p.column, "pesan": p.message}
            for p in warnings or []
        ],
        columns=["_sub", "lembar", "baris", "kolom", "pesan"],
    )
    out = commit_many(db, subs, _with_sub(rows, 0), actor, today=today, warnings=notes).iloc[0]
    sid = out["submission_id"]
    counts = {
        "baris": int(out["jumlah_baris"]),
        "baru": int(out["baru"]),
        "berubah": int(out["berubah"]),
        "sama": int(out["sama"]),
    }
    return CommitOutcome(
        submission_id=None if sid is None or pd.isna(sid) else int(sid),
        counts=counts,
        unchanged=sid is None or pd.isna(sid),
        late=bool(out["terlambat"]),
    )


def commit_prepared(
    db: Database, prepared: Prepared, actor: Actor, *, today: dt.date | None = None
) -> IngestResult:
    """Commit a file that :func:`prepare` accepted; fills in the submission id."""
    result = prepared.result
    if not result.accepted:
        raise SpmError(f"Berkas {result.file_name} ditolak; perbaiki galatnya terlebih dahulu.")
    if prepared.data and result.sha256:
        files.keep_upload(db, prepared.data, result.sha256, prepared.suffix)
    meta = SubmissionMeta(
        form=result.form or "",
        kode_wilayah=result.kode_wilayah or "",
        tahun=int(result.tahun or 0),
        triwulan=result.triwulan,
        kode_opd=result.kode_opd,
        nama_berkas=result.file_name,
        sha256=result.sha256,
    )
    outcome = commit_rows(db, prepared.rows, meta, actor, today=today, warnings=result.warnings)
    result.submission_id = outcome.submission_id
    result.counts.update(outcome.counts)
    result.unchanged = outcome.unchanged
    result.late = outcome.late
    result.committed = not outcome.unchanged
    if outcome.unchanged:
        result.submission_id = _current_submission(db, meta)
    return result


def _current_submission(db: Database, meta: SubmissionMeta) -> int | None:
    return db.scalar(
        "SELECT max(id) FROM submission WHERE form = ? AND kode_wilayah = ? AND tahun = ? "
        "AND triwulan IS NOT DISTINCT FROM ? AND coalesce(kode_opd, '') = ?",
        [meta.form, meta.kode_wilayah, meta.tahun, meta.triwulan, meta.kode_opd or ""],
    )


def ingest_file(
    db: Database,
    path: str | Path,
    actor: Actor,
    *,
    dry_run: bool = False,
    original_name: str | None = None,
    today: dt.date | None = None,
) -> IngestResult:
    """Read, validate and (unless refused or ``dry_run``) commit one file atomically."""
    prepared = prepare(db, path, actor, original_name=original_name, today=today)
    result = prepared.result
    result.dry_run = dry_run
    if not result.accepted or dry_run:
        return result
    try:
        return commit_prepared(db, prepared, actor, today=today)
    except (AccessDenied, SubmissionLocked) as exc:
        result.accepted = False
        result.problems.append(Problem(GALAT, None, None, None, str(exc)))
        return result
