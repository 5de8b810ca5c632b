"""The administrator withdraws a submission from the Pemeriksaan page."""

from __future__ import annotations

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from tests.apptest import run_app, texts

ADMIN = Actor("admin", "admin")
ANALIS = Actor("analis", "analis")


def test_admin_withdraws_a_submission_with_a_reason(accounts_db_path):
    at = run_app(accounts_db_path, "pemeriksaan.py", actor=ADMIN)
    chosen = at.selectbox(key="pemeriksaan_pilih").value
    at.button(key="tarik").click()
    at.run()
    assert any("alasan" in e.value for e in at.error)  # no reason, nothing withdrawn
    at.text_area(key="alasan_tarik").input("Berkas diunggah ke periode yang salah")
    at.button(key="tarik").click()
    at.run()
    assert not at.exception
    assert f"Pengiriman #{chosen} ditarik." in texts(at)
    with Database.open(accounts_db_path, read_only=True) as db:
        assert not db.scalar("SELECT count(*) FROM submission WHERE id = ?", [chosen])
        assert db.scalar("SELECT alasan FROM submission_ditarik WHERE id = ?", [chosen])


def test_analis_has_no_withdraw_button(accounts_db_path):
    at = run_app(accounts_db_path, "pemeriksaan.py", actor=ANALIS)
    assert not at.exception
    assert not any(b.key == "tarik" for b in at.button)
