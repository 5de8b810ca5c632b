"""Login sessions that survive a reload: signed, expiring tokens whose session ends at
logout, at a password change and when the account is disabled."""

from __future__ import annotations

import stat
import time

import pytest
from click.testing import CliRunner

from pipelines.auth import sessions, users
from pipelines.auth.access import local_admin
from pipelines.cli.root import cli
from pipelines.db.store import Database

ADMIN = local_admin("tester")
SECRET = "Rahasia-Sekali-123"


@pytest.fixture
def account(db):
    users.add_user(db, ADMIN, "analis1", "analis", SECRET)
    return db


def test_a_token_is_signed_expires_and_names_its_account(account, db_path):
    db = account
    now = time.time()
    token = sessions.start(db, "analis1", minutes=60, now=now)
    found = sessions.check(db, token, now=now + 10)
    assert found.username == "analis1" and found.expires == pytest.approx(now + 3600)
    assert sessions.check(db, token, now=now + 3601) is None  # expired
    # the key lives beside the database, readable by its owner only
    key = sessions.key_file(db)
    assert key.parent == db_path.parent and stat.S_IMODE(key.stat().st_mode) == 0o600
    # the database keeps only the session id's hash, never the token
    row = db.dicts("SELECT * FROM sesi_login")[0]
    assert row["username"] == "analis1" and row["berakhir_pada"] is None
    assert token not in str(row) and found.sid not in str(row)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature
        lambda t: t.replace(t.split(".")[1], t.split(".")[1][::-1]),  # payload
        lambda t: "v2" + t[2:],
        lambda t: t.split(".")[0],
        lambda t: "",
    ],
)
def test_a_changed_token_is_refused(account, tamper):
    token = sessions.start(account, "analis1", minutes=60)
    assert sessions.check(account, token) is not None
    assert sessions.check(account, tamper(token)) is None


def test_a_token_signed_with_another_key_is_refused(account, monkeypatch):
    token = sessions.start(account, "analis1", minutes=60)
    monkeypatch.setenv(sessions.KEY_ENV, "kunci-lain")
    assert sessions.check(account, token) is None


def test_renewing_keeps_the_session_and_moves_the_expiry(account):
    now = time.time()
    token = sessions.start(account, "analis1", minutes=60, now=now)
    renewed = sessions.renew(account, token, minutes=60, now=now + 1800)
    assert renewed != token
    assert sessions.check(account, renewed, now=now + 3700).sid == sessions.read(account, token).sid
    sessions.end(account, renewed)
    assert sessions.check(account, token) is None  # one session: both tokens are ended
    assert sessions.renew(account, token, minutes=60) is None


def test_logout_ends_only_that_session(account):
    laptop = sessions.start(account, "analis1", minutes=60)
    phone = sessions.start(account, "analis1", minutes=60)
    sessions.end(account, laptop, "keluar")
    assert sessions.check(account, laptop) is None
    assert sessions.check(account, phone) is not None
    reason = account.scalar(
        "SELECT alasan_berakhir FROM sesi_login WHERE berakhir_pada IS NOT NULL"
    )
    assert reason == "keluar"


def test_password_change_reset_and_disable_end_every_session(account, db_path):
    db = account
    token = sessions.start(db, "analis1", minutes=60)
    users.change_own_password(db, "analis1", SECRET, "Kata-Sandi-Baru-456")
    assert sessions.check(db, token) is None
    token = sessions.start(db, "analis1", minutes=60)
    users.reset_password(db, ADMIN, "analis1", "Kata-Sandi-Lain-789")
    assert sessions.check(db, token) is None
    token = sessions.start(db, "analis1", minutes=60)
    users.set_active(db, ADMIN, "analis1", False)
    assert sessions.check(db, token) is None
    # the same through the CLI
    users.set_active(db, ADMIN, "analis1", True)
    token = sessions.start(db, "analis1", minutes=60)
    db.close()
    result = CliRunner().invoke(cli, ["users", "disable", "analis1", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with Database.open(db_path) as again:
        assert sessions.check(again, token) is None
