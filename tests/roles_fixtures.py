"""Fixtures for the roles tests: the demo database with its demo accounts (password
'demo') and review history, built once per session and copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines import review
from pipelines.auth import users
from pipelines.db.store import Database


@pytest.fixture(scope="session")
def accounts_db_template(demo_db_template: Path, tmp_path_factory) -> Path:
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
