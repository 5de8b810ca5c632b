"""``spm nasional``: the national file from province installations, on real files.

The fixture ``national_set`` (tests/conftest.py) copies three provinces out of a
national demo into three fresh installations and into one combined database, and
builds the national file from the three.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.cli.root import cli
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ops import nasional
from tests.db.holder import holding

KEYS = ["kode_provinsi", "kode_wilayah", "tahun", "triwulan", "urusan", "kode_layanan", "kode_ikk"]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [k for k in KEYS if k in frame.columns]
    return frame.sort_values(keys).reset_index(drop=True)


def _rows_of(db: Database, source: str, column: str, provinces: tuple[str, ...]) -> pd.DataFrame:
    """The rows of ``source`` belonging to ``provinces`` (region column ``column``)."""
    marks = ", ".join("?" for _ in provinces)
    where = (
        f"kode_provinsi IN ({marks})"
        if column == "kode_provinsi"
        else f"split_part(kode_wilayah, '.', 1) IN ({marks})"
    )
    return _sorted(db.df(f"SELECT * FROM {source} WHERE {where}", list(provinces)))


@pytest.mark.parametrize("table", sorted(nasional.FIGURES))
def test_national_figures_equal_those_of_one_combined_database(national_set, table):
    view, column = nasional.FIGURES[table]
    with Database.open(national_set.national, read_only=True) as db:
        rolled = _rows_of(db, table, column, national_set.provinces)
        total = db.scalar(f"SELECT count(*) FROM {table}")
    with Database.open(national_set.combined, read_only=True) as db:
        combined = _rows_of(db, view, column, national_set.provinces)
    assert len(rolled) == total > 0  # only the three provinces, and something of each
    assert set(rolled[column].str[:2]) == set(national_set.provinces)
    # versi_setting is each installation's own settings version, not a figure.
    figures = [c for c in combined.columns if c != "versi_setting"]
    assert list(rolled.columns) == list(combined.columns)
    pd.testing.assert_frame_equal(rolled[figures], combined[figures], check_exact=True)
    if "versi_setting" in rolled.columns:
        for kode in national_set.provinces:
            with Database.open(national_set.folder / f"p{kode}.duckdb", read_only=True) as p:
                version = settings.current_version(p)
            mine = rolled[rolled[column].str[:2] == kode]
            assert set(mine["versi_setting"].dropna()) == {version}


def test_the_file_records_where_each_province_came_from(national_set):
    with Database.open(national_set.national, read_only=True) as db:
        sumber = db.df("SELECT * FROM sumber ORDER BY kode_provinsi")
        meta = dict(db.rows("SELECT key, value FROM meta"))
    assert sumber["kode_provinsi"].tolist() == list(national_set.provinces)
    assert sumber["nama_berkas"].tolist() == [f"p{k}.duckdb" for k in national_set.provinces]
    assert (sumber["jumlah_submission"] > sumber["jumlah_submission_final"]).all()
    assert meta["jenis"] == "nasional" and meta["dibangun_oleh"] == "test"


def test_only_the_province_served_is_taken_and_the_rest_is_said(national_set, tmp_path):
    folder = tmp_path / "satu"
    folder.mkdir()
    shutil.copy(national_set.demo, folder / "demo.duckdb")  # all 38 provinces, serves 19
    result = nasional.build(folder, tmp_path / "nasional.duckdb")
    assert [p.kode_provinsi for p in result.provinces] == ["19"]
    assert result.kabkota == 7
    assert any("di luar provinsi 19 tidak diikutkan" in w for w in result.warnings)
    assert any("Baru 1 dari 38 provinsi" in w for w in result.warnings)


def _copy_folder(national_set, tmp_path: Path) -> Path:
    folder = tmp_path / "provinsi"
    shutil.copytree(national_set.folder, folder)
    return folder


def test_every_file_that_does_not_fit_is_named_and_nothing_is_written(national_set, tmp_path):
    folder = _copy_folder(national_set, tmp_path)
    with Database.open(folder / "p31.duckdb") as db:  # a newer installation
        db.execute("INSERT INTO _migrations (name) VALUES ('9999_lebih_baru')")
    with Database.open(folder / "p65.duckdb") as db:  # figures of an older version
        db.execute("UPDATE meta SET value = 'lama' WHERE key = 'views_checksum'")
    shutil.copy(national_set.combined, folder / "gabungan.duckdb")
    with Database.open(folder / "gabungan.duckdb") as db:  # an older schema, serves 19 too
        db.execute("DELETE FROM _migrations WHERE name = (SELECT max(name) FROM _migrations)")
    shutil.copy(folder / "p19.duckdb", folder / "p19-salinan.duckdb")
    (folder / "rusak.duckdb").write_bytes(b"bukan basis data")
    shutil.copy(national_set.national, folder / "nasional-lama.duckdb")
    out = tmp_path / "keluar" / "nasional.duckdb"
    out.parent.mkdir()
    shutil.copy(national_set.national, out)  # an earlier national file stays as it was
    before = out.read_bytes()

    with pytest.raises(SpmError) as caught:
        nasional.build(folder, out)
    message = str(caught.value)
    assert "Data nasional tidak dibangun; 6 masalah" in message
    assert "p31.duckdb: versi skema lebih baru" in message and "9999_lebih_baru" in message
    assert "p65.duckdb: rumus angka (view)" in message
    assert "gabungan.duckdb: versi skema lebih lama" in message
    assert "rusak.duckdb tidak dapat dibuka" in message
    assert "nasional-lama.duckdb adalah berkas data nasional" in message
    assert "Provinsi 19 dilayani oleh lebih dari satu berkas (p19-salinan.duckdb, p19.duckdb)" in (
        message
    )
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["nasional.duckdb"]


@pytest.mark.slow
def test_a_file_another_process_is_writing_is_named(national_set, tmp_path):
    folder = _copy_folder(national_set, tmp_path)
    out = tmp_path / "nasional.duckdb"
    with holding(folder / "p31.duckdb", 30, kill=True), pytest.raises(SpmError) as caught:
        nasional.build(folder, out)
    assert "Berkas p31.duckdb sedang dipakai proses lain untuk menulis" in str(caught.value)
    assert not out.exists()


def test_an_output_that_is_not_a_national_file_is_never_replaced(national_set, tmp_path):
    out = tmp_path / "spm.duckdb"
    shutil.copy(national_set.combined, out)
    before = out.read_bytes()
    with pytest.raises(SpmError, match="bukan berkas data nasional; pilih nama lain"):
        nasional.build(national_set.folder, out)
    assert out.read_bytes() == before


def test_an_empty_or_missing_folder_is_said(tmp_path):
    with pytest.raises(SpmError, match="tidak berisi berkas basis data provinsi"):
        nasional.build(tmp_path, tmp_path / "nasional.duckdb")
    with pytest.raises(SpmError, match="tidak ada"):
        nasional.build(tmp_path / "tidak-ada", tmp_path / "nasional.duckdb")


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_cli_builds_the_file_in_the_folder_itself_and_again(national_set, tmp_path):
    folder = _copy_folder(national_set, tmp_path)
    out = folder / "nasional.duckdb"  # written beside the provinces: never read as one
    for _ in range(2):
        result = run("nasional", "--from", str(folder), "--out", str(out))
        assert result.exit_code == 0, result.output
    text = result.output
    assert "Data nasional dibangun: 3 provinsi, 18 kabupaten/kota, 8 periode" in text
    assert "(2024 TW1 – 2025 TW4)" in text
    assert "Kepulauan Bangka Belitung" in text and "p65.duckdb" in text
    assert "Peringatan: Baru 3 dari 38 provinsi" in text
    with Database.open(out, read_only=True) as db:
        assert db.scalar("SELECT count(*) FROM sumber") == 3


def test_cli_says_what_is_wrong_and_exits_1(national_set, tmp_path):
    folder = _copy_folder(national_set, tmp_path)
    (folder / "rusak.duckdb").write_bytes(b"x")
    out = tmp_path / "nasional.duckdb"
    result = run("nasional", "--from", str(folder), "--out", str(out))
    assert result.exit_code == 1
    assert "Galat: Data nasional tidak dibangun; 1 masalah" in result.output
    assert "rusak.duckdb" in result.output and not out.exists()
    refused = run("--as", "analis", "nasional", "--from", str(folder), "--out", str(out))
    assert refused.exit_code == 1 and "jalankan tanpa --as" in refused.output


@pytest.mark.slow
def test_the_demo_national_file_carries_this_province_as_its_own_pages_show_it(
    demo_db_path, tmp_path
):
    out = tmp_path / "nasional.duckdb"
    result = CliRunner().invoke(
        cli, ["nasional", "--demo", "--db", str(demo_db_path), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Data nasional dibangun: 38 provinsi" in result.output
    with Database.open(out, read_only=True) as db:
        sumber = db.df("SELECT kode_provinsi, nama_berkas FROM sumber ORDER BY 1")
        rolled = _sorted(
            db.df(
                "SELECT * EXCLUDE (versi_setting) FROM capaian_wilayah WHERE "
                "split_part(kode_wilayah, '.', 1) = '19'"
            )
        )
    assert len(sumber) == 38 and "p19.duckdb" in set(sumber["nama_berkas"])
    with Database.open(demo_db_path, read_only=True) as db:  # Babel's own demo, all years
        own = _sorted(db.df("SELECT * EXCLUDE (versi_setting) FROM v_capaian_wilayah"))
    pd.testing.assert_frame_equal(rolled, own, check_exact=True)


def test_cli_takes_either_a_folder_or_the_demo(national_set, tmp_path):
    for args in ([], ["--from", str(national_set.folder), "--demo"]):
        result = CliRunner().invoke(cli, ["nasional", *args, "--out", str(tmp_path / "n.duckdb")])
        assert result.exit_code == 1, result.output
        assert "Pilih salah satu: --from FOLDER" in result.output
    assert not (tmp_path / "n.duckdb").exists()
