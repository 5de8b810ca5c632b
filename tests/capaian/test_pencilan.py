"""Outliers (issue 14, point 7): the modified z-score by hand, sasaran scored on growth,
the change against last year, follow-up marks for the Biro only, warnings that never
block an upload."""

from __future__ import annotations

import pytest

from pipelines.auth.access import Actor, local_admin
from pipelines.capaian import pencilan
from pipelines.core import settings
from pipelines.errors import AccessDenied
from pipelines.ingest import validate
from tests.capaian_helpers import kirim, layanan
from tests.ingest_helpers import ON_TIME, fill, make_template, spm_values

ANALIS = Actor("analis", "analis")
KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
REGIONS = ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06"]


def send(db, tahun, triwulan, rows_by_region):
    for region, rows in rows_by_region.items():
        kirim(db, region, tahun, triwulan, rows)


def cakupan_rows(values, sasaran=1000):
    return {
        region: [layanan("KES-K-01", sasaran, round(sasaran * v / 100))]
        for region, v in zip(REGIONS, values, strict=True)
    }


def test_modified_z_score_equals_the_hand_computed_one(db):
    send(db, 2025, 2, cakupan_rows([80, 82, 84, 86, 88, 150]))
    found = pencilan.daftar(db, ANALIS, 2025, 2)
    # median 85; |x - median| = 5 3 1 1 3 65 -> MAD 3, below 5 % of the median (4,25)
    assert list(found["kode_wilayah"]) == ["19.06"]
    row = found.iloc[0]
    assert row["ukuran"] == "cakupan" and row["nilai"] == pytest.approx(150)
    assert row["median"] == pytest.approx(85)
    assert row["skor_z"] == pytest.approx(0.6745 * 65 / 4.25)
    assert (
        "jauh dari kabupaten/kota lain (median 85,0 %, skor z termodifikasi 10,32" in row["alasan"]
    )


def test_the_threshold_is_a_setting(db):
    # median 65; deviations 15 5 5 15 25 55 -> MAD 15; z(10) = 0,6745 x -55 / 15 = -2,47
    send(db, 2025, 2, cakupan_rows([50, 60, 70, 80, 90, 10]))
    assert pencilan.daftar(db, ANALIS, 2025, 2).empty
    settings.save(db, {"pencilan_ambang_z": 2.0}, by="uji", note="ambang lebih ketat")
    found = pencilan.daftar(db, ANALIS, 2025, 2)
    assert list(found["kode_wilayah"]) == ["19.06"]
    assert found.iloc[0]["skor_z"] == pytest.approx(0.6745 * -55 / 15)


def test_too_few_regions_give_no_score(db):
    send(db, 2025, 2, {r: v for r, v in list(cakupan_rows([80, 82, 84, 86, 88, 150]).items())[3:]})
    assert pencilan.daftar(db, ANALIS, 2025, 2).empty  # 3 values < pencilan_min_wilayah (4)


def test_a_sasaran_is_scored_on_its_growth_not_on_its_size(db):
    sizes = [1_000, 5_000, 20_000, 80_000, 3_000, 12_000]
    send(
        db,
        2024,
        2,
        {r: [layanan("KES-K-01", s, s // 2)] for r, s in zip(REGIONS, sizes, strict=True)},
    )
    grown = [round(s * g) for s, g in zip(sizes, [1.02, 1.03, 1.01, 1.04, 10.0, 1.02], strict=True)]
    send(
        db,
        2025,
        2,
        {r: [layanan("KES-K-01", s, s // 2)] for r, s in zip(REGIONS, grown, strict=True)},
    )
    found = pencilan.daftar(db, ANALIS, 2025, 2)
    sasaran = found[found["ukuran"] == "sasaran"]
    assert list(sasaran["kode_wilayah"]) == ["19.05"]  # not 19.04, the biggest
    assert "pertumbuhannya dari Triwulan II 2024 (+900,0 %)" in sasaran.iloc[0]["alasan"]
    assert (
        "berubah lebih dari 2,0 kali lipat dari 3.000 pada Triwulan II 2024"
        in (sasaran.iloc[0]["alasan"])
    )


def test_a_change_against_last_year_is_flagged_but_not_a_sasaran_that_comes_and_goes(db):
    send(db, 2024, 3, {"19.01": [layanan("KES-K-01", 1000, 800), layanan("SOS-K-05", 40, 40)]})
    send(db, 2025, 3, {"19.01": [layanan("KES-K-01", 1000, 300), layanan("SOS-K-05", 0, 0)]})
    found = pencilan.daftar(db, ANALIS, 2025, 3)
    assert list(zip(found["kode_layanan"], found["ukuran"], strict=True)) == [
        ("KES-K-01", "cakupan")
    ]
    assert found.iloc[0]["alasan"] == (
        "berubah lebih dari 2,0 kali lipat dari 80,0 % pada Triwulan III 2024"
    )


def test_only_the_biro_lists_and_marks_and_only_a_flagged_value(db):
    send(db, 2025, 2, cakupan_rows([80, 82, 84, 86, 88, 150]))
    with pytest.raises(AccessDenied):
        pencilan.daftar(db, KAB, 2025, 2)
    key = dict(tahun=2025, triwulan=2, kode_layanan="KES-K-01", ukuran="cakupan")
    with pytest.raises(AccessDenied):
        pencilan.tandai(db, KAB, kode_wilayah="19.06", komentar="cek", **key)
    with pytest.raises(pencilan.PencilanError, match="tidak terdeteksi sebagai pencilan"):
        pencilan.tandai(db, ANALIS, kode_wilayah="19.01", komentar="cek", **key)
    with pytest.raises(pencilan.PencilanError, match="Komentar tindak lanjut wajib diisi"):
        pencilan.tandai(db, ANALIS, kode_wilayah="19.06", komentar="  ", **key)
    with pytest.raises(pencilan.PencilanError, match="belum ditandai"):
        pencilan.tandai(
            db, ANALIS, kode_wilayah="19.06", komentar="ok", status=pencilan.SELESAI, **key
        )
    pencilan.tandai(db, ANALIS, kode_wilayah="19.06", komentar="Tanyakan ke dinkes.", **key)
    assert pencilan.daftar(db, ANALIS, 2025, 2).iloc[0]["tindak_lanjut"] == pencilan.PERLU
    pencilan.tandai(
        db,
        ANALIS,
        kode_wilayah="19.06",
        komentar="Sudah dikoreksi.",
        status=pencilan.SELESAI,
        **key,
    )
    marks = pencilan.tindak_lanjut(db, ANALIS, 2025)
    assert list(marks["tindak_lanjut"]) == [pencilan.SELESAI]
    assert list(marks["komentar"]) == ["Sudah dikoreksi."]
    audit = db.dicts("SELECT pengguna, aksi FROM audit_log WHERE aksi = 'tandai_pencilan'")
    assert audit == [{"pengguna": "analis", "aksi": "tandai_pencilan"}] * 2


def test_the_upload_check_warns_at_the_cell_and_still_accepts_the_file(db, tmp_path):
    codes = ["KES-K-01"]
    send(db, 2025, 2, {r: [layanan("KES-K-01", 1000, 850 + i)] for i, r in enumerate(REGIONS[:5])})
    template = make_template(db, tmp_path / "t.xlsx", region="19.06", year=2025, tw=2)
    values = spm_values(codes)
    values["KES-K-01"].update(jumlah_sasaran=1000, jumlah_terlayani=2500)
    filled = fill(template, tmp_path / "19.06.xlsx", values)
    prepared = validate.prepare(db, filled, local_admin("uji"), today=ON_TIME)
    assert prepared.result.accepted
    warnings = [p for p in prepared.result.problems if "jauh dari kabupaten/kota lain" in p.message]
    assert len(warnings) == 1
    assert warnings[0].message.startswith("Cakupan (terlayani/sasaran) 250,0 % jauh dari")
    assert "berkas tetap dapat disimpan" in warnings[0].message
    assert warnings[0].row is not None and warnings[0].cell is not None


def test_the_upload_check_scores_a_sasaran_growth_against_the_others_growth(db, tmp_path):
    # last year every region; this year five grew 1-4 %, the file's region 1,8 x: below
    # the change factor (2), far beyond the others' growth (median 1,025, MAD floor 5 %)
    send(db, 2024, 2, {r: [layanan("KES-K-01", 1000, 800)] for r in REGIONS})
    grown = [1010, 1020, 1030, 1040, 1025]
    send(
        db,
        2025,
        2,
        {r: [layanan("KES-K-01", s, 800)] for r, s in zip(REGIONS, grown, strict=False)},
    )
    template = make_template(db, tmp_path / "t.xlsx", region="19.06", year=2025, tw=2)
    values = spm_values(["KES-K-01"])
    values["KES-K-01"].update(jumlah_sasaran=1800, jumlah_terlayani=800)
    filled = fill(template, tmp_path / "19.06.xlsx", values)
    prepared = validate.prepare(db, filled, local_admin("uji"), today=ON_TIME)
    assert prepared.result.accepted
    warnings = [p.message for p in prepared.result.problems if "pertumbuhannya" in p.message]
    assert len(warnings) == 1, [p.message for p in prepared.result.problems]
    assert warnings[0].startswith(
        "Jumlah sasaran 1.800 pertumbuhannya dari Triwulan II 2024 (+80,0 %)"
    )


@pytest.mark.parametrize(
    "changes",
    [{"pencilan_ambang_z": 0}, {"pencilan_faktor_perubahan": 1}, {"pencilan_min_wilayah": 2}],
)
def test_outlier_settings_out_of_range_are_refused(db, changes):
    with pytest.raises(settings.SettingsError, match="pencilan"):
        settings.save(db, changes, by="uji")


def test_cli_lists_marks_and_refuses_an_uploader(accounts_db_path):
    from click.testing import CliRunner

    from pipelines.cli.root import cli

    def run(*args):
        return CliRunner().invoke(cli, ["--as", args[0], "pencilan", *args[1:]])

    db_args = ["--db", str(accounts_db_path)]
    period = ["--year", "2025", "--quarter", "3"]
    listed = run("analis", "daftar", *period, "--format", "csv", *db_args)
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split(",")[:4] == [
        "kode_wilayah",
        "nama_wilayah",
        "kode_layanan",
        "nama_layanan",
    ]
    assert sum("19.04,Kabupaten Bangka Tengah,KES-K-05" in line for line in lines) == 2

    refused = run("kab-19.04", "daftar", *period, *db_args)
    assert refused.exit_code == 1
    assert "Hanya administrator dan analis Biro Pemerintahan" in refused.output

    where = ["--region", "19.05", "--service", "PEND-K-02", "--measure", "cakupan"]
    marked = run("analis", "tandai", *period, *where, "--comment", "Konfirmasi ke dinas.", *db_args)
    assert marked.exit_code == 0, marked.output
    follow = run("analis", "tindak-lanjut", "--year", "2025", *db_args)
    assert "Konfirmasi ke dinas." in follow.output
    assert "19.05" in follow.output and "19.04" in follow.output
