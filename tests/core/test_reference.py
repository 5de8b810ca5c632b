import pandas as pd
import pytest
from openpyxl import Workbook

from pipelines.core import reference, settings
from pipelines.core.reference import CatalogError
from pipelines.db.store import Database

TABLES = ["wilayah", "opd", "layanan", "ikk", "setting_version", "meta", "audit_log"]
BABEL_KABKOTA = ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]


def snapshot(db):
    return {t: db.df(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def test_init_loads_regions_and_catalogs(db):
    assert db.scalar("SELECT count(*) FROM wilayah WHERE tingkat = 'provinsi'") == 38
    assert db.scalar("SELECT count(*) FROM wilayah WHERE tingkat = 'kabupaten/kota'") == 514
    babel = db.rows("SELECT kode FROM wilayah WHERE kode_provinsi = '19' AND tingkat <> 'provinsi'")
    assert sorted(r[0] for r in babel) == BABEL_KABKOTA
    assert db.scalar("SELECT jenis FROM wilayah WHERE kode = '19.71'") == "Kota"
    counts = dict(db.rows("SELECT tingkat, count(*) FROM layanan GROUP BY tingkat"))
    assert counts == {"provinsi": 14, "kabupaten/kota": 29}
    catalog = pd.read_csv(reference.KATALOG_DIR / "spm_jenis_pelayanan.csv")
    assert sorted(db.df("SELECT kode FROM layanan")["kode"]) == sorted(catalog["kode"])
    row = db.dicts("SELECT * FROM layanan WHERE kode = 'KES-K-01'")[0]
    assert row["satuan_penerima"] == "ibu hamil" and row["kode_opd"] == "dinkes"
    assert row["mutu_barang_jasa"] and row["mutu_sdm"]
    assert db.scalar("SELECT count(*) FROM layanan WHERE kode_opd IS NULL") == 0
    ikk = db.df("SELECT * FROM ikk")
    assert len(ikk) >= 20 and ikk["urusan"].nunique() >= 6 and ikk["sampel"].all()
    assert settings.current(db)["bobot_penerima"] == 0.8


def test_init_twice_changes_nothing(db):
    before = snapshot(db)
    reference.init_reference(db, by="test")
    after = snapshot(db)
    for table in TABLES:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)


def test_init_sets_served_province_as_new_settings_version(db):
    reference.init_reference(db, province="32", by="test")
    assert settings.served_province(db) == "32"
    assert settings.current_version(db) == 2
    reference.init_reference(db, province="32", by="test")
    assert settings.current_version(db) == 2


def test_init_refuses_unknown_province(db):
    with pytest.raises(settings.SettingsError, match="tidak dikenal"):
        reference.init_reference(db, province="99", by="test")
    assert settings.served_province(db) == "19"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"bobot_penerima": 0.7}, "harus 1"),
        ({"hari_batas_triwulan": 40}, "1 sampai 28"),
        ({"kategori": [{"nama": "A", "min": 50}]}, "mulai dari 0"),
        ({"provinsi": "abc"}, "dua angka"),
        ({"ukuran_berkas_maks_mb": 100000}, "0,001 sampai 100"),
        ({"ukuran_berkas_maks_mb": 0}, "0,001 sampai 100"),
        ({"sesi_kedaluwarsa_menit": 10**9}, "5 sampai 1.440"),
        ({"skm_responden_maks": 10**9}, "1 sampai 1.000.000"),
        ({"pengaduan_hari_tanggapan": 1000}, "1 sampai 90"),
        ({"buka_triwulan_berikutnya": "ya"}, "true atau false"),
    ],
)
def test_settings_validation(db, change, message):
    with pytest.raises(settings.SettingsError, match=message):
        settings.save(db, change, by="test")
    assert settings.current_version(db) == 1


def test_settings_change_is_versioned_and_audited(db):
    version = settings.save(db, {"bobot_penerima": 0.7, "bobot_mutu": 0.3}, by="ani", note="uji")
    assert version == 2
    assert settings.current(db)["bobot_mutu"] == 0.3
    audit = db.dicts("SELECT * FROM audit_log WHERE aksi = 'ubah_pengaturan' ORDER BY id DESC")
    assert audit[0]["pengguna"] == "ani" and '"bobot_mutu": 0.3' in audit[0]["sesudah"]
    assert settings.save(db, {"bobot_mutu": 0.3}, by="ani") == 2


def _ikk_rows():
    return [
        ["kode_ikk", "urusan", "nama", "jenis", "cara_hitung", "pembilang", "penyebut", "satuan"],
        ["X-01", "Kesehatan", "Indikator satu", "Outcome", "rasio", "a", "b", "%"],
        ["X-02", "Sosial", "Indikator dua", "output", "langsung", "", "", "indeks"],
    ]


def test_load_ikk_from_xlsx_replaces_sample(db, tmp_path):
    wb = Workbook()
    for row in _ikk_rows():
        wb.active.append(row)
    path = tmp_path / "ikk.xlsx"
    wb.save(path)
    result = reference.load_ikk(db, path, by="test")
    assert result == {"dimuat": 2, "dipertahankan_karena_ada_data": 0}
    ikk = db.df("SELECT kode_ikk, jenis, sampel FROM ikk ORDER BY kode_ikk")
    assert ikk.to_dict("records") == [
        {"kode_ikk": "X-01", "jenis": "outcome", "sampel": False},
        {"kode_ikk": "X-02", "jenis": "output", "sampel": False},
    ]


def test_load_ikk_keeps_indicators_that_have_data(db, tmp_path):
    db.execute(
        "INSERT INTO lppd_data (kode_wilayah, tahun, kode_ikk, capaian, submission_id) "
        "VALUES ('19.01', 2024, 'PEND-01', 70, 1)"
    )
    path = tmp_path / "ikk.csv"
    path.write_text("\n".join(",".join(r) for r in _ikk_rows()), encoding="utf-8")
    result = reference.load_ikk(db, path, by="test")
    assert result["dipertahankan_karena_ada_data"] == 1
    assert db.scalar("SELECT count(*) FROM ikk") == 3


@pytest.mark.parametrize(
    "content, message",
    [
        ("kode_ikk,urusan,nama\nX,Y,Z\n", "tidak ditemukan"),
        (
            "kode_ikk,urusan,nama,jenis,cara_hitung,pembilang,penyebut,satuan\n"
            "X,Y,Z,hasil,rasio,a,b,%\n",
            "baris 2, kolom jenis",
        ),
        (
            "kode_ikk,urusan,nama,jenis,cara_hitung,pembilang,penyebut,satuan\n"
            "X,Y,Z,output,rasio,a,b,%\nX,Y,Z,output,rasio,a,b,%\n",
            "ganda",
        ),
    ],
)
def test_load_ikk_rejects_bad_files(db, tmp_path, content, message):
    path = tmp_path / "ikk.csv"
    path.write_text(content, encoding="utf-8")
    before = db.df("SELECT * FROM ikk ORDER BY kode_ikk")
    with pytest.raises(CatalogError, match=message):
        reference.load_ikk(db, path)
    pd.testing.assert_frame_equal(before, db.df("SELECT * FROM ikk ORDER BY kode_ikk"))


def test_reader_api_names_each_list_once(db):
    assert list(reference.kabkota(db)["kode"]) == BABEL_KABKOTA  # the province served
    assert len(reference.kabkota(db, "*")) == 514
    regions = reference.wilayah_provinsi(db)
    assert list(regions["kode"]) == ["19", *BABEL_KABKOTA]
    assert reference.wilayah(db, "19.71")["jenis"] == "Kota"
    assert reference.wilayah(db, "99.99") is None
    assert reference.nama_wilayah(db, "99.99") == "99.99"
    assert "dinkes" in set(reference.opd(db, pengampu_saja=True)["kode"])
    assert len(reference.opd(db, pengampu_saja=True)) < len(reference.opd(db))
    assert len(reference.layanan(db, "provinsi")) == 14
    assert list(reference.layanan(db)["urutan"]) == sorted(reference.layanan(db)["urutan"])
    assert reference.urusan(db)[0] == reference.layanan(db)["urusan"].iloc[0]


def test_the_province_rule_is_the_regions_of_the_province(db):
    """For every province, the code-prefix rule selects exactly the province and its
    kab/kota as the wilayah table records them."""
    provinces = db.df("SELECT kode FROM wilayah WHERE tingkat = 'provinsi'")["kode"]
    for provinsi in provinces:
        condition, params = reference.dalam_provinsi(provinsi, "kode")
        by_prefix = db.df(f"SELECT kode FROM wilayah WHERE {condition} ORDER BY kode", params)
        by_table = db.df(
            "SELECT kode FROM wilayah WHERE kode_provinsi = ? ORDER BY kode", [provinsi]
        )
        assert list(by_prefix["kode"]) == list(by_table["kode"]), provinsi
    assert len(provinces) == 38


def test_cli_sets_the_two_weights_together(db_path, db):
    from click.testing import CliRunner

    from pipelines.cli.root import cli

    db.close()
    runner = CliRunner()
    for key, value in (("bobot_penerima", "0.7"), ("bobot_mutu", "0.3")):
        alone = runner.invoke(cli, ["settings", "set", "--db", str(db_path), key, value])
        assert alone.exit_code == 1 and "keduanya sekaligus" in alone.output
    both = ["bobot_penerima", "0.7", "bobot_mutu", "0.3"]
    result = runner.invoke(cli, ["settings", "set", "--db", str(db_path), *both])
    assert result.exit_code == 0, result.output
    odd = runner.invoke(cli, ["settings", "set", "--db", str(db_path), "bobot_penerima"])
    assert odd.exit_code == 1 and "pasangan" in odd.output
    with Database.open(db_path, read_only=True) as again:
        values = settings.current(again)
        assert (values["bobot_penerima"], values["bobot_mutu"]) == (0.7, 0.3)
        assert settings.current_version(again) == 2  # one version for both
