"""Click's own usage errors and help come out in Indonesian, with click's exit codes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipelines.cli.root import cli

ENGLISH = (
    "Error:",
    "Invalid value",
    "No such option",
    "No such command",
    "Missing option",
    "Missing argument",
    "Usage:",
    "Try '",
    "is not in the range",
    "is not one of",
    "is not a valid",
    "does not exist",
    "[OPTIONS]",
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="spm")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["capaian", "--year", "2025", "--triwulan", "5"],
            "Galat: Nilai tidak sah untuk '--quarter' / '--triwulan': 5 di luar rentang 1<=x<=4.",
        ),
        (
            ["capaian", "--yer", "2025"],
            "Galat: Opsi '--yer' tidak dikenal. Maksud Anda '--year'?",
        ),
        (["siklus", "start"], "Galat: Opsi wajib diisi: '--year' / '--tahun'."),
        (
            ["capaian", "--year", "abc"],
            "Galat: Nilai tidak sah untuk '--year' / '--tahun': 'abc' bukan bilangan yang sah.",
        ),
        (
            ["capaian", "--year", "2025", "--format", "pdf"],
            "bukan salah satu dari 'csv', 'json', 'table'.",
        ),
        (["laporan-tahunan"], "Galat: Perintah 'laporan-tahunan' tidak dikenal."),
        (["restore"], "Galat: Argumen wajib diisi: 'SOURCE'."),
        (["ingest", "/tidak/ada.xlsx"], "Jalur '/tidak/ada.xlsx' tidak ada."),
    ],
)
def test_usage_errors_are_indonesian_with_exit_code_2(args, expected):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Penggunaan: spm" in result.output
    assert "Coba 'spm" in result.output
    for word in ENGLISH:
        assert word not in result.output, (word, result.output)


def test_help_screens_are_indonesian():
    for args in (["--help"], ["siklus", "--help"], ["siklus", "start", "--help"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Penggunaan: spm")
        assert "Tampilkan bantuan ini lalu keluar." in result.output
        assert "Opsi:" in result.output
        for word in ("Usage:", "Options:", "Commands:", "Show this message", "[OPTIONS]"):
            assert word not in result.output, (word, args)
    assert "[wajib]" in run("siklus", "start", "--help").output


def test_a_user_error_still_exits_1_with_galat(tmp_path):
    result = run(
        "explain",
        "--db",
        str(tmp_path / "kosong.duckdb"),
        "--region",
        "99.99",
        "--year",
        "2025",
        "--triwulan",
        "1",
        "--layanan",
        "X",
    )
    assert result.exit_code == 1, result.output
    assert "Galat:" in result.output
