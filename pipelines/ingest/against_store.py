"""Checks of incoming rows against the stored ones, in SQL: which rows are new,
changed or the same (and each changed value's old and new text), which stored rows a
submission covers, whether that data is final (locked), and whether the actor may
upload it at all. Read-only: :mod:`pipelines.ingest.commit` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.auth import access, deadlines
from pipelines.auth.access import Actor
from pipelines.core import fmt, forms, reference
from pipelines.db.store import Database
from pipelines.errors import AccessDenied
from pipelines.ingest.result import SUBMISSION_KEY, SubmissionMeta
from pipelines.ingest.values import is_empty

CHANGE_WARNING_RATIO = 0.5
# Columns compared with the previous triwulan (stock-like; cumulative ones only must not fall).
STOCK_COLUMNS = [
    "jumlah_sasaran",
    "mutu_barang_jasa_kebutuhan",
    "mutu_sdm_kebutuhan",
    "anggaran_rencana",
]
CUMULATIVE_COLUMNS = ["jumlah_terlayani", "anggaran_realisasi"]


def authorise(
    db: Database,
    actor: Actor,
    meta: SubmissionMeta,
    rows: pd.DataFrame,
    today: dt.date | None,
) -> bool:
    """access.check_upload for the submission (per OPD of a province-wide file); True
    when it is late. Raises AccessDenied."""
    opds: Iterable[str | None] = [meta.kode_opd]
    if meta.form == "spm-provinsi" and meta.kode_opd is None and actor.role == "pengunggah_opd":
        catalog = reference.layanan(db).set_index("kode")
        opds = sorted(set(catalog.loc[list(rows["kode_layanan"]), "kode_opd"]))
    late = False
    for opd in opds:
        perm = access.check_upload(
            db,
            actor,
            form=meta.form,
            kode_wilayah=meta.kode_wilayah,
            year=meta.tahun,
            quarter=meta.triwulan,
            kode_opd=opd,
            today=today,
        )
        late = late or perm.late
    return late


def triwulan_warnings(
    db: Database, rows: pd.DataFrame, kode_wilayah: str, tahun: int, triwulan: int
) -> list[tuple[str, int, str]]:
    """Warnings (message, row, column) on an SPM file's rows against the other triwulan
    of the same year already stored: stock-like figures that jump from the triwulan
    before, cumulative ones that fall, a sasaran that differs within the year."""
    out: list[tuple[str, int, str]] = []

    def warn(message: str, row_no: int, key: str) -> None:
        out.append((message, row_no, key))

    others = db.dicts(
        "SELECT triwulan, kode_layanan, jumlah_sasaran, jumlah_terlayani, "
        "mutu_barang_jasa_kebutuhan, mutu_sdm_kebutuhan, anggaran_rencana::DOUBLE AS "
        "anggaran_rencana, anggaran_realisasi::DOUBLE AS anggaran_realisasi FROM spm_data "
        "WHERE kode_wilayah = ? AND tahun = ? AND triwulan <> ? ORDER BY triwulan",
        [kode_wilayah, tahun, triwulan],
    )
    if not others:
        return out
    prev = {o["kode_layanan"]: o for o in others if o["triwulan"] == triwulan - 1}
    for r in rows.to_dict("records"):
        code, row_no = r["kode_layanan"], r["row_no"]
        before = prev.get(code)
        if before is not None:
            for key in STOCK_COLUMNS:
                new, old = r[key], before[key]
                if is_empty(new) or old is None or old == 0:
                    continue
                change = abs(float(new) - float(old)) / float(old)
                if change > CHANGE_WARNING_RATIO:
                    warn(
                        f"{_label(key)} berubah {fmt.persen(change * 100, 0)} dari "
                        f"{fmt.triwulan(triwulan - 1)} ({_num(old)} menjadi {_num(new)}); "
                        "periksa kembali.",
                        row_no,
                        key,
                    )
            for key in CUMULATIVE_COLUMNS:
                new, old = r[key], before[key]
                if not is_empty(new) and old is not None and float(new) < float(old):
                    warn(
                        f"{_label(key)} ({_num(new)}) lebih kecil dari {fmt.triwulan(triwulan - 1)} "
                        f"({_num(old)}), padahal nilainya kumulatif dalam setahun; periksa "
                        "kembali.",
                        row_no,
                        key,
                    )
        if is_empty(r["jumlah_sasaran"]):
            continue
        for o in others:
            if (
                o["kode_layanan"] == code
                and o["jumlah_sasaran"] is not None
                and o["jumlah_sasaran"] != r["jumlah_sasaran"]
            ):
                warn(
                    f"Jumlah sasaran berbeda dengan {fmt.triwulan(o['triwulan'])} tahun yang sama "
                    f"({_num(o['jumlah_sasaran'])}); sasaran biasanya tetap dalam setahun.",
                    row_no,
                    "jumlah_sasaran",
                )
                break
    return out


def _num(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return fmt.angka(number, 0 if number.is_integer() else 2)


_LABELS = {c.key: c.label for c in (*forms.SPM_COLUMNS, *forms.LPPD_COLUMNS)}


def _label(key: str) -> str:
    """A column as the template names it ('Jumlah terlayani'), never its internal key."""
    return _LABELS.get(key, key)


def with_sub(rows: pd.DataFrame, sub: int) -> pd.DataFrame:
    """A file's canonical rows tagged with its submission number ``_sub``."""
    frame = rows.drop(columns=[c for c in ("row_no",) if c in rows.columns]).copy()
    frame["_sub"] = sub
    return frame


def subs_frame(metas: list[SubmissionMeta]) -> pd.DataFrame:
    """One row per submission (``_sub`` 0, 1, ... and the metadata fields)."""
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
    "percent": "DOUBLE",
    "bool": "BOOLEAN",
    "text": "VARCHAR",
}


def _canonical(form: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The form's columns (missing ones empty) plus ``_sub`` and a row index ``_idx``."""
    out = frame.reindex(columns=[*forms.keys(form), "_sub"]).reset_index(drop=True)
    out["_idx"] = np.arange(len(out), dtype=np.int64)
    return out


def typed_sql(form: str, name: str, extra: str = "_sub, _idx") -> str:
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


def diff(
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
        name = typed_sql(form, raw)
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


def row_counts(db: Database, form: str, frame: pd.DataFrame) -> dict[str, int]:
    """How many rows of ``frame`` are new, changed and the same as the stored ones."""
    status = diff(db, form, frame, with_changes=False)[0]
    return {
        "baris": int(len(status)),
        "baru": int((status == "baru").sum()),
        "berubah": int((status == "berubah").sum()),
        "sama": int((status == "sama").sum()),
    }


def scope_join(form: str, subs: str) -> str:
    """What to join to the data rows ``d``: the submissions ``subs`` as ``s`` (and, for
    SPM, layanan as ``l``); :func:`scope_condition` says which rows each covers."""
    return f"{subs} s" if form == "lppd-ikk" else f"{subs} s, layanan l"


def scope_condition(form: str) -> str:
    """SQL joining data rows ``d`` (and layanan ``l``) to submissions ``s``: the rows a
    submission of this form covers."""
    if form == "lppd-ikk":
        return "d.kode_wilayah = s.kode_wilayah AND d.tahun = s.tahun"
    level = forms.TINGKAT[form]
    return (
        "d.kode_wilayah = s.kode_wilayah AND d.tahun = s.tahun AND d.triwulan = s.triwulan "
        f"AND l.kode = d.kode_layanan AND l.tingkat = '{level}' "
        "AND (s.kode_opd IS NULL OR l.kode_opd = s.kode_opd)"
    )


def locked_message(db: Database, subs: pd.DataFrame, form: str) -> str | None:
    """Why these submissions (:func:`subs_frame`) may not be loaded (their data is
    final), or None.

    Data rows always point to the newest submission of their key, so the rows a
    submission would cover tell whether that key is final; this also catches a
    province-wide file overlapping one OPD's final submission.
    """
    table = forms.data_table(form)
    scope = subs[SUBMISSION_KEY].copy()
    scope["tahun"] = scope["tahun"].astype("int64")
    scope["triwulan"] = scope["triwulan"].astype("Int64")
    scope["kode_opd"] = scope["kode_opd"].astype("string")
    with db.registered("_lock_subs", scope):
        found = db.rows(
            "SELECT x.form, x.kode_wilayah, x.tahun, x.triwulan, x.kode_opd, x.id "
            f"FROM {table} d, {scope_join(form, '_lock_subs')}, submission x "
            f"WHERE {scope_condition(form)} AND x.id = d.submission_id "
            "AND x.status = 'final' LIMIT 1"
        )
    if not found:
        return None
    f, w, y, q, opd, sid = found[0]
    period = f"tahun {y}" if q is None else f"{fmt.triwulan(q)} {y}"
    opd_text = f" ({opd})" if opd else ""
    return (
        f"Data {forms.FORM_LABELS.get(f, f)} {reference.nama_wilayah(db, w)}{opd_text} {period} "
        f"sudah final (pengiriman #{sid}) dan terkunci; minta administrator membukanya kembali "
        "sebelum mengunggah ulang."
    )


@dataclass(frozen=True)
class UploadState:
    """Whether ``actor`` may send a period now, told before any file is chosen (the
    upload page, Wilayah saya) with the same rules the check of a file applies."""

    boleh: bool  # an upload now would be accepted (deadline, permission, lock)
    batas_resmi: dt.date
    batas_perpanjangan: dt.date | None
    terlambat: bool  # an upload now is after the original deadline
    terkunci: str | None  # why the period is locked (final data), or None
    ditolak: str | None  # why the deadline or the role refuses it, or None

    @property
    def singkat(self) -> str:
        """'Terbuka s.d. 20 Januari 2026', 'Ditutup', 'Terkunci (final)', ..."""
        if self.terkunci:
            return "Terkunci (data final)"
        if self.ditolak:
            return "Ditutup"
        if self.batas_perpanjangan and self.terlambat:
            return f"Terbuka dengan perpanjangan s.d. {fmt.tanggal(self.batas_perpanjangan)}"
        if self.terlambat:
            return "Terbuka, tercatat terlambat"
        return f"Terbuka s.d. {fmt.tanggal(self.batas_resmi)}"

    def kalimat(self) -> str:
        """One sentence: what happens if the person uploads this period now."""
        resmi = fmt.tanggal(self.batas_resmi)
        if self.terkunci:
            return f"Terkunci: {self.terkunci}"
        if self.ditolak:
            return f"Ditutup: {self.ditolak}"
        if self.batas_perpanjangan and self.terlambat:
            return (
                "Terbuka dengan perpanjangan dari administrator s.d. "
                f"{fmt.tanggal(self.batas_perpanjangan)}; unggahan tetap tercatat terlambat "
                f"(batas waktu resmi {resmi})."
            )
        if self.terlambat:
            return (
                f"Batas waktu {resmi} sudah lewat; unggahan Anda diterima sebagai pengisian "
                "susulan dan tercatat terlambat."
            )
        return f"Terbuka: batas waktu pengisian {resmi}."


def upload_state(
    db: Database,
    actor: Actor,
    form: str,
    kode_wilayah: str,
    tahun: int,
    triwulan: int | None,
    kode_opd: str | None = None,
    today: dt.date | None = None,
) -> UploadState:
    """The deadline, permission and lock of one period for ``actor``, as the check of a
    file for that period would find them (access.check_upload, :func:`locked_message`)."""
    meta = SubmissionMeta(form, kode_wilayah, tahun, triwulan, kode_opd)
    base = deadlines.deadline(db, tahun, triwulan, form)
    due = deadlines.effective_deadline(db, form, kode_wilayah, tahun, triwulan, kode_opd)
    refused = None
    try:
        access.check_upload(
            db,
            actor,
            form=form,
            kode_wilayah=kode_wilayah,
            year=tahun,
            quarter=triwulan,
            kode_opd=kode_opd,
            today=today,
        )
    except AccessDenied as exc:
        refused = str(exc)
    locked = locked_message(db, subs_frame([meta]), form)
    today = today or dt.date.today()
    return UploadState(
        boleh=refused is None and locked is None,
        batas_resmi=base,
        batas_perpanjangan=due if due > base else None,
        terlambat=today > base,
        terkunci=locked,
        ditolak=refused,
    )
