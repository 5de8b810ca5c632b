"""SPM Awards readiness: ``spm awards`` on a small database built here, every part's
points computed by hand in the test."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.auth.access import Actor, local_admin
from pipelines.capaian import awards
from pipelines.cli.root import cli
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError
from pipelines.sop import dokumen_penerapan as penerapan
from tests.capaian_helpers import kirim, layanan

TODAY = dt.date(2026, 1, 10)  # every triwulan of 2024 has closed
ADMIN = local_admin("uji")
PDF = b"%PDF-1.4 dokumen\n"
TAHAP = {
    "tahap_pengumpulan_data": True,
    "tahap_penghitungan_kebutuhan": True,
    "tahap_penyusunan_rencana": False,
    "tahap_pelaksanaan": False,
}
ALL_DONE = dict.fromkeys(TAHAP, True)
COLUMNS = "kode_wilayah,nama_wilayah,tahun,skor,ip_spm,anggaran,tahapan,tim,rencana_aksi,kepatuhan"


def _doc(db: Database, jenis: str, wilayah: str, status: str) -> None:
    doc = penerapan.unggah(
        db,
        ADMIN,
        jenis=jenis,
        kode_wilayah=wilayah,
        tahun=2024,
        nomor="1/2024",
        tanggal=dt.date(2024, 2, 1),
        nama_berkas="dokumen.pdf",
        content=PDF,
        today=TODAY,
    )
    if status == "diverifikasi":
        penerapan.verifikasi(db, ADMIN, doc)
    elif status == "dikembalikan":
        penerapan.kembalikan(db, ADMIN, doc, "Lampiran belum lengkap.")


@pytest.fixture
def small(db):
    """Two kabupaten/kota with 2024 data and documents; the other five have nothing.

    19.01: TW1-TW3 sent (TW3 late), TW4 missing. At TW3 KES-K-01 has sasaran 100,
    terlayani 50, barang/jasa 10 of 10: nilai 0,8 × 50 + 0,2 × 100 = 60; anggaran
    600.000 of 1.000.000; two tahapan done. SK Tim verified, Rencana Aksi sent back.
    19.02: TW1-TW4 on time. At TW4 KES-K-01 sasaran 200, terlayani 200, barang/jasa 2 of
    4: nilai 0,8 × 100 + 0,2 × 50 = 90; realisasi 1.500.000 above rencana 1.000.000;
    all four tahapan done. SK Tim only diajukan, Rencana Aksi verified.
    """
    money = {"anggaran_rencana": 1_000_000}
    for q in (1, 2):  # earlier triwulan: different figures, never read
        kirim(db, "19.01", 2024, q, [layanan("KES-K-01", 100, 5, (10, 1), **ALL_DONE)])
    kirim(
        db,
        "19.01",
        2024,
        3,
        [layanan("KES-K-01", 100, 50, (10, 10), **TAHAP, **money, anggaran_realisasi=600_000)],
    )
    db.execute(
        "UPDATE submission SET diunggah_pada = ?, terlambat = true "
        "WHERE kode_wilayah = '19.01' AND triwulan = 3",
        [dt.datetime(2024, 10, 28, 9)],
    )
    for q in (1, 2, 3):
        kirim(db, "19.02", 2024, q, [layanan("KES-K-01", 200, 10 * q, (4, 1))], status="final")
    kirim(
        db,
        "19.02",
        2024,
        4,
        [layanan("KES-K-01", 200, 200, (4, 2), **ALL_DONE, **money, anggaran_realisasi=1_500_000)],
        status="final",
    )
    _doc(db, "tim", "19.01", "diverifikasi")
    _doc(db, "rencana-aksi", "19.01", "dikembalikan")
    _doc(db, "tim", "19.02", "diajukan")
    _doc(db, "rencana-aksi", "19.02", "diverifikasi")
    return db


def _services(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM layanan WHERE tingkat = 'kabupaten/kota'")


def test_each_part_matches_the_hand_computed_points(small):
    n = _services(small)
    frame = awards.skor(small, None, 2024, today=TODAY).skor.set_index("kode_wilayah")
    expected = {
        "19.01": {
            "ip_spm": 60 * 0.6,
            "anggaran": 600_000 / 1_000_000 * 10,
            "tahapan": 2 / (4 * n) * 10,
            "tim": 5,
            "rencana_aksi": 0,
            "kepatuhan": 2 / 4 * 10,  # TW1, TW2 on time; TW3 late; TW4 not sent
        },
        "19.02": {
            "ip_spm": 90 * 0.6,
            "anggaran": 10,  # capped at 100 %
            "tahapan": 4 / (4 * n) * 10,
            "tim": 0,  # only diajukan
            "rencana_aksi": 5,
            "kepatuhan": 10,
        },
    }
    for kode, parts in expected.items():
        row = frame.loc[kode]
        for part, points in parts.items():
            assert row[part] == pytest.approx(points, abs=0.005), (kode, part)
        assert row["skor"] == pytest.approx(sum(row[p] for p in awards.PARTS))
    assert frame.loc["19.01", "triwulan_ip_spm"] == 3
    assert frame.loc["19.02", "triwulan_ip_spm"] == 4
    # the five without anything score nothing and are told to send their SPM data
    empty = frame.drop(index=["19.01", "19.02"])
    assert len(empty) == 5 and (empty["skor"] == 0).all()
    assert empty["langkah_berikut"].str.startswith("Kirim data SPM 2024").all()
    # ranked: 19.02 first
    assert list(frame.index[:2]) == ["19.02", "19.01"]
    assert list(frame["peringkat"][:3]) == [1, 2, 3]


def test_next_step_is_the_part_with_the_most_missing_points(small):
    frame = awards.skor(small, None, 2024, today=TODAY).skor.set_index("kode_wilayah")
    # 19.01 misses 24 points of IP-SPM (the most); 19.02 misses almost all of tahapan.
    assert frame.loc["19.01", "langkah_berikut"] == (
        "Naikkan IP-SPM (sekarang 60,00): penuhi sasaran dan mutu layanan yang nilainya "
        "masih rendah; paling banyak menambah 24,00 poin."
    )
    n = _services(small)
    assert frame.loc["19.02", "langkah_berikut"].startswith(
        f"Selesaikan empat tahapan penerapan SPM untuk setiap layanan (baru 4 dari {4 * n} tahap)"
    )


def test_unverified_data_is_marked(small):
    result = awards.skor(small, None, 2024, today=TODAY)
    frame = result.skor.set_index("kode_wilayah")
    assert frame.loc["19.01", "status_data"] == "diajukan"
    assert frame.loc["19.02", "status_data"] == "final"
    assert result.catatan_status() == (
        "1 dari 2 kabupaten/kota yang melapor belum diverifikasi: Kabupaten Bangka (diajukan)"
    )


def test_weights_are_settings_that_sum_to_100(small):
    with pytest.raises(SpmError, match="harus 100"):
        settings.save(small, {"awards_bobot_ip_spm": 55}, by="uji")
    settings.save(small, {"awards_bobot_ip_spm": 50, "awards_bobot_kepatuhan": 20}, by="uji")
    row = awards.skor(small, None, 2024, today=TODAY).skor.set_index("kode_wilayah").loc["19.01"]
    assert row["ip_spm"] == pytest.approx(60 * 0.5)
    assert row["kepatuhan"] == pytest.approx(2 / 4 * 20)
    with pytest.raises(SpmError, match="0 sampai 100"):
        settings.save(small, {"awards_bobot_tim": -5, "awards_bobot_ip_spm": 60}, by="uji")


def test_an_uploader_sees_its_own_region_with_its_rank_among_all(small):
    kab = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
    frame = awards.skor(small, kab, 2024, today=TODAY).skor
    assert list(frame["kode_wilayah"]) == ["19.01"] and list(frame["peringkat"]) == [2]
    with pytest.raises(AccessDenied):
        awards.skor(small, kab, 2024, kode_wilayah="19.02")
    with pytest.raises(AccessDenied):
        awards.skor(small, Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes"), 2024)


def test_cli_gives_the_columns_and_the_points(small, db_path):
    small.close()  # (the CLI's today is later than TODAY: 2024 has closed either way)
    result = CliRunner().invoke(
        cli, ["awards", "--year", "2024", "--format", "csv", "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(COLUMNS + ",")
    frame = pd.read_csv(io.StringIO(result.output), dtype={"kode_wilayah": str})
    row = frame.set_index("kode_wilayah").loc["19.02"]
    assert row["skor"] == pytest.approx(54 + 10 + row["tahapan"] + 0 + 5 + 10)
    one = CliRunner().invoke(
        cli, ["awards", "--year", "2024", "--region", "19.01", "--db", str(db_path)]
    )
    assert one.exit_code == 0, one.output
    assert "Kabupaten Bangka" in one.output and "19.02" not in one.output
    assert "Catatan status data: 1 dari 1" in one.output
    bad = CliRunner().invoke(
        cli, ["awards", "--year", "2024", "--region", "19", "--db", str(db_path)]
    )
    assert bad.exit_code == 1
    assert bad.output.startswith("Galat: Skor SPM Awards dinilai per kabupaten/kota")
