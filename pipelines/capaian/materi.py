"""Figures computed when data changes, not when read.

The SQL views (``pipelines/db/sql``) stay the one definition of every figure. Each view
``v_X`` here is a table macro ``X(src, p_tahun, p_wilayah)`` over ``src = 'v'`` (the
views); its results are kept in the table ``m_X``, computed by the same macro over
``src = 'm'`` (the tables of the level below, already refreshed). Readers (pages, CLI,
reports) read the tables.

- A write that changes figure inputs calls :func:`ubah` with the regions and years it
  touched (an upload, a withdrawal, a review step); the tables are refreshed for those
  regions (and their province's aggregates), those years and the year after (its
  change against last year and projection read them), inside the same transaction, just
  before its COMMIT. A reader never sees data and figures out of step.
- A write that changes how figures are computed (settings, the mutu catalog, a new
  version of the views) calls :func:`ubah_semua`: every table is rebuilt in that
  transaction. ``spm recompute`` does the same on demand.
- Opening the file for writing rebuilds everything when the tables were made under
  other view definitions, settings or catalog (``meta.figures_basis``), so a figure
  never rests on a definition that is no longer in force.

The property test (tests/capaian/test_materi.py) drives random uploads, returns,
reopenings, withdrawals and setting changes and compares every table with its view.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pipelines.db.views import views_checksum

if TYPE_CHECKING:  # the store calls this module when it opens a file (no import cycle)
    from pipelines.db.store import Database

# (table, macro, region column) in refresh order: each reads only tables above it.
# The first is the base: it is read from its view (v_spm_layanan) itself.
TABLES: tuple[tuple[str, str, str], ...] = (
    ("m_spm_layanan", "", "kode_wilayah"),
    ("m_spm_urusan", "spm_urusan", "kode_wilayah"),
    ("m_spm_wilayah", "spm_wilayah", "kode_wilayah"),
    ("m_capaian_layanan", "capaian_layanan", "kode_wilayah"),
    ("m_capaian_urusan", "capaian_urusan", "kode_wilayah"),
    ("m_capaian_wilayah", "capaian_wilayah", "kode_wilayah"),
    ("m_capaian_provinsi_urusan", "capaian_provinsi_urusan", "kode_provinsi"),
    ("m_capaian_provinsi", "capaian_provinsi", "kode_provinsi"),
    ("m_proyeksi_layanan", "proyeksi_layanan", "kode_wilayah"),
    ("m_proyeksi_urusan", "proyeksi_urusan", "kode_wilayah"),
    ("m_proyeksi_wilayah", "proyeksi_wilayah", "kode_wilayah"),
)

# Above this many regions a refresh recomputes the years for every region (one query
# per table, cheaper than one per region for a bulk load).
_REGIONS_ONE_BY_ONE = 8

_PENDING = "figures"  # the Database.before_commit key


def view_of(table: str) -> str:
    """The view whose rows ``table`` holds (m_X -> v_X)."""
    return "v_" + table.removeprefix("m_")


def basis(db: Database) -> str:
    """What the tables were computed under: view definitions, settings version and mutu
    catalog version (``meta.figures_basis`` of a database whose tables are current)."""
    setting = db.scalar("SELECT max(versi) FROM setting_version")
    katalog = (
        db.scalar("SELECT max(versi) FROM mutu_katalog") if db.table_exists("mutu_katalog") else 0
    )
    return basis_text(setting, katalog)


def basis_text(versi_setting: int | None, versi_katalog: int | None) -> str:
    """:func:`basis` from its parts (also for a province file attached to the roll-up)."""
    return f"{views_checksum()}|setting:{versi_setting}|mutu:{versi_katalog}"


def hitung_ulang(db: Database) -> None:
    """Rebuild every table from the data (``spm recompute``; settings or catalog changed)."""
    with db.transaction():
        for table, macro, _ in TABLES:
            source = (
                f"{macro}('m', NULL, NULL)" if macro else view_of(table)
            )  # names are code, not input
            db.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {source}")
        db.set_meta("figures_basis", basis(db))


def siap(db: Database) -> bool:
    """The tables exist and were computed under the definitions, settings and catalog
    in force."""
    present = db.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
        "AND list_contains(?, table_name)",
        [[t for t, _, _ in TABLES]],
    )
    return present == len(TABLES) and db.meta("figures_basis") == basis(db)


def pastikan(db: Database) -> bool:
    """Rebuild everything when :func:`siap` is false (a writable open calls this);
    returns whether it rebuilt."""
    if siap(db):
        return False
    hitung_ulang(db)
    return True


def ubah(db: Database, pasangan: Iterable[tuple[str, int]]) -> None:
    """The data of these (kode_wilayah, tahun) changed: their figures are refreshed before
    the current transaction commits (at once outside a transaction)."""
    pending = db.before_commit(_PENDING, _flush)
    if pending is not None and pending.get("semua"):
        return
    pairs = {(str(w), int(t)) for w, t in pasangan if w is not None and t is not None}
    if pending is None:
        _refresh(db, pairs)
    else:
        pending.setdefault("pasangan", set()).update(pairs)


def ubah_submission(db: Database, submission_id: int) -> None:
    """The figures resting on this submission (its status, its rows) changed."""
    ubah(
        db,
        db.rows(
            "SELECT kode_wilayah, tahun FROM submission WHERE id = ? "
            "UNION SELECT DISTINCT kode_wilayah, tahun FROM spm_data WHERE submission_id = ?",
            [int(submission_id), int(submission_id)],
        ),
    )


def ubah_semua(db: Database) -> None:
    """How figures are computed changed: rebuild every table before the commit."""
    pending = db.before_commit(_PENDING, _flush)
    if pending is None:
        hitung_ulang(db)
    else:
        pending["semua"] = True


def _flush(db: Database, pending: dict) -> None:
    if pending.get("semua"):
        hitung_ulang(db)
    elif pending.get("pasangan"):
        _refresh(db, pending["pasangan"])


def _refresh(db: Database, pairs: set[tuple[str, int]]) -> None:
    if not pairs:
        return
    if db.meta("figures_basis") is None:  # tables never built (opening builds them)
        hitung_ulang(db)
        return
    regions = sorted({w for w, _ in pairs})
    years = sorted({t for _, t in pairs} | {t + 1 for _, t in pairs})
    provinces = sorted(
        {
            r[0]
            for r in db.rows(
                "SELECT DISTINCT kode_provinsi FROM wilayah WHERE list_contains(?, kode)",
                [regions],
            )
        }
    )
    every_region = len(regions) > _REGIONS_ONE_BY_ONE
    with db.transaction():
        for table, macro, column in TABLES:
            scope = provinces if column == "kode_provinsi" else regions
            scope_arg = None if every_region else scope
            db.execute(
                f"DELETE FROM {table} WHERE list_contains(?, tahun)"
                + ("" if every_region else f" AND list_contains(?, {column})"),
                [years] if every_region else [years, scope],
            )
            if macro:
                db.execute(
                    f"INSERT INTO {table} SELECT * FROM {macro}('m', ?, ?)", [years, scope_arg]
                )
                continue
            # The base view: a plain region = ? lets DuckDB read only that region's rows.
            marks = ", ".join("?" for _ in years)
            if every_region:
                db.execute(
                    f"INSERT INTO {table} SELECT * FROM {view_of(table)} WHERE tahun IN ({marks})",
                    years,
                )
            else:
                for region in scope:
                    db.execute(
                        f"INSERT INTO {table} SELECT * FROM {view_of(table)} "
                        f"WHERE kode_wilayah = ? AND tahun IN ({marks})",
                        [region, *years],
                    )


def selisih(db: Database) -> dict[str, int]:
    """Per table, how many rows differ from its view (rows in one and not the other,
    duplicates counted): all zeros when the tables hold exactly what the views compute."""
    return {
        table: int(
            db.scalar(
                f"SELECT (SELECT count(*) FROM (FROM {table} EXCEPT ALL FROM {view_of(table)})) "
                f"+ (SELECT count(*) FROM (FROM {view_of(table)} EXCEPT ALL FROM {table}))"
            )
        )
        for table, _, _ in TABLES
    }
