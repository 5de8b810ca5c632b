"""`spm --as USER` reads only what the account sees in the app (its own region or OPD),
names unknown and disabled accounts, and without `--as` the CLI stays the machine's
operator (the local administrator), as before."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pipelines.auth import users
from pipelines.auth.access import local_admin
from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.errors import AccessDenied
from pipelines.ingest import templates


def spm(db, *args: str, as_user: str | None = None, code: int = 0, stdin: str | None = None):
    prefix = ["--as", as_user] if as_user else []
    result = CliRunner().invoke(cli, [*prefix, *args, "--db", str(db)], input=stdin)
    assert result.exit_code == code, result.output
    return result


def audit_names(db, aksi: str) -> list[str]:
    with Database.open(db, read_only=True) as conn:
        return [r[0] for r in conn.rows("SELECT pengguna FROM audit_log WHERE aksi = ?", [aksi])]


def template_args(region: str, out, *extra: str) -> list[str]:
    return ["template", "--region", region, "--year", "2025", "--triwulan", "3",
            "--out", str(out), *extra]  # fmt: skip


def prefilled(path) -> set[str]:
    """The regions whose stored values the template carries (its Data sheet)."""
    ws = load_workbook(path)["Data"]
    keys = [c.value for c in ws[templates.KEY_ROW]]
    col = keys.index("jumlah_sasaran") + 1
    return {
        str(ws.cell(row=r, column=keys.index("kode_wilayah") + 1).value)
        for r in range(templates.FIRST_DATA_ROW, ws.max_row + 1)
        if ws.cell(row=r, column=col).value is not None
    }


def test_kabkota_uploader_gets_its_own_template_prefilled_and_not_another_region(
    accounts_db_path, tmp_path
):
    own = tmp_path / "own.xlsx"
    spm(
        accounts_db_path, *template_args("19.01", own, "--form", "spm-kabkota"), as_user="kab-19.01"
    )
    assert prefilled(own) == {"19.01"}

    other = tmp_path / "other.xlsx"
    refused = spm(
        accounts_db_path,
        *template_args("19.02", other, "--form", "spm-kabkota"),
        as_user="kab-19.01",
        code=1,
    )
    assert "hanya dapat mengambil templat wilayah 19.01, bukan 19.02" in refused.output
    assert not other.exists()
    # the same rule for the app, which calls the same library function
    with Database.open(accounts_db_path, read_only=True) as db:
        me = users.current(db, "kab-19.01")
        spec = templates.TemplateSpec("spm-kabkota", "19.02", 2025, 3)
        with pytest.raises(AccessDenied):
            templates.to_bytes(db, spec, actor=me)


def test_opd_uploader_gets_only_its_own_services(accounts_db_path, tmp_path):
    out = tmp_path / "t.xlsx"
    args = template_args("19", out, "--form", "spm-provinsi")
    refused = spm(accounts_db_path, *args, "--opd", "disdik", as_user="opd-dinkes", code=1)
    assert "perangkat daerah dinkes" in refused.output
    whole = spm(accounts_db_path, *args, as_user="opd-dinkes", code=1)  # every OPD's values
    assert "--opd dinkes" in whole.output and not out.exists()
    spm(accounts_db_path, *args, "--opd", "dinkes", as_user="opd-dinkes")
    assert out.exists()


def test_an_uploader_lists_only_its_own_region(accounts_db_path):
    completeness = spm(
        accounts_db_path, "completeness", "--year", "2025", "--per", "wilayah", as_user="kab-19.01"
    )
    assert "19.01" in completeness.output and "19.02" not in completeness.output
    queue = spm(accounts_db_path, "review", "list", "--status", "final", as_user="kab-19.01")
    rows = [line.split() for line in queue.output.splitlines()[1:] if line.strip()]
    assert rows and {row[2] for row in rows} == {"19.01"}
    for command in (["report", "list"], ["users", "list"], ["reminders", "--year", "2025"]):
        refused = spm(accounts_db_path, *command, as_user="kab-19.01", code=1)
        assert "kab-19.02" not in refused.output and "Laporan Penerapan" not in refused.output


def test_unknown_and_disabled_accounts_are_named(accounts_db_path):
    unknown = spm(accounts_db_path, "capaian", "--year", "2025", as_user="nobody", code=1)
    assert unknown.output.strip() == (
        "Galat: Pengguna 'nobody' tidak dikenal; periksa nama akun yang diberikan "
        "(daftar akun: spm users list)."
    )
    spm(accounts_db_path, "users", "disable", "kab-19.02")
    disabled = spm(accounts_db_path, "standar", "list", as_user="kab-19.02", code=1)
    assert "Akun 'kab-19.02' dinonaktifkan" in disabled.output
    assert "Traceback" not in disabled.output


def test_without_as_the_cli_is_the_local_administrator(accounts_db_path, tmp_path):
    spm(accounts_db_path, "settings", "set", "sesi_kedaluwarsa_menit", "45")
    listed = spm(accounts_db_path, "users", "list")
    assert "kab-19.01" in listed.output and "opd-dinkes" in listed.output
    spm(accounts_db_path, "report", "list")
    operator = local_admin("x").username.split(" ")[0]
    assert audit_names(accounts_db_path, "ubah_pengaturan")[-1].startswith(operator)
    # the same change as an account is audited under the account's name
    spm(accounts_db_path, "settings", "set", "sesi_kedaluwarsa_menit", "50", as_user="admin")
    assert audit_names(accounts_db_path, "ubah_pengaturan")[-1] == "admin"
