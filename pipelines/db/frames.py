"""Query results as pandas DataFrames, fetched through Arrow.

DuckDB's own ``.df()`` builds every column through NumPy, and every text column a
second time into pandas' string type; for the figure tables (50 columns, a row per
region x service x period) that is most of a page's read. Fetching the result as an
Arrow table and converting it costs a third of that. :func:`frame` gives exactly the
DataFrame ``.df()`` would (same columns, dtypes and values; ``tests/db/test_frames.py``
compares the two on every table and view): it converts the types DuckDB's conversion
treats differently from Arrow's, and leaves results with any other type (lists,
structs, intervals, blobs, UUIDs, times) to ``.df()``.

DuckDB's rules reproduced here: DECIMAL and HUGEINT become float64; an integer or
boolean column with NULLs becomes pandas' nullable type (``Int64``, ``boolean``),
without NULLs the NumPy one; DATE becomes ``datetime64[us]``; a text column that is
all NULL is ``object`` holding ``None``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# DuckDB types whose Arrow form this module converts; a result with any other type
# (lists, structs, intervals, blobs, UUIDs, times, other timestamp units) is left to
# DuckDB's own conversion.
_CONVERTED = {
    "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
    "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "VARCHAR",
    "DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE",
}  # fmt: skip

_NULLABLE: dict[pa.DataType, Any] = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(),
    pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}
_TEXT = (pa.string(), pa.large_string())


def _converts(kind: str) -> bool:
    return kind in _CONVERTED or kind.startswith("DECIMAL(")


def frame(relation: Any) -> pd.DataFrame:
    """The result of a DuckDB relation as the DataFrame ``relation.df()`` gives."""
    names = relation.columns
    if len(set(names)) != len(names) or not all(_converts(str(t)) for t in relation.types):
        return relation.df()
    table = relation.to_arrow_table()
    columns = []
    for column in table.columns:
        if pa.types.is_decimal(column.type):
            column = pc.cast(column, pa.float64(), safe=False)
        elif column.type == pa.date32():
            column = pc.cast(column, pa.timestamp("us"))
        columns.append(column)
    table = pa.Table.from_arrays(columns, names=names)
    result = table.to_pandas()
    # Arrow makes integer and boolean columns with NULLs float64 and object, DuckDB their
    # nullable types; an all-NULL text column is object for DuckDB. Only these change.
    for name, column in zip(names, table.columns, strict=True):
        if column.null_count == 0 and len(column):
            continue
        if column.type in _NULLABLE and column.null_count:
            result[name] = column.to_pandas(types_mapper=_NULLABLE.get).array
        elif column.type in _TEXT and column.null_count == len(column):
            result[name] = pd.Series([None] * len(column), dtype=object).array
    return result
