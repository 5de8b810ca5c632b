"""Province installations made from a national demo: the national roll-up's demo
(``spm nasional --demo``, made by ``make run``), its tests and its benchmark.

:func:`province_database` is a fresh ``spm init --province XX`` database holding the
data of one province (or of several: then it is the "one combined database" the
roll-up is compared with), copied row for row out of a national demo: the submissions
of the province and its kabupaten/kota with their ids, and every row that hangs off
those submissions (SPM and LPPD values, changes, warnings).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipelines.capaian import materi
from pipelines.core import reference, settings
from pipelines.db.store import Database
from pipelines.ops import nasional
from pipelines.ops.demo import loader

DEMO_YEARS = (2025,)


def fresh_installation(path: Path) -> Path:
    """An initialised, empty database (``spm init``), to copy for each province."""
    with Database.open(path) as db:
        reference.init_reference(db, by="demo")
    return path


def province_database(
    source: Path, target: Path, provinces: Sequence[str], *, template: Path | None = None
) -> Path:
    """``target``: a new installation serving ``provinces[0]`` with the data of
    ``provinces`` copied out of ``source`` (a national demo, closed meanwhile);
    ``template`` (a :func:`fresh_installation`) saves running ``spm init`` each time."""
    if template is not None:
        shutil.copy(template, target)
    with Database.open(target) as db:
        reference.init_reference(db, province=provinces[0], by="demo")
        conditions, params = [], []
        for kode in provinces:
            condition, values = reference.dalam_provinsi(kode)
            conditions.append(condition)
            params += values
        db.execute("ATTACH ? AS asal (READ_ONLY)", [str(source)])
        try:
            with db.transaction():
                materi.ubah_semua(db)
                # The mutu item catalog of the installation the data came from (the
                # items its forms asked for: capaian_mutu and keterisian read it).
                for table in ("mutu_item", "mutu_katalog"):
                    db.execute(f"DELETE FROM {table}")
                for table in ("mutu_katalog", "mutu_item"):
                    db.execute(f"INSERT INTO {table} BY NAME SELECT * FROM asal.{table}")
                db.execute(
                    "INSERT INTO submission BY NAME SELECT * FROM asal.submission "
                    f"WHERE {' OR '.join(conditions)}",
                    params,
                )
                for table in _rows_of_submissions(db):
                    db.execute(
                        f"INSERT INTO {table} BY NAME SELECT * FROM asal.{table} "
                        "WHERE submission_id IN (SELECT id FROM submission)"
                    )
                # The next upload gets the next id, as in the installation it came from.
                db.scalar(
                    "SELECT max(nextval('submission_id_seq')) FROM range("
                    "(SELECT coalesce(max(id), 0) FROM submission))"
                )
        finally:
            db.execute("DETACH asal")
    return target


def _rows_of_submissions(db: Database) -> list[str]:
    """Tables of the source holding rows of a submission (a ``submission_id`` column and
    no id of their own): the SPM and LPPD values and what is kept with them."""
    return [
        r[0]
        for r in db.rows(
            "SELECT c.table_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_catalog, table_schema, table_name) "
            "WHERE c.table_catalog = 'asal' AND t.table_type = 'BASE TABLE' "
            "GROUP BY c.table_name HAVING bool_or(c.column_name = 'submission_id') "
            "AND NOT bool_or(c.column_name = 'id') ORDER BY c.table_name"
        )
    ]


def build_demo(
    own: Path,
    out: Path | None = None,
    *,
    years: Sequence[int] = DEMO_YEARS,
    seed: int = 7,
    by: str = "demo",
) -> nasional.RollupResult:
    """The national file of the demo: the province ``own`` serves with ``own``'s data (so
    its figures on the Nasional page are those of its own pages), every other province
    from a national demo of ``years``, each as an installation of its own, rolled up by
    :func:`pipelines.ops.nasional.build` as real province files would be."""
    with Database.open(own, read_only=True) as db:
        served = settings.served_province(db)
    with tempfile.TemporaryDirectory(prefix="spm-nasional-") as tmp:
        root = Path(tmp)
        source = root / "demo-nasional.duckdb"
        with Database.open(source) as db:
            reference.init_reference(db, by=by)
            loader.load(db, scale="national", years=list(years), seed=seed)
            provinces = [
                r[0]
                for r in db.rows(
                    "SELECT kode FROM wilayah WHERE tingkat = 'provinsi' AND kode <> ? "
                    "ORDER BY kode",
                    [served],
                )
            ]
        template = fresh_installation(root / "kosong.duckdb")
        folder = root / "provinsi"
        folder.mkdir()
        shutil.copy(own, folder / f"p{served}.duckdb")  # read while nobody writes it
        for kode in provinces:
            province_database(source, folder / f"p{kode}.duckdb", [kode], template=template)
        return nasional.build(folder, out, by=by)
