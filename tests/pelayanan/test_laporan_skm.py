"""The SKM sheet of the provincial report: the IKM of the report's year per unit of the
province as the view computes it, the weakest unsur, the units without a survey."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pipelines.capaian import query
from pipelines.db.store import Database
from pipelines.laporan import xlsx_kit
from pipelines.laporan.data import collect
from pipelines.laporan.xlsx_provinsi import workbook_laporan_provinsi
from pipelines.pelayanan import skm


def sheet_rows(content: bytes) -> list[dict]:
    ws = openpyxl.load_workbook(io.BytesIO(content))["SKM"]
    header = [c.value for c in ws[xlsx_kit.HEADER_ROW]]
    return [
        dict(zip(header, row, strict=False))
        for row in ws.iter_rows(min_row=xlsx_kit.HEADER_ROW + 1, values_only=True)
        if row[0] is not None
    ]


def test_the_skm_sheet_holds_the_views_figures(demo_db_path):
    with Database.open(demo_db_path) as db:
        db.execute("DELETE FROM skm_unggah WHERE kode_unit = 'damkar' AND tahun = 2025")
        data = collect(db, 2025, 4)
        content = workbook_laporan_provinsi(data)
        expected = query.skm_hasil(db, 2025).set_index("kode_unit")
        weakest = skm.weakest(query.skm_unsur(db, 2025)).set_index("kode_unit")
        without = skm.without_survey(db, 2025)
    # The report reads the results once for both lists; the same units as the SKM page.
    assert list(data.skm_tanpa_survei["kode"]) == list(without["kode"]) == ["damkar"]
    rows = {r["Kode"]: r for r in sheet_rows(content)}
    surveyed = [k for k, r in rows.items() if isinstance(r["Responden"], int)]
    assert "bagpem-balangan" not in rows  # another province's sample unit is not reported
    assert rows["damkar"]["Kinerja"] == "Belum ada survei" and rows["damkar"]["IKM"] is None
    assert len(surveyed) == 17
    for kode in surveyed:
        row = rows[kode]
        assert row["IKM"] == pytest.approx(expected.loc[kode, "ikm"], abs=1e-6)
        assert row["Mutu"] == expected.loc[kode, "mutu"]
        assert row["Responden"] == expected.loc[kode, "jumlah_responden"]
        assert row["NRR U3"] == pytest.approx(expected.loc[kode, "nrr_u3"], abs=1e-6)
        assert row["Unsur terlemah"].startswith(f"U{weakest.loc[kode, 'nomor_unsur']} ")
    # The SKM answers are part of the report's data version.
    assert data.versi_data and not data.skm.empty
