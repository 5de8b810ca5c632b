"""Results fetched through Arrow (``Database.df``) are the DataFrames DuckDB's own
``.df()`` gives: same columns, dtypes and values, for every table and view."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.db import frames

# Every DuckDB type conversion the module handles or hands back to DuckDB, with and
# without NULLs.
_TYPES = """
SELECT * FROM (VALUES
    (1::INTEGER, 1::INTEGER, 2::BIGINT, NULL::BIGINT, 3::SMALLINT, 4::TINYINT,
     5::UBIGINT, 6::UINTEGER, 7::HUGEINT, 1.5::DECIMAL(18, 2), 2.5::DECIMAL(38, 4),
     1.5::FLOAT, 2.5::DOUBLE, TRUE, TRUE, 'a', 'b', NULL::VARCHAR,
     DATE '2026-11-22', TIMESTAMP '2026-11-22 10:11:12',
     TIMESTAMPTZ '2026-11-22 10:11:12+07'),
    (2, NULL, 3, NULL, 4, 5, 6, 7, 8, NULL, 3.5, NULL, NULL, FALSE, NULL, 'c', NULL, NULL,
     NULL, NULL, NULL)
) AS t(i, i_null, b, b_all_null, s, ti, ub, ui, hi, dec, dec38, fl, dbl, bo, bo_null,
       tx, tx_null, tx_all_null, d, ts, tz)
"""

_HANDED_BACK = [
    "SELECT [1, 2] AS daftar",
    "SELECT {'a': 1} AS susunan",
    "SELECT INTERVAL 1 DAY AS jeda",
    "SELECT 'a'::BLOB AS biner",
    "SELECT TIME '10:11:12' AS jam",
    "SELECT 1 AS a, 2 AS a",
]


def _same(db, sql: str, params=None) -> None:
    expected = db.conn.sql(sql, params=params).df()
    pd.testing.assert_frame_equal(db.df(sql, params), expected)


def test_every_converted_type(db) -> None:
    _same(db, _TYPES)
    frame = db.df(_TYPES)
    assert str(frame["i_null"].dtype) == "Int32"
    assert frame["dec"].dtype == "float64"
    assert frame["tx_all_null"].tolist() == [None, None]


@pytest.mark.parametrize("where", ["WHERE i = 1", "WHERE i = 2", "WHERE false"])
def test_rows_with_and_without_nulls(db, where: str) -> None:
    # One row without any NULL (NumPy dtypes), one with, none at all.
    _same(db, f"SELECT * FROM ({_TYPES}) {where}")


@pytest.mark.parametrize("sql", _HANDED_BACK)
def test_other_types_left_to_duckdb(db, sql: str) -> None:
    _same(db, sql)


def test_parameters(db) -> None:
    _same(db, "SELECT ?::INTEGER AS a, ?::VARCHAR AS b", [1, "x"])
    _same(db, "SELECT $a::INTEGER AS a", {"a": 3})


def test_every_table_and_view_of_the_demo(demo_db) -> None:
    names = [
        name
        for (name,) in demo_db.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name"
        )
    ]
    assert any(n.startswith("m_") for n in names) and any(n.startswith("v_") for n in names)
    for name in names:
        _same(demo_db, f'SELECT * FROM "{name}" ORDER BY ALL')
        _same(demo_db, f'SELECT * FROM "{name}" LIMIT 0')


def test_duckdb_would_convert_differently() -> None:
    # What the module is for: Arrow's own conversion differs from DuckDB's on these.
    import duckdb

    relation = duckdb.sql(_TYPES)
    assert not relation.to_arrow_table().to_pandas().dtypes.equals(relation.df().dtypes)
    assert frames.frame(duckdb.sql(_TYPES)).dtypes.equals(relation.df().dtypes)
