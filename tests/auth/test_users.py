"""Accounts: argon2 hashes only, login, disable, reset, lock-out, demo accounts, CLI."""

import pytest
from click.testing import CliRunner

from pipelines.auth import audit, users
from pipelines.auth.access import Actor, local_admin
from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.errors import AccessDenied
from pipelines.ops.demo import users as demo_users

ADMIN = local_admin("tester")
SECRET = "Rahasia-Sekali-123"


def everything_stored(db) -> str:
    """Every text the database holds outside the accounts' hash column."""
    parts = []
    for table in ("audit_log", "submission_riwayat", "review_komentar", "setting_version", "meta"):
        parts.append(db.df(f"SELECT * FROM {table}").to_csv())
    parts.append(db.df("SELECT * EXCLUDE (password_hash) FROM pengguna").to_csv())
    return "\n".join(parts)


def test_add_and_authenticate_stores_only_an_argon2_hash(db):
    actor = users.add_user(
        db, ADMIN, "kab-19.01", "pengunggah_kabkota", SECRET, kode_wilayah="19.01"
    )
    assert actor == Actor("kab-19.01", "pengunggah_kabkota", "19.01")
    stored = db.scalar("SELECT password_hash FROM pengguna WHERE username = 'kab-19.01'")
    assert stored.startswith("$argon2id$") and SECRET not in stored
    assert users.authenticate(db, "kab-19.01", SECRET) == actor
    with pytest.raises(users.LoginFailed, match="salah") as wrong:
        users.authenticate(db, "kab-19.01", "salah-sekali")
    with pytest.raises(users.LoginFailed, match="salah") as unknown:
        users.authenticate(db, "tidak-ada", SECRET)
    assert str(wrong.value) == str(unknown.value)  # no hint which part was wrong
    text = everything_stored(db)
    assert SECRET not in text and stored not in text and "$argon2" not in text
    log = audit.log(db)
    assert {"tambah_pengguna", "login", "login_gagal"} <= set(log["aksi"])


def test_production_hashes_use_argon2id_with_the_real_parameters(db, monkeypatch):
    """The suite runs with a cheap hasher (SPM_HASH_PROFILE=uji); production does not."""
    real = users.hasher_for(None)
    assert (real.time_cost, real.memory_cost, real.parallelism) == (3, 65536, 4)
    assert users.hasher_for("uji") is not real
    users.add_user(db, ADMIN, "analis-2", "analis", SECRET)
    query = "SELECT password_hash FROM pengguna WHERE username = 'analis-2'"
    assert "$m=8,t=1,p=1$" in db.scalar(query)
    # With production parameters the account still logs in, and its hash is upgraded.
    monkeypatch.setattr(users, "_hasher", real)
    users.authenticate(db, "analis-2", SECRET)
    assert db.scalar(query).startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_password_typed_into_the_name_field_is_not_logged(db):
    with pytest.raises(users.LoginFailed):
        users.authenticate(db, SECRET, SECRET)
    assert SECRET.lower() not in everything_stored(db).lower()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(username="kab-19.01", role="pengunggah_kabkota"), "diikat ke satu wilayah"),
        (dict(username="kab-99", role="pengunggah_kabkota", kode_wilayah="99.99"), "tidak dikenal"),
        (dict(username="opd-x", role="pengunggah_opd", kode_opd="xyz"), "tidak dikenal"),
        (dict(username="analis", role="analis", kode_wilayah="19.01"), "tidak diikat"),
        (dict(username="Bad Name!", role="analis"), "Nama pengguna harus"),
        (dict(username="admin-lokal", role="admin"), "dicadangkan"),
        (dict(username="ana", role="kepala"), "Peran 'kepala' tidak dikenal"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(db, kwargs, message):
    with pytest.raises(users.UserError, match=message):
        users.add_user(db, ADMIN, password=SECRET, **kwargs)
    assert db.scalar("SELECT count(*) FROM pengguna") == 0


def test_weak_password_and_duplicates_are_refused(db):
    with pytest.raises(users.UserError, match="minimal 8"):
        users.add_user(db, ADMIN, "analis", "analis", "pendek")
    users.add_user(db, ADMIN, "analis", "analis", SECRET, email="analis@babelprov.go.id")
    with pytest.raises(users.UserError, match="sudah dipakai"):
        users.add_user(db, ADMIN, "analis", "analis", SECRET)
    with pytest.raises(users.UserError, match="e-mail"):
        users.add_user(db, ADMIN, "analis2", "analis", SECRET, email="ANALIS@babelprov.go.id")


def test_only_admin_manages_accounts(db):
    users.add_user(db, ADMIN, "analis", "analis", SECRET)
    analis = users.authenticate(db, "analis", SECRET)
    with pytest.raises(AccessDenied, match="administrator"):
        users.add_user(db, analis, "budi", "pimpinan", SECRET)
    with pytest.raises(AccessDenied):
        users.set_active(db, analis, "analis", False)
    with pytest.raises(AccessDenied):
        users.reset_password(db, analis, "analis", "baru-sekali-123")


def test_disable_enable_and_reset_password(db):
    users.add_user(db, ADMIN, "pimpinan", "pimpinan", SECRET)
    users.set_active(db, ADMIN, "pimpinan", False)
    with pytest.raises(users.LoginFailed, match="tidak aktif"):
        users.authenticate(db, "pimpinan", SECRET)
    assert users.current(db, "pimpinan") is None
    users.set_active(db, ADMIN, "pimpinan", True)
    users.reset_password(db, ADMIN, "pimpinan", "Kata-Sandi-Baru-9")
    with pytest.raises(users.LoginFailed):
        users.authenticate(db, "pimpinan", SECRET)
    assert users.authenticate(db, "pimpinan", "Kata-Sandi-Baru-9").role == "pimpinan"
    users.change_own_password(db, "pimpinan", "Kata-Sandi-Baru-9", "Lagi-Yang-Baru-10")
    assert users.authenticate(db, "pimpinan", "Lagi-Yang-Baru-10").role == "pimpinan"
    actions = list(audit.log(db, objek_mengandung="pimpinan")["aksi"])
    for action in (
        "nonaktifkan_pengguna",
        "aktifkan_pengguna",
        "reset_kata_sandi",
        "ganti_kata_sandi",
    ):
        assert action in actions


def test_repeated_failures_lock_the_account_for_a_while(db):
    users.add_user(db, ADMIN, "analis", "analis", SECRET)
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(users.LoginFailed, match="salah"):
            users.authenticate(db, "analis", "tebakan-salah")
    with pytest.raises(users.LoginFailed, match="Terlalu banyak"):
        users.authenticate(db, "analis", SECRET)


def test_update_role_and_binding(db):
    users.add_user(db, ADMIN, "budi", "pengunggah_kabkota", SECRET, kode_wilayah="19.01")
    actor = users.update_user(db, ADMIN, "budi", kode_wilayah="19.02")
    assert actor.kode_wilayah == "19.02"
    actor = users.update_user(db, ADMIN, "budi", role="pengunggah_opd", kode_opd="dinkes")
    assert actor == Actor("budi", "pengunggah_opd", None, "dinkes")
    log = audit.log(db, aksi="ubah_pengguna")
    assert '"19.01"' in log["sebelum"].iloc[-1] and '"19.02"' in log["sesudah"].iloc[-1]


def test_sso_maps_email_to_the_local_account(db):
    users.add_user(db, ADMIN, "analis", "analis", SECRET, email="analis@babelprov.go.id")
    assert users.actor_for_email(db, "Analis@BabelProv.go.id").username == "analis"
    with pytest.raises(users.LoginFailed, match="belum terdaftar"):
        users.actor_for_email(db, "orang@lain.id")
    assert "SSO" in set(audit.log(db, aksi="login")["keterangan"])


def test_demo_accounts_only_in_demo_databases(db, accounts_db):  # noqa: F811
    with pytest.raises(users.UserError, match="basis data demo"):
        demo_users.create_demo_accounts(db)
    assert db.scalar("SELECT count(*) FROM pengguna") == 0
    assert demo_users.demo_logins(db).empty
    names = set(accounts_db.df("SELECT username FROM pengguna")["username"])
    assert {"admin", "analis", "pimpinan", "kab-19.01", "kab-19.71", "opd-dinkes"} <= names
    assert len(names) == 3 + 7 + 8
    assert users.authenticate(accounts_db, "kab-19.01", "demo").kode_wilayah == "19.01"
    assert users.authenticate(accounts_db, "opd-dinkes", "demo").kode_opd == "dinkes"
    assert len(demo_users.demo_logins(accounts_db)) == 18
    assert demo_users.create_demo_accounts(accounts_db) == 0  # idempotent


def test_cli_init_creates_no_account_and_demo_creates_them(tmp_path):
    path = tmp_path / "cli.duckdb"
    runner = CliRunner()
    result = runner.invoke(cli, ["init", "--db", str(path)])
    assert result.exit_code == 0, result.output
    with Database.open(path, read_only=True) as db:
        assert db.scalar("SELECT count(*) FROM pengguna") == 0
    result = runner.invoke(cli, ["demo", "--db", str(path), "--years", "2024-2025"])
    assert result.exit_code == 0, result.output
    assert "18 akun demo dibuat" in result.output


def spm_users(db_path, *args: str, input: str | None = None):
    """``spm users ARGS --db DB_PATH``."""
    return CliRunner().invoke(cli, ["users", *args, "--db", str(db_path)], input=input)


def test_cli_users_add_prompts_without_echo_and_lists_without_hash(db, db_path):
    db.close()
    result = spm_users(
        db_path,
        *("add", "kab-19.03", "--role", "pengunggah_kabkota", "--region", "19.03"),
        input=f"{SECRET}\n{SECRET}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Akun kab-19.03" in result.output
    assert SECRET not in result.output  # hidden input is not echoed
    result = spm_users(
        db_path, "add", "x2", "--role", "analis", input=f"{SECRET}\nlain-sekali-99\n"
    )
    assert result.exit_code != 0  # the confirmation did not match
    listing = spm_users(db_path, "list")
    assert listing.exit_code == 0 and "kab-19.03" in listing.output
    assert "argon2" not in listing.output and SECRET not in listing.output
    with Database.open(db_path) as again:
        assert users.authenticate(again, "kab-19.03", SECRET).kode_wilayah == "19.03"
        log = audit.log(again, aksi="tambah_pengguna")
    assert log["pengguna"].iloc[0].startswith("admin-lokal (")


def test_cli_user_errors_are_one_sentence(db, db_path):
    db.close()
    result = spm_users(
        db_path,
        *("add", "kab-x", "--role", "pengunggah_kabkota", "--region", "19.99"),
        "--password-stdin",
        input=f"{SECRET}\n",
    )
    assert result.exit_code == 1
    assert result.output.startswith("Galat: Kode kabupaten/kota '19.99' tidak dikenal")
    assert "Traceback" not in result.output
    result = spm_users(db_path, "disable", "siapa")
    assert result.exit_code == 1 and "tidak dikenal" in result.output


def test_access_settings_by_admin_only_and_audited(db):
    users.add_user(db, ADMIN, "analis", "analis", SECRET)
    analis = users.authenticate(db, "analis", SECRET)
    with pytest.raises(AccessDenied):
        users.change_access_settings(db, analis, sesi_kedaluwarsa_menit=30)
    with pytest.raises(users.UserError, match="5 sampai"):
        users.change_access_settings(db, ADMIN, sesi_kedaluwarsa_menit=2)
    users.change_access_settings(db, ADMIN, sesi_kedaluwarsa_menit=30, catatan="Kebijakan baru")
    from pipelines.core import settings

    assert settings.current(db)["sesi_kedaluwarsa_menit"] == 30
    row = audit.log(db, aksi="ubah_pengaturan").iloc[0]
    assert '"sesi_kedaluwarsa_menit": 60' in row["sebelum"]
    assert '"sesi_kedaluwarsa_menit": 30' in row["sesudah"]


def test_a_known_and_an_unknown_name_get_the_same_answers(db):
    users.add_user(db, ADMIN, "analis", "analis", SECRET)
    answers = {}
    for name in ("analis", "tidak-ada"):
        seen = []
        for _ in range(users.MAX_FAILURES + 1):
            with pytest.raises(users.LoginFailed) as info:
                users.authenticate(db, name, "tebakan-salah", source="10.0.0.9")
            seen.append(str(info.value))
        answers[name] = seen
    assert answers["analis"] == answers["tidak-ada"]
    assert "Terlalu banyak" in answers["tidak-ada"][-1]
    # The name typed for an unknown account is not kept (it may be a password).
    assert not db.scalar("SELECT count(*) FROM audit_log WHERE objek LIKE '%tidak-ada%'")


def test_failures_from_elsewhere_do_not_lock_the_account_out(db):
    users.add_user(db, ADMIN, "admin", "admin", SECRET)
    for _ in range(users.MAX_FAILURES + 2):
        with pytest.raises(users.LoginFailed):
            users.authenticate(db, "admin", "tebakan-salah", source="203.0.113.7")
    with pytest.raises(users.LoginFailed, match="Terlalu banyak"):
        users.authenticate(db, "admin", SECRET, source="203.0.113.7")
    assert users.authenticate(db, "admin", SECRET, source="10.1.2.3").username == "admin"
