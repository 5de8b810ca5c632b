"""The dashboards' data layer on real demo databases: every figure is the capaian
views' figure, selected for the served province."""

import pandas as pd
import pytest

from pipelines.capaian import completeness, dashboards, materi, query
from pipelines.core import settings
from pipelines.db.store import Database

KABKOTA = ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]


def base(db: Database):
    return (
        dashboards.pilihan(db),
        dashboards.spm_wilayah(db),
        dashboards.spm_urusan(db),
        dashboards.spm_layanan(db),
    )


def test_choices_offer_periods_regions_urusan_and_bands(demo_db):
    pil = dashboards.pilihan(demo_db)
    assert pil.provinsi == "19" and pil.nama_provinsi == "Kepulauan Bangka Belitung"
    assert pil.tahun == [2025, 2024, 2023, 2022]
    assert pil.triwulan(2024) == [1, 2, 3, 4]
    assert pil.wilayah["kode"].tolist() == ["19", *KABKOTA]
    assert pil.urusan[0] == "Pendidikan" and len(pil.urusan) == 6
    assert pil.kategori["kategori"].iloc[0] == "Tuntas Paripurna"
    assert pil.tahun_lppd == [2024, 2023, 2022]
    assert not pil.kosong


def test_empty_database_has_no_choices_and_no_figures(db):
    pil = dashboards.pilihan(db)
    assert pil.kosong and pil.tahun == [] and pil.tahun_lppd == []
    wil, lay = dashboards.spm_wilayah(db), dashboards.spm_layanan(db)
    assert wil.empty and lay.empty
    prov = dashboards.ip_spm_provinsi(dashboards.provinsi(db), 2025, 4)
    assert prov.nilai is None and prov.kategori is None and prov.selisih_tahun_lalu is None
    assert dashboards.layanan_tertinggal(lay, 2025, 4).empty
    assert dashboards.tren_tahunan(pil, wil, dashboards.provinsi(db), 4).empty
    assert dashboards.lppd_tren(dashboards.lppd_ikk_semua(db)).empty
    assert dashboards.lppd_urusan(dashboards.lppd_ikk_semua(db), 2024).empty


def test_base_frames_hold_only_the_served_province(demo_db):
    for frame in base(demo_db)[1:]:
        codes = set(frame["kode_wilayah"])
        assert codes <= {"19", *KABKOTA} and "19.01" in codes


def test_base_frames_are_the_capaian_api_rows(demo_db):
    _, wil, _, lay = base(demo_db)
    api = query.capaian(demo_db, 2024, 4, level="wilayah", provinsi="19")
    mine = wil[(wil["tahun"] == 2024) & (wil["triwulan"] == 4)]
    merged = mine.merge(api, on="kode_wilayah", suffixes=("", "_api"))
    assert len(merged) == len(api) > 0
    for col in ("nilai", "selisih_tahun_lalu", "kurang_terlayani"):
        pd.testing.assert_series_equal(
            merged[col], merged[f"{col}_api"], check_names=False, check_dtype=False
        )
    api_l = query.capaian(demo_db, 2024, 4, "19.02", level="layanan")
    mine_l = dashboards.capaian_layanan(lay, 2024, 4, "19.02")
    assert mine_l["kode_layanan"].tolist() == api_l["kode_layanan"].tolist()
    assert mine_l["nilai"].tolist() == pytest.approx(api_l["nilai"].tolist(), nan_ok=True)


def test_province_figures_come_from_the_aggregate_view(demo_db):
    agg = dashboards.provinsi(demo_db)
    prov = dashboards.ip_spm_provinsi(agg, 2025, 4)
    view = query.agregat_provinsi(demo_db, 2025, 4).iloc[0]
    before = query.agregat_provinsi(demo_db, 2024, 4).iloc[0]
    assert prov.nilai == pytest.approx(view["nilai_rata_rata_kabkota"])
    assert prov.kategori == view["kategori_rata_rata_kabkota"]
    assert prov.nilai_tertimbang == pytest.approx(view["nilai_tertimbang_sasaran"])
    assert prov.nilai_layanan_provinsi == pytest.approx(view["nilai_provinsi"])
    assert prov.selisih_tahun_lalu == pytest.approx(
        view["nilai_rata_rata_kabkota"] - before["nilai_rata_rata_kabkota"]
    )
    assert prov.jumlah_kabkota == 7
    # and that aggregate is the mean of the regions' IP-SPM
    regions = demo_db.df(
        "SELECT nilai FROM v_spm_wilayah WHERE kode_wilayah LIKE '19.%' AND tahun = 2025 "
        "AND triwulan = 4"
    )
    assert prov.nilai == pytest.approx(regions["nilai"].mean())


def test_ranking_lists_every_region_best_first_and_missing_last(demo_db):
    demo_db.execute("DELETE FROM spm_data WHERE kode_wilayah = '19.04' AND tahun = 2025")
    materi.ubah(demo_db, [("19.04", 2025)])
    pil, wil, _, _ = base(demo_db)
    ranking = dashboards.peringkat_wilayah(pil, wil, 2025, 4)
    assert sorted(ranking["kode_wilayah"]) == KABKOTA
    assert ranking.loc[ranking["kode_wilayah"] == "19.04", "nilai"].isna().all()
    rated = ranking["nilai"].dropna().tolist()
    assert rated == sorted(rated, reverse=True)
    assert ranking["nilai"].isna().tolist() == sorted(ranking["nilai"].isna().tolist())
    row = ranking.iloc[0]
    api = query.capaian(demo_db, 2025, 4, row["kode_wilayah"], level="wilayah").iloc[0]
    assert row["nilai"] == pytest.approx(api["nilai"])
    assert row["selisih_tahun_lalu"] == pytest.approx(api["selisih_tahun_lalu"], nan_ok=True)
    assert "19" not in set(ranking["kode_wilayah"])  # the province is never a peer


def test_heatmap_rows_are_the_urusan_view(demo_db):
    heat = dashboards.urusan_per_wilayah(dashboards.spm_urusan(demo_db), 2024, 4)
    view = query.capaian(demo_db, 2024, 4, level="urusan", provinsi="19")
    merged = heat.merge(view, on=["kode_wilayah", "urusan"], suffixes=("", "_v"))
    assert len(merged) == len(heat) == len(view)
    assert merged["nilai"].tolist() == pytest.approx(merged["nilai_v"].tolist(), nan_ok=True)


def test_trend_has_each_region_and_the_aggregate_per_year(demo_db):
    pil, wil, _, _ = base(demo_db)
    trend = dashboards.tren_tahunan(pil, wil, dashboards.provinsi(demo_db), 4)
    agg = trend[trend["agregat"]]
    assert agg["tahun"].tolist() == [2022, 2023, 2024, 2025]
    per_year = trend[~trend["agregat"]].groupby("tahun")["nilai"].mean()
    assert agg["nilai"].tolist() == pytest.approx(per_year.tolist())


def test_services_furthest_behind_follow_the_kebutuhan_api(demo_db):
    settings.save(demo_db, {"biaya_satuan": {"PU-K-02": 250000}}, by="test")
    behind = dashboards.layanan_tertinggal(dashboards.spm_layanan(demo_db), 2024, 4, n=5)
    api = query.kebutuhan(demo_db, 2024, 4, provinsi="19", terbesar=5)
    assert len(behind) == 5
    assert list(zip(behind["kode_wilayah"], behind["kode_layanan"], strict=True)) == list(
        zip(api["kode_wilayah"], api["kode_layanan"], strict=True)
    )
    assert behind["kurang_terlayani"].tolist() == api["kurang_terlayani"].tolist()
    assert behind["perkiraan_biaya"].tolist() == pytest.approx(
        api["perkiraan_biaya"].tolist(), nan_ok=True
    )
    assert all(" — " in name for name in behind["nama_layanan"])  # service — region


def test_service_figures_of_one_region(demo_db):
    lay = dashboards.spm_layanan(demo_db)
    rows = dashboards.capaian_layanan(lay, 2024, 4, "19.02", "Kesehatan")
    assert len(rows) == 12 and set(rows["urusan"]) == {"Kesehatan"}
    assert len(dashboards.capaian_layanan(lay, 2024, 4, "19.02")) == 29


def test_progress_adds_the_projection_of_the_capaian_api(demo_db):
    demo_db.execute(
        "DELETE FROM spm_data WHERE kode_wilayah = '19.02' AND tahun = 2025 AND triwulan > 2"
    )
    materi.ubah(demo_db, [("19.02", 2025)])
    lay = dashboards.spm_layanan(demo_db)
    proj = dashboards.proyeksi_layanan(demo_db, 2025, 2, "19.02")
    prog = dashboards.progres_triwulan(lay, proj, 2025, "19.02", "KES-K-01")
    assert prog["triwulan"].tolist() == [1, 2, 4]
    assert prog["proyeksi"].tolist() == [False, False, True]
    one = proj[proj["kode_layanan"] == "KES-K-01"].iloc[0]
    assert prog.iloc[2]["jumlah_terlayani"] == one["proyeksi_terlayani"]
    assert prog.iloc[2]["metode_proyeksi"] == one["metode_proyeksi"]
    summed = dashboards.progres_triwulan(lay, proj, 2025, "19.02")
    assert summed.iloc[-1]["jumlah_terlayani"] == proj["proyeksi_terlayani"].sum()
    full = dashboards.progres_triwulan(lay, None, 2024, "19.02")
    assert full["triwulan"].max() == 4 and not full["proyeksi"].any()  # year complete


def test_map_rows_are_the_ranking_with_the_shape_flag(demo_db):
    pil, wilayah, *_ = base(demo_db)
    rows = dashboards.peta(pil, wilayah, 2025, 4).set_index("kode")
    assert sorted(rows.index) == KABKOTA and rows["di_peta"].all()
    ranking = dashboards.peringkat_wilayah(pil, wilayah, 2025, 4).set_index("kode_wilayah")
    columns = ["nilai", "kategori", "selisih_tahun_lalu"]
    pd.testing.assert_frame_equal(
        rows.loc[KABKOTA, columns], ranking.loc[KABKOTA, columns], check_names=False
    )


def test_lppd_figures_come_from_the_lppd_views(demo_db):
    ikk = dashboards.lppd_ikk_semua(demo_db)
    per_urusan = dashboards.lppd_urusan(ikk, 2024)
    one = per_urusan[per_urusan["kode_wilayah"] == "19.01"].set_index("urusan")
    api = query.lppd_capaian(demo_db, 2024, "19.01")
    for urusan, group in api.groupby("urusan"):
        assert one.loc[urusan, "capaian"] == pytest.approx(group["capaian"].mean())
    lengkap = dashboards.lppd_kelengkapan(dashboards.lppd_kelengkapan_semua(demo_db), 2024)
    view = query.lppd_kelengkapan(demo_db, 2024)
    assert lengkap["persen_terisi"].tolist() == pytest.approx(view["persen_terisi"].tolist())
    banding = dashboards.lppd_banding(ikk, 2024, "PEND-01")
    values = banding["capaian"].dropna().tolist()
    assert values == sorted(values, reverse=True) and len(values) == 8
    trend = dashboards.lppd_tren(ikk)
    assert sorted(trend["tahun"].unique()) == [2022, 2023, 2024]


def test_completeness_per_unit_sums_the_forms(demo_db):
    per_wilayah = completeness.ringkasan_kelengkapan(demo_db, 2025, 4, per="wilayah")
    units = dashboards.kelengkapan_per_unit(per_wilayah, "nama_wilayah")
    # Per region, the provincial form (one report per OPD) is counted per OPD instead.
    regional = per_wilayah[per_wilayah["form"] != "spm-provinsi"]
    assert units["diharapkan"].sum() == regional["diharapkan"].sum()
    parts = ["tepat_waktu", "terlambat_perpanjangan", "terlambat", "belum"]
    assert units[parts].sum(axis=1).tolist() == units["diharapkan"].tolist()
