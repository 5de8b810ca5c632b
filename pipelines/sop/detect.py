"""What the data shows done: phase B steps that complete themselves, and recording them.

:func:`detect` reads the submissions and reports of the year a cycle reports (Y-1):
B2/B3 from the provincial OPD submissions of TW4, B4 from the kabupaten/kota
submissions of TW4, B5 from the yearly provincial report (TW4 of Y-1) being final,
B6/B7 from its export (tables ``laporan`` and ``laporan_ekspor`` of
pipelines/laporan/records.py and bundle.py, when they exist). :func:`sync` records
what it sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipelines.auth.access import Actor
from pipelines.core import reference, settings
from pipelines.db.store import Database
from pipelines.sop import step

ACCEPTED = ("diajukan", "diverifikasi", "final")  # submission statuses that count as handed in


@dataclass(frozen=True)
class Detected:
    mulai: dt.date
    selesai: dt.date
    keterangan: str


def detect(db: Database, tahun: int) -> dict[tuple[str, int], Detected]:
    """Steps of phase B whose completion the data shows, with the dates it shows."""
    return detect_years(db, [tahun])[tahun]


def detect_years(db: Database, years: list[int]) -> dict[int, dict[tuple[str, int], Detected]]:
    """:func:`detect` for the cycles of several years, read at once (a page showing every
    year's cycle asks for all of them)."""
    report_years = sorted({int(t) - 1 for t in years})
    prov = settings.served_province(db)
    opds = list(reference.opd(db, pengampu_saja=True)["kode"])
    regions = list(reference.kabkota(db, prov)["kode"])
    # The province's own reports and its kabupaten/kota's (a database holding several
    # provinces, as the national demo does, has the others' too).
    subs = db.df(
        "SELECT form, tahun, kode_wilayah, kode_opd, status, diunggah_pada FROM submission "
        "WHERE triwulan = 4 AND list_contains(?, tahun) "
        "AND ((form = 'spm-provinsi' AND kode_wilayah = ?) "
        "OR (form = 'spm-kabkota' AND list_contains(?, kode_wilayah)))",
        [report_years, prov, regions],
    )
    finals, exports = _yearly_reports(db, report_years)
    out = {}
    for tahun in years:
        report_year = int(tahun) - 1
        of_year = subs[subs["tahun"] == report_year]
        found = _opd_reports(report_year, opds, of_year[of_year["form"] == "spm-provinsi"])
        found.update(
            _kabkota_reports(report_year, regions, of_year[of_year["form"] == "spm-kabkota"])
        )
        found.update(
            _yearly_report(
                report_year, finals.get(report_year), exports.get(report_year), found.get(("B", 4))
            )
        )
        out[tahun] = found
    return out


def _opd_reports(
    report_year: int, opds: list[str], subs: pd.DataFrame
) -> dict[tuple[str, int], Detected]:
    """B2 (every provincial OPD drafted its TW4 report) and B3 (every one handed it in)."""
    if not opds:
        return {}
    found = {}
    drafted = subs.groupby("kode_opd")["diunggah_pada"].min()
    if set(opds) <= set(drafted.index):
        found[("B", 2)] = Detected(
            drafted.min().date(),
            drafted[opds].max().date(),
            f"Semua {len(opds)} perangkat daerah sudah menyusun laporan SPM {report_year}.",
        )
    handed = subs[subs["status"].isin(ACCEPTED)].groupby("kode_opd")["diunggah_pada"].min()
    if set(opds) <= set(handed.index):
        found[("B", 3)] = Detected(
            drafted.min().date(),
            handed[opds].max().date(),
            f"Semua {len(opds)} perangkat daerah sudah menyerahkan laporan SPM {report_year}.",
        )
    return found


def _kabkota_reports(
    report_year: int, regions: list[str], kab: pd.DataFrame
) -> dict[tuple[str, int], Detected]:
    """B4: every kabupaten/kota of the province handed in its TW4 data."""
    if not regions:
        return {}
    accepted = kab[kab["status"].isin(ACCEPTED)].groupby("kode_wilayah")["diunggah_pada"].min()
    if not set(regions) <= set(accepted.index):
        return {}
    return {
        ("B", 4): Detected(
            kab["diunggah_pada"].min().date(),
            accepted[regions].max().date(),
            f"Data triwulan IV {report_year} dari semua {len(regions)} kabupaten/kota "
            "sudah lengkap.",
        )
    }


def _yearly_reports(db: Database, report_years: list[int]) -> tuple[dict, dict]:
    """When each year's provincial report (TW4) was first made final, and first exported."""
    if not db.table_exists("laporan"):
        return {}, {}
    yearly = (
        "jenis = 'laporan-spm-provinsi' AND triwulan = 4 AND status = 'final' "
        "AND list_contains(?, tahun)"
    )
    finals = dict(
        db.rows(
            f"SELECT tahun, min(difinalkan_pada) FROM laporan WHERE {yearly} GROUP BY tahun",
            [report_years],
        )
    )
    exports = {}
    if db.table_exists("laporan_ekspor"):
        exports = dict(
            db.rows(
                "SELECT l.tahun, min(e.dibuat_pada) FROM laporan_ekspor e "
                f"JOIN (SELECT id, tahun FROM laporan WHERE {yearly}) l ON e.laporan_id = l.id "
                "GROUP BY l.tahun",
                [report_years],
            )
        )
    return finals, exports


def _yearly_report(
    report_year: int, final: object, exported: object, b4: Detected | None
) -> dict[tuple[str, int], Detected]:
    """B5 (the yearly provincial report, TW4 of Y-1, is final) and B6/B7 (it was exported)."""
    if final is None:
        return {}
    day = step.as_date(final)
    b5 = Detected(
        min(b4.selesai if b4 else day, day), day, f"Laporan SPM {report_year} sudah difinalkan."
    )
    found = {("B", 5): b5}
    if exported is not None:
        day = step.as_date(exported)
        text = f"Laporan SPM {report_year} final sudah diekspor."
        found[("B", 6)] = Detected(b5.selesai, day, text)
        found[("B", 7)] = Detected(day, day, text)
    return found


def sync(db: Database, tahun: int, *, actor: Actor) -> list[str]:
    """Record the steps :func:`detect` sees complete in the Biro's cycle of ``tahun``;
    returns their codes."""
    step.check_can_edit(actor)
    step.require_cycle(db, tahun)
    done = []
    with db.transaction():
        for (fase, nomor), found in sorted(detect(db, tahun).items()):
            row = step.row(db, tahun, f"{fase}{nomor}")
            if row["status"] == "selesai":
                continue
            # Never before the step's start or its open revision (the data may be older).
            rev = step.open_revision(db, row)
            started = step.as_date(row["mulai"])
            finish = max(
                d for d in (found.selesai, started, rev and step.as_date(rev["mulai"])) if d
            )
            step.close_revision(db, row, finish)
            step.update(
                db,
                row,
                actor,
                status="selesai",
                mulai=started or min(found.mulai, found.selesai),
                selesai=finish,
                selesai_otomatis=found.keterangan,
            )
            step.record(db, actor, "selesai_otomatis", tahun, f"{fase}{nomor}", found.keterangan)
            done.append(f"{fase}{nomor}")
    return done
