"""The dashboards' query layer on real demo databases: every figure matches the views."""

import pandas as pd
import pytest

from pipelines import dashboards as q
from pipelines import settings
from pipelines.store import Database

KABKOTA = ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]


def base(db: Database):
    return q.pilihan(db), q.spm_wilayah(db), q.spm_urusan(db), q.spm_layanan(db)


def latest(db: Database) -> tuple[int, int]:
    return tuple(
        db.rows(
            "SELECT max(tahun), max(triwulan) FROM spm_data WHERE tahun = "
            "(SELECT max(tahun) FROM spm_data)"
        )[0]
    )


def test_choices_offer_periods_regions_urusan_and_bands(demo_db):
    pil = q.pilihan(demo_db)
    assert pil.provinsi == "19" and pil.nama_provinsi == "Kepulauan Bangka Belitung"
    assert pil.tahun == [2025, 2024, 2023, 2022]
    assert pil.triwulan(2024) == [1, 2, 3, 4]
    assert pil.wilayah["kode"].tolist() == ["19", *KABKOTA]
    assert pil.urusan[0] == "Pendidikan" and len(pil.urusan) == 6
    assert pil.kategori["kategori"].iloc[0] == "Tuntas Paripurna"
    assert pil.tahun_lppd == [2024, 2023, 2022]
    assert not pil.kosong


def test_empty_database_has_no_choices(db):
    pil = q.pilihan(db)
    assert pil.kosong and pil.tahun == [] and pil.tahun_lppd == []
    wil = q.spm_wilayah(db)
    assert wil.empty
    prov = q.ip_spm_provinsi(pil, wil, 2025, 4)
    assert prov.nilai is None and prov.kategori is None and prov.selisih_tahun_lalu is None
    assert q.layanan_tertinggal(pil, q.spm_layanan(db), {}, 2025, 4).empty
    assert q.tren_tahunan(pil, wil, 4).empty


def test_province_ip_spm_is_the_mean_of_its_regions_with_last_year(demo_db):
    tahun, tw = latest(demo_db)
    regions = demo_db.df(
        "SELECT tahun, nilai FROM v_spm_wilayah WHERE kode_wilayah LIKE '19.%' AND triwulan = ?",
        [tw],
    )
    pil, wil, _, _ = base(demo_db)
    prov = q.ip_spm_provinsi(pil, wil, tahun, tw)
    now = regions[regions["tahun"] == tahun]["nilai"]
    before = regions[regions["tahun"] == tahun - 1]["nilai"]
    assert prov.nilai == pytest.approx(now.mean())
    assert prov.nilai_tahun_lalu == pytest.approx(before.mean())
    assert prov.selisih_tahun_lalu == pytest.approx(now.mean() - before.mean())
    assert prov.jumlah_kabkota == 7 and prov.jumlah_kabkota_dinilai == len(now)
    bands = settings.current(demo_db)["kategori"]
    expected = max((b for b in bands if b["min"] <= round(prov.nilai, 6)), key=lambda b: b["min"])
    assert prov.kategori == expected["nama"]
    own = demo_db.scalar(
        "SELECT nilai FROM v_spm_wilayah WHERE kode_wilayah = '19' AND tahun = ? AND triwulan = ?",
        [tahun, tw],
    )
    assert prov.nilai_layanan_provinsi == pytest.approx(own)


def test_base_frames_hold_only_the_served_province(demo_db):
    for frame in base(demo_db)[1:]:
        codes = set(frame["kode_wilayah"])
        assert codes <= {"19", *KABKOTA} and "19.01" in codes


def test_category_bands_in_python_match_the_views(demo_db):
    pil = q.pilihan(demo_db)
    rows = demo_db.df("SELECT nilai, kategori FROM v_spm_wilayah WHERE nilai IS NOT NULL")
    for nilai, kategori in zip(rows["nilai"], rows["kategori"], strict=True):
        assert q.kategori_dari(pil.kategori, nilai) == kategori
    assert q.kategori_dari(pil.kategori, 100) == "Tuntas Paripurna"
    assert q.kategori_dari(pil.kategori, 89.99) == "Tuntas Madya"
    assert q.kategori_dari(pil.kategori, 89.9999999) == "Tuntas Utama"  # rounded as the views
    assert q.kategori_dari(pil.kategori, None) is None


def test_ranking_lists_every_region_best_first_and_missing_last(demo_db):
    tahun, tw = latest(demo_db)
    demo_db.execute("DELETE FROM spm_data WHERE kode_wilayah = '19.04' AND tahun = ?", [tahun])
    pil, wil, _, _ = base(demo_db)
    ranking = q.peringkat_wilayah(pil, wil, tahun, tw)
    assert sorted(ranking["kode_wilayah"]) == KABKOTA
    assert ranking["kode_wilayah"].iloc[-1] == "19.04" or ranking["nilai"].isna().sum() > 1
    assert ranking.loc[ranking["kode_wilayah"] == "19.04", "nilai"].isna().all()
    rated = ranking["nilai"].dropna().tolist()
    assert rated == sorted(rated, reverse=True)
    row = ranking[ranking["nilai"].notna()].iloc[0]
    view = demo_db.rows(
        "SELECT a.nilai, a.nilai - b.nilai FROM v_spm_wilayah a JOIN v_spm_wilayah b "
        "ON b.kode_wilayah = a.kode_wilayah AND b.triwulan = a.triwulan AND b.tahun = a.tahun - 1 "
        "WHERE a.kode_wilayah = ? AND a.tahun = ? AND a.triwulan = ?",
        [row["kode_wilayah"], tahun, tw],
    )[0]
    assert row["nilai"] == pytest.approx(view[0])
    assert row["selisih_tahun_lalu"] == pytest.approx(view[1])


def test_heatmap_rows_are_the_urusan_view(demo_db):
    heat = q.urusan_per_wilayah(q.spm_urusan(demo_db), 2024, 4)
    view = demo_db.df(
        "SELECT kode_wilayah, urusan, nilai FROM v_spm_urusan WHERE tahun = 2024 AND triwulan = 4 "
        "AND kode_wilayah LIKE '19%'"
    )
    merged = heat.merge(view, on=["kode_wilayah", "urusan"], suffixes=("", "_v"))
    assert len(merged) == len(heat) == len(view)
    pd.testing.assert_series_equal(merged["nilai"], merged["nilai_v"], check_names=False)


def test_trend_has_each_region_and_the_aggregate_per_year(demo_db):
    pil, wil, _, _ = base(demo_db)
    trend = q.tren_tahunan(pil, wil, 4)
    agg = trend[trend["agregat"]]
    assert agg["tahun"].tolist() == [2022, 2023, 2024, 2025]
    per_year = trend[~trend["agregat"]].groupby("tahun")["nilai"].mean()
    assert agg["nilai"].tolist() == pytest.approx(per_year.tolist())


def test_services_furthest_behind_with_people_and_cost(demo_db):
    settings.save(demo_db, {"biaya_satuan": {"PU-K-02": 250000}}, by="test")
    pil, _, _, lay = base(demo_db)
    biaya = settings.current(demo_db)["biaya_satuan"]
    behind = q.layanan_tertinggal(pil, lay, biaya, 2024, 4, n=5)
    assert len(behind) == 5
    assert behind["nilai"].tolist() == sorted(behind["nilai"].tolist())
    all_means = demo_db.df(
        "SELECT kode_layanan, avg(nilai) AS nilai FROM v_spm_layanan l "
        "WHERE tahun = 2024 AND triwulan = 4 AND nilai IS NOT NULL GROUP BY kode_layanan "
        "ORDER BY nilai LIMIT 5"
    )
    assert behind["kode_layanan"].tolist() == all_means["kode_layanan"].tolist()
    first = behind.iloc[0]
    raw = demo_db.scalar(
        "SELECT sum(greatest(jumlah_sasaran - jumlah_terlayani, 0)) FROM spm_data "
        "WHERE tahun = 2024 AND triwulan = 4 AND kode_layanan = ? AND jumlah_sasaran > 0",
        [first["kode_layanan"]],
    )
    assert first["kurang_terlayani"] == raw
    pu = behind[behind["kode_layanan"] == "PU-K-02"]
    if not pu.empty:
        assert pu["perkiraan_biaya"].iloc[0] == pu["kurang_terlayani"].iloc[0] * 250000
    others = behind[behind["kode_layanan"] != "PU-K-02"]
    assert others["perkiraan_biaya"].isna().all()


def test_service_figures_of_one_region(demo_db):
    lay = q.spm_layanan(demo_db)
    rows = q.capaian_layanan(lay, 2024, 4, "19.02", "Kesehatan")
    assert len(rows) == 12 and set(rows["urusan"]) == {"Kesehatan"}
    all_rows = q.capaian_layanan(lay, 2024, 4, "19.02")
    assert len(all_rows) == 29
    r = rows.iloc[0]
    assert r["kurang_terlayani"] == max(r["jumlah_sasaran"] - r["jumlah_terlayani"], 0)


def test_progress_projects_the_year_end_from_the_pace_so_far(demo_db):
    demo_db.execute(
        "DELETE FROM spm_data WHERE kode_wilayah = '19.02' AND tahun = 2025 AND triwulan > 2"
    )
    lay = q.spm_layanan(demo_db)
    prog = q.progres_triwulan(lay, 2025, "19.02", "KES-K-01")
    assert prog["triwulan"].tolist() == [1, 2, 4]
    assert prog["proyeksi"].tolist() == [False, False, True]
    tw2 = prog.iloc[1]
    expected = min(tw2["jumlah_terlayani"] / 2 * 4, tw2["jumlah_sasaran"])
    assert prog.iloc[2]["jumlah_terlayani"] == pytest.approx(expected)
    full = q.progres_triwulan(lay, 2024, "19.02")
    assert full["triwulan"].max() == 4 and not full["proyeksi"].any()  # year complete


def test_explanation_carries_inputs_and_submission(demo_db):
    detail = q.penjelasan(demo_db, "19.02", 2024, 4, "KES-K-01")
    assert detail.baris["kode_layanan"] == "KES-K-01"
    assert detail.submission["id"] == detail.baris["submission_id"]
    assert detail.bobot_penerima == 0.8 and detail.bobot_mutu == 0.2
    assert q.penjelasan(demo_db, "19.02", 2024, 4, "TIDAK-ADA") is None


def test_tile_layout_uses_the_hand_made_table_and_falls_back_to_a_grid():
    regions = pd.DataFrame({"kode": ["a", "b", "c", "d", "e"], "nama": list("ABCDE")})
    grid = q.susun_tile(regions, None)
    assert list(zip(grid["kolom"], grid["baris"], strict=True)) == [
        (0, 0),
        (1, 0),
        (2, 0),
        (0, 1),
        (1, 1),
    ]
    layout = pd.DataFrame({"kode": ["a", "b"], "kolom": [3, 0], "baris": [0, 1]})
    placed = q.susun_tile(regions, layout).set_index("kode")
    assert (placed.loc["a", "kolom"], placed.loc["a", "baris"]) == (3, 0)
    # the rest below the layout, never on top of a placed tile
    assert (placed.loc[["c", "d", "e"], "baris"] >= 3).all()
    assert len(set(zip(placed["kolom"], placed["baris"], strict=True))) == 5


def test_shipped_layout_covers_every_region_of_province_19(demo_db):
    import pandas as pd

    layout = pd.read_csv("data/peta/tile_grid_19.csv", dtype={"kode": str})
    tiles = q.tata_letak_peta(q.pilihan(demo_db), {"19": layout})
    assert sorted(tiles["kode"]) == KABKOTA
    assert len(set(zip(tiles["kolom"], tiles["baris"], strict=True))) == 7
    assert tiles.set_index("kode").loc["19.05", "kolom"] == 0  # Bangka Barat in the west


def test_lppd_completeness_counts(demo_db):
    lengkap = q.lppd_kelengkapan(demo_db, 2024).set_index("kode_wilayah")
    katalog = demo_db.scalar("SELECT count(*) FROM ikk")
    filled = demo_db.scalar(
        "SELECT count(capaian) FROM lppd_data WHERE kode_wilayah = '19.01' AND tahun = 2024"
    )
    dukung = demo_db.scalar(
        "SELECT count(*) FROM lppd_data WHERE kode_wilayah = '19.01' AND tahun = 2024 "
        "AND capaian IS NOT NULL AND coalesce(trim(data_dukung), '') <> ''"
    )
    row = lengkap.loc["19.01"]
    assert (row["ikk_katalog"], row["ikk_terisi"], row["ikk_data_dukung"]) == (
        katalog,
        filled,
        dukung,
    )
    assert row["persen_terisi"] == pytest.approx(filled / katalog * 100)


def test_lppd_urusan_comparison_and_trend(demo_db):
    per_urusan = q.lppd_urusan(demo_db, 2024)
    one = per_urusan[(per_urusan["kode_wilayah"] == "19.01")]
    direct = demo_db.df(
        "SELECT i.urusan, avg(d.capaian) AS capaian FROM lppd_data d JOIN ikk i USING (kode_ikk) "
        "WHERE d.kode_wilayah = '19.01' AND d.tahun = 2024 GROUP BY i.urusan"
    ).set_index("urusan")
    for urusan, capaian in zip(one["urusan"], one["capaian"], strict=True):
        assert capaian == pytest.approx(direct.loc[urusan, "capaian"])
    banding = q.lppd_ikk(demo_db, 2024, "PEND-01")
    values = banding["capaian"].dropna().tolist()
    assert values == sorted(values, reverse=True)
    trend = q.lppd_tren(demo_db)
    assert sorted(trend["tahun"].unique()) == [2022, 2023, 2024]


def test_reporting_completeness_of_one_triwulan(demo_db):
    lengkap = q.kelengkapan_periode(demo_db, 2025, 4).set_index("form")
    assert lengkap.loc["spm-kabkota", "diharapkan"] == 7
    received = demo_db.scalar(
        "SELECT count(DISTINCT kode_wilayah) FROM submission WHERE form = 'spm-kabkota' "
        "AND tahun = 2025 AND triwulan = 4 AND status <> 'draf'"
    )
    row = lengkap.loc["spm-kabkota"]
    assert row["diterima"] == received
    assert row["tepat_waktu"] + row["terlambat"] == received
    assert row["belum"] == 7 - received
