"""Withdrawing a submission: an administrator takes back a file accepted by mistake
(a file for 2099, the wrong region's numbers), with a written reason.

The submission's data leave every figure: values it changed get their previous value
(and submission) back from ``perubahan_nilai``, rows it added are removed, rows of its
period it only took over point again to the earlier submission that covers them. The
submission row and everything that pointed at it (history, comments, warnings,
changed values) move to ``submission_ditarik`` with who, when and why; the original
file stays in the store; the audit log records it (``tarik_pengiriman``).

Only the newest submission of a report can be withdrawn (withdraw the newer ones
first), and not while it is final (reopen it first).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd

from pipelines import review
from pipelines.auth import audit, roles
from pipelines.auth.access import Actor
from pipelines.auth.deadlines import written_reason
from pipelines.capaian import materi
from pipelines.core import forms
from pipelines.db.store import Database
from pipelines.ingest import against_store
from pipelines.ingest.commit import NEW_ROW

DATA_TABLES = ("spm_data", "lppd_data", "spm_mutu")


@dataclass(frozen=True)
class Penarikan:
    submission_id: int
    dihapus: int  # data rows removed (added by the submission)
    dipulihkan: int  # data rows given back to an earlier submission

    def kalimat(self) -> str:
        return (
            f"Pengiriman #{self.submission_id} ditarik: {self.dihapus} baris data dihapus, "
            f"{self.dipulihkan} baris kembali ke nilai pengiriman sebelumnya."
        )


def _match(form: str, alias: str) -> str:
    """Data row ``d`` = the perubahan_nilai-like row ``alias``."""
    same = f"d.kode_wilayah = {alias}.kode_wilayah AND d.tahun = {alias}.tahun"
    if form != "lppd-ikk":
        same += f" AND d.triwulan = {alias}.triwulan"
    return f"{same} AND {forms.item_code_sql(form, 'd')} = {alias}.kode"


def _old_value(kind: str) -> str:
    if kind == "bool":
        return "CASE p.nilai_lama WHEN 'Ya' THEN true WHEN 'Tidak' THEN false END"
    return f"CAST(p.nilai_lama AS {against_store.SQL_TYPES[kind]})"


def _count(db: Database, table: str, sid: int | None = None) -> int:
    if sid is None:
        return int(db.scalar(f"SELECT count(*) FROM {table}"))
    return int(db.scalar(f"SELECT count(*) FROM {table} WHERE submission_id = ?", [sid]))


def _revert_data(db: Database, sub: dict, form: str | None = None) -> tuple[int, int]:
    """Undo the submission's effect on the data rows of ``form`` (default: its own
    form's; ``forms.MUTU_FORM``: its mutu item rows); (removed, given back)."""
    sid = int(sub["id"])
    form = form or sub["form"]
    table = forms.data_table(form)
    held, total = _count(db, table, sid), _count(db, table)
    # 1. Values it changed: the previous value and submission.
    for col in forms.columns(form):
        if col.input:
            db.execute(
                f"UPDATE {table} AS d SET {col.key} = {_old_value(col.kind)} "
                f"FROM perubahan_nilai p WHERE p.submission_id = ? AND p.tabel = ? "
                f"AND p.kolom = ? AND d.submission_id = ? AND {_match(form, 'p')}",
                [sid, table, col.key, sid],
            )
    db.execute(
        f"UPDATE {table} AS d SET submission_id = p.submission_lama FROM ("
        f"SELECT DISTINCT kode_wilayah, tahun, triwulan, kode, submission_lama "
        f"FROM perubahan_nilai WHERE submission_id = ? AND tabel = ? AND kolom <> ? "
        f"AND submission_lama IS NOT NULL) p WHERE d.submission_id = ? AND {_match(form, 'p')}",
        [sid, table, NEW_ROW, sid],
    )
    # 2. Rows it added (recorded as NEW_ROW): removed.
    marked = int(
        db.scalar(
            "SELECT count(*) FROM perubahan_nilai WHERE submission_id = ? AND kolom = ?",
            [sid, NEW_ROW],
        )
    )
    db.execute(
        f"DELETE FROM {table} AS d USING (SELECT * FROM perubahan_nilai "
        f"WHERE submission_id = ? AND tabel = ? AND kolom = ?) p "
        f"WHERE d.submission_id = ? AND {_match(form, 'p')}",
        [sid, table, NEW_ROW, sid],
    )
    # 3. The rest of the period's rows it took over: back to the newest earlier
    # submission whose scope covers each; a row no earlier submission covers is new.
    keys = forms.key_columns(form)
    scope = sub["form"]  # item rows are covered as their service's rows are
    earlier = db.df(
        f"SELECT {', '.join('d.' + k for k in keys)}, max(s.id) AS sebelumnya "
        f"FROM {table} d, {against_store.scope_join(scope, 'submission')} "
        f"WHERE d.submission_id = ? AND s.id < ? AND s.form = ? "
        f"AND {against_store.scope_condition(scope)} GROUP BY ALL",
        [sid, sid, scope],
    )
    uncovered = _count(db, table, sid) - len(earlier)
    if form == scope and not marked and int(sub["jumlah_baru"] or 0) not in (0, uncovered):
        raise review.ReviewError(
            f"Pengiriman {review.describe(sub)} menambah baris pada data yang sudah ada dan "
            "dibuat sebelum penarikan mencatat baris baru; keadaan sebelumnya tidak dapat "
            "dipulihkan dengan pasti. Unggah berkas yang benar untuk menggantinya."
        )
    if not earlier.empty:
        on = " AND ".join(f"d.{k} = e.{k}" for k in keys)
        with db.registered("_sebelumnya", earlier) as name:
            db.execute(
                f"UPDATE {table} AS d SET submission_id = e.sebelumnya FROM {name} e "
                f"WHERE d.submission_id = ? AND {on}",
                [sid],
            )
    db.execute(f"DELETE FROM {table} WHERE submission_id = ?", [sid])
    removed = total - _count(db, table)
    return removed, held - removed


def _move_records(db: Database, sid: int) -> dict[str, list[dict]]:
    """Everything that pointed at the submission, as JSON-ready rows; deleted."""
    kept = {}
    for table in (t for t in db.tables_with_column("submission_id") if t not in DATA_TABLES):
        frame = db.df(f'SELECT * FROM "{table}" WHERE submission_id = ?', [sid])
        if not frame.empty:
            kept[table] = json.loads(frame.to_json(orient="records", date_format="iso"))
            db.execute(f'DELETE FROM "{table}" WHERE submission_id = ?', [sid])
    return kept


def tarik(
    db: Database,
    actor: Actor,
    submission_id: int,
    alasan: str,
    *,
    now: dt.datetime | None = None,
) -> Penarikan:
    """Admin only: withdraw the submission with a written reason (see the module)."""
    roles.require(actor, "tarik_pengiriman")
    alasan = written_reason(alasan, "menarik pengiriman", review.ReviewError)
    now = now or dt.datetime.now()
    sub = review.get(db, submission_id)
    if not sub["terbaru"]:
        raise review.ReviewError(
            f"Pengiriman {review.describe(sub)} sudah digantikan oleh #{sub['digantikan_id']}; "
            "hanya pengiriman terbaru sebuah laporan yang dapat ditarik (tarik yang terbaru "
            "lebih dulu)."
        )
    if sub["status"] == "final":
        raise review.Locked(
            f"Pengiriman {review.describe(sub)} sudah final dan terkunci; buka kembali dulu "
            "('spm review reopen') sebelum menariknya."
        )
    sid = int(sub["id"])
    with db.transaction():
        materi.ubah_submission(db, sid)  # the regions and years of its rows, before they go
        removed, given_back = _revert_data(db, sub)
        if sub["form"] != "lppd-ikk":
            items = _revert_data(db, sub, forms.MUTU_FORM)
            removed, given_back = removed + items[0], given_back + items[1]
        kept = _move_records(db, sid)
        db.execute(
            "INSERT INTO submission_ditarik (id, form, kode_wilayah, tahun, triwulan, kode_opd, "
            "nama_berkas, sha256, diunggah_oleh, diunggah_pada, status, alasan, ditarik_oleh, "
            "ditarik_pada, baris_dihapus, baris_dipulihkan, rekaman) "
            "SELECT id, form, kode_wilayah, tahun, triwulan, kode_opd, nama_berkas, sha256, "
            "diunggah_oleh, diunggah_pada, status, ?, ?, ?, ?, ?, ? FROM submission WHERE id = ?",
            [alasan, actor.username, now, removed, given_back, json.dumps(kept), sid],
        )
        db.execute("DELETE FROM submission WHERE id = ?", [sid])
        audit.record(
            db,
            actor,
            "tarik_pengiriman",
            f"pengiriman {review.describe(sub)}",
            sebelum={"status": sub["status"], "berkas": sub["nama_berkas"]},
            sesudah={"baris_dihapus": removed, "baris_dipulihkan": given_back},
            keterangan=alasan,
            waktu=now,
        )
    return Penarikan(sid, removed, given_back)


def daftar(db: Database, actor: Actor) -> pd.DataFrame:
    """The withdrawn submissions, newest first (without their JSON record); the Biro's."""
    roles.require(actor, "lihat_penarikan")
    return db.df(
        "SELECT id AS submission_id, form, kode_wilayah, tahun, triwulan, kode_opd, "
        "nama_berkas, status, alasan, ditarik_oleh, ditarik_pada, baris_dihapus, "
        "baris_dipulihkan FROM submission_ditarik ORDER BY ditarik_pada DESC, id DESC"
    )
