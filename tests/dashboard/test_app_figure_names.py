"""One name per number: the province's two IP-SPM figures (the Pemerintah Provinsi's own
and the mean of its kabupaten/kota, with the labelled sasaran-weighted variant) carry
the same names and values on Ringkasan, Capaian, the Laporan preview, the three
workbooks, the DOCX and the CSV; the province is never ranked among its kabupaten/kota."""

from __future__ import annotations

import csv
import io
import math

import docx
import openpyxl
import pyarrow as pa
import pytest

from pipelines.capaian import query
from pipelines.capaian.labels import (
    ANGKA_PROVINSI,
    IP_SPM_PEMPROV,
    RATA_KABKOTA,
    RATA_KABKOTA_TERTIMBANG,
)
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.laporan import records
from pipelines.laporan.data import collect
from pipelines.laporan.xlsx_kit import HEADER_ROW
from tests.apptest import check_clean, run_app, texts

YEAR, TW = 2025, 4
# Names the product used to give these figures (two numbers shared "IP-SPM provinsi").
OLD_NAMES = ("IP-SPM provinsi", "IP-SPM Provinsi", "Layanan urusan provinsi", "Tertimbang sasaran")


@pytest.fixture(scope="module")
def truth(demo_db_template) -> dict[str, float]:
    """The figures as the aggregate view computes them, by name."""
    with Database.open(demo_db_template, read_only=True) as db:
        row = query.agregat_provinsi(db, YEAR, TW, "19").iloc[0]
    return {a.nama: float(row[a.kolom_view]) for a in ANGKA_PROVINSI}


@pytest.fixture(scope="module")
def files(demo_db_template) -> dict[str, bytes]:
    with Database.open(demo_db_template, read_only=True) as db:
        built = records.build_files(collect(db, YEAR, TW))
    return {f.nama_berkas.split("_")[0]: f.isi for f in built}


def _shown_metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _assert_metrics(at, truth: dict[str, float]) -> None:
    metrics = _shown_metrics(at)
    for name, value in truth.items():
        assert metrics.get(name) == fmt.angka(value, 2), (name, metrics)
    shown = texts(at)
    for old in OLD_NAMES:
        assert old not in shown, old


def _close(a, b) -> bool:
    return a is not None and math.isclose(float(a), b, abs_tol=1e-6)


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))


def _value_after(rows: list[tuple], name: str) -> float:
    """The first number in the row whose text cell is ``name`` exactly."""
    for row in rows:
        if name in row:
            after = row[row.index(name) + 1 :]
            return next(v for v in after if isinstance(v, int | float))
    raise AssertionError(f"no row named {name!r}")


def _no_old_name_in(rows: list[tuple]) -> None:
    for row in rows:
        for cell in row:
            assert cell not in ("IP-SPM Provinsi", "Rata-rata kabupaten/kota"), row


def test_ringkasan_names_both_figures(demo_db_path, truth):
    at = run_app(demo_db_path, "ringkasan.py")
    check_clean(at)
    _assert_metrics(at, truth)


def test_capaian_names_both_figures_and_ranks_only_kabupaten_kota(demo_db_path, truth):
    at = run_app(demo_db_path, "capaian.py")
    check_clean(at)
    _assert_metrics(at, truth)
    chart = at.get("vega_lite_chart")[0].proto
    frames = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas() for ds in chart.datasets]
    names = {n for f in frames for n in f.get("nama_wilayah", [])}
    assert "Kabupaten Belitung" in names
    assert "Kepulauan Bangka Belitung" not in names  # the province is never a peer


def test_laporan_preview_names_both_figures(demo_db_path, truth):
    at = run_app(demo_db_path, "laporan.py")
    check_clean(at)
    _assert_metrics(at, truth)


def test_provincial_workbook(files, truth):
    wb = openpyxl.load_workbook(io.BytesIO(files["laporan-spm-provinsi"]))
    ringkasan = _rows(wb["Ringkasan"])
    for name, value in truth.items():
        assert _close(_value_after(ringkasan, name), value), name
    assert _close(
        _value_after(_rows(wb["SPM Provinsi"]), IP_SPM_PEMPROV.nama), truth[IP_SPM_PEMPROV.nama]
    )
    rekap = _rows(wb["Rekap Kab-Kota"])
    header = [c.value for c in wb["Rekap Kab-Kota"][HEADER_ROW]]
    mean_row = next(r for r in rekap if RATA_KABKOTA.nama in r)
    assert _close(mean_row[header.index("IP-SPM")], truth[RATA_KABKOTA.nama])
    ranking = _rows(wb["Peringkat"])
    assert all(r[1] != "19" for r in ranking)  # only kabupaten/kota are ranked
    for sheet in wb.sheetnames:
        _no_old_name_in(_rows(wb[sheet]))


def test_rekap_workbook(files, truth):
    wb = openpyxl.load_workbook(io.BytesIO(files["rekap-kabkota"]))
    daftar = _rows(wb["Daftar"])
    for angka in (RATA_KABKOTA, IP_SPM_PEMPROV):
        assert _close(_value_after(daftar, angka.nama), truth[angka.nama]), angka.nama


def test_lppd_bab_iv_workbook(files, truth):
    wb = openpyxl.load_workbook(io.BytesIO(files["lppd-bab-iv"]))
    bab = _rows(wb["BAB IV SPM"])
    assert _close(_value_after(bab, IP_SPM_PEMPROV.nama), truth[IP_SPM_PEMPROV.nama])
    kab = _rows(wb["SPM Kab-Kota"])
    for angka in (RATA_KABKOTA, RATA_KABKOTA_TERTIMBANG):
        assert _close(_value_after(kab, angka.nama), truth[angka.nama]), angka.nama
    for sheet in wb.sheetnames:
        _no_old_name_in(_rows(wb[sheet]))


def test_docx_sentences(files, truth):
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(files["narasi"])).paragraphs)
    assert (
        f"{IP_SPM_PEMPROV.nama} pada Triwulan IV 2025 sebesar "
        f"{fmt.angka(truth[IP_SPM_PEMPROV.nama], 2)}"
    ) in text
    for angka in (RATA_KABKOTA, RATA_KABKOTA_TERTIMBANG):
        assert f"{angka.nama} sebesar {fmt.angka(truth[angka.nama], 2)}" in text
    assert "Indeks Pencapaian SPM (IP-SPM)" not in text


def test_csv_columns(files, truth):
    rows = list(csv.DictReader(io.StringIO(files["ringkasan-provinsi"].decode("utf-8-sig"))))
    assert len(rows) == 1
    for angka in ANGKA_PROVINSI:
        assert _close(rows[0][angka.kolom], truth[angka.nama]), angka.kolom
        assert rows[0][angka.kolom_kategori]


def test_ringkasan_download_has_the_csv_columns(demo_db_path, truth):
    at = run_app(demo_db_path, "ringkasan.py")
    keys = [b.proto.label for b in at.get("download_button")]
    assert "CSV" in keys
    from dashboard.charts import exports  # the same bytes the button serves
    from pipelines.capaian import dashboards

    with Database.open(demo_db_path, read_only=True) as db:
        pil = dashboards.pilihan(db)
        prov = dashboards.ip_spm_provinsi(dashboards.provinsi(db), YEAR, TW)
        status = dashboards.status_periode(pil, dashboards.spm_layanan(db), YEAR, TW)
    frame = dashboards.ringkasan_provinsi(pil, prov, status)
    rows = list(csv.DictReader(io.StringIO(exports.csv_bytes(frame).decode("utf-8-sig"))))
    for angka in ANGKA_PROVINSI:
        assert _close(rows[0][angka.kolom], truth[angka.nama]), angka.kolom


def test_cli_province_csv_uses_the_same_columns(demo_db_path, truth):
    import pandas as pd
    from click.testing import CliRunner

    from pipelines.cli.root import cli

    out = CliRunner().invoke(
        cli,
        ["capaian", "--db", str(demo_db_path), "--year", "2025", "--triwulan", "4"]
        + ["--level", "provinsi", "--format", "csv"],
    )
    assert out.exit_code == 0, out.output
    row = pd.read_csv(io.StringIO(out.stdout)).iloc[0]
    for angka in ANGKA_PROVINSI:
        assert _close(row[angka.kolom], truth[angka.nama]), angka.kolom
