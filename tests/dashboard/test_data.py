"""The data layer's cache: keyed by the database file and the logged-in person, who is
handed to scoped readers (and required by them)."""

import os

from streamlit.testing.v1 import AppTest

from pipelines.auth.access import Actor


def _app() -> None:
    import streamlit as st

    from dashboard import data
    from pipelines.auth.access import Actor
    from pipelines.errors import AccessDenied

    @data.cached
    def whose(label: str, actor: Actor) -> str:
        return f"{label} {actor.username} {data.db_path()}"

    try:
        st.write(whose("baris"))
    except AccessDenied as exc:
        st.error(str(exc))


def run_as(actor: Actor | None, db: str) -> AppTest:
    os.environ["SPM_DB"] = db
    at = AppTest.from_function(_app, default_timeout=30)
    if actor is not None:
        at.session_state["actor"] = actor
    return at.run()


def test_scoped_reader_gets_the_logged_in_person_and_the_database(tmp_path):
    first = run_as(Actor("kab-19.01", "pengunggah_kabkota", "19.01"), str(tmp_path / "a.duckdb"))
    assert first.markdown[0].value == f"baris kab-19.01 {tmp_path / 'a.duckdb'}"
    other = run_as(Actor("analis", "analis"), str(tmp_path / "a.duckdb"))
    assert other.markdown[0].value == f"baris analis {tmp_path / 'a.duckdb'}"
    elsewhere = run_as(Actor("analis", "analis"), str(tmp_path / "b.duckdb"))
    assert elsewhere.markdown[0].value == f"baris analis {tmp_path / 'b.duckdb'}"


def test_scoped_reader_refuses_before_login(tmp_path):
    at = run_as(None, str(tmp_path / "a.duckdb"))
    assert [e.value for e in at.error] == ["Silakan masuk terlebih dahulu untuk melihat data."]
