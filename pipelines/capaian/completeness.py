"""Completeness and timeliness of reporting (kelengkapan), as DHIS2's reporting rates.

For the served province, every (form, region, OPD, period) that should have been
sent is *expected* once its period has ended (a triwulan after its last day, the
yearly LPPD form after 31 December):

- ``spm-kabkota``: every kabupaten/kota, every triwulan;
- ``spm-provinsi``: the province, once per OPD that runs provincial services;
- ``lppd-ikk``: the province and every kabupaten/kota, once a year.

An expected report is *received* when a submission for it exists that is not a
draft. Timeliness is always judged against the **original** deadline
(:func:`pipelines.auth.deadlines.deadline`): it is *on time* ("tepat waktu") when its
first upload was on or before it. An administrator's exception lets a region upload
after it but never hides the lateness: such a report is *late with an exception*
("terlambat, dengan perpanjangan", shown with the exception's date) when it came
within the exception, otherwise *late* ("terlambat"). The three are counted apart.
What is still missing is the analyst's reminder list (:func:`pengingat`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.auth import access, deadlines, kalender
from pipelines.auth.access import Actor
from pipelines.auth.kalender import period_end
from pipelines.core import fmt, reference, settings
from pipelines.core.forms import FORMS
from pipelines.db.store import Database
from pipelines.errors import SpmError

TEPAT_WAKTU = "tepat waktu"
TERLAMBAT_PERPANJANGAN = "terlambat, dengan perpanjangan"
TERLAMBAT = "terlambat"
BELUM_DIKIRIM = "belum dikirim"
STATUS_KIRIM = (TEPAT_WAKTU, TERLAMBAT_PERPANJANGAN, TERLAMBAT, BELUM_DIKIRIM)
# One expected report: the form, who sends it (region, OPD) and for which period.
REPORT = ["form", "kode_wilayah", "nama_wilayah", "kode_opd", "nama_opd", "tahun", "triwulan"]
COLUMNS = [
    *REPORT,
    *["batas_waktu", "status_kirim", "diunggah_pada", "status", "submission_id"],
    *["batas_resmi", "lewat_batas", "sisa_hari"],  # extra, after the contract's columns
    *["batas_perpanjangan", "keterangan_kirim"],
    "keterisian",  # of a kabupaten/kota's SPM report (v_capaian_wilayah), else None
]
PER_CHOICES = ("wilayah", "opd", "form", "periode")


def _periods(
    tahun: int | None, triwulan: int | None, form: str, today: dt.date, first_year: int
) -> list[tuple[int, int | None]]:
    """The periods of ``form`` whose reporting window has opened by ``today``."""
    years = [tahun] if tahun is not None else list(range(first_year, today.year + 1))
    out: list[tuple[int, int | None]] = []
    for year in years:
        if form in deadlines.YEARLY_FORMS:
            if triwulan is None and period_end(year, None) < today:
                out.append((year, None))
            continue
        for q in [triwulan] if triwulan is not None else [1, 2, 3, 4]:
            if period_end(year, q) < today:
                out.append((year, q))
    return out


def _expected(
    db: Database, tahun: int | None, triwulan: int | None, forms: list[str], today: dt.date
) -> pd.DataFrame:
    prov = settings.served_province(db)
    prov_name = reference.nama_wilayah(db, prov)
    kabkota = reference.kabkota(db, prov)
    kab = list(zip(kabkota["kode"], kabkota["nama"], strict=True))
    pengampu = reference.opd(db, pengampu_saja=True)
    opd = list(zip(pengampu["kode"], pengampu["nama"], strict=True))
    first_year = db.scalar("SELECT min(tahun) FROM submission") or today.year
    rows = []
    for form in forms:
        if form == "spm-kabkota":
            units = [(k, n, None, None) for k, n in kab]
        elif form == "spm-provinsi":
            units = [(prov, prov_name, o, on) for o, on in opd]
        else:
            units = [(prov, prov_name, None, None)] + [(k, n, None, None) for k, n in kab]
        for year, q in _periods(tahun, triwulan, form, today, first_year):
            for kode, nama, kode_opd, nama_opd in units:
                rows.append((form, kode, nama, kode_opd, nama_opd, year, q))
    return pd.DataFrame(rows, columns=REPORT)


def _key(frame: pd.DataFrame) -> pd.DataFrame:
    """Join keys without NULLs: triwulan 0 for yearly forms, OPD '' when none."""
    return frame.assign(
        _tw=frame["triwulan"].fillna(0).astype("int64"),
        _opd=frame["kode_opd"].fillna("").astype(str),
    )


def kelengkapan(
    db: Database,
    tahun: int | None,
    triwulan: int | None = None,
    form: str | None = None,
    *,
    actor: Actor | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One row per expected (form, region, OPD, period) with whether and when it came.

    ``tahun=None`` covers every year from the first submission to today. ``actor``
    limits the rows to what that person may see (an uploader: its own region/OPD).
    """
    today = today or dt.date.today()
    if form is not None and form not in FORMS:
        raise SpmError(f"Formulir '{form}' tidak dikenal; pilihan: {', '.join(FORMS)}.")
    if triwulan is not None and triwulan not in (1, 2, 3, 4):
        raise SpmError("Triwulan harus 1, 2, 3 atau 4.")
    forms = [form] if form else list(FORMS)
    expected = _expected(db, tahun, triwulan, forms, today)
    if actor is not None:
        expected = access.restrict(expected, actor)
    if expected.empty:
        return pd.DataFrame(columns=COLUMNS)
    regions = sorted(set(expected["kode_wilayah"]))  # only these are read

    received = db.df(
        """
        SELECT form, kode_wilayah, coalesce(triwulan, 0) AS _tw, coalesce(kode_opd, '') AS _opd,
               tahun,
               min(diunggah_pada) FILTER (WHERE status <> 'draf') AS diunggah_pada,
               bool_or(terlambat) FILTER (WHERE status <> 'draf') AS ditandai_terlambat,
               arg_max(id, id) AS submission_id,
               arg_max(status, id) AS status
        FROM submission
        WHERE (? IS NULL OR tahun = ?) AND list_contains(?, kode_wilayah)
        GROUP BY ALL
        """,
        [tahun, tahun, regions],
    )
    exceptions = db.df(
        "SELECT form, kode_wilayah, kode_opd AS _opd, tahun, triwulan AS _tw, batas_baru "
        "FROM pengecualian_batas WHERE (? IS NULL OR tahun = ?)",
        [tahun, tahun],
    )
    frame = _key(expected)
    keys = ["form", "kode_wilayah", "_tw", "_opd", "tahun"]
    frame = frame.merge(received, on=keys, how="left").merge(exceptions, on=keys, how="left")

    values = settings.current(db)
    day = values["hari_batas_triwulan"]
    years = [int(y) for y in frame["tahun"].unique()] or [today.year]
    calendar = deadlines.deadline_calendar(values, years)
    announced = kalender.semua(db, tahun)
    frame["batas_resmi"] = [
        kalender.cari(announced, int(y), None if q == 0 else int(q), f)
        or deadlines.rule_deadline(int(y), None if q == 0 else int(q), f, day, calendar)
        for f, y, q in zip(frame["form"], frame["tahun"], frame["_tw"], strict=True)
    ]
    # An exception moves when the region may still upload, never when it was due.
    frame["batas_perpanjangan"] = [
        _as_date(m) if not pd.isna(m) and _as_date(m) > base else None
        for base, m in zip(frame["batas_resmi"], frame["batas_baru"].astype(object), strict=True)
    ]
    frame["batas_waktu"] = [
        ext or base
        for base, ext in zip(frame["batas_resmi"], frame["batas_perpanjangan"], strict=True)
    ]
    sent = frame["diunggah_pada"].notna()
    upload_day = pd.to_datetime(frame["diunggah_pada"]).dt.date
    late = sent & (
        (upload_day > frame["batas_resmi"]) | frame["ditandai_terlambat"].fillna(False).astype(bool)
    )
    within_exception = pd.Series(
        [
            ext is not None and not pd.isna(d) and d <= ext
            for d, ext in zip(upload_day, frame["batas_perpanjangan"], strict=True)
        ],
        index=frame.index,
    )
    frame["status_kirim"] = BELUM_DIKIRIM
    frame.loc[sent, "status_kirim"] = TEPAT_WAKTU
    frame.loc[late, "status_kirim"] = TERLAMBAT
    frame.loc[late & within_exception, "status_kirim"] = TERLAMBAT_PERPANJANGAN
    frame["keterangan_kirim"] = [
        keterangan_kirim(s, ext)
        for s, ext in zip(frame["status_kirim"], frame["batas_perpanjangan"], strict=True)
    ]
    frame["lewat_batas"] = [today > d for d in frame["batas_waktu"]]
    frame["sisa_hari"] = [(d - today).days for d in frame["batas_waktu"]]
    frame.loc[~sent, "submission_id"] = pd.NA
    frame["submission_id"] = frame["submission_id"].astype("Int64")
    for col in ("kode_opd", "nama_opd", "status"):  # None, not NaN, where there is none
        frame[col] = pd.Series(
            [None if pd.isna(v) else v for v in frame[col]], index=frame.index, dtype=object
        )
    frame["triwulan"] = frame["triwulan"].astype("Int64")
    frame["keterisian"] = _keterisian(db, tahun, frame, regions)
    frame = frame.sort_values(["form", "tahun", "_tw", "kode_wilayah", "_opd"], kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


def _keterisian(
    db: Database, tahun: int | None, frame: pd.DataFrame, regions: list[str]
) -> list[float | None]:
    """The keterisian of each kabupaten/kota SPM report that came (None otherwise)."""
    filled = db.df(
        "SELECT kode_wilayah, tahun, triwulan, keterisian FROM m_capaian_wilayah "
        "WHERE (? IS NULL OR tahun = ?) AND keterisian IS NOT NULL "
        "AND list_contains(?, kode_wilayah)",
        [tahun, tahun, regions],
    )
    found = {(k, int(t), int(q)): float(v) for k, t, q, v in filled.itertuples(index=False)}
    return [
        found.get((k, int(t), int(q))) if f == "spm-kabkota" and not pd.isna(q) else None
        for f, k, t, q in zip(
            frame["form"], frame["kode_wilayah"], frame["tahun"], frame["triwulan"], strict=True
        )
    ]


def keterangan_kirim(status_kirim: str, batas_perpanjangan: dt.date | None) -> str:
    """The status as people read it: 'terlambat, dengan perpanjangan s.d. 10 Agustus 2025';
    a report not yet sent says until when an exception still lets it in."""
    if batas_perpanjangan is None:
        return status_kirim
    if status_kirim == TERLAMBAT_PERPANJANGAN:
        return f"{TERLAMBAT_PERPANJANGAN} s.d. {fmt.tanggal(batas_perpanjangan)}"
    if status_kirim == BELUM_DIKIRIM:
        return f"{BELUM_DIKIRIM} (perpanjangan s.d. {fmt.tanggal(batas_perpanjangan)})"
    return status_kirim


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime | pd.Timestamp) else value


def ringkasan_kelengkapan(
    db: Database,
    tahun: int | None,
    triwulan: int | None = None,
    form: str | None = None,
    per: str = "wilayah",
    *,
    actor: Actor | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Reporting rates: expected, received, on time, late, missing and percentages.

    ``per``: 'wilayah' (per form and region), 'opd' (per form and provincial OPD;
    only the forms sent per OPD), 'form' or 'periode' (per form, year and triwulan).
    Received = on time + late with an exception (``terlambat_perpanjangan``) + late
    without one (``terlambat``), counted apart.
    ``persen_diterima`` = received / expected x 100; ``persen_tepat_waktu`` =
    on time / expected x 100 (DHIS2's "reporting rate on time").
    """
    _check_per(per)
    return ringkas(kelengkapan(db, tahun, triwulan, form, actor=actor, today=today), per)


def _check_per(per: str) -> None:
    if per not in PER_CHOICES:
        raise SpmError(f"Pengelompokan '{per}' tidak dikenal; pilihan: {', '.join(PER_CHOICES)}.")


def ringkas(rows: pd.DataFrame, per: str = "wilayah") -> pd.DataFrame:
    """:func:`ringkasan_kelengkapan` of rows :func:`kelengkapan` gave (a page showing
    several groupings reads the rows once)."""
    _check_per(per)
    group = {
        "wilayah": ["form", "kode_wilayah", "nama_wilayah"],
        "opd": ["form", "kode_opd", "nama_opd"],
        "form": ["form"],
        "periode": ["form", "tahun", "triwulan"],
    }[per]
    if per == "opd":
        rows = rows[rows["kode_opd"].notna()]
    out_cols = group + [
        "diharapkan",
        "diterima",
        "tepat_waktu",
        "terlambat_perpanjangan",
        "terlambat",
        "belum",
        "persen_diterima",
        "persen_tepat_waktu",
    ]
    if rows.empty:
        return pd.DataFrame(columns=out_cols)
    status = rows["status_kirim"]
    flags = pd.DataFrame(
        {
            **{c: rows[c] for c in group},
            "tepat_waktu": (status == TEPAT_WAKTU).astype("int64"),
            "terlambat_perpanjangan": (status == TERLAMBAT_PERPANJANGAN).astype("int64"),
            "terlambat": (status == TERLAMBAT).astype("int64"),
            "belum": (status == BELUM_DIKIRIM).astype("int64"),
        }
    )
    grouped = flags.groupby(group, dropna=False, sort=True)  # sums: half a named .agg()
    out = grouped.sum()
    out.insert(0, "diharapkan", grouped.size().astype("int64"))
    out = out.reset_index()
    out["diterima"] = out["tepat_waktu"] + out["terlambat_perpanjangan"] + out["terlambat"]
    out["persen_diterima"] = out["diterima"] / out["diharapkan"] * 100
    out["persen_tepat_waktu"] = out["tepat_waktu"] / out["diharapkan"] * 100
    return out[out_cols]


def pengingat(
    db: Database,
    tahun: int | None,
    triwulan: int | None = None,
    form: str | None = None,
    *,
    actor: Actor | None = None,
    today: dt.date | None = None,
    termasuk_dikembalikan: bool = True,
) -> pd.DataFrame:
    """The analyst's reminder list: who still has to send (or fix) what, and whom to call.

    One row per expected report not yet received (``keterangan`` 'belum dikirim'),
    plus, when ``termasuk_dikembalikan``, those sent back and not yet resubmitted
    ('dikembalikan, menunggu perbaikan'). ``akun`` and ``email`` list the active
    accounts bound to that region or OPD. Most overdue first. For the Biro only (page
    Pemeriksaan; ``actor=None``: the library itself).
    """
    access.require(actor, "pengingat")
    rows = kelengkapan(db, tahun, triwulan, form, actor=actor, today=today)
    missing = rows["status_kirim"] == BELUM_DIKIRIM
    returned = rows["status"] == "dikembalikan"
    pick = missing | (returned if termasuk_dikembalikan else False)
    out = rows[pick].copy()
    out["keterangan"] = [
        "belum dikirim" if m else "dikembalikan, menunggu perbaikan" for m in missing[pick]
    ]
    accounts = db.df(
        "SELECT username, email, peran, kode_wilayah, kode_opd FROM pengguna "
        "WHERE aktif AND peran IN ('pengunggah_kabkota', 'pengunggah_opd') ORDER BY username"
    )
    # (column, code) -> the accounts bound to that region or OPD, and their e-mails
    contacts: dict[tuple[str, str], tuple[str, str]] = {}
    for role, key in (("pengunggah_kabkota", "kode_wilayah"), ("pengunggah_opd", "kode_opd")):
        for code, group in accounts[accounts["peran"] == role].groupby(key):
            mails = ", ".join(e for e in group["email"] if e)
            contacts[(key, code)] = (", ".join(group["username"]), mails)
    who = [
        contacts.get(("kode_opd", o) if isinstance(o, str) else ("kode_wilayah", w), ("", ""))
        for w, o in zip(out["kode_wilayah"], out["kode_opd"], strict=True)
    ]
    out["akun"] = [akun for akun, _ in who]
    out["email"] = [email for _, email in who]
    out = out.sort_values(["sisa_hari", "form", "kode_wilayah"], kind="stable")
    after = ["batas_waktu", "sisa_hari", "lewat_batas", "keterangan", "status", "submission_id"]
    return out[[*REPORT, *after, "akun", "email"]].reset_index(drop=True)


def tahun_pengiriman(db: Database) -> tuple[int | None, int | None]:
    """The first and the last year with a submission ((None, None) before the first)."""
    first, last = db.rows("SELECT min(tahun), max(tahun) FROM submission")[0]
    return first, last
