"""Reading a catalog file (the IKK catalog, the mutu item catalog): CSV or the first
sheet of an XLSX, every cell as text, the required columns checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.errors import SpmError


class CatalogError(SpmError):
    """A catalog file that cannot be loaded."""


def read_catalog_file(path: Path, required: list[str]) -> tuple[pd.DataFrame, str | None]:
    """Read a catalog file (CSV, or the first sheet of an XLSX) as text with the
    ``required`` columns (names stripped and lowercased; other columns kept); raise
    CatalogError when it cannot be read or lacks a column. Returns the frame and the
    sheet's name (None for CSV); a data row's line in the file is its index + 2."""
    suffix = path.suffix.lower()
    sheet = None
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix == ".xlsx":
            with pd.ExcelFile(path, engine="openpyxl") as book:
                sheet = str(book.sheet_names[0])
                frame = pd.read_excel(book, sheet_name=sheet, dtype=str, keep_default_na=False)
        else:
            raise CatalogError(
                f"Berkas {path.name}: format tidak didukung; gunakan .csv atau .xlsx."
            )
    except (OSError, ValueError, KeyError) as exc:
        raise CatalogError(f"Berkas {path.name} tidak dapat dibaca: {exc}") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CatalogError(
            f"Berkas {path.name}: kolom {', '.join(missing)} tidak ditemukan; "
            f"kolom yang diperlukan: {', '.join(required)}."
        )
    return frame, sheet
