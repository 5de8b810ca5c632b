"""capaian_mutu from mutu items, by both methods (settings metode_mutu, tanpa_mutu),
hand-computed; the explanation shows the items; the default catalog and the migration
change no figure."""

from __future__ import annotations

import shutil

import pytest

from pipelines.capaian.explain import explain
from pipelines.core import mutu_item, settings
from pipelines.core.settings import SettingsError
from pipelines.db.store import Database
from tests.capaian_helpers import kirim, layanan, one

# KES-K-08 (hypertension) with the sample catalog's items:
#   barang/jasa  B1.01 10/8, B1.02 4/6 (capped at 4), B1.03 0/5 (no kebutuhan), B1.04 2/0
#   SDM          B2.01 3/3, B2.02 5/1
ITEMS = [
    ("barang_jasa", "B1.01", 10, 8),
    ("barang_jasa", "B1.02", 4, 6),
    ("barang_jasa", "B1.03", 0, 5),
    ("barang_jasa", "B1.04", 2, 0),
    ("sdm", "B2.01", 3, 3),
    ("sdm", "B2.02", 5, 1),
]
HIPERTENSI = layanan("KES-K-08", 100, 90, bj=None, sdm=None, item_mutu=ITEMS)


def row(db, kode_layanan="KES-K-08"):
    return one(
        db,
        "SELECT * FROM v_capaian_layanan WHERE kode_wilayah = '19.01' AND tahun = 2025 "
        "AND triwulan = 2 AND kode_layanan = ?",
        [kode_layanan],
    )


@pytest.fixture
def items_db(db):
    mutu_item.load(db, mutu_item.SAMPLE_FILE, by="uji")
    kirim(db, "19.01", 2025, 2, [HIPERTENSI])
    return db


def test_per_kelompok_pools_the_items_of_each_kelompok(items_db):
    r = row(items_db)
    # barang/jasa (8 + 4 + 0) / (10 + 4 + 2) = 75; SDM (3 + 1) / (3 + 5) = 50
    assert r["capaian_mutu_barang_jasa"] == pytest.approx(75.0)
    assert r["capaian_mutu_sdm"] == pytest.approx(50.0)
    assert r["capaian_mutu"] == pytest.approx(62.5)
    assert r["nilai"] == pytest.approx(0.8 * 90 + 0.2 * 62.5)  # 84,5
    assert r["kategori"] == "Tuntas Madya"
    assert r["metode_mutu"] == "per_kelompok"
    # kelompok sums as entered, and the shortfall per item summed
    assert (r["mutu_barang_jasa_kebutuhan"], r["mutu_barang_jasa_tersedia"]) == (16, 19)
    assert (r["mutu_sdm_kebutuhan"], r["mutu_sdm_tersedia"]) == (8, 4)
    assert (r["kekurangan_mutu_barang_jasa"], r["kekurangan_mutu_sdm"]) == (4, 4)
    assert (r["jumlah_item_mutu"], r["jumlah_item_mutu_dinilai"]) == (6, 5)


def test_per_item_is_the_mean_of_the_capped_ratios(items_db):
    settings.save(items_db, {"metode_mutu": "per_item"}, by="uji")
    r = row(items_db)
    # (80 + 100 + 0 + 100 + 20) / 5 = 60
    assert r["capaian_mutu"] == pytest.approx(60.0)
    assert r["nilai"] == pytest.approx(84.0)
    assert r["metode_mutu"] == "per_item"
    wilayah = one(
        items_db,
        "SELECT nilai FROM v_capaian_wilayah WHERE kode_wilayah = '19.01' AND tahun = 2025 "
        "AND triwulan = 2",
        [],
    )
    assert wilayah["nilai"] == pytest.approx(84.0)


def test_tanpa_mutu_nol_caps_a_service_without_mutu_at_80(db):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 200, 200, bj=(0, 0), sdm=None)])
    assert row(db, "KES-K-01")["nilai"] == pytest.approx(100.0)
    assert row(db, "KES-K-01")["capaian_mutu"] is None
    settings.save(db, {"tanpa_mutu": "nol"}, by="uji")
    r = row(db, "KES-K-01")
    assert r["capaian_mutu"] == 0.0
    assert r["nilai"] == pytest.approx(80.0)
    assert r["kategori"] == "Tuntas Madya"
    text = explain(db, "19.01", 2025, 2, "KES-K-01").as_text()
    assert "capaian mutu = 0 (pengaturan tanpa_mutu = nol)" in text


def test_one_item_per_kelompok_is_todays_figure_by_either_method(db):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 1250, 1000, bj=(40, 30), sdm=(10, 12))])
    assert row(db, "KES-K-01")["capaian_mutu"] == pytest.approx(87.5)
    settings.save(db, {"metode_mutu": "per_item"}, by="uji")
    assert row(db, "KES-K-01")["capaian_mutu"] == pytest.approx(87.5)


def test_item_rows_replace_the_pair_of_their_kelompok_only(db):
    mutu_item.load(db, mutu_item.SAMPLE_FILE, by="uji")
    both = layanan("KES-K-08", 10, 10, bj=(10, 10), sdm=(4, 1), item_mutu=[("sdm", "B2.01", 4, 4)])
    kirim(db, "19.01", 2025, 2, [both])
    r = row(db)
    assert r["capaian_mutu_barang_jasa"] == pytest.approx(100.0)  # the pair
    assert r["capaian_mutu_sdm"] == pytest.approx(100.0)  # the item, not the pair's 25
    assert r["jumlah_item_mutu"] == 2


def test_explain_shows_the_items_and_the_pooled_formula(items_db):
    e = explain(items_db, "19.01", 2025, 2, "KES-K-08")
    text = e.as_text()
    assert (
        "Item Barang/jasa (B.1) B1.02 Tensimeter (unit) [sampel]: kebutuhan 4, tersedia 6" in text
    )
    assert "Item SDM (B.2) B2.02 Bidan (orang) [sampel]: kebutuhan 5, tersedia 1" in text
    assert (
        "Capaian mutu barang/jasa = (min(tersedia ; kebutuhan) per item: 8 + 4 + 0) / "
        "(10 + 4 + 2) × 100 = 75,00"
    ) in text
    assert "Capaian mutu = (75,00 + 50,00) / 2 = 62,50" in text
    assert "metode mutu per_kelompok" in text
    settings.save(items_db, {"metode_mutu": "per_item"}, by="uji")
    text = explain(items_db, "19.01", 2025, 2, "KES-K-08").as_text()
    assert "Capaian item B1.02 = min(6 / 4 ; 1) × 100 = 100,00" in text
    assert (
        "Capaian mutu (rata-rata per item) = (80,00 + 100,00 + 0,00 + 100,00 + 20,00) / 5" in text
    )


def test_keterisian_counts_two_cells_per_catalog_item(items_db):
    r = one(
        items_db,
        "SELECT sel_terisi, sel_wajib FROM keterisian_wilayah('v', [2025], ['19.01']) "
        "WHERE triwulan = 2",
        [],
    )
    # one service sent: 2 cells (sasaran, terlayani) + 12 item cells filled; every
    # kabupaten/kota service is due: 8 + 2 per item (KES-K-08 has 12 items, KES-K-09 9,
    # KES-K-01 7, the rest 2), and permasalahan/solusi of KES-K-08 (nilai < 100)
    services = items_db.scalar("SELECT count(*) FROM layanan WHERE tingkat = 'kabupaten/kota'")
    assert r["sel_terisi"] == 2 + 12
    assert r["sel_wajib"] == services * 8 + 2 * (12 + 9 + 7 + 2 * (services - 3)) + 2


def test_items_of_an_earlier_catalog_never_fill_more_than_the_catalog_asks(items_db):
    # The catalog goes back to one item per kelompok after KES-K-08 was sent with six:
    # its item cells count as the four the catalog now asks for (two items, kebutuhan and
    # tersedia each), never the twelve it filled.
    mutu_item.load(items_db, mutu_item.DEFAULT_FILE, by="uji")
    r = one(
        items_db,
        "SELECT sel_terisi, sel_wajib, keterisian FROM m_capaian_wilayah "
        "WHERE kode_wilayah = '19.01' AND tahun = 2025 AND triwulan = 2",
        [],
    )
    services = items_db.scalar("SELECT count(*) FROM layanan WHERE tingkat = 'kabupaten/kota'")
    assert r["sel_terisi"] == 2 + 4
    assert r["sel_wajib"] == services * (8 + 4) + 2
    assert r["keterisian"] <= 100


@pytest.mark.parametrize(
    "change, message",
    [
        ({"metode_mutu": "rata"}, "metode_mutu harus salah satu dari per_kelompok, per_item"),
        ({"tanpa_mutu": 0}, "tanpa_mutu harus salah satu dari penerima_saja, nol"),
    ],
)
def test_bad_mutu_settings_are_refused(db, change, message):
    with pytest.raises(SettingsError, match=message):
        settings.save(db, change, by="uji")


FIGURES = [
    "v_capaian_layanan",
    "v_capaian_urusan",
    "v_capaian_wilayah",
    "v_capaian_provinsi",
    "v_capaian_provinsi_urusan",
    "v_proyeksi_layanan",
    "v_proyeksi_urusan",
    "v_proyeksi_wilayah",
]


def figures(db: Database) -> dict:
    out = {}
    for view in FIGURES:
        frame = db.df(f"SELECT * FROM {view}")
        keys = [
            c
            for c in (
                "kode_wilayah",
                "kode_provinsi",
                "tahun",
                "triwulan",
                "urusan",
                "kode_layanan",
            )
            if c in frame.columns
        ]
        out[view] = frame.sort_values(keys).reset_index(drop=True)
    return out


def assert_same(before: dict, after: dict) -> None:
    for view, frame in before.items():
        assert list(after[view].columns) == list(frame.columns), view
        assert after[view].equals(frame), view


def test_migration_and_default_catalog_change_no_figure(demo_db_path, tmp_path):
    """An existing demo database before the mutu items (no catalog, no item table)
    migrated now, then the default catalog loaded: every figure bit for bit the same.
    (That these views give today's figures on pairs is tests/capaian/test_silang.py.)"""
    with Database.open(demo_db_path) as db:
        # as before the items: no item rows, the default catalog (one item per kelompok)
        db.execute("DELETE FROM spm_mutu")
        mutu_item.load(db, mutu_item.DEFAULT_FILE, by="uji")
        before = figures(db)
        # back to the database as it was before migration 1420
        db.execute("DROP TABLE mutu_item; DROP TABLE mutu_katalog; DROP TABLE spm_mutu")
        db.execute("DELETE FROM _migrations WHERE name = '1420_mutu_item'")
    old = tmp_path / "lama.duckdb"
    shutil.copy(demo_db_path, old)
    with Database.open(old) as db:
        assert "1420_mutu_item" in db.applied_migrations()
        assert mutu_item.current_version(db) == 1  # the default catalog, from the migration
        assert_same(before, figures(db))
        assert not mutu_item.load(db, mutu_item.DEFAULT_FILE, by="uji")["baru"]
        # a catalog with several items changes no figure until items are sent
        mutu_item.load(db, mutu_item.SAMPLE_FILE, by="uji")
        after = figures(db)
        for view in FIGURES:
            if view != "v_capaian_wilayah":
                assert after[view].equals(before[view]), view
        wilayah = after["v_capaian_wilayah"].drop(columns=["sel_wajib", "keterisian"])
        assert wilayah.equals(before["v_capaian_wilayah"].drop(columns=["sel_wajib", "keterisian"]))


def test_demo_sends_items_for_three_services(demo_db):
    sent = demo_db.df(
        "SELECT kode_layanan, count(DISTINCT kode_item) AS item FROM spm_mutu GROUP BY ALL "
        "ORDER BY ALL"
    )
    assert sent.to_dict("records") == [
        {"kode_layanan": "KES-K-01", "item": 7},
        {"kode_layanan": "KES-K-08", "item": 12},
        {"kode_layanan": "KES-K-09", "item": 9},
    ]
    assert not demo_db.scalar(
        "SELECT count(*) FROM spm_data WHERE kode_layanan = 'KES-K-08' "
        "AND mutu_barang_jasa_kebutuhan IS NOT NULL"
    )
    assert (
        demo_db.scalar(
            "SELECT count(capaian_mutu) FROM v_spm_layanan WHERE kode_layanan = 'KES-K-08'"
        )
        > 0
    )
