"""Shared fixtures: real DuckDB files in tmp paths, built by the library itself."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

# A cheap argon2 hasher for the suite and every app or CLI process it starts (the real
# parameters are checked in tests/auth/test_users.py). Set before pipelines is imported.
os.environ["SPM_HASH_PROFILE"] = "uji"
# No national file unless a test builds one (not a developer's data/nasional.duckdb).
os.environ["SPM_NASIONAL"] = "/tidak-ada/nasional.duckdb"

import pytest

from pipelines.core import reference
from pipelines.db.store import Database
from pipelines.ops import nasional
from pipelines.ops.demo import loader as demo
from pipelines.ops.demo import review, users
from pipelines.ops.demo.nasional import fresh_installation, province_database

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "data" / "test-artifacts"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "spm.duckdb"


@pytest.fixture
def db(db_path: Path):
    """An initialised, empty database (regions, catalogs, settings)."""
    database = Database.open(db_path)
    reference.init_reference(database, by="test")
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    """A Babel demo database built once per session (seed 7); copy it to modify."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Database.open(path) as database:
        reference.init_reference(database, by="test")
        demo.load(database, scale="babel", seed=7)
    return path


@pytest.fixture
def demo_db_path(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    return path


@pytest.fixture
def demo_db(demo_db_path: Path):
    database = Database.open(demo_db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def accounts_db_template(demo_db_template: Path, tmp_path_factory) -> Path:
    """The demo database with its demo accounts (password 'demo') and review history,
    built once per session; copy it to modify."""
    path = tmp_path_factory.mktemp("accounts") / "accounts.duckdb"
    shutil.copy(demo_db_template, path)
    with Database.open(path) as db:
        review.seed_demo_history(db)
        users.create_demo_accounts(db)
    return path


@pytest.fixture
def accounts_db_path(accounts_db_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "accounts.duckdb"
    shutil.copy(accounts_db_template, path)
    return path


@pytest.fixture
def accounts_db(accounts_db_path: Path):
    database = Database.open(accounts_db_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass(frozen=True)
class NationalSet:
    """Three province installations copied out of a national demo (2024-2025), the one
    database combining the same three, and the national file built from the three."""

    demo: Path  # the national demo they were copied from (38 provinces)
    folder: Path  # p<kode>.duckdb, one per province
    combined: Path
    national: Path
    provinces: tuple[str, ...] = ("19", "31", "65")


@pytest.fixture(scope="session")
def national_set(tmp_path_factory) -> NationalSet:
    """Built once per session; copy a file before changing it."""
    root = tmp_path_factory.mktemp("nasional")
    demo_path = root / "demo-nasional.duckdb"
    with Database.open(demo_path) as database:
        reference.init_reference(database, by="test")
        demo.load(database, scale="national", years=[2024, 2025], seed=7)
    template = fresh_installation(root / "kosong.duckdb")
    folder = root / "provinsi"
    folder.mkdir()
    found = NationalSet(demo_path, folder, root / "gabungan.duckdb", root / "nasional.duckdb")
    for kode in found.provinces:
        province_database(demo_path, folder / f"p{kode}.duckdb", [kode], template=template)
    province_database(demo_path, found.combined, list(found.provinces), template=template)
    nasional.build(folder, found.national, by="test")
    return found
