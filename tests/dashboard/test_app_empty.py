"""Every page on an empty database says so in one line; without a database it says
what to do (the app's one SpmError handler shows the library's sentence)."""

import pytest

from tests.apptest import check_clean, run_app, texts

DASHBOARDS = ["ringkasan.py", "capaian.py", "peta.py", "lppd.py", "kelengkapan.py"]


@pytest.mark.parametrize("page", DASHBOARDS)
def test_page_on_empty_database_says_so_in_one_line(db, db_path, page):
    db.close()
    at = run_app(db_path, page)
    check_clean(at)
    assert "Belum ada data" in texts(at)
    assert not at.get("download_button")


@pytest.mark.parametrize("page", DASHBOARDS)
def test_page_without_database_explains_what_to_do(tmp_path, page):
    at = run_app(tmp_path / "tidak-ada.duckdb", page)
    assert not at.exception
    assert "spm init" in "\n".join(e.value for e in at.error)


@pytest.mark.parametrize("page", ["telusur.py", "laporan.py"])
def test_empty_database_says_what_to_do(db, db_path, page):
    db.close()
    at = run_app(db_path, page)
    assert not at.exception
    assert "Belum ada data SPM" in texts(at)


@pytest.mark.parametrize("page", ["beranda.py", "telusur.py", "laporan.py"])
def test_missing_database_explains(tmp_path, page):
    at = run_app(tmp_path / "missing.duckdb", page)
    assert not at.exception
    assert "spm init" in texts(at)
