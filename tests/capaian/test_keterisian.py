"""Tingkat keterisian (issue 14, point 3): the share of the form's required cells that
are filled, by hand on a small case, in the CLI's CSV, in completeness and on the pages."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.auth.access import Actor
from pipelines.capaian import completeness, query
from pipelines.cli.root import cli
from tests.apptest import check_clean, run_app
from tests.capaian_helpers import kirim, layanan

FULL = {
    "anggaran_rencana": 1_000_000,
    "anggaran_realisasi": 900_000,
    "tahap_pengumpulan_data": True,
    "tahap_penghitungan_kebutuhan": True,
    "tahap_penyusunan_rencana": False,  # "Tidak" is an answer, so a filled cell
    "tahap_pelaksanaan": True,
}


def test_keterisian_equals_the_hand_count(db):
    n = db.scalar("SELECT count(*) FROM layanan WHERE tingkat = 'kabupaten/kota'")
    kirim(
        db,
        "19.01",
        2025,
        2,
        [
            # nilai 100: its 12 cells, all filled; no permasalahan needed
            layanan("KES-K-01", 100, 100, bj=(10, 10), sdm=(2, 2), **FULL),
            # nilai below 100: 12 cells + permasalahan and solusi, of which 10 + 1 filled
            layanan("KES-K-02", 100, 50, bj=(10, 5), sdm=None, permasalahan="Kurang bidan", **FULL),
        ],
    )
    row = query.capaian(db, 2025, 2, "19.01", level="wilayah").iloc[0]
    # KES-K-02 without the SDM pair: 10 of 12, plus permasalahan (solusi empty)
    terisi, wajib = 12 + 10 + 1, 12 * n + 2
    assert (row["sel_terisi"], row["sel_wajib"]) == (terisi, wajib)
    assert row["keterisian"] == pytest.approx(100 * terisi / wajib)


def test_cli_csv_has_keterisian_for_each_region(demo_db_path):
    out = CliRunner().invoke(
        cli,
        ["capaian", "--db", str(demo_db_path), "--year", "2025", "--quarter", "4"]
        + ["--level", "wilayah", "--format", "csv"],
    )
    assert out.exit_code == 0, out.output
    frame = pd.read_csv(io.StringIO(out.output), dtype={"kode_wilayah": str})
    assert "keterisian" in frame.columns
    by_region = dict(zip(frame["kode_wilayah"], frame["keterisian"], strict=True))
    # The demo's 19.03 sent TW IV without anggaran and tahapan: about half of its form.
    assert 40 < by_region["19.03"] < 60
    assert all(v > 95 for k, v in by_region.items() if k != "19.03")


def test_completeness_and_the_pages_show_it(demo_db_path):
    from pipelines.db.store import Database

    with Database.open(demo_db_path, read_only=True) as db:
        rows = completeness.kelengkapan(db, 2025, 4, today=dt.date(2026, 2, 1))
        wilayah = query.capaian(db, 2025, 4, "19.03", level="wilayah").iloc[0]
    kab = rows[(rows["form"] == "spm-kabkota") & (rows["kode_wilayah"] == "19.03")]
    assert kab.iloc[0]["keterisian"] == pytest.approx(wilayah["keterisian"])
    assert rows[rows["form"] == "spm-provinsi"]["keterisian"].isna().all()
    shown = f"{wilayah['keterisian']:.1f}".replace(".", ",") + " %"

    at = run_app(demo_db_path, "kelengkapan.py", actor=Actor("analis", "analis"))
    check_clean(at)
    table = at.dataframe[-1].value
    assert shown in list(
        table[table["Pelapor"] == "Kabupaten Bangka Selatan"]["Keterisian formulir"]
    )

    at = run_app(demo_db_path, actor=Actor("kab-19.03", "pengunggah_kabkota", kode_wilayah="19.03"))
    check_clean(at)
    periods = at.table[0].value
    assert shown in list(periods["Keterisian formulir"])

    at = run_app(demo_db_path, "capaian.py", actor=Actor("analis", "analis"))
    at.selectbox(key="_w_wilayah").set_value("19.03").run()
    check_clean(at)
    assert ("Keterisian formulir", shown) in [(m.label, m.value) for m in at.metric]
