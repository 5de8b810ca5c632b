"""The review workflow of a submission, and its history.

::

    Draf ──► Diajukan ──► Diverifikasi ──► Final
                 │              │            │
                 └──► Dikembalikan ◄─────────┘ (admin: buka kembali → Diajukan)

- The uploader submits (Draf → Diajukan; the ingestion step creates submissions
  directly as Diajukan).
- The Biro (analis or admin) verifies (Diajukan → Diverifikasi) or sends back
  (Diajukan/Diverifikasi → Dikembalikan) with a comment for the file and/or per row.
- A sent-back report is fixed by uploading again: the new upload is a new
  submission that replaces the previous one for the same (form, region, OPD, period)
  (view ``v_submission_rantai``). Only the newest submission of a report is reviewed.
- The Biro finalises (Diverifikasi → Final). Final data is locked: no upload and no
  review change until an admin reopens it (Final → Diajukan) with a written reason.

Every change is one row in ``submission_riwayat`` (who, when, from, to, why) and one
in the audit log. The time a report spends in Dikembalikan is measured separately
(:func:`durasi`), because the SOP's standard times exclude it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.auth import access, audit
from pipelines.auth.access import Actor
from pipelines.auth.deadlines import label_periode, written_reason
from pipelines.capaian import completeness, materi
from pipelines.core.forms import FORM_LABELS
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.ingest.validate import prepare

STATUS_LABELS = {
    "draf": "Draf",
    "diajukan": "Diajukan",
    "diverifikasi": "Diverifikasi",
    "dikembalikan": "Dikembalikan",
    "final": "Final",
}


class ReviewError(SpmError):
    """A review step that cannot be taken now (Indonesian message)."""


class Locked(ReviewError):
    """The report is final: its data may not change until an admin reopens it."""


@dataclass(frozen=True)
class Durasi:
    """Time a report has spent in the workflow, from its first upload."""

    total: dt.timedelta
    dikembalikan: dt.timedelta  # with the uploader, fixing (not counted by the SOP)

    @property
    def bersih(self) -> dt.timedelta:
        return self.total - self.dikembalikan


# -- reading ---------------------------------------------------------------------------


# One report's uploads (the view's partition): form, region, year, triwulan, OPD.
_CHAIN = (
    "r.form = ? AND r.kode_wilayah = ? AND r.tahun = ? "
    "AND coalesce(r.triwulan, 0) = ? AND coalesce(r.kode_opd, '') = ?"
)
# The admin's deadline exception for a submission's report, if any (shown beside its
# lateness, never instead of it).
_EXCEPTION_JOIN = (
    "LEFT JOIN pengecualian_batas p ON p.form = r.form AND p.kode_wilayah = r.kode_wilayah "
    "AND p.kode_opd = coalesce(r.kode_opd, '') AND p.tahun = r.tahun "
    "AND p.triwulan = coalesce(r.triwulan, 0)"
)


def keterangan_waktu(sub: dict) -> str:
    """'tepat waktu', 'terlambat' or 'terlambat, dengan perpanjangan s.d. 10 Agustus 2025'."""
    if not sub.get("terlambat"):
        return completeness.TEPAT_WAKTU
    ext, when = sub.get("batas_perpanjangan"), sub.get("diunggah_pada")
    if (
        ext is None
        or pd.isna(ext)
        or when is None
        or pd.Timestamp(when).date() > pd.Timestamp(ext).date()
    ):
        return completeness.TERLAMBAT
    return completeness.keterangan_kirim(
        completeness.TERLAMBAT_PERPANJANGAN, pd.Timestamp(ext).date()
    )


def get(db: Database, submission_id: int) -> dict:
    # The chain's key first: filtered on it, the view numbers only that report's
    # uploads, not every submission's (a third of the time at national scale).
    rows = db.dicts(
        f"""
        SELECT r.*, w.nama AS nama_wilayah, o.nama AS nama_opd,
               p.batas_baru AS batas_perpanjangan
        FROM v_submission_rantai r
        LEFT JOIN wilayah w ON w.kode = r.kode_wilayah
        LEFT JOIN opd o ON o.kode = r.kode_opd
        {_EXCEPTION_JOIN}
        WHERE {_CHAIN} AND r.id = ?
        """,
        [*_key_of(db, submission_id), submission_id],
    )
    return rows[0]


def _key_of(db: Database, submission_id: int) -> list:
    """The key of the report (chain of uploads) a submission belongs to, for ``_CHAIN``."""
    key = db.rows(
        "SELECT form, kode_wilayah, tahun, coalesce(triwulan, 0), coalesce(kode_opd, '') "
        "FROM submission WHERE id = ?",
        [submission_id],
    )
    if not key:
        raise ReviewError(f"Pengiriman #{submission_id} tidak ditemukan.")
    return list(key[0])


def describe(sub: dict) -> str:
    """'#12 SPM kabupaten/kota Kabupaten Bangka TW2 2025' for messages."""
    who = sub.get("nama_opd") or sub.get("nama_wilayah") or sub["kode_wilayah"]
    return (
        f"#{sub['id']} {FORM_LABELS.get(sub['form'], sub['form'])} {who} "
        f"{label_periode(sub['tahun'], sub['triwulan'])}"
    )


def antrean(
    db: Database,
    actor: Actor,
    status: tuple[str, ...] | list[str] = ("diajukan",),
    *,
    tahun: int | None = None,
    form: str | None = None,
) -> pd.DataFrame:
    """The newest submission of each report whose status is in ``status``, oldest first.

    Restricted to what ``actor`` may see (pimpinan reviews nothing: refused).
    """
    access.require(actor, "lihat_pengiriman")
    frame = db.df(
        f"""
        SELECT r.id AS submission_id, r.form, r.kode_wilayah, w.nama AS nama_wilayah,
               r.kode_opd, o.nama AS nama_opd, r.tahun, r.triwulan, r.status, r.nama_berkas,
               r.diunggah_oleh, r.diunggah_pada, r.terlambat, r.jumlah_baris,
               r.jumlah_berubah, r.catatan, r.menggantikan_id,
               p.batas_baru AS batas_perpanjangan
        FROM v_submission_rantai r
        LEFT JOIN wilayah w ON w.kode = r.kode_wilayah
        LEFT JOIN opd o ON o.kode = r.kode_opd
        {_EXCEPTION_JOIN}
        WHERE r.terbaru AND list_contains(?, r.status)
          AND (? IS NULL OR r.tahun = ?) AND (? IS NULL OR r.form = ?)
        ORDER BY r.diunggah_pada, r.id
        """,
        [list(status), tahun, tahun, form, form],
    )
    frame["waktu_kirim"] = [keterangan_waktu(r) for r in frame.to_dict("records")]
    return access.restrict(frame, actor).reset_index(drop=True)


def check_can_see(db: Database, actor: Actor, submission_id: int) -> dict:
    """The submission, when ``actor`` may open it (the Biro any, an uploader its own);
    AccessDenied otherwise. An unknown id is said first."""
    sub = get(db, submission_id)
    access.require(actor, "lihat_pengiriman")
    if not access.can_see(actor, sub["kode_wilayah"], sub["kode_opd"]):
        raise AccessDenied(f"Akun {actor.username} tidak berhak atas pengiriman ini.")
    return sub


def riwayat(db: Database, submission_id: int) -> pd.DataFrame:
    """Status history of the report this submission belongs to (all its uploads)."""
    key = _key_of(db, submission_id)
    return db.df(
        f"""
        SELECT h.submission_id, h.dari, h.ke, h.oleh, h.waktu, h.keterangan
        FROM v_status_riwayat h
        JOIN submission r ON r.id = h.submission_id
        WHERE {_CHAIN}
        ORDER BY h.waktu, h.submission_id, h.riwayat_id NULLS FIRST
        """,
        key,
    )


def komentar(db: Database, submission_id: int, *, semua_pengiriman: bool = True) -> pd.DataFrame:
    """Reviewer comments (file-level: ``baris`` None) for the submission or its report."""
    key = _key_of(db, submission_id)
    if not semua_pengiriman:
        return db.df(
            "SELECT submission_id, baris, komentar, oleh, waktu FROM review_komentar "
            "WHERE submission_id = ? ORDER BY waktu, id",
            [submission_id],
        )
    return db.df(
        f"""
        SELECT k.submission_id, k.baris, k.komentar, k.oleh, k.waktu
        FROM review_komentar k
        JOIN submission r ON r.id = k.submission_id
        WHERE {_CHAIN}
        ORDER BY k.waktu, k.id
        """,
        key,
    )


def _durasi_of(times: list[dt.datetime], states: list[str], now: dt.datetime) -> Durasi:
    """Total time from the first event to Final (or now), and the time in Dikembalikan
    (from being sent back to the next event: the fixed upload, or now)."""
    if not times:
        return Durasi(dt.timedelta(0), dt.timedelta(0))
    returned = dt.timedelta(0)
    for i, state in enumerate(states):
        if state == "dikembalikan":
            end = times[i + 1] if i + 1 < len(times) else now
            returned += max(end - times[i], dt.timedelta(0))
    end = times[-1] if states[-1] == "final" else now
    return Durasi(total=max(end - times[0], dt.timedelta(0)), dikembalikan=returned)


def durasi(db: Database, submission_id: int, now: dt.datetime | None = None) -> Durasi:
    """Time from the report's first upload to Final (or now), and how much of it the
    report spent sent back (Dikembalikan) with the uploader."""
    history = riwayat(db, submission_id)
    times = [t.to_pydatetime() for t in pd.to_datetime(history["waktu"])]
    return _durasi_of(times, list(history["ke"]), now or dt.datetime.now())


def durasi_proses(
    db: Database, tahun: int | None = None, now: dt.datetime | None = None
) -> pd.DataFrame:
    """Per report (its newest submission): total days, days sent back, net days (the
    time the SOP's standard times are compared with)."""
    now = now or dt.datetime.now()
    events = db.df(
        """
        SELECT r.form, r.kode_wilayah, coalesce(r.triwulan, 0) AS _tw,
               coalesce(r.kode_opd, '') AS _opd, r.tahun, h.ke, h.waktu
        FROM v_status_riwayat h JOIN v_submission_rantai r ON r.id = h.submission_id
        WHERE (? IS NULL OR r.tahun = ?)
        ORDER BY r.form, r.kode_wilayah, _tw, _opd, r.tahun, h.waktu, h.submission_id,
                 h.riwayat_id NULLS FIRST
        """,
        [tahun, tahun],
    )
    latest = db.df(
        "SELECT id AS submission_id, form, kode_wilayah, kode_opd, tahun, triwulan, status, "
        "coalesce(triwulan, 0) AS _tw, coalesce(kode_opd, '') AS _opd "
        "FROM v_submission_rantai WHERE terbaru AND (? IS NULL OR tahun = ?) ORDER BY id",
        [tahun, tahun],
    )
    keys = ["form", "kode_wilayah", "_tw", "_opd", "tahun"]
    spans = {}
    for key, group in events.groupby(keys, sort=False):
        times = [t.to_pydatetime() for t in pd.to_datetime(group["waktu"])]
        spans[key] = _durasi_of(times, list(group["ke"]), now)
    empty = Durasi(dt.timedelta(0), dt.timedelta(0))
    days = [spans.get(tuple(row), empty) for row in latest[keys].itertuples(index=False)]
    latest["hari_total"] = [d.total.total_seconds() / 86400 for d in days]
    latest["hari_dikembalikan"] = [d.dikembalikan.total_seconds() / 86400 for d in days]
    latest["hari_bersih"] = [d.bersih.total_seconds() / 86400 for d in days]
    return latest.drop(columns=["_tw", "_opd"])


def periode_sebelumnya(tahun: int, triwulan: int | None) -> tuple[int, int | None]:
    if triwulan is None or pd.isna(triwulan):
        return tahun - 1, None
    return (tahun - 1, 4) if int(triwulan) == 1 else (tahun, int(triwulan) - 1)


def banding(db: Database, submission_id: int) -> pd.DataFrame:
    """The report's rows beside the previous period's (SPM: previous triwulan; LPPD:
    previous year), with the change, for the reviewer."""
    sub = get(db, submission_id)
    prev_year, prev_q = periode_sebelumnya(sub["tahun"], sub["triwulan"])
    if sub["form"] == "lppd-ikk":
        return db.df(
            """
            SELECT i.kode_ikk, i.nama AS indikator, i.satuan,
                   d.pembilang, d.penyebut, d.capaian,
                   p.capaian AS capaian_sebelumnya,
                   d.capaian - p.capaian AS perubahan, d.data_dukung, d.keterangan
            FROM lppd_data d
            JOIN ikk i ON i.kode_ikk = d.kode_ikk
            LEFT JOIN lppd_data p ON p.kode_wilayah = d.kode_wilayah AND p.kode_ikk = d.kode_ikk
                AND p.tahun = ?
            WHERE d.kode_wilayah = ? AND d.tahun = ?
            ORDER BY i.urutan
            """,
            [prev_year, sub["kode_wilayah"], sub["tahun"]],
        )
    return db.df(
        """
        SELECT d.kode_layanan, l.nama AS layanan,
               d.jumlah_sasaran, p.jumlah_sasaran AS sasaran_sebelumnya,
               d.jumlah_terlayani, p.jumlah_terlayani AS terlayani_sebelumnya,
               CASE WHEN p.jumlah_sasaran > 0
                    THEN (d.jumlah_sasaran - p.jumlah_sasaran) * 100.0 / p.jumlah_sasaran END
                    AS perubahan_sasaran_persen,
               d.mutu_barang_jasa_kebutuhan, d.mutu_barang_jasa_tersedia,
               d.mutu_sdm_kebutuhan, d.mutu_sdm_tersedia,
               d.anggaran_rencana, d.anggaran_realisasi, d.permasalahan, d.solusi
        FROM spm_data d
        JOIN layanan l ON l.kode = d.kode_layanan
        LEFT JOIN spm_data p ON p.kode_wilayah = d.kode_wilayah
            AND p.kode_layanan = d.kode_layanan AND p.tahun = ? AND p.triwulan = ?
        WHERE d.kode_wilayah = ? AND d.tahun = ? AND d.triwulan = ?
          AND (? IS NULL OR l.kode_opd = ?)
        ORDER BY l.urutan
        """,
        [
            prev_year,
            prev_q,
            sub["kode_wilayah"],
            sub["tahun"],
            sub["triwulan"],
            sub["kode_opd"],
            sub["kode_opd"],
        ],
    )


def peringatan(db: Database, submission_id: int) -> pd.DataFrame:
    """The validation warnings of this submission's file (lembar, baris, kolom, pesan).

    The ingestion step keeps every original file by its hash; its checks are run
    again on it (read-only) so the reviewer sees what the uploader was warned about.
    Empty when the original is not stored (e.g. demo data).
    """
    columns = ["lembar", "baris", "kolom", "pesan"]
    sub = get(db, submission_id)
    if not sub.get("sha256"):
        return pd.DataFrame(columns=columns)
    suffix = Path(sub["nama_berkas"] or "x.xlsx").suffix or ".xlsx"
    path = files.upload_path(db, sub["sha256"], suffix)
    if not path.exists():
        return pd.DataFrame(columns=columns)
    prepared = prepare(
        db, path, access.local_admin("pemeriksaan"), original_name=sub["nama_berkas"]
    )
    return pd.DataFrame(
        [(p.sheet, p.row, p.column, p.message) for p in prepared.result.warnings],
        columns=columns,
    )


# -- the lock ------------------------------------------------------------------------


def check_not_final(
    db: Database,
    form: str,
    kode_wilayah: str,
    tahun: int,
    triwulan: int | None,
    kode_opd: str | None = None,
) -> None:
    """Raise Locked when the report's newest submission is Final."""
    latest = db.dicts(
        "SELECT id, status FROM v_submission_rantai WHERE terbaru AND form = ? "
        "AND kode_wilayah = ? AND tahun = ? AND coalesce(triwulan, 0) = ? "
        "AND coalesce(kode_opd, '') = ?",
        [form, kode_wilayah, tahun, triwulan or 0, kode_opd or ""],
    )
    if latest and latest[0]["status"] == "final":
        raise Locked(
            f"Data {label_periode(tahun, triwulan)} wilayah {kode_wilayah} sudah final dan "
            "terkunci; minta administrator membukanya kembali dengan alasan tertulis."
        )


# -- changing status -------------------------------------------------------------------


def _require_reviewer(actor: Actor) -> None:
    if not actor.is_privileged:
        raise AccessDenied(
            "Hanya analis Biro Pemerintahan atau administrator yang dapat memeriksa pengiriman."
        )


def _transition(
    db: Database,
    actor: Actor,
    submission_id: int,
    allowed_from: tuple[str, ...],
    to: str,
    *,
    keterangan: str | None = None,
    aksi: str = "ubah_status",
    waktu: dt.datetime | None = None,
) -> int:
    """Move the submission to ``to``; returns the history row id."""
    waktu = waktu or dt.datetime.now()
    sub = get(db, submission_id)
    if not access.can_see(actor, sub["kode_wilayah"], sub["kode_opd"]):
        raise AccessDenied(f"Akun {actor.username} tidak berhak atas pengiriman {describe(sub)}.")
    if not sub["terbaru"]:
        raise ReviewError(
            f"Pengiriman {describe(sub)} sudah digantikan oleh unggahan yang lebih baru "
            f"(#{sub['digantikan_id']}); periksa yang terbaru."
        )
    before = sub["status"]
    if before == "final" and to != "diajukan":
        raise Locked(
            f"Pengiriman {describe(sub)} sudah final dan terkunci; minta administrator "
            "membukanya kembali dengan alasan tertulis."
        )
    if before not in allowed_from:
        allowed = " atau ".join(STATUS_LABELS[s] for s in allowed_from)
        raise ReviewError(
            f"Pengiriman {describe(sub)} berstatus {STATUS_LABELS[before]}; langkah ini hanya "
            f"untuk pengiriman berstatus {allowed}."
        )
    with db.transaction():
        _record_upload_if_missing(db, sub)
        riwayat_id = db.scalar(
            "INSERT INTO submission_riwayat (submission_id, dari, ke, oleh, waktu, keterangan) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [submission_id, before, to, actor.username, waktu, keterangan],
        )
        db.execute("UPDATE submission SET status = ? WHERE id = ?", [to, submission_id])
        materi.ubah_submission(db, submission_id)
        audit.record(
            db,
            actor,
            aksi,
            f"pengiriman {describe(sub)}",
            sebelum={"status": before},
            sesudah={"status": to},
            keterangan=keterangan,
            waktu=waktu,
        )
    return riwayat_id


def _record_upload_if_missing(db: Database, sub: dict) -> None:
    """Write the upload itself as the first history row if nothing recorded it yet."""
    if db.scalar(
        "SELECT count(*) FROM submission_riwayat WHERE submission_id = ? AND dari IS NULL",
        [sub["id"]],
    ):
        return
    db.execute(
        "INSERT INTO submission_riwayat (submission_id, dari, ke, oleh, waktu, keterangan) "
        "VALUES (?, NULL, ?, ?, ?, 'diunggah')",
        [
            sub["id"],
            "draf" if sub["status"] == "draf" else "diajukan",
            sub["diunggah_oleh"],
            sub["diunggah_pada"],
        ],
    )


def ajukan(db: Database, actor: Actor, submission_id: int) -> None:
    """Submit a draft (Draf → Diajukan): its uploader's region/OPD or the Biro."""
    sub = get(db, submission_id)
    access.check_upload(
        db,
        actor,
        form=sub["form"],
        kode_wilayah=sub["kode_wilayah"],
        year=sub["tahun"],
        quarter=None if pd.isna(sub["triwulan"]) else int(sub["triwulan"]),
        kode_opd=sub["kode_opd"],
    )
    _transition(db, actor, submission_id, ("draf",), "diajukan")


def verifikasi(db: Database, actor: Actor, submission_id: int, catatan: str | None = None) -> None:
    """The Biro checked the report and accepts it (Diajukan → Diverifikasi)."""
    _require_reviewer(actor)
    _transition(db, actor, submission_id, ("diajukan",), "diverifikasi", keterangan=catatan)


def kembalikan(
    db: Database,
    actor: Actor,
    submission_id: int,
    komentar: str | None = None,
    baris: dict[str, str] | None = None,
) -> None:
    """Send the report back to its uploader (→ Dikembalikan) with a comment for the
    file and/or per row (``baris``: row key such as a service or IKK code → comment)."""
    _require_reviewer(actor)
    komentar = (komentar or "").strip()
    rows = {str(k): str(v).strip() for k, v in (baris or {}).items() if str(v or "").strip()}
    if not komentar and not rows:
        raise ReviewError(
            "Tulis alasan pengembalian (untuk berkas atau untuk baris tertentu) agar "
            "pengunggah tahu apa yang harus diperbaiki."
        )
    waktu = dt.datetime.now()
    with db.transaction():
        summary = komentar or f"{len(rows)} baris perlu diperbaiki"
        riwayat_id = _transition(
            db,
            actor,
            submission_id,
            ("diajukan", "diverifikasi"),
            "dikembalikan",
            keterangan=summary,
            waktu=waktu,
        )
        entries = ([(None, komentar)] if komentar else []) + sorted(rows.items())
        db.executemany(
            "INSERT INTO review_komentar (submission_id, riwayat_id, baris, komentar, oleh, waktu)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(submission_id, riwayat_id, k, v, actor.username, waktu) for k, v in entries],
        )
        db.execute("UPDATE submission SET catatan = ? WHERE id = ?", [summary, submission_id])


def finalkan(db: Database, actor: Actor, submission_id: int) -> None:
    """Lock the verified report (Diverifikasi → Final)."""
    _require_reviewer(actor)
    _transition(db, actor, submission_id, ("diverifikasi",), "final")


def buka_kembali(db: Database, actor: Actor, submission_id: int, alasan: str) -> None:
    """Admin only: reopen a final report (Final → Diajukan) with a written reason."""
    if actor.role != "admin":
        raise AccessDenied("Hanya administrator yang dapat membuka kembali data yang sudah final.")
    alasan = written_reason(alasan, "membuka kembali data final", ReviewError)
    _transition(
        db, actor, submission_id, ("final",), "diajukan", keterangan=alasan, aksi="buka_kembali"
    )
