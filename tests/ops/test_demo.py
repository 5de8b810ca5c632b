import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.capaian import completeness
from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.ops import backup
from pipelines.ops.demo import loader
from pipelines.ops.demo.loader import parse_years

DATA_TABLES = ["submission", "spm_data", "lppd_data", "wilayah", "layanan", "ikk"]


def tables(path):
    with Database.open(path, read_only=True) as db:
        return {t: db.df(f"SELECT * FROM {t} ORDER BY ALL") for t in DATA_TABLES}


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_same_seed_gives_identical_tables(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for path in (a, b):
        run("demo", "--db", str(path), "--seed", "7")
    ta, tb = tables(a), tables(b)
    for name in DATA_TABLES:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


def test_other_seed_gives_other_data(tmp_path):
    run("demo", "--db", str(tmp_path / "a.duckdb"), "--seed", "1")
    run("demo", "--db", str(tmp_path / "b.duckdb"), "--seed", "2")
    a = tables(tmp_path / "a.duckdb")["spm_data"]
    b = tables(tmp_path / "b.duckdb")["spm_data"]
    assert not a["jumlah_terlayani"].equals(b["jumlah_terlayani"])


def test_demo_looks_like_a_real_province(demo_db):
    periods = demo_db.df("SELECT DISTINCT tahun, triwulan FROM spm_data ORDER BY ALL").itertuples(
        index=False
    )
    assert [tuple(p) for p in periods] == [(y, q) for y in range(2022, 2026) for q in range(1, 5)]
    assert demo_db.df("SELECT DISTINCT tahun FROM lppd_data ORDER BY 1")["tahun"].tolist() == [
        2022,
        2023,
        2024,
    ]
    regions = demo_db.df("SELECT DISTINCT kode_wilayah FROM spm_data")["kode_wilayah"]
    assert sorted(regions) == ["19", "19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]
    # Bigger regions have bigger sasaran for the same service.
    sasaran = dict(
        demo_db.rows(
            "SELECT kode_wilayah, jumlah_sasaran FROM spm_data WHERE kode_layanan = 'KES-K-01' "
            "AND tahun = 2023 AND triwulan = 4"
        )
    )
    assert sasaran["19.01"] > sasaran["19.06"]
    # Achievement rises over the quarters (cumulative) and, on average, over the years.
    by_quarter = demo_db.df(
        "SELECT triwulan, sum(jumlah_terlayani) AS t FROM spm_data WHERE tahun = 2024 "
        "GROUP BY 1 ORDER BY 1"
    )["t"].tolist()
    assert by_quarter == sorted(by_quarter)
    by_year = demo_db.df(
        "SELECT tahun, avg(nilai) AS n FROM v_spm_wilayah WHERE triwulan = 4 AND kode_wilayah <> '19' "
        "GROUP BY 1 ORDER BY 1"
    )["n"].tolist()
    assert by_year[-1] > by_year[0]
    assert demo_db.scalar("SELECT count(*) FROM spm_data WHERE jumlah_sasaran = 0") > 0
    statuses = set(demo_db.df("SELECT DISTINCT status FROM submission")["status"])
    assert {"final", "dikembalikan", "diajukan"} <= statuses
    assert demo_db.scalar("SELECT count(*) FROM submission WHERE terlambat") > 0
    expected = 7 * 16 + 6 * 16  # kab/kota periods + provincial OPD periods
    received = demo_db.scalar("SELECT count(*) FROM submission WHERE form <> 'lppd-ikk'")
    assert 0 < received < expected


def test_demo_refuses_a_database_with_real_uploads(db):
    db.execute(
        "INSERT INTO submission (form, kode_wilayah, tahun, triwulan, diunggah_oleh, diunggah_pada)"
        " VALUES ('spm-kabkota', '19.01', 2025, 1, 'kab-19.01', now())"
    )
    from pipelines.errors import SpmError
    from pipelines.ops.demo import loader as demo

    with pytest.raises(SpmError, match="sungguhan"):
        demo.load(db, seed=7)


@pytest.mark.parametrize("text, years", [("2022-2025", [2022, 2023, 2024, 2025]), ("2024", [2024])])
def test_parse_years(text, years):
    assert parse_years(text) == years


def test_bad_years_is_a_user_error(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--db", str(tmp_path / "x.duckdb"), "--years", "abc"])
    assert result.exit_code == 1
    assert "Rentang tahun 'abc'" in result.output


def test_demo_has_a_report_late_with_an_exception(demo_db):
    # The pages show on time, late with an exception and late apart: the demo has each.
    rows = completeness.kelengkapan(demo_db, 2025, today=dt.date(2026, 11, 22))
    counts = rows["status_kirim"].value_counts()
    assert counts[completeness.TERLAMBAT_PERPANJANGAN] == 1
    assert counts[completeness.TERLAMBAT] > 0 and counts[completeness.TEPAT_WAKTU] > 0
    row = rows[rows["status_kirim"] == completeness.TERLAMBAT_PERPANJANGAN].iloc[0]
    assert row["keterangan_kirim"].startswith("terlambat, dengan perpanjangan s.d. ")
    # Loading the demo again replaces its exception instead of adding another.
    loader.load(demo_db)
    assert demo_db.scalar("SELECT count(*) FROM pengecualian_batas") == 1


def test_demo_twice_leaves_the_same_rows_and_passes_the_check(tmp_path):
    path = tmp_path / "demo.duckdb"
    run("demo", "--db", str(path), "--seed", "7")
    with Database.open(path, read_only=True) as db:
        first = backup.table_counts(db)
    run("demo", "--db", str(path), "--seed", "7")
    result = CliRunner().invoke(cli, ["check", "--db", str(path)])
    assert result.exit_code == 0, result.output
    with Database.open(path, read_only=True) as db:
        assert backup.table_counts(db) == first


def test_demo_has_spm_documents_in_every_status_and_replaces_them(demo_db):
    rows = demo_db.df(
        "SELECT jenis, kode_wilayah, status FROM dokumen_spm WHERE tahun = 2025 ORDER BY ALL"
    )
    for jenis in ("tim", "rencana-aksi"):
        statuses = set(rows.loc[rows["jenis"] == jenis, "status"])
        assert statuses == {"diverifikasi", "diajukan", "dikembalikan"}, jenis
    assert "19.06" not in set(rows["kode_wilayah"])  # a region without any document
    tahapan = demo_db.scalar("SELECT count(*) FROM dokumen_tahapan")
    assert tahapan >= 3
    before = demo_db.scalar("SELECT count(*) FROM dokumen_spm")
    loader.load(demo_db)
    assert demo_db.scalar("SELECT count(*) FROM dokumen_spm") == before
    assert demo_db.scalar("SELECT count(*) FROM dokumen_tahapan") == tahapan
