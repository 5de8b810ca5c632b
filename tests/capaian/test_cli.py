"""``spm capaian``, ``spm explain`` and ``spm lppd`` through the real CLI on real files."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.capaian import query
from pipelines.cli.root import cli
from pipelines.core import fmt
from pipelines.db.store import Database
from tests.capaian_helpers import kirim, layanan

REQUIRED = {
    "layanan": [
        "kode_wilayah",
        "nama_wilayah",
        "tahun",
        "triwulan",
        "urusan",
        "kode_layanan",
        "capaian_penerima",
        "capaian_mutu",
        "nilai",
        "kategori",
    ],
    "urusan": ["kode_wilayah", "nama_wilayah", "tahun", "triwulan", "urusan", "nilai", "kategori"],
    "wilayah": ["kode_wilayah", "nama_wilayah", "tahun", "triwulan", "nilai", "kategori"],
}


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("level", ["layanan", "urusan", "wilayah"])
def test_csv_has_the_issue_columns_and_matches_the_views(demo_db_path, level):
    out = run(
        "capaian", "--db", str(demo_db_path), "--year", "2025", "--triwulan", "2",
        "--level", level, "--format", "csv",
    ).stdout  # fmt: skip
    frame = pd.read_csv(io.StringIO(out), dtype={"kode_wilayah": str})
    assert list(frame.columns[: len(REQUIRED[level])]) == REQUIRED[level]
    with Database.open(demo_db_path, read_only=True) as db:
        expected = query.capaian(db, 2025, 2, level=level)
    assert len(frame) == len(expected) > 0
    assert frame["nilai"].to_numpy() == pytest.approx(expected["nilai"].to_numpy(), nan_ok=True)
    assert list(frame["kategori"].fillna("")) == list(expected["kategori"].fillna(""))
    assert "," not in "".join(out.splitlines()[1].split(",")[4:5])  # dot decimals


def test_json_is_plain_numbers_and_null_for_missing(demo_db_path):
    out = run(
        "capaian", "--db", str(demo_db_path), "--year", "2024", "--triwulan", "4",
        "--region", "19.01", "--format", "json",
    ).stdout  # fmt: skip
    records = json.loads(out)
    assert len(records) == 29
    assert {r["kode_wilayah"] for r in records} == {"19.01"}
    first = records[0]
    assert isinstance(first["nilai"], float) and isinstance(first["jumlah_sasaran"], int)
    empty = [r for r in records if r["tanpa_sasaran"]]
    assert all(r["nilai"] is None and r["kategori"] == "Tidak ada sasaran" for r in empty)


def one_service(db, db_path, sasaran: int, terlayani: int) -> str:
    """A database holding one KES-K-01 figure of 19.01, 2025 TW2; its path, closed."""
    mutu = {"bj": (40, 30), "sdm": (10, 12)}
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", sasaran, terlayani, **mutu)])
    db.close()
    return str(db_path)


def test_table_uses_indonesian_numbers(db, db_path):
    db_arg = ("--db", one_service(db, db_path, 12500, 10000))
    period = ("--year", "2025", "--triwulan", "2", "--region", "19.01")
    out = run("capaian", *db_arg, *period, "--format", "table").stdout
    assert "12.500" in out and "10.000" in out and "81,50" in out and "Tuntas Madya" in out
    out = run("capaian", *db_arg, "--year", "2025", "--level", "wilayah", "--format", "csv").stdout
    assert "81.5," in out


def test_explain_prints_formula_and_submission(db, db_path):
    db_arg = ("--db", one_service(db, db_path, 1250, 1000))
    figure = ("--region", "19.01", "--year", "2025", "--triwulan", "2", "--layanan", "KES-K-01")
    out = run("explain", *db_arg, *figure).stdout
    assert "Nilai = 0,80 × 80,00 + 0,20 × 87,50 = 81,50" in out
    assert "spm-kabkota_19.01_2025_TW2.xlsx" in out and "SHA-256" in out
    data = json.loads(run("explain", *db_arg, *figure, "--format", "json").stdout)
    assert data["nilai"] == pytest.approx(81.5) and data["kategori"] == "Tuntas Madya"


def test_explain_of_missing_data_is_one_sentence_exit_1(demo_db_path):
    result = run(
        "explain", "--db", str(demo_db_path), "--region", "19.01", "--year", "2019",
        "--triwulan", "2", "--layanan", "KES-K-01", ok=False,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "belum dikirim" in result.output and "Traceback" not in result.output


def test_province_aggregate_projection_and_lppd_commands(demo_db_path):
    db_arg = ("--db", str(demo_db_path))
    out = run("capaian", *db_arg, "--year", "2025", "--level", "provinsi", "--format", "csv")
    frame = pd.read_csv(io.StringIO(out.stdout), dtype={"kode_provinsi": str})
    assert list(frame["kode_provinsi"].unique()) == ["19"]
    # The province's figures under the names they have everywhere (pipelines.capaian.labels).
    assert {
        "rata_rata_ip_spm_kabkota",
        "rata_rata_ip_spm_kabkota_tertimbang_sasaran",
        "ip_spm_pemerintah_provinsi",
    } <= set(frame.columns)
    out = run("capaian", *db_arg, "--year", "2025", "--triwulan", "2", "--level", "proyeksi")
    assert "proyeksi_nilai" in out.stdout
    no_q = run("capaian", *db_arg, "--year", "2025", "--level", "proyeksi", ok=False)
    assert no_q.exit_code == 1 and "--triwulan" in no_q.output
    out = run("lppd", "kelengkapan", *db_arg, "--year", "2024", "--format", "json")
    rows = json.loads(out.stdout)
    assert len(rows) == 8 and all(r["jumlah_ikk"] > 0 for r in rows)
    out = run("lppd", "capaian", *db_arg, "--year", "2024", "--region", "19.01")
    assert fmt.angka(2024) not in out.stdout  # years are not written as 2.024
    assert "pembilang/penyebut" in out.stdout


def test_empty_selection_says_so(demo_db_path):
    result = run("capaian", "--db", str(demo_db_path), "--year", "2030")
    assert "Tidak ada data" in result.output


# -- `spm --as`: the library's scope, the same rule as the app -------------------------


def run_as(user: str, db, command: str, ok: bool = True):
    return run("--as", user, *command.split(), "--db", str(db), ok=ok)


def regions_in(result) -> set[str]:
    return set(pd.read_csv(io.StringIO(result.output), dtype=str)["kode_wilayah"])


@pytest.mark.parametrize(
    "command",
    [
        "capaian --year 2025 --triwulan 3 --region 19.02",
        "capaian --year 2025 --triwulan 3 --region 19.02 --level proyeksi",
        "explain --region 19.02 --year 2025 --triwulan 3 --layanan KES-K-01",
        "lppd capaian --region 19.02 --year 2024",
        "lppd kelengkapan --region 19.02 --year 2024",
    ],
)
def test_as_kabkota_uploader_is_refused_another_region(accounts_db_path, command):
    result = run_as("kab-19.01", accounts_db_path, command, ok=False)
    assert result.exit_code == 1
    assert "tidak berhak" in result.output and "19.02" in result.output
    assert "Kabupaten Belitung" not in result.output


def test_as_kabkota_uploader_gets_only_its_own_region(accounts_db_path):
    for level in ("layanan", "urusan", "wilayah"):
        result = run_as(
            "kab-19.01",
            accounts_db_path,
            f"capaian --year 2025 --triwulan 3 --level {level} --format csv",
        )
        assert regions_in(result) == {"19.01"}, level
    lppd = run_as("kab-19.01", accounts_db_path, "lppd capaian --year 2024 --format csv")
    assert regions_in(lppd) == {"19.01"}


@pytest.mark.parametrize("user", ["admin", "analis", "pimpinan"])
def test_as_reader_of_every_region_sees_them_all(accounts_db_path, user):
    result = run_as(user, accounts_db_path, "capaian --year 2025 --triwulan 3 --format csv")
    assert {"19", "19.01", "19.02", "19.71"} <= regions_in(result)


def test_as_opd_uploader_sees_only_its_provincial_services(accounts_db_path):
    result = run_as("opd-dinkes", accounts_db_path, "capaian --year 2025 --triwulan 3 --format csv")
    frame = pd.read_csv(io.StringIO(result.output), dtype=str)
    assert set(frame["kode_wilayah"]) == {"19"}
    assert frame["kode_layanan"].str.startswith("KES-P").all()
    refused = run_as("opd-dinkes", accounts_db_path, "capaian --year 2025 --region 19.01", ok=False)
    assert refused.exit_code == 1 and "tidak berhak" in refused.output
