"""The SQL views agree with an independent pandas implementation on the demo data."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.core import settings
from tests import pandas_oracle


def _compare(sql: pd.DataFrame, py: pd.DataFrame, keys: list[str], cols: list[str]) -> None:
    merged = sql.merge(py, on=keys, how="outer", suffixes=("_sql", "_pd"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    for col in cols:
        a, b = merged[f"{col}_sql"], merged[f"{col}_pd"]
        if pd.api.types.is_numeric_dtype(a):
            assert a.to_numpy(dtype=float) == pytest.approx(b.to_numpy(dtype=float), nan_ok=True)
        else:
            assert list(a.fillna("")) == list(b.fillna("")), col


@pytest.mark.parametrize("weights", [None, {"bobot_penerima": 0.6, "bobot_mutu": 0.4}])
def test_views_match_pandas_on_demo(demo_db, weights):
    if weights:
        settings.save(demo_db, weights, by="uji")
    py = pandas_oracle.compute(pandas_oracle.load(demo_db))
    key = ["kode_wilayah", "tahun", "triwulan"]
    changes = ["nilai", "kategori", "selisih_tahun_lalu", "selisih_triwulan_lalu"]
    _compare(
        demo_db.df("SELECT * FROM v_capaian_layanan"),
        py["layanan"],
        [*key, "kode_layanan"],
        ["capaian_penerima", "capaian_mutu", *changes, "kurang_terlayani"],
    )
    _compare(demo_db.df("SELECT * FROM v_capaian_urusan"), py["urusan"], [*key, "urusan"], changes)
    _compare(demo_db.df("SELECT * FROM v_capaian_wilayah"), py["wilayah"], key, changes)
    _compare(
        demo_db.df("SELECT * FROM v_capaian_provinsi WHERE nilai_rata_rata_kabkota IS NOT NULL"),
        py["provinsi"],
        ["kode_provinsi", "tahun", "triwulan"],
        [
            "nilai_rata_rata_kabkota",
            "kategori_rata_rata_kabkota",
            "nilai_tertimbang_sasaran",
            "kategori_tertimbang_sasaran",
        ],
    )
