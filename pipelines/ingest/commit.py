"""Committing validated rows: one transaction per load, for the CLI, the app and the
demo loader.

:func:`commit_many` is the core every load uses: permission and lock checks, a new
``submission`` row per submission, the data rows (pointing to the newest submission
of their key), every changed value's previous value in ``perubahan_nilai``, the
file's warnings in ``validasi_peringatan`` and an ``audit_log`` row. All rows of a
file or none. :func:`commit_rows` writes one submission, :func:`commit_prepared` a
file that :func:`pipelines.ingest.validate.prepare` accepted (keeping the original by
its hash), :func:`commit_group` many such files in one transaction (one refresh of the
figures for all of them, each file still all or nothing), and :func:`ingest_file` does
both steps for one file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.capaian import materi
from pipelines.core import forms
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.ingest import against_store
from pipelines.ingest.result import (
    GALAT,
    CommitOutcome,
    IngestResult,
    Prepared,
    Problem,
    SubmissionLocked,
    SubmissionMeta,
)
from pipelines.ingest.validate import prepare


def commit_many(
    db: Database,
    subs: pd.DataFrame,
    rows: pd.DataFrame,
    actor: Actor | Sequence[Actor],
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    warnings: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Write many submissions of one data table atomically; the core every load uses.

    ``subs``: one row per submission with ``_sub`` and the :class:`SubmissionMeta`
    fields. ``rows``: canonical columns of the form plus ``_sub``. ``warnings``:
    optional ``_sub, lembar, baris, kolom, pesan`` kept for the reviewer. ``items``:
    optional mutu item rows of SPM submissions (``forms.MUTU_COLUMNS`` plus ``_sub``),
    stored in ``spm_mutu`` and counted, recorded and withdrawn as rows. ``actor``: who
    sends them all, or one per row of ``subs`` (files of several uploaders committed
    together, :func:`commit_group`). Returns
    ``subs`` with ``submission_id`` (None when nothing changed), counts and
    ``terlambat``. Raises AccessDenied, SubmissionLocked or SpmError; then nothing is
    written.
    """
    forms_in = set(subs["form"])
    if len({forms.data_table(f) for f in forms_in}) != 1:
        raise ValueError("commit_many takes submissions of one data table at a time")
    form = sorted(forms_in)[0]
    now = now or dt.datetime.now()
    subs = subs[["_sub"] + [c for c in subs.columns if c != "_sub"]].reset_index(drop=True)
    actors = [actor] * len(subs) if isinstance(actor, Actor) else list(actor)
    if len(actors) != len(subs):
        raise ValueError("commit_many takes one actor, or one per submission")
    subs["_pengguna"] = [a.username for a in actors]
    with db.transaction():
        subs["terlambat"] = _lateness(db, actors, subs, rows, today)
        message = against_store.locked_message(db, subs, form)
        if message:
            raise SubmissionLocked(message)

        tables = [(form, *against_store.diff(db, form, rows))]
        if items is not None and not items.empty:
            tables.append((forms.MUTU_FORM, *against_store.diff(db, forms.MUTU_FORM, items)))
        subs = _with_counts(
            subs,
            pd.concat([typed["_sub"] for _, _, _, typed in tables], ignore_index=True),
            pd.concat([status for _, status, _, _ in tables], ignore_index=True),
        )
        active = subs[(subs["baru"] + subs["berubah"]) > 0].copy()
        subs["submission_id"] = pd.Series([None] * len(subs), dtype=object)
        if active.empty:
            return subs

        ids = db.rows("SELECT nextval('submission_id_seq') FROM range(?)", [len(active)])
        active["id"] = np.array(sorted(r[0] for r in ids), dtype=np.int64)
        record = _submission_record(active, now)
        db.insert_df("submission", record.drop(columns="_pengguna"))
        id_of = dict(zip(active["_sub"], active["id"], strict=True))
        for table_form, status, changes, typed in tables:
            _write_rows(db, table_form, typed, record, id_of, scope=form)
            if not changes.empty:
                db.insert_df("perubahan_nilai", _previous_values(table_form, changes, id_of))
            added = _new_rows(table_form, typed[(status == "baru").to_numpy()], id_of)
            if not added.empty:
                db.insert_df("perubahan_nilai", added)
        audit.record_many(db, _audit_rows(record))
        if forms.data_table(form) == "spm_data":
            materi.ubah(db, rows[["kode_wilayah", "tahun"]].drop_duplicates().itertuples(False))
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
    return subs.drop(columns="_pengguna")


def _lateness(
    db: Database,
    actors: list[Actor],
    subs: pd.DataFrame,
    rows: pd.DataFrame,
    today: dt.date | None,
) -> list[bool]:
    """Whether each submission is late, checking its actor may send it (privileged
    actors passing a known lateness are backfills: no check can refuse them, so the
    per-submission lookups are skipped)."""
    late = []
    for actor, s in zip(actors, subs.itertuples(index=False, name="Sub"), strict=True):
        known = getattr(s, "terlambat", None)
        if actor.is_privileged and known is not None and not pd.isna(known):
            late.append(bool(known))
            continue
        meta = SubmissionMeta(
            form=s.form,
            kode_wilayah=s.kode_wilayah,
            tahun=int(s.tahun),
            triwulan=None if pd.isna(s.triwulan) else int(s.triwulan),
            kode_opd=s.kode_opd if isinstance(s.kode_opd, str) else None,
        )
        late.append(against_store.authorise(db, actor, meta, rows[rows["_sub"] == s[0]], today))
    return late


def _with_counts(subs: pd.DataFrame, sub_of_row: pd.Series, status: pd.Series) -> pd.DataFrame:
    """``subs`` with the rows new (baru), changed (berubah) and the same (sama) of each."""
    typed = pd.DataFrame({"_sub": sub_of_row, "_status": status.to_numpy()})
    counts = typed.groupby("_sub")["_status"].value_counts().unstack(fill_value=0)
    for col in ("baru", "berubah", "sama"):
        if col not in counts.columns:
            counts[col] = 0
    subs = subs.merge(counts[["baru", "berubah", "sama"]], on="_sub", how="left").fillna(
        {"baru": 0, "berubah": 0, "sama": 0}
    )
    subs["jumlah_baris"] = (subs["baru"] + subs["berubah"] + subs["sama"]).astype(int)
    return subs


def _submission_record(active: pd.DataFrame, now: dt.datetime) -> pd.DataFrame:
    """The ``submission`` rows of the submissions that change something."""
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
                active["diunggah_oleh"].notna(), active["_pengguna"]
            ),
            "diunggah_pada": active["diunggah_pada"].where(active["diunggah_pada"].notna(), now),
            "status": active["status"].fillna("diajukan"),
            "terlambat": active["terlambat"].astype(bool),
            "jumlah_baris": active["jumlah_baris"].astype(int),
            "jumlah_baru": active["baru"].astype(int),
            "jumlah_berubah": active["berubah"].astype(int),
            "jumlah_sama": active["sama"].astype(int),
            "catatan": active.get("catatan"),
            "_pengguna": active["_pengguna"],  # who sent it (the audit's pengguna)
        }
    )
    record["diunggah_pada"] = pd.to_datetime(record["diunggah_pada"])
    return record


def _write_rows(
    db: Database, form: str, typed: pd.DataFrame, record: pd.DataFrame, id_of: dict, scope: str
) -> None:
    """Upsert the data rows of the new submissions; rows of the same key not in the
    file then belong to the newest submission too (the rows a submission of the form
    ``scope`` covers: item rows as their service's rows)."""
    table = forms.data_table(form)
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
            f"{against_store.typed_sql(form, raw, 'submission_id')} "
            f"ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET {assign}"
        )
    scope_subs = record[["id", "form", "kode_wilayah", "tahun", "triwulan", "kode_opd"]]
    with db.registered("_scope_subs", scope_subs):
        joined = against_store.scope_join(scope, "_scope_subs")
        covered = against_store.scope_condition(scope)
        db.execute(
            f"UPDATE {table} AS d SET submission_id = s.id FROM {joined} "
            f"WHERE {covered} AND d.submission_id <> s.id"
        )


def _previous_values(form: str, changes: pd.DataFrame, id_of: dict) -> pd.DataFrame:
    """The ``perubahan_nilai`` rows: each changed value with the one it replaces."""
    changes = changes[changes["_sub"].isin(id_of.keys())]
    return pd.DataFrame(
        {
            "submission_id": changes["_sub"].map(id_of).astype("int64"),
            "tabel": forms.data_table(form),
            "kode_wilayah": changes["kode_wilayah"],
            "tahun": changes["tahun"].astype(int),
            "triwulan": changes["triwulan"].astype("Int64")
            if "triwulan" in changes
            else pd.Series([None] * len(changes), dtype="Int64"),
            "kode": forms.item_code(form, changes),
            "kolom": changes["kolom"],
            "nilai_lama": changes["nilai_lama"],
            "nilai_baru": changes["nilai_baru"],
            "submission_lama": changes["_old_sub"].astype("Int64"),
        }
    )


NEW_ROW = "(baris baru)"  # perubahan_nilai.kolom of a row that had no earlier value


def _new_rows(form: str, rows: pd.DataFrame, id_of: dict) -> pd.DataFrame:
    """One ``perubahan_nilai`` row per data row a submission adds (kolom NEW_ROW, no
    previous value), so withdrawing the submission knows to remove it."""
    rows = rows[rows["_sub"].isin(id_of.keys())]
    return pd.DataFrame(
        {
            "submission_id": rows["_sub"].map(id_of).astype("int64"),
            "tabel": forms.data_table(form),
            "kode_wilayah": rows["kode_wilayah"].astype(str),
            "tahun": rows["tahun"].astype(int),
            "triwulan": rows["triwulan"].astype("Int64")
            if "triwulan" in rows
            else pd.Series([None] * len(rows), dtype="Int64", index=rows.index),
            "kode": forms.item_code(form, rows).astype(str),
            "kolom": NEW_ROW,
            "nilai_lama": None,
            "nilai_baru": None,
            "submission_lama": pd.Series([None] * len(rows), dtype="Int64", index=rows.index),
        }
    )


def _audit_rows(record: pd.DataFrame) -> pd.DataFrame:
    """One ``unggah`` audit row per new submission."""
    return pd.DataFrame(
        {
            "waktu": record["diunggah_pada"],
            "pengguna": record["_pengguna"],
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


def commit_rows(
    db: Database,
    rows: pd.DataFrame,
    meta: SubmissionMeta,
    actor: Actor,
    *,
    today: dt.date | None = None,
    warnings: list[Problem] | None = None,
    items: pd.DataFrame | None = None,
) -> CommitOutcome:
    """Write one submission's already-parsed rows (canonical columns) atomically;
    ``warnings`` are kept with the submission (table ``validasi_peringatan``);
    ``items`` are its mutu item rows (``forms.MUTU_COLUMNS``), if any."""
    out = commit_many(
        db,
        against_store.subs_frame([meta]),
        against_store.with_sub(rows, 0),
        actor,
        today=today,
        warnings=_warning_rows([warnings or []]),
        items=None if items is None else against_store.with_sub(items, 0),
    )
    return _outcome(out.iloc[0])


def _warning_rows(per_sub: list[list[Problem]]) -> pd.DataFrame:
    """The ``validasi_peringatan`` rows of each submission (``_sub`` = its position)."""
    return pd.DataFrame(
        [
            {"_sub": i, "lembar": p.sheet, "baris": p.row, "kolom": p.column, "pesan": p.message}
            for i, problems in enumerate(per_sub)
            for p in problems
        ],
        columns=["_sub", "lembar", "baris", "kolom", "pesan"],
    )


def _outcome(out: pd.Series) -> CommitOutcome:
    """What :func:`commit_many` says of one submission."""
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


def _meta(prepared: Prepared) -> SubmissionMeta:
    result = prepared.result
    if not result.accepted:
        raise SpmError(f"Berkas {result.file_name} ditolak; perbaiki galatnya terlebih dahulu.")
    return SubmissionMeta(
        form=result.form or "",
        kode_wilayah=result.kode_wilayah or "",
        tahun=int(result.tahun or 0),
        triwulan=result.triwulan,
        kode_opd=result.kode_opd,
        nama_berkas=result.file_name,
        sha256=result.sha256,
    )


def _keep(db: Database, prepared: Prepared) -> None:
    """The original upload, kept by its hash before its rows are written."""
    if prepared.data and prepared.result.sha256:
        files.keep_upload(db, prepared.data, prepared.result.sha256, prepared.suffix)


def _settle(db: Database, prepared: Prepared, meta: SubmissionMeta, outcome: CommitOutcome) -> None:
    """Fill in the file's result from its commit's outcome."""
    result = prepared.result
    result.submission_id = outcome.submission_id
    result.counts.update(outcome.counts)
    result.unchanged = outcome.unchanged
    result.late = outcome.late
    result.committed = not outcome.unchanged
    if outcome.unchanged:
        result.submission_id = _current_submission(db, meta)


def commit_prepared(
    db: Database, prepared: Prepared, actor: Actor, *, today: dt.date | None = None
) -> IngestResult:
    """Commit a file that :func:`prepare` accepted; fills in the submission id."""
    meta = _meta(prepared)
    _keep(db, prepared)
    outcome = commit_rows(
        db,
        prepared.rows,
        meta,
        actor,
        today=today,
        warnings=prepared.result.warnings,
        items=prepared.items,
    )
    _settle(db, prepared, meta, outcome)
    return prepared.result


def commit_group(
    db: Database, group: Sequence[tuple[Prepared, Actor]], *, today: dt.date | None = None
) -> list[IngestResult]:
    """Commit the accepted files of ``group`` (each with who sends it) in one
    transaction, so the figures they touch are refreshed once for all of them; refused
    files are returned as they are. Each file stays all or nothing and gets its own
    submission, counts and audit row, exactly as :func:`commit_or_refuse` alone would
    give. When the group cannot commit as a whole (a permission or lock changed since
    the check, a database error), each file is committed on its own, so only the file
    at fault is refused. Reference data (catalogs, deadlines) is read once for all."""
    with db.reference_reads():
        for part in _distinct_runs([(p, a) for p, a in group if p.result.accepted]):
            settled = None
            if len(part) > 1:
                try:
                    settled = _commit_together(db, part, today)
                except (AccessDenied, SubmissionLocked, SpmError):
                    settled = None
            if settled is None:
                for prepared, actor in part:
                    commit_or_refuse(db, prepared, actor, today=today)
            else:
                for prepared, meta, outcome in settled:
                    _settle(db, prepared, meta, outcome)
    return [p.result for p, _ in group]


def _distinct_runs(
    accepted: list[tuple[Prepared, Actor]],
) -> list[list[tuple[Prepared, Actor]]]:
    """``accepted`` in order, cut wherever a file is for a period (table, region, year,
    triwulan) a file before it in the same run is for: the later file must land after
    the earlier one, as it would alone."""
    runs: list[list[tuple[Prepared, Actor]]] = []
    seen: set[tuple] = set()
    for pair in accepted:
        r = pair[0].result
        key = (forms.data_table(r.form or ""), r.kode_wilayah, r.tahun, r.triwulan)
        if not runs or key in seen:
            runs.append([])
            seen = set()
        runs[-1].append(pair)
        seen.add(key)
    return runs


def _commit_together(
    db: Database, accepted: list[tuple[Prepared, Actor]], today: dt.date | None
) -> list[tuple[Prepared, SubmissionMeta, CommitOutcome]]:
    """One transaction, one :func:`commit_many` per data table."""
    settled = []

    def table_of(pair: tuple[Prepared, Actor]) -> str:
        return forms.data_table(pair[0].result.form or "")

    with db.transaction():
        for _, pairs in groupby(sorted(accepted, key=table_of), key=table_of):
            pairs = list(pairs)
            metas = [_meta(p) for p, _ in pairs]
            for prepared, _ in pairs:
                _keep(db, prepared)
            items = [
                against_store.with_sub(p.items, i)
                for i, (p, _) in enumerate(pairs)
                if p.items is not None and not p.items.empty
            ]
            out = commit_many(
                db,
                against_store.subs_frame(metas),
                pd.concat(
                    [against_store.with_sub(p.rows, i) for i, (p, _) in enumerate(pairs)],
                    ignore_index=True,
                ),
                [a for _, a in pairs],
                today=today,
                warnings=_warning_rows([p.result.warnings for p, _ in pairs]),
                items=pd.concat(items, ignore_index=True) if items else None,
            )
            settled += [
                (prepared, meta, _outcome(row))
                for (prepared, _), meta, (_, row) in zip(pairs, metas, out.iterrows(), strict=True)
            ]
    return settled


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
    return commit_or_refuse(db, prepared, actor, today=today)


def commit_or_refuse(
    db: Database, prepared: Prepared, actor: Actor, *, today: dt.date | None = None
) -> IngestResult:
    """:func:`commit_prepared`; a refusal that only the commit finds (the permission or
    a lock changed since the check, a database error) is recorded on the result as a
    galat, not raised, so a batch goes on with its next file."""
    try:
        return commit_prepared(db, prepared, actor, today=today)
    except (AccessDenied, SubmissionLocked, SpmError) as exc:
        refuse_unsaved([prepared], str(exc))
        return prepared.result


def refuse_unsaved(prepared: Sequence[Prepared], message: str) -> None:
    """Record ``message`` as a galat on every file of ``prepared`` not committed (saving
    them failed as a whole, e.g. the database held by another process)."""
    for item in prepared:
        if not item.result.committed:
            item.result.accepted = False
            item.result.problems.append(Problem(GALAT, None, None, None, message))
