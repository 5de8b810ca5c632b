"""The mutu item catalog: default, sample, loading a file as a new version, bad files."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.auth.access import Actor
from pipelines.cli.root import cli
from pipelines.core import mutu_item
from pipelines.core.reference import CatalogError
from pipelines.errors import AccessDenied

HEADER = "kode_layanan,kelompok,kode_item,nama_item,satuan\n"


def counts(db) -> tuple[int, int]:
    return (
        db.scalar("SELECT count(*) FROM mutu_katalog"),
        db.scalar("SELECT count(*) FROM mutu_item"),
    )


def test_init_gives_the_default_catalog_one_generic_item_per_kelompok(db):
    items = mutu_item.katalog(db)
    assert mutu_item.current_version(db) == 1
    assert len(items) == 2 * db.scalar("SELECT count(*) FROM layanan")
    assert set(items["kode_item"]) == {"B1", "B2"}
    first = items[items["kode_layanan"] == "KES-K-08"].to_dict("records")
    assert [(i["kelompok"], i["kode_item"]) for i in first] == [
        ("barang_jasa", "B1"),
        ("sdm", "B2"),
    ]
    # the shipped file of the default catalog is that catalog: no new version
    result = mutu_item.load(db, mutu_item.DEFAULT_FILE, by="uji")
    assert result["baru"] is False and mutu_item.current_version(db) == 1


def test_sample_catalog_loads_as_a_new_version_with_several_items_per_kelompok(db):
    result = mutu_item.load(db, mutu_item.SAMPLE_FILE, by="uji")
    assert result == {
        "versi": 2,
        "item": 28,
        "layanan_rinci": 3,
        "layanan_umum": 40,
        "baru": True,
    }
    hipertensi = mutu_item.katalog(db, "KES-K-08")
    assert hipertensi.groupby("kelompok").size().to_dict() == {"barang_jasa": 5, "sdm": 7}
    assert hipertensi["sampel"].all()
    assert "Tensimeter" in set(hipertensi["nama_item"])
    # a service the file leaves out keeps its generic items
    assert list(mutu_item.katalog(db, "PEND-K-01")["kode_item"]) == ["B1", "B2"]
    # the earlier version stays, the audit trail names the file
    assert counts(db)[0] == 2
    audit = db.dicts("SELECT aksi, objek FROM audit_log WHERE aksi = 'muat_katalog_mutu'")
    assert audit == [{"aksi": "muat_katalog_mutu", "objek": "mutu_item_sampel.csv"}]
    # the same file again: nothing new
    assert mutu_item.load(db, mutu_item.SAMPLE_FILE, by="uji")["baru"] is False
    assert counts(db)[0] == 2


def test_a_kelompok_the_file_leaves_out_keeps_its_generic_item(db, tmp_path):
    path = tmp_path / "mutu.csv"
    path.write_text(
        HEADER
        + "KES-K-02,barang_jasa,B1.01,Partus set,set\nKES-K-02,barang/jasa,B1.02,Obat,paket\n"
    )
    mutu_item.load(db, path, by="uji")
    items = mutu_item.katalog(db, "KES-K-02")
    assert list(zip(items["kelompok"], items["kode_item"], strict=True)) == [
        ("barang_jasa", "B1.01"),
        ("barang_jasa", "B1.02"),
        ("sdm", "B2"),
    ]
    assert items["satuan"].tolist()[:2] == ["set", "paket"]


def test_xlsx_catalog_loads(db, tmp_path):
    path = tmp_path / "mutu.xlsx"
    pd.read_csv(mutu_item.SAMPLE_FILE, dtype=str).to_excel(path, index=False, sheet_name="Item")
    assert mutu_item.load(db, path, by="uji")["item"] == 28


@pytest.mark.parametrize(
    "rows, expected",
    [
        (
            "KES-X-99,barang_jasa,B1.01,Obat,paket\n",
            ["baris 3, kolom kode_layanan: 'KES-X-99' bukan kode layanan SPM"],
        ),
        (
            "KES-K-08,alat,B1.01,Obat,paket\n",
            ["baris 3, kolom kelompok: 'alat' tidak dikenal; isi 'barang_jasa' atau 'sdm'"],
        ),
        (
            "KES-K-08,sdm,B2.01,Dokter,orang\nKES-K-08,sdm,B2.01,Bidan,orang\n",
            ["baris 4, kolom kode_item: kode B2.01 sudah dipakai layanan KES-K-08 di baris 3"],
        ),
        (
            "KES-K-08,sdm,B2.01,,orang\nKES-K-08,barang_jasa,,Obat,paket\n",
            ["baris 3, kolom nama_item: wajib diisi", "baris 4, kolom kode_item: wajib diisi"],
        ),
        (
            "KES-K-08,sdm,B1,Dokter,orang\n",
            ["baris 3, kolom kode_item: kode B1 dipakai item umum kelompok lain"],
        ),
    ],
)
def test_bad_rows_are_told_by_row_and_column_and_change_nothing(db, tmp_path, rows, expected):
    path = tmp_path / "mutu.csv"
    path.write_text(HEADER + "KES-K-09,sdm,B2.01,Dokter,orang\n" + rows)
    before = counts(db)
    with pytest.raises(CatalogError) as err:
        mutu_item.load(db, path, by="uji")
    message = str(err.value)
    assert message.startswith("Katalog item mutu tidak dimuat (tidak ada yang diubah)")
    for text in expected:
        assert f"Berkas mutu.csv, {text}" in message, message
    assert counts(db) == before


def test_bad_xlsx_names_the_sheet_and_a_missing_column_is_told(db, tmp_path):
    path = tmp_path / "mutu.xlsx"
    pd.DataFrame(
        [
            {
                "kode_layanan": "KES-K-08",
                "kelompok": "alat",
                "kode_item": "X",
                "nama_item": "Y",
                "satuan": "",
            }
        ]
    ).to_excel(path, index=False, sheet_name="Katalog")
    with pytest.raises(
        CatalogError, match="Berkas mutu.xlsx, lembar Katalog, baris 2, kolom kelompok"
    ):
        mutu_item.load(db, path, by="uji")
    bad = tmp_path / "kurang.csv"
    bad.write_text("kode_layanan,kelompok,kode_item\nKES-K-08,sdm,B2.01\n")
    with pytest.raises(CatalogError, match="kolom nama_item, satuan tidak ditemukan"):
        mutu_item.load(db, bad, by="uji")
    assert counts(db) == (1, 86)


def test_only_an_administrator_loads_the_catalog(db):
    analis = Actor("analis", "analis")
    with pytest.raises(AccessDenied, match="katalog item mutu"):
        mutu_item.load(db, mutu_item.SAMPLE_FILE, actor=analis)
    assert mutu_item.current_version(db) == 1
    result = mutu_item.load(db, mutu_item.SAMPLE_FILE, actor=Actor("admin", "admin"))
    assert result["versi"] == 2


def test_cli_load_mutu(db_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--db", str(db_path)]).exit_code == 0
    result = runner.invoke(
        cli, ["catalog", "load-mutu", str(mutu_item.SAMPLE_FILE), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Katalog item mutu versi 2 dimuat: 28 item untuk 3 layanan" in result.output
    again = runner.invoke(
        cli, ["catalog", "load-mutu", str(mutu_item.SAMPLE_FILE), "--db", str(db_path)]
    )
    assert "tidak ada perubahan" in again.output
