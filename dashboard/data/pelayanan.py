"""Public service delivery for the Standar Pelayanan, Survei Kepuasan and Pengaduan
pages (``pipelines.pelayanan``, the IKM through ``pipelines.capaian.query``): cached
reads scoped to the logged-in person, file checks on a read-only connection, and the
pages' changes through the app's single writer."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.data import actor, cached, read, write
from pipelines.auth.access import Actor
from pipelines.capaian import query
from pipelines.db.store import Database
from pipelines.ingest import error_report
from pipelines.pelayanan import (
    pengaduan,
    pengaduan_baca,
    skm,
    skm_unggah,
    standar,
    standar_cetak,
)
from pipelines.pelayanan import unit as units


# -- units -----------------------------------------------------------------------------
@cached
def visible_units(actor: Actor) -> pd.DataFrame:
    return read(lambda db: units.visible(db, actor))


@cached
def handled_units(actor: Actor) -> pd.DataFrame:
    """The units the person acts for (uploads SKM, answers complaints)."""

    def load(db: Database) -> pd.DataFrame:
        frame = units.visible(db, actor)
        keep = [units.handles(actor, u) for u in frame.to_dict("records")]
        return frame[keep].reset_index(drop=True)

    return read(load)


def add_unit(kode: str, nama: str, kode_wilayah: str | None) -> dict:
    who = actor()
    return write(lambda db: units.add(db, kode, nama, actor=who, kode_wilayah=kode_wilayah))


# -- standar pelayanan ---------------------------------------------------------------------
@cached
def standar_list() -> pd.DataFrame:
    return read(standar.listing)


@cached
def standar_page(kode_layanan: str, today: dt.date) -> tuple[dict, dict | None, str]:
    """One service's standar, its measured cycle times, and its printable HTML."""

    def load(db: Database) -> tuple[dict, dict | None, str]:
        std = standar.get(db, kode_layanan)
        measured = standar.measured(db, kode_layanan, today=today)
        return std, measured, standar_cetak.html_page(std, measured)

    return read(load)


def load_standar(name: str, content: bytes) -> standar.LoadResult:
    who = actor()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"standar{Path(name).suffix.lower()}"
        path.write_bytes(content)
        return write(lambda db: standar.load(db, path, actor=who, original_name=name))


# -- SKM ---------------------------------------------------------------------------------
@cached
def skm_years(actor: Actor) -> list[int]:
    return read(lambda db: sorted(set(query.skm_hasil(db, actor=actor)["tahun"].astype(int))))


@cached
def skm_results(tahun: int, actor: Actor) -> pd.DataFrame:
    """IKM per unit of the year with the weakest unsur beside it."""

    def load(db: Database) -> pd.DataFrame:
        results = query.skm_hasil(db, tahun, actor=actor)
        weakest = skm.weakest(query.skm_unsur(db, tahun, actor=actor))
        return results.merge(
            weakest[["kode_unit", "nomor_unsur", "nama_unsur", "nrr"]].rename(
                columns={
                    "nomor_unsur": "unsur_terlemah",
                    "nama_unsur": "nama_unsur_terlemah",
                    "nrr": "nrr_terlemah",
                }
            ),
            on="kode_unit",
            how="left",
        )

    return read(load)


@cached
def skm_unsur(tahun: int, actor: Actor) -> pd.DataFrame:
    return read(lambda db: query.skm_unsur(db, tahun, actor=actor))


@cached
def skm_missing(tahun: int, actor: Actor) -> pd.DataFrame:
    return read(lambda db: skm.without_survey(db, tahun, actor=actor))


def skm_template(kode_unit: str, tahun: int, who: Actor) -> bytes:
    """The answer template; ``who`` is explicit: the download runs it outside the session."""
    return read(lambda db: skm.template(db, kode_unit, tahun, actor=who))


def check_skm(name: str, content: bytes, who: Actor) -> skm_unggah.SkmPrepared:
    """Check one SKM file on a read-only connection (nothing written)."""

    def check(db: Database) -> skm_unggah.SkmPrepared:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"skm{Path(name).suffix.lower()}"
            path.write_bytes(content)
            return skm_unggah.prepare(db, path, who, original_name=name)

    return read(check)


def save_skm(prepared: skm_unggah.SkmPrepared, who: Actor) -> skm_unggah.SkmResult:
    return write(lambda db: skm_unggah.commit(db, prepared, who))


def skm_error_report(prepared: skm_unggah.SkmPrepared) -> bytes:
    return error_report.build(prepared.data, prepared.result.file_name, prepared.result)


# -- complaints ----------------------------------------------------------------------------
@cached
def _complaints(today: dt.date, actor: Actor) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every complaint ``actor`` may see and the overdue ones, from one read (the page's
    list, overdue table, detail and counts all start from it)."""

    def load(db: Database) -> tuple[pd.DataFrame, pd.DataFrame]:
        visible = pengaduan_baca.listing(db, actor=actor, today=today)
        return visible, pengaduan_baca.overdue_of(visible, pengaduan.calendar(db), today)

    return read(load)


def complaints(tahun: int | None, today: dt.date) -> pd.DataFrame:
    visible = _complaints(today)[0]
    return visible if tahun is None else pengaduan_baca.of_year(visible, tahun)


@cached
def complaint(nomor: str, today: dt.date, actor: Actor) -> tuple[dict, pd.DataFrame]:
    visible = _complaints(today)[0]
    return read(lambda db: pengaduan_baca.detail_of(db, visible, nomor, actor=actor))


def overdue(today: dt.date) -> pd.DataFrame:
    return _complaints(today)[1]


@cached
def complaint_counts(tahun: int, today: dt.date, actor: Actor) -> tuple[pd.DataFrame, pd.DataFrame]:
    of_year = pengaduan_baca.of_year(_complaints(today)[0], tahun)
    return read(lambda db: pengaduan_baca.rekap_of(db, of_year, tahun, actor=actor))


def record_complaint(**fields) -> str:
    who = actor()
    return write(lambda db: pengaduan.create(db, actor=who, **fields))


def move_complaint(nomor: str, status: str, **fields) -> dict:
    who = actor()
    return write(lambda db: pengaduan.change_status(db, nomor, status, actor=who, **fields))


def dispose_complaint(nomor: str, kode_unit: str, catatan: str | None) -> dict:
    who = actor()
    return write(lambda db: pengaduan.dispose(db, nomor, kode_unit, actor=who, catatan=catatan))
