"""SPM documents (``pipelines.sop.dokumen_*``) and the SPM Awards score
(``pipelines.capaian.awards``) for the Dokumen SPM and SPM Awards pages: cached reads
scoped by the library to the logged-in person, and the pages' actions run as that person
through the app's single writer."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.data import actor, cached, read, write
from pipelines.auth.access import Actor
from pipelines.capaian import awards as awards_mod
from pipelines.core import reference
from pipelines.sop import dokumen_penerapan as penerapan
from pipelines.sop import dokumen_tahapan as tahapan


@cached
def tahun_pilihan() -> tuple[list[int], int]:
    """Years to pick, newest first (those with SPM data or documents, and this year), and
    the one to start on: the latest with SPM data or documents."""

    def load(db) -> tuple[list[int], int]:
        rows = db.rows(
            "SELECT DISTINCT tahun FROM spm_data UNION SELECT DISTINCT tahun FROM dokumen_spm"
        )
        found = {int(r[0]) for r in rows}
        this_year = dt.date.today().year
        return sorted(found | {this_year}, reverse=True), max(found, default=this_year)

    return read(load)


@cached
def wilayah() -> pd.DataFrame:
    """The province served and its kabupaten/kota (``kode, nama, tingkat``)."""
    return read(reference.wilayah_provinsi)


@cached
def layanan_kabkota() -> pd.DataFrame:
    return read(lambda db: reference.layanan(db, "kabupaten/kota"))


@cached
def dokumen(tahun: int, actor: Actor) -> pd.DataFrame:
    return read(lambda db: penerapan.daftar(db, actor, tahun=tahun, semua=True))


@cached
def kelengkapan(tahun: int, actor: Actor) -> pd.DataFrame:
    return read(lambda db: penerapan.kelengkapan(db, actor, tahun))


@cached
def tahapan_berkas(tahun: int, actor: Actor) -> pd.DataFrame:
    return read(lambda db: tahapan.daftar(db, actor, tahun=tahun))


@cached
def awards(tahun: int, actor: Actor) -> awards_mod.Awards:
    return read(lambda db: awards_mod.skor(db, actor, tahun))


def berkas_dokumen(dokumen_id: int) -> tuple[str, bytes]:
    who = actor()
    return read(lambda db: penerapan.berkas_dokumen(db, dokumen_id, actor=who))


def berkas_tahapan(tahapan_id: int) -> tuple[str, bytes]:
    who = actor()
    return read(lambda db: tahapan.berkas_tahapan(db, tahapan_id, actor=who))


def unggah(**fields) -> int:
    who = actor()
    return write(lambda db: penerapan.unggah(db, who, **fields))


def unggah_tahapan(**fields) -> int:
    who = actor()
    return write(lambda db: tahapan.unggah(db, who, **fields))


def verifikasi(dokumen_id: int) -> None:
    who = actor()
    write(lambda db: penerapan.verifikasi(db, who, dokumen_id))


def kembalikan(dokumen_id: int, komentar: str) -> None:
    who = actor()
    write(lambda db: penerapan.kembalikan(db, who, dokumen_id, komentar))
