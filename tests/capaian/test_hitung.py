"""Hand-computed cases of the SPM and LPPD method (shared/reference/domain.md)."""

from __future__ import annotations

import pytest

from pipelines.capaian import query
from pipelines.capaian.explain import explain
from pipelines.core import settings
from pipelines.errors import SpmError
from tests.capaian_helpers import kirim, kirim_lppd, layanan, one

WORKED = layanan("KES-K-01", 1250, 1000, bj=(40, 30), sdm=(10, 12))


def row(db, kode_wilayah="19.01", tahun=2025, triwulan=2, kode_layanan="KES-K-01"):
    return one(
        db,
        "SELECT * FROM v_capaian_layanan WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ? "
        "AND kode_layanan = ?",
        [kode_wilayah, tahun, triwulan, kode_layanan],
    )


def urusan(db, urusan_nama, kode_wilayah="19.01", tahun=2025, triwulan=2):
    return one(
        db,
        "SELECT * FROM v_capaian_urusan WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ? "
        "AND urusan = ?",
        [kode_wilayah, tahun, triwulan, urusan_nama],
    )


def wilayah(db, kode_wilayah="19.01", tahun=2025, triwulan=2):
    return one(
        db,
        "SELECT * FROM v_capaian_wilayah WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ?",
        [kode_wilayah, tahun, triwulan],
    )


# 1 ---------------------------------------------------------------------------------
def test_worked_example_of_domain_md(db):
    kirim(db, "19.01", 2025, 2, [WORKED])
    r = row(db)
    assert r["capaian_penerima"] == pytest.approx(80.0)
    assert r["capaian_mutu_barang_jasa"] == pytest.approx(75.0)
    assert r["capaian_mutu_sdm"] == pytest.approx(100.0)
    assert r["capaian_mutu"] == pytest.approx(87.5)
    assert r["nilai"] == pytest.approx(81.5)
    assert r["kategori"] == "Tuntas Madya"
    assert r["tanpa_sasaran"] is False
    assert r["versi_setting"] == settings.current_version(db)
    assert r["status_submission"] == "diajukan"


# 2 ---------------------------------------------------------------------------------
def test_sasaran_zero_is_tidak_ada_sasaran_and_left_out_of_means(db):
    kirim(
        db,
        "19.01",
        2025,
        2,
        [layanan("KES-K-10", 0, 0, bj=(5, 5), sdm=(1, 1)), layanan("KES-K-02", 100, 90)],
    )
    r = row(db, kode_layanan="KES-K-10")
    assert r["capaian_penerima"] is None and r["nilai"] is None
    assert r["kategori"] == "Tidak ada sasaran" and r["tanpa_sasaran"] is True
    assert r["kurang_terlayani"] == 0
    u = urusan(db, "Kesehatan")
    assert u["nilai"] == pytest.approx(90.0)  # not (90 + 0) / 2, not (90 + 100) / 2
    assert (u["jumlah_layanan"], u["jumlah_layanan_dinilai"]) == (2, 1)
    assert u["kategori"] == "Tuntas Utama"


# 3 ---------------------------------------------------------------------------------
def test_terlayani_above_sasaran_is_capped_at_100(db):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 500, 620, bj=(10, 14), sdm=(2, 2))])
    r = row(db)
    assert r["capaian_penerima"] == pytest.approx(100.0)
    assert r["capaian_mutu"] == pytest.approx(100.0)
    assert r["nilai"] == pytest.approx(100.0)
    assert r["kategori"] == "Tuntas Paripurna"
    assert r["kurang_terlayani"] == 0  # never negative


# 4 ---------------------------------------------------------------------------------
def test_no_mutu_pair_nilai_is_penerima_alone(db):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 1000, 600, bj=(0, 3), sdm=(0, 0))])
    r = row(db)
    assert r["capaian_mutu"] is None
    assert r["nilai"] == pytest.approx(60.0)
    assert r["kategori"] == "Tuntas Muda"  # 60 is the lower bound of Tuntas Muda


# 5 ---------------------------------------------------------------------------------
def test_one_mutu_pair_only(db):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 1000, 900, bj=(0, 0), sdm=(10, 5))])
    r = row(db)
    assert r["capaian_mutu_barang_jasa"] is None
    assert r["capaian_mutu"] == pytest.approx(50.0)
    assert r["nilai"] == pytest.approx(0.8 * 90 + 0.2 * 50)  # 82
    assert r["kategori"] == "Tuntas Madya"
    assert r["kekurangan_mutu_sdm"] == 5 and r["kekurangan_mutu_barang_jasa"] is None


# 6 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("terlayani", "kategori"),
    [
        (1000, "Tuntas Paripurna"),
        (999, "Tuntas Utama"),
        (900, "Tuntas Utama"),
        (899, "Tuntas Madya"),
        (800, "Tuntas Madya"),
        (700, "Tuntas Pratama"),
        (699, "Tuntas Muda"),
        (599, "Belum Tuntas"),
        (0, "Belum Tuntas"),
    ],
)
def test_category_bands_at_their_edges(db, terlayani, kategori):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 1000, terlayani)])
    r = row(db)
    assert r["nilai"] == pytest.approx(terlayani / 10)
    assert r["kategori"] == kategori


# 7 ---------------------------------------------------------------------------------
def test_urusan_is_mean_of_services_and_ip_spm_mean_of_urusan(db):
    kirim(
        db,
        "19.01",
        2025,
        2,
        [
            WORKED,  # 81,5
            layanan("KES-K-02", 1000, 600),  # 60
            layanan("PEND-K-01", 200, 190),  # 95
            layanan("PEND-K-02", 100, 85),  # 85
            layanan("PEND-K-03", 50, 0),  # 0
        ],
    )
    kes, pend = urusan(db, "Kesehatan"), urusan(db, "Pendidikan")
    assert kes["nilai"] == pytest.approx((81.5 + 60) / 2)  # 70,75
    assert kes["kategori"] == "Tuntas Pratama"
    assert pend["nilai"] == pytest.approx((95 + 85 + 0) / 3)  # 60
    w = wilayah(db)
    assert w["nilai"] == pytest.approx((70.75 + 60) / 2)  # 65,375
    assert w["kategori"] == "Tuntas Muda"
    assert (w["jumlah_urusan"], w["jumlah_urusan_dinilai"]) == (2, 2)


# 8 ---------------------------------------------------------------------------------
def test_region_missing_a_whole_urusan_is_scored_on_the_urusan_it_sent(db):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 100, 80), layanan("SOS-K-01", 10, 10)])
    kinds = query.capaian(db, 2025, 2, "19.01", level="urusan")
    assert sorted(kinds["urusan"]) == ["Kesehatan", "Sosial"]  # no Pendidikan row at all
    w = wilayah(db)
    assert w["nilai"] == pytest.approx((80 + 100) / 2)
    assert w["jumlah_urusan"] == 2


# 9 ---------------------------------------------------------------------------------
def test_missing_submission_is_absent_never_zero(db):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 100, 80)])
    for level in query.LEVELS:
        assert query.capaian(db, 2025, 2, "19.02", level=level).empty
        assert query.capaian(db, 2025, 1, "19.01", level=level).empty
    agg = query.agregat_provinsi(db, 2025, 2, "19").iloc[0]
    assert agg["nilai_rata_rata_kabkota"] == pytest.approx(80.0)  # not (80 + 0 * 6) / 7
    assert (agg["jumlah_kabkota"], agg["jumlah_kabkota_melapor"]) == (7, 1)
    assert agg["nilai_provinsi"] != agg["nilai_provinsi"]  # NaN: no provincial data sent
    with pytest.raises(SpmError, match="belum dikirim"):
        explain(db, "19.02", 2025, 2, "KES-K-01")


# 10 --------------------------------------------------------------------------------
def test_province_aggregate_mean_weighted_and_own_services(db):
    # 19.01: KES-K-01 80 (sasaran 300); PEND-K-01 100 (sasaran 100) -> IP (80 + 100) / 2 = 90
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 300, 240), layanan("PEND-K-01", 100, 100)])
    # 19.02: KES-K-01 60 (sasaran 100) -> IP 60
    kirim(db, "19.02", 2025, 2, [layanan("KES-K-01", 100, 60)], status="final")
    # the province's own services: PEND-P-01 70, SOS-P-01 90 -> IP 80
    kirim(db, "19", 2025, 2, [layanan("PEND-P-01", 100, 70)], kode_opd="disdik", status="final")
    kirim(db, "19", 2025, 2, [layanan("SOS-P-01", 10, 9)], kode_opd="dinsos", status="final")
    agg = query.agregat_provinsi(db, 2025, 2).iloc[0]
    assert agg["nilai_rata_rata_kabkota"] == pytest.approx((90 + 60) / 2)
    assert agg["kategori_rata_rata_kabkota"] == "Tuntas Pratama"
    # weighted: KES-K-01 (80*300 + 60*100) / 400 = 75; Kesehatan 75, Pendidikan 100 -> 87,5
    assert agg["nilai_tertimbang_sasaran"] == pytest.approx((75 + 100) / 2)
    assert agg["kategori_tertimbang_sasaran"] == "Tuntas Madya"
    assert agg["nilai_provinsi"] == pytest.approx(80.0)
    assert agg["kategori_provinsi"] == "Tuntas Madya"
    assert agg["status_kabkota"] == "diajukan"  # the weakest of diajukan, final
    assert agg["status_provinsi"] == "final"
    per_urusan = query.agregat_provinsi(db, 2025, 2, per_urusan=True).set_index("urusan")
    assert per_urusan.loc["Kesehatan", "nilai_rata_rata_kabkota"] == pytest.approx(70.0)
    assert per_urusan.loc["Kesehatan", "nilai_tertimbang_sasaran"] == pytest.approx(75.0)
    assert per_urusan.loc["Pendidikan", "nilai_provinsi"] == pytest.approx(70.0)
    assert per_urusan.loc["Sosial", "nilai_provinsi"] == pytest.approx(90.0)


# 11 --------------------------------------------------------------------------------
def test_changing_weights_changes_every_figure_and_records_the_version(db):
    kirim(db, "19.01", 2025, 2, [WORKED, layanan("PEND-K-01", 100, 50, sdm=(10, 10))])
    before = settings.current_version(db)
    assert wilayah(db)["nilai"] == pytest.approx((81.5 + (0.8 * 50 + 0.2 * 100)) / 2)
    version = settings.save(db, {"bobot_penerima": 0.5, "bobot_mutu": 0.5}, by="uji")
    assert version == before + 1
    r = row(db)
    assert r["nilai"] == pytest.approx(0.5 * 80 + 0.5 * 87.5)  # 83,75
    assert r["versi_setting"] == version
    assert urusan(db, "Pendidikan")["nilai"] == pytest.approx(75.0)
    w = wilayah(db)
    assert w["nilai"] == pytest.approx((83.75 + 75) / 2)
    assert w["versi_setting"] == version
    agg = query.agregat_provinsi(db, 2025, 2).iloc[0]
    assert agg["nilai_rata_rata_kabkota"] == pytest.approx((83.75 + 75) / 2)
    assert agg["versi_setting"] == version
    assert explain(db, "19.01", 2025, 2, "KES-K-01").versi_setting == version


# 12 --------------------------------------------------------------------------------
def test_changing_bands_changes_every_category(db):
    kirim(db, "19.01", 2025, 2, [WORKED])
    assert row(db)["kategori"] == "Tuntas Madya"
    bands = settings.current(db)["kategori"]
    for band in bands:
        if band["nama"] == "Tuntas Madya":
            band["min"] = 85
    settings.save(db, {"kategori": bands}, by="uji")
    assert row(db)["kategori"] == "Tuntas Pratama"
    assert urusan(db, "Kesehatan")["kategori"] == "Tuntas Pratama"
    assert wilayah(db)["kategori"] == "Tuntas Pratama"
    agg = query.agregat_provinsi(db, 2025, 2).iloc[0]
    assert agg["kategori_rata_rata_kabkota"] == "Tuntas Pratama"
    proj = query.proyeksi(db, 2025, 2, "19.01", level="layanan").iloc[0]
    # linear: 1.000 x 4 / 2 = 2.000 of 1.250 -> 100; 0,8 x 100 + 0,2 x 87,5 = 97,5
    assert proj["proyeksi_nilai"] == pytest.approx(97.5)
    assert proj["proyeksi_kategori"] == "Tuntas Utama"


# 13 --------------------------------------------------------------------------------
def test_change_against_last_year_and_previous_triwulan(db):
    kirim(db, "19.01", 2024, 2, [layanan("KES-K-01", 100, 60)])
    kirim(db, "19.01", 2025, 1, [layanan("KES-K-01", 100, 50)])
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 100, 70)])
    kirim(db, "19.01", 2023, 3, [layanan("KES-K-01", 100, 10)])
    kirim(db, "19.01", 2025, 3, [layanan("KES-K-01", 100, 75)])
    r = row(db)
    assert (r["nilai_tahun_lalu"], r["selisih_tahun_lalu"]) == pytest.approx((60, 10))
    assert (r["nilai_triwulan_lalu"], r["selisih_triwulan_lalu"]) == pytest.approx((50, 20))
    tw1 = row(db, triwulan=1)
    assert tw1["nilai_triwulan_lalu"] is None and tw1["nilai_tahun_lalu"] is None
    tw3 = row(db, triwulan=3)  # 2024 TW3 was never sent: 2023 is not "last year"
    assert tw3["nilai_tahun_lalu"] is None
    assert tw3["selisih_triwulan_lalu"] == pytest.approx(5)
    for level in ("urusan", "wilayah"):
        frame = query.capaian(db, 2025, 2, "19.01", level=level)
        assert frame["selisih_tahun_lalu"].iloc[0] == pytest.approx(10)
        assert frame["selisih_triwulan_lalu"].iloc[0] == pytest.approx(20)


# 14 --------------------------------------------------------------------------------
def test_gap_people_mutu_and_estimated_cost(db):
    kirim(db, "19.01", 2025, 2, [WORKED, layanan("KES-K-02", 100, 40, bj=(8, 2))])
    r = row(db)
    assert r["kurang_terlayani"] == 250
    assert r["kekurangan_mutu_barang_jasa"] == 10 and r["kekurangan_mutu_sdm"] == 0
    assert r["biaya_satuan"] is None and r["perkiraan_biaya"] is None  # no unit cost set
    settings.save(db, {"biaya_satuan": {"KES-K-01": 150_000}}, by="uji")
    r = row(db)
    assert r["perkiraan_biaya"] == pytest.approx(250 * 150_000)
    u = urusan(db, "Kesehatan")
    assert u["kurang_terlayani"] == 250 + 60
    assert u["kekurangan_mutu_barang_jasa"] == 10 + 6
    assert u["perkiraan_biaya"] == pytest.approx(37_500_000)  # KES-K-02 has no unit cost
    top = query.kebutuhan(db, 2025, 2, "19.01", terbesar=1)
    assert list(top["kode_layanan"]) == ["KES-K-02"]  # 40 % is furthest behind


# 15 --------------------------------------------------------------------------------
def test_projection_linear_pattern_of_last_year_and_tw4(db):
    # last year's pace of KES-K-01: 300 by TW2 out of 900 at TW4 -> a third by TW2
    kirim(db, "19.01", 2024, 2, [layanan("KES-K-01", 1000, 300), layanan("KES-K-02", 100, 0)])
    kirim(db, "19.01", 2024, 4, [layanan("KES-K-01", 1000, 900), layanan("KES-K-02", 100, 90)])
    kirim(
        db,
        "19.01",
        2025,
        2,
        [layanan("KES-K-01", 1200, 350), layanan("KES-K-02", 100, 30, sdm=(10, 8))],
    )
    p = query.proyeksi(db, 2025, 2, "19.01", level="layanan").set_index("kode_layanan")
    assert p.loc["KES-K-01", "metode_proyeksi"] == "pola tahun lalu"
    assert p.loc["KES-K-01", "proyeksi_terlayani"] == 1050  # 350 / (300 / 900)
    assert p.loc["KES-K-01", "proyeksi_capaian_penerima"] == pytest.approx(1050 / 1200 * 100)
    assert p.loc["KES-K-01", "proyeksi_kategori"] == "Tuntas Madya"  # 87,5
    # KES-K-02 had 0 served by TW2 last year: no pace to use -> linear 30 x 4 / 2 = 60
    assert p.loc["KES-K-02", "metode_proyeksi"] == "linear"
    assert p.loc["KES-K-02", "proyeksi_terlayani"] == 60
    assert p.loc["KES-K-02", "proyeksi_nilai"] == pytest.approx(0.8 * 60 + 0.2 * 80)
    w = query.proyeksi(db, 2025, 2, "19.01").iloc[0]
    assert w["proyeksi_nilai"] == pytest.approx((87.5 + 64) / 2)
    tw4 = query.proyeksi(db, 2024, 4, "19.01", level="layanan").set_index("kode_layanan")
    assert tw4.loc["KES-K-01", "metode_proyeksi"] == "realisasi TW4"
    assert tw4.loc["KES-K-01", "proyeksi_nilai"] == pytest.approx(90.0)


# 16 --------------------------------------------------------------------------------
def test_status_of_a_figure_is_the_weakest_submission_behind_it(db):
    kirim(db, "19", 2025, 2, [layanan("PEND-P-01", 100, 70)], kode_opd="disdik", status="final")
    kirim(
        db, "19", 2025, 2, [layanan("PEND-P-02", 10, 9)], kode_opd="dinsos", status="diverifikasi"
    )
    kirim(db, "19", 2025, 2, [layanan("SOS-P-01", 10, 9)], kode_opd="dinsos2", status="final")
    assert urusan(db, "Pendidikan", "19")["status_submission"] == "diverifikasi"
    assert urusan(db, "Pendidikan", "19")["jumlah_submission"] == 2
    assert urusan(db, "Sosial", "19")["status_submission"] == "final"
    assert wilayah(db, "19")["status_submission"] == "diverifikasi"


# 17 --------------------------------------------------------------------------------
def test_lppd_rasio_langsung_ceklis_and_completeness(db):
    kirim_lppd(
        db,
        "19.01",
        2024,
        [
            {"kode_ikk": "PEND-01", "pembilang": 7012, "penyebut": 10456, "data_dukung": "a.pdf"},
            {"kode_ikk": "PEND-02", "pembilang": 5, "penyebut": 0},
            {"kode_ikk": "PEND-03", "capaian": 91.5, "data_dukung": " "},
            {"kode_ikk": "KES-04", "capaian": 180.0, "data_dukung": "kes.pdf"},
            {"kode_ikk": "PERKIM-03", "capaian": 1},
            {"kode_ikk": "LH-01", "capaian": None},
        ],
    )
    kirim_lppd(db, "19.02", 2024, [{"kode_ikk": "PERKIM-03", "capaian": 0}])
    ikk = query.lppd_capaian(db, 2024, "19.01").set_index("kode_ikk")
    assert ikk.loc["PEND-01", "capaian"] == pytest.approx(67.0620, abs=1e-4)  # 67,06 %
    assert ikk.loc["PEND-01", "sumber_capaian"] == "pembilang/penyebut"
    assert ikk.loc["PEND-02", "capaian"] != ikk.loc["PEND-02", "capaian"]  # NaN, not 0 or inf
    assert ikk.loc["PEND-02", "sumber_capaian"] == "penyebut nol"
    assert ikk.loc["PEND-03", "capaian"] == pytest.approx(91.5)
    assert ikk.loc["PEND-03", "sumber_capaian"] == "isian langsung"
    assert ikk.loc["KES-04", "capaian"] == pytest.approx(180.0)  # langsung: as entered
    assert ikk.loc["PERKIM-03", "capaian"] == 100.0
    other = query.lppd_capaian(db, 2024, "19.02").set_index("kode_ikk")
    assert other.loc["PERKIM-03", "capaian"] == 0.0
    k = query.lppd_kelengkapan(db, 2024).set_index("kode_wilayah")
    total = db.scalar("SELECT count(*) FROM ikk")
    assert k.loc["19.01", "jumlah_ikk"] == total
    assert k.loc["19.01", "ikk_terisi"] == 4  # PEND-01, PEND-03, KES-04, PERKIM-03
    assert k.loc["19.01", "ikk_dengan_data_dukung"] == 2  # a blank name is no document
    assert k.loc["19.01", "persen_terisi"] == pytest.approx(4 * 100 / total)
    assert k.loc["19.03", "ikk_terisi"] == 0 and not k.loc["19.03", "ada_submission"]
    assert k.loc["19.01", "ada_submission"]
    assert len(k) == 8  # the province and its 7 kabupaten/kota


# 18 --------------------------------------------------------------------------------
def test_explain_worked_example_shows_formula_numbers_and_submission(db):
    sid = kirim(db, "19.01", 2025, 2, [WORKED], oleh="kab-19.01")
    e = explain(db, "19.01", 2025, 2, "KES-K-01")
    assert (e.nilai, e.kategori) == (pytest.approx(81.5), "Tuntas Madya")
    text = e.as_text()
    assert "Capaian penerima = min(1.000 / 1.250 ; 1) × 100 = 80,00" in text
    assert "Capaian mutu barang/jasa = min(30 / 40 ; 1) × 100 = 75,00" in text
    assert "Capaian mutu SDM = min(12 / 10 ; 1) × 100 = 100,00" in text
    assert "Capaian mutu = (75,00 + 100,00) / 2 = 87,50" in text
    assert "Nilai = 0,80 × 80,00 + 0,20 × 87,50 = 81,50" in text
    assert "Kategori: 80 ≤ 81,50 < 90 → Tuntas Madya" in text
    assert "Masih harus dilayani = 1.250 − 1.000 = 250" in text
    assert "spm-kabkota_19.01_2025_TW2.xlsx" in text
    assert e.submission["id"] == sid and len(e.submission["sha256"]) == 64
    assert "kab-19.01" in text and "5 Juli 2025 09.30" in text and "diajukan" in text
    assert e.as_dict()["submission"]["diunggah_pada"] == "2025-07-05T09:30:00"


def test_explain_of_service_without_sasaran_and_without_mutu(db):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-10", 0, 0), layanan("KES-K-02", 10, 7)])
    e = explain(db, "19.01", 2025, 2, "KES-K-10")
    assert e.tanpa_sasaran and "Tidak ada sasaran" in e.hasil
    e2 = explain(db, "19.01", 2025, 2, "KES-K-02")
    assert "Tidak ada pasangan mutu" in e2.as_text()
    assert "Nilai = capaian penerima = 70,00" in e2.as_text()


def test_bad_arguments_are_plain_errors(db):
    with pytest.raises(SpmError, match="Triwulan 5"):
        query.capaian(db, 2025, 5)
    with pytest.raises(SpmError, match="Tingkat"):
        query.capaian(db, 2025, 1, level="provinsi-x")
    with pytest.raises(SpmError, match="tidak dikenal"):
        explain(db, "19.01", 2025, 1, "XX-99")
