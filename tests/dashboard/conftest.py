"""Fixtures of the app's tests: a running app on the demo database for the browser tests."""

import pytest

from tests.browser import demo_app


@pytest.fixture(scope="module")
def demo_app_url(demo_db_template, tmp_path_factory):
    """The app served on a private copy of the demo database with its demo accounts,
    one per test module; yields (URL, database path)."""
    with demo_app(demo_db_template, tmp_path_factory.mktemp("browser")) as served:
        yield served
