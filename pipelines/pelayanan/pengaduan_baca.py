"""Reading complaints: the list a person may see (complainant's identity shown only to
the handling unit and administrators), one complaint with its history, the overdue
list, and the counts per unit and service beside the unit's IKM.

A complaint is overdue when a deadline passed while the step it waits for is not done:
disposition (still ``diterima``), response (not yet answered: ``diterima`` or
``diverifikasi``) or resolution (not closed, past the service's jangka waktu).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.auth.access import Actor
from pipelines.capaian import query
from pipelines.core import workdays
from pipelines.db.store import Database
from pipelines.errors import AccessDenied
from pipelines.pelayanan import pengaduan
from pipelines.pelayanan import unit as units

HIDDEN = "(dirahasiakan)"
LIST_COLUMNS = [
    "nomor",
    "nomor_lapor",
    "kanal",
    "diterima_pada",
    "kode_unit",
    "nama_unit",
    "kode_layanan",
    "nama_layanan",
    "klasifikasi",
    "judul",
    "isi",
    "nama_pelapor",
    "kontak_pelapor",
    "disposisi",
    "status",
    "batas_disposisi",
    "batas_tanggapan",
    "batas_penyelesaian",
    "ditanggapi_pada",
    "selesai_pada",
    "tanggapan",
    "lewat_disposisi",
    "lewat_tanggapan",
    "lewat_penyelesaian",
    "terlambat",
    "hari_kerja_tanggapan",
]


def sees_identity(actor: Actor, unit: dict) -> bool:
    """Only the unit handling a complaint and administrators see who complained."""
    return actor.role == "admin" or units.is_own(actor, unit)


def _as_date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    return value


def listing(
    db: Database,
    *,
    actor: Actor,
    tahun: int | None = None,
    kode_unit: str | None = None,
    status: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The complaints ``actor`` may see (:data:`LIST_COLUMNS`), newest first, with the
    overdue flags as of ``today``."""
    today = today or dt.date.today()
    frame = db.df(
        "SELECT p.*, s.nama_layanan FROM pengaduan p "
        "LEFT JOIN standar_pelayanan s ON s.kode_layanan = p.kode_layanan "
        "WHERE (? IS NULL OR year(p.diterima_pada) = ?) AND (? IS NULL OR p.kode_unit = ?) "
        "AND (? IS NULL OR p.status = ?) ORDER BY p.diterima_pada DESC, p.nomor DESC",
        [tahun, tahun, kode_unit, kode_unit, status, status],
    )
    all_units = {u["kode"]: u for u in units.all_units(db).to_dict("records")}
    seen, rows = [], []
    for rec in frame.to_dict("records"):
        unit = all_units.get(rec["kode_unit"]) or {
            "kode": rec["kode_unit"],
            "nama": rec["kode_unit"],
            "sumber": "",
            "kode_wilayah": None,
        }
        if not units.may_see(actor, unit):
            continue
        if not sees_identity(actor, unit):
            rec["nama_pelapor"] = HIDDEN if rec["nama_pelapor"] else None
            rec["kontak_pelapor"] = HIDDEN if rec["kontak_pelapor"] else None
        rec["nama_unit"] = unit["nama"]
        rows.append(rec)
        seen.append(unit["kode"])
    out = pd.DataFrame(rows, columns=[c for c in frame.columns] + ["nama_unit"])
    for col in (
        "diterima_pada",
        "batas_disposisi",
        "batas_tanggapan",
        "batas_penyelesaian",
        "ditanggapi_pada",
        "selesai_pada",
    ):
        out[col] = pd.Series([_as_date(v) for v in out[col]], index=out.index, dtype=object)
    return _flags(db, out, today)[LIST_COLUMNS].reset_index(drop=True)


def _flags(db: Database, frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    out = frame.copy()
    closed = out["status"].isin(pengaduan.CLOSED)
    answered = out["status"].isin(pengaduan.RESPONDED) | closed

    def past(col: str) -> pd.Series:
        return pd.Series([d is not None and today > d for d in out[col]], index=out.index)

    out["lewat_disposisi"] = (out["status"] == "diterima") & past("batas_disposisi")
    out["lewat_tanggapan"] = ~answered & past("batas_tanggapan")
    out["lewat_penyelesaian"] = ~closed & past("batas_penyelesaian")
    out["terlambat"] = out["lewat_disposisi"] | out["lewat_tanggapan"] | out["lewat_penyelesaian"]
    cal = pengaduan.calendar(db)
    out["hari_kerja_tanggapan"] = pd.array(
        [
            cal.working_days(r + dt.timedelta(days=1), a) if a is not None else None
            for r, a in zip(out["diterima_pada"], out["ditanggapi_pada"], strict=True)
        ],
        dtype="Int64",
    )
    return out


def detail(
    db: Database, nomor: str, *, actor: Actor, today: dt.date | None = None
) -> tuple[dict, pd.DataFrame]:
    """One complaint as ``actor`` may see it, and its history (oldest first)."""
    return detail_of(db, listing(db, actor=actor, today=today), nomor, actor=actor)


def detail_of(
    db: Database, visible: pd.DataFrame, nomor: str, *, actor: Actor
) -> tuple[dict, pd.DataFrame]:
    """:func:`detail` from the :func:`listing` of every complaint ``actor`` may see."""
    found = visible[visible["nomor"] == (nomor or "").strip().upper()]
    if found.empty:
        exists = db.scalar(
            "SELECT count(*) FROM pengaduan WHERE nomor = ?", [(nomor or "").strip().upper()]
        )
        if exists:
            raise AccessDenied(f"Akun {actor.username} tidak berhak melihat pengaduan {nomor}.")
        raise pengaduan.PengaduanError(
            f"Pengaduan {nomor} tidak ditemukan; periksa nomor pelacakannya."
        )
    first = found.iloc[0]
    row = first.astype(object).where(first.notna(), None).to_dict()  # a missing value is None
    history = db.df(
        "SELECT r.tanggal, r.status_dari, r.status_ke, r.unit_dari, r.unit_ke, r.catatan, r.oleh "
        "FROM pengaduan_riwayat r JOIN pengaduan p ON p.id = r.pengaduan_id WHERE p.nomor = ? "
        "ORDER BY r.tanggal, r.id",
        [row["nomor"]],
    )
    return row, history


def overdue(db: Database, *, actor: Actor, today: dt.date | None = None) -> pd.DataFrame:
    """The complaints ``actor`` may see that passed a deadline, oldest deadline first:
    ``nomor, nama_unit, judul, status, jenis_batas, batas, lewat_hari_kerja``."""
    today = today or dt.date.today()
    return overdue_of(listing(db, actor=actor, today=today), pengaduan.calendar(db), today)


def overdue_of(frame: pd.DataFrame, cal: workdays.Calendar, today: dt.date) -> pd.DataFrame:
    """:func:`overdue` from a :func:`listing` (and the working-day calendar)."""
    rows = []
    for r in frame[frame["terlambat"]].itertuples(index=False):
        for flag, col, label in (
            (r.lewat_penyelesaian, r.batas_penyelesaian, "penyelesaian"),
            (r.lewat_tanggapan, r.batas_tanggapan, "tanggapan"),
            (r.lewat_disposisi, r.batas_disposisi, "disposisi"),
        ):
            if flag:
                late = cal.working_days(col + dt.timedelta(days=1), today)
                rows.append(
                    [r.nomor, r.kode_unit, r.nama_unit, r.judul, r.status, label, col, late]
                )
                break
    out = pd.DataFrame(
        rows,
        columns=[
            "nomor",
            "kode_unit",
            "nama_unit",
            "judul",
            "status",
            "jenis_batas",
            "batas",
            "lewat_hari_kerja",
        ],
    )
    return out.sort_values(["batas", "nomor"], kind="mergesort").reset_index(drop=True)


def rekap(
    db: Database, tahun: int, *, actor: Actor, today: dt.date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts of ``tahun`` per unit (with the unit's IKM and mutu of that year beside
    them) and per unit and service."""
    return rekap_of(db, listing(db, actor=actor, tahun=tahun, today=today), tahun, actor=actor)


def of_year(frame: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """The complaints of a :func:`listing` received in ``tahun`` (what ``tahun=`` reads)."""
    return frame[[d.year == int(tahun) for d in frame["diterima_pada"]]].reset_index(drop=True)


def rekap_of(
    db: Database, frame: pd.DataFrame, tahun: int, *, actor: Actor
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`rekap` from the :func:`listing` of ``tahun`` (``db`` for the IKM)."""
    ikm = query.skm_hasil(db, tahun, actor=actor)[["kode_unit", "ikm", "mutu", "kinerja"]]
    per_unit_cols = [
        "kode_unit",
        "nama_unit",
        "jumlah",
        "terbuka",
        "terlambat",
        "selesai",
        "rata_hari_kerja_tanggapan",
        "ikm",
        "mutu",
        "kinerja",
    ]
    if frame.empty:
        return pd.DataFrame(columns=per_unit_cols), pd.DataFrame(
            columns=[
                "kode_unit",
                "nama_unit",
                "kode_layanan",
                "nama_layanan",
                "jumlah",
                "terbuka",
                "terlambat",
            ]
        )
    frame = frame.assign(
        terbuka=~frame["status"].isin(pengaduan.CLOSED),
        selesai_=frame["status"] == "selesai",
        hari=frame["hari_kerja_tanggapan"].astype("Float64"),
    )
    per_unit = (
        frame.groupby(["kode_unit", "nama_unit"], sort=True)
        .agg(
            jumlah=("nomor", "size"),
            terbuka=("terbuka", "sum"),
            terlambat=("terlambat", "sum"),
            selesai=("selesai_", "sum"),
            rata_hari_kerja_tanggapan=("hari", "mean"),
        )
        .reset_index()
        .merge(ikm, on="kode_unit", how="left")
    )
    per_service = (
        frame.assign(
            kode_layanan=frame["kode_layanan"].astype(object).fillna("–"),
            nama_layanan=frame["nama_layanan"].astype(object).fillna("(layanan tidak disebut)"),
        )
        .groupby(["kode_unit", "nama_unit", "kode_layanan", "nama_layanan"], sort=True)
        .agg(jumlah=("nomor", "size"), terbuka=("terbuka", "sum"), terlambat=("terlambat", "sum"))
        .reset_index()
    )
    for out in (per_unit, per_service):
        for col in ("terbuka", "terlambat", "selesai"):
            if col in out:
                out[col] = out[col].astype(int)
    return per_unit[per_unit_cols], per_service
