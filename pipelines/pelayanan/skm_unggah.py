"""SKM answers from a user's file to stored rows: checked, atomic, idempotent, like SPM
uploads (and with the ingest package's file checks, problems and error report).

A file holds one unit's answers of one year (the template of
:func:`pipelines.pelayanan.skm.template`, or any sheet or CSV with the columns
``kode_unit, tanggal, u1 ... u9`` and optionally ``layanan, jenis_kelamin, umur,
pendidikan, pekerjaan``). :func:`prepare` reads and checks everything before anything
is written: every problem names sheet, row and column, and any galat (a score outside
1-4, text in a score, an unknown unit, a date that is not one) refuses the whole file.
:func:`commit` writes the answers in one transaction; they replace the unit's answers of
that year (the earlier upload stays as history, status ``diganti``). The same answers
again change nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.core import fmt, settings
from pipelines.core.forms import normalise_header
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.ingest.readers import FileRefused, check_file
from pipelines.ingest.result import GALAT, PERINGATAN, Problem
from pipelines.ingest.values import is_missing, parse_code, parse_number, parse_text
from pipelines.pelayanan import berkas, skm
from pipelines.pelayanan import unit as units

HEADER_SEARCH_ROWS = 30
ROW_COLUMNS = ["baris", "tanggal", *skm.UNSUR_KEYS, *skm.OPTIONAL]
_UNSUR_HEADER = re.compile(r"^u(?:nsur)?([1-9])(?![0-9])")
_LOOKUP = {normalise_header(k): k for k in skm.COLUMNS} | {
    normalise_header(v): k for k, v in skm.COLUMNS.items()
}
_LOOKUP |= {
    "unit": "kode_unit",
    "kodeunitlayanan": "kode_unit",
    "tgl": "tanggal",
    "tanggalsurvey": "tanggal",
    "jk": "jenis_kelamin",
    "usia": "umur",
}
SEX = {
    "l": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "pria": "L",
    "p": "P",
    "perempuan": "P",
    "wanita": "P",
}


@dataclass
class SkmResult(berkas.Masalah):
    file_name: str
    accepted: bool = False
    kode_unit: str | None = None
    nama_unit: str | None = None
    tahun: int | None = None
    responden: int = 0
    sebelumnya: int | None = None  # respondents of the upload this one replaces
    problems: list[Problem] = field(default_factory=list)
    unggah_id: int | None = None
    unchanged: bool = False
    committed: bool = False
    dry_run: bool = False
    sha256: str | None = None

    def summary(self) -> str:
        """One Indonesian line: what happened to the file."""
        what = f"SKM {self.nama_unit or self.kode_unit or '?'} tahun {self.tahun or '?'}"
        if not self.accepted:
            return f"{self.file_name}: DITOLAK ({len(self.errors)} galat) — {what}."
        replaces = (
            f", menggantikan {fmt.angka(self.sebelumnya)} jawaban sebelumnya"
            if self.sebelumnya is not None
            else ""
        )
        if self.unchanged:
            return f"{self.file_name}: tidak ada perubahan ({fmt.angka(self.responden)} responden) — {what}."
        if self.dry_run or not self.committed:
            return (
                f"{self.file_name}: dapat diterima ({fmt.angka(self.responden)} responden"
                f"{replaces}) — {what}; belum disimpan."
            )
        return (
            f"{self.file_name}: DITERIMA sebagai unggahan SKM #{self.unggah_id} "
            f"({fmt.angka(self.responden)} responden{replaces}) — {what}."
        )


@dataclass
class SkmPrepared:
    result: SkmResult
    rows: pd.DataFrame
    data: bytes = b""
    suffix: str = ".xlsx"
    isi_sha256: str = ""


# -- reading -------------------------------------------------------------------------------
def _key(cell: object) -> str | None:
    if cell is None:
        return None
    text = normalise_header(cell)
    if text in _LOOKUP:
        return _LOOKUP[text]
    match = _UNSUR_HEADER.match(text)
    return f"u{match.group(1)}" if match else None


def _header(row: tuple) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = _key(cell)
        if key and key not in found:
            found[key] = i
    return found


def _find(rows: list[tuple[int, tuple]]) -> tuple[int, dict[str, int]] | None:
    """The header row (index into ``rows``) naming the most SKM columns (U1-U9 needed)."""
    best = None
    for idx, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _header(row)
        if sum(1 for k in skm.UNSUR_KEYS if k in found) < 5:
            continue
        if best is None or len(found) >= len(best[1]):
            best = (idx, found)
    return best


def parse_date(value: object) -> tuple[dt.date | None, str | None]:
    """A survey date: an Excel date, or ``2026-03-15``, ``15/03/2026``, ``15-03-2026``."""
    if is_missing(value):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    return None, f"'{text}' bukan tanggal; tulis sebagai tanggal, mis. 15/03/2026"


def parse_score(value: object) -> tuple[int | None, str | None]:
    """An answer 1-4 (empty: not answered)."""
    if is_missing(value):
        return None, None
    number, error = parse_number(value)
    if error:
        return None, f"'{value}' bukan angka; isi 1, 2, 3 atau 4 (kosongkan bila tidak dijawab)"
    if not float(number).is_integer():
        return None, f"'{value}' bukan bilangan bulat; isi 1, 2, 3 atau 4"
    if not 1 <= number <= 4:
        return None, f"nilai {int(number)} di luar 1-4; isi 1, 2, 3 atau 4"
    return int(number), None


class _Checker:
    """Collects problems for one file, naming sheet, row, column and cell."""

    def __init__(self, result: SkmResult, sheet: str | None, columns: dict[str, int]) -> None:
        self.result, self.sheet, self.columns = result, sheet, columns

    def add(self, level: str, message: str, row: int | None = None, key: str | None = None):
        column = cell = None
        if key is not None and key in self.columns:
            letter = get_column_letter(self.columns[key] + 1)
            column = f"{key} ({letter})"
            cell = f"{letter}{row}" if row else None
        elif key is not None:
            column = key
        self.result.problems.append(Problem(level, self.sheet, row, column, message, cell))

    def error(self, message: str, row: int | None = None, key: str | None = None) -> None:
        self.add(GALAT, message, row, key)

    def warn(self, message: str, row: int | None = None, key: str | None = None) -> None:
        self.add(PERINGATAN, message, row, key)


def _rows(
    rows: list[tuple[int, tuple]],
    columns: dict[str, int],
    meta: dict,
    chk: _Checker,
    today: dt.date,
) -> tuple[pd.DataFrame, list[str | None]]:
    """Typed answer rows (ROW_COLUMNS) and the unit code written on each."""
    records, codes = [], []
    for row_no, cells in rows:
        values = {k: (cells[i] if i < len(cells) else None) for k, i in columns.items()}
        answers = [values.get(k) for k in ["tanggal", *skm.UNSUR_KEYS, *skm.OPTIONAL]]
        if all(is_missing(v) for v in answers):
            continue  # blank, or a template row with only the unit filled
        code, _ = parse_code(values.get("kode_unit"))
        codes.append((row_no, (code or meta.get("kode_unit") or "").lower() or None))
        record: dict[str, object] = {"baris": row_no}
        tanggal, error = parse_date(values.get("tanggal"))
        if error:
            chk.error(f"Tanggal: {error}.", row_no, "tanggal")
        elif tanggal is None:
            chk.error(
                "Tanggal survei kosong; isi tanggal responden mengisi survei.", row_no, "tanggal"
            )
        elif tanggal > today:
            chk.error(
                f"Tanggal {fmt.tanggal(tanggal)} belum terjadi; periksa tanggalnya.",
                row_no,
                "tanggal",
            )
        record["tanggal"] = tanggal
        answered = 0
        for key, name, _, _ in skm.UNSUR:
            score, error = parse_score(values.get(key))
            if error:
                chk.error(f"{key.upper()} ({name}): {error}.", row_no, key)
            answered += score is not None or bool(error)
            record[key] = score
        if not answered:
            chk.error(
                "Baris ini tidak berisi satu pun jawaban U1-U9; isi jawabannya atau hapus baris.",
                row_no,
                "u1",
            )
        for key in ("layanan", "pendidikan", "pekerjaan"):
            record[key] = parse_text(values.get(key))[0]
        sex = parse_text(values.get("jenis_kelamin"))[0]
        record["jenis_kelamin"] = SEX.get(sex.lower()) if sex else None
        if sex and record["jenis_kelamin"] is None:
            chk.warn(
                f"Jenis kelamin '{sex}' tidak dikenal (L atau P); dibiarkan kosong.",
                row_no,
                "jenis_kelamin",
            )
        age, error = parse_number(values.get("umur"))
        record["umur"] = int(age) if age is not None and not error and 10 <= age <= 120 else None
        if (age is not None or error) and record["umur"] is None:
            chk.warn(
                f"Umur '{values.get('umur')}' tidak masuk akal (10-120); dibiarkan kosong.",
                row_no,
                "umur",
            )
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=ROW_COLUMNS)
    return frame, codes


def _content_sha(rows: pd.DataFrame) -> str:
    """The answers' content, whatever their order in the file."""
    lines = sorted(
        "|".join("" if pd.isna(v) else str(v) for v in rec)
        for rec in rows.drop(columns="baris").itertuples(index=False)
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def prepare(
    db: Database,
    path: str | Path,
    actor: Actor,
    *,
    original_name: str | None = None,
    today: dt.date | None = None,
) -> SkmPrepared:
    """Read and check ``path``; no writes. ``result.accepted`` says whether it may commit."""
    today = today or dt.date.today()
    path = Path(path)
    name = original_name or path.name
    result = SkmResult(file_name=name)
    empty = pd.DataFrame(columns=ROW_COLUMNS)
    current = settings.current(db)
    limit = int(current.get("skm_responden_maks", 50000))
    try:
        data = check_file(path, name, float(current.get("ukuran_berkas_maks_mb", 10)))
        sheet, rows, meta = berkas.read_rows(
            data,
            name,
            cap=limit + HEADER_SEARCH_ROWS + 1,
            holds=lambda found: _find(found) is not None,
            missing=(
                "Baris judul kolom SKM tidak ditemukan dalam 30 baris pertama lembar mana pun; "
                "gunakan templat SKM atau pastikan ada baris berisi kode_unit, tanggal, u1 ... u9."
            ),
        )
    except FileRefused as exc:
        result.problems.append(Problem(GALAT, exc.sheet, exc.row, None, exc.message))
        return SkmPrepared(result, empty)
    except OSError as exc:
        result.problems.append(
            Problem(GALAT, None, None, None, f"Berkas tidak dapat dibuka ({exc.strerror}).")
        )
        return SkmPrepared(result, empty)
    result.sha256 = hashlib.sha256(data).hexdigest()
    prepared = SkmPrepared(result, empty, data, Path(name).suffix.lower())
    found = _find(rows)
    chk = _Checker(result, sheet, found[1] if found else {})
    if found is None:
        chk.error(
            "Baris judul kolom SKM tidak ditemukan dalam 30 baris pertama; baris judul harus "
            "berisi kode_unit, tanggal, u1 ... u9."
        )
        return prepared
    idx, columns = found
    missing = [k for k in ("tanggal", *skm.UNSUR_KEYS) if k not in columns]
    if "kode_unit" not in columns and not meta.get("kode_unit"):
        missing.insert(0, "kode_unit")
    if missing:
        chk.error(
            f"Kolom {', '.join(missing)} tidak ditemukan di baris judul; tambahkan kolom ini.",
            rows[idx][0],
        )
        return prepared
    body = rows[idx + 1 :]
    if len(body) > limit:
        chk.error(
            f"Berkas berisi lebih dari {fmt.angka(limit)} baris jawaban (batas per berkas); "
            "bagi menjadi beberapa berkas per unit."
        )
        return prepared
    frame, codes = _rows(body, columns, meta, chk, today)
    if frame.empty and not result.errors:
        chk.error("Tidak ada baris jawaban; isi lembar Jawaban lalu unggah kembali.")
        return prepared
    kode_unit = _one_unit(db, codes, chk)
    tahun = _one_year(frame, meta, chk)
    result.kode_unit, result.tahun, result.responden = kode_unit, tahun, len(frame)
    if kode_unit is not None:
        result.nama_unit = skm.unit_names(db).get(kode_unit)
    if result.errors or kode_unit is None or tahun is None:
        return prepared
    try:
        units.check_handles(db, actor, kode_unit, "mengunggah hasil SKM")
    except AccessDenied as exc:
        chk.error(str(exc))
        return prepared
    prepared.rows = frame
    prepared.isi_sha256 = _content_sha(frame)
    stored = _in_force(db, kode_unit, tahun)
    if stored is not None:
        result.sebelumnya = int(stored["jumlah_responden"])
        result.unchanged = stored["isi_sha256"] == prepared.isi_sha256
        if not result.unchanged and len(frame) < result.sebelumnya:
            chk.warn(
                f"Berkas berisi {fmt.angka(len(frame))} responden, lebih sedikit dari "
                f"{fmt.angka(result.sebelumnya)} yang tersimpan untuk {tahun}; seluruh jawaban "
                "tahun itu akan diganti dengan isi berkas ini."
            )
    result.accepted = True
    return prepared


def _one_unit(db: Database, codes: list[tuple[int, str | None]], chk: _Checker) -> str | None:
    known = set(skm.unit_names(db))
    first = None
    for row_no, code in codes:
        if code is None:
            chk.error("Kode unit kosong; isi kode unit layanan (mis. dinkes).", row_no, "kode_unit")
            continue
        if code not in known:
            chk.error(
                f"Unit '{code}' tidak dikenal; pakai kode unit yang terdaftar ('spm unit list') "
                "atau minta administrator menambahkannya.",
                row_no,
                "kode_unit",
            )
            continue
        if first is None:
            first = code
        elif code != first:
            chk.error(
                f"Satu berkas hanya untuk satu unit; baris ini {code} sedangkan sebelumnya {first}. "
                "Pisahkan per unit ke berkas sendiri.",
                row_no,
                "kode_unit",
            )
    return first


def _one_year(frame: pd.DataFrame, meta: dict, chk: _Checker) -> int | None:
    years = [
        (r.baris, r.tanggal.year) for r in frame.itertuples() if isinstance(r.tanggal, dt.date)
    ]
    expected = int(meta["tahun"]) if str(meta.get("tahun", "")).isdigit() else None
    first = expected or (years[0][1] if years else None)
    for row_no, year in years:
        if year != first:
            chk.error(
                f"Satu berkas hanya untuk satu tahun ({first}); tanggal baris ini di tahun {year}.",
                row_no,
                "tanggal",
            )
    return first


def _in_force(db: Database, kode_unit: str, tahun: int) -> dict | None:
    rows = db.dicts(
        "SELECT id, jumlah_responden, isi_sha256 FROM skm_unggah WHERE kode_unit = ? "
        "AND tahun = ? AND status = 'berlaku'",
        [kode_unit, tahun],
    )
    return rows[0] if rows else None


# -- writing -------------------------------------------------------------------------------
def commit(db: Database, prepared: SkmPrepared, actor: Actor) -> SkmResult:
    """Write a file :func:`prepare` accepted, in one transaction (nothing when unchanged)."""
    result = prepared.result
    if not result.accepted:
        raise SpmError(f"Berkas {result.file_name} ditolak; perbaiki galatnya terlebih dahulu.")
    units.check_handles(db, actor, result.kode_unit, "mengunggah hasil SKM")
    if prepared.data and result.sha256:
        files.keep_upload(db, prepared.data, result.sha256, prepared.suffix)
    with db.transaction():
        stored = _in_force(db, result.kode_unit, result.tahun)
        if stored is not None and stored["isi_sha256"] == prepared.isi_sha256:
            result.unchanged, result.unggah_id = True, int(stored["id"])
            return result
        new_id = write(
            db,
            prepared.rows,
            kode_unit=result.kode_unit,
            tahun=result.tahun,
            by=actor.username,
            nama_berkas=result.file_name,
            sha256=result.sha256,
            isi_sha256=prepared.isi_sha256,
        )
    result.unggah_id, result.committed, result.unchanged = new_id, True, False
    return result


def write(
    db: Database,
    rows: pd.DataFrame,
    *,
    kode_unit: str,
    tahun: int,
    by: str,
    nama_berkas: str | None,
    sha256: str | None,
    isi_sha256: str | None = None,
    when: dt.datetime | None = None,
) -> int:
    """Store one upload's answers (inside the caller's transaction), replacing the unit's
    answers of the year; returns the upload's id. Also used by the demo loader."""
    isi = isi_sha256 or _content_sha(rows)
    old = _in_force(db, kode_unit, tahun)
    new_id = int(db.scalar("SELECT nextval('skm_unggah_id_seq')"))
    db.execute(
        "INSERT INTO skm_unggah (id, kode_unit, tahun, nama_berkas, sha256, isi_sha256, "
        "jumlah_responden, diunggah_oleh, diunggah_pada) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            new_id,
            kode_unit,
            tahun,
            nama_berkas,
            sha256,
            isi,
            len(rows),
            by,
            when or dt.datetime.now(),
        ],
    )
    if old is not None:
        db.execute("UPDATE skm_unggah SET status = 'diganti' WHERE id = ?", [old["id"]])
    stored = rows.assign(unggah_id=new_id, kode_unit=kode_unit, tahun=tahun)
    stored = stored[["unggah_id", "baris", "kode_unit", "tahun", *ROW_COLUMNS[1:]]]
    for key in skm.UNSUR_KEYS:
        stored[key] = stored[key].astype("Int16")
    stored["umur"] = stored["umur"].astype("Int32")
    db.insert_df("skm_respon", stored)
    audit.record(
        db,
        by,
        "unggah_skm",
        f"SKM {kode_unit} {tahun}",
        sesudah={"unggah": new_id, "responden": len(rows), "berkas": nama_berkas, "sha256": sha256},
        keterangan=(
            f"{len(rows)} responden" + (f", menggantikan unggahan #{old['id']}" if old else "")
        ),
        waktu=when,
    )
    return new_id


def ingest_file(
    db: Database,
    path: str | Path,
    actor: Actor,
    *,
    dry_run: bool = False,
    original_name: str | None = None,
    today: dt.date | None = None,
) -> SkmResult:
    """Check and (unless refused, unchanged or ``dry_run``) store one file's answers."""
    prepared = prepare(db, path, actor, original_name=original_name, today=today)
    result = prepared.result
    result.dry_run = dry_run
    if not result.accepted or dry_run or result.unchanged:
        return result
    return commit(db, prepared, actor)
