"""How much one uploaded file may hold before it is refused, from the settings.

Every limit is checked before or while the file is read, and reading stops at the
first one passed, so a hostile or broken file (a "zip bomb", a million empty rows, one
huge cell) is refused in a moment with one Indonesian sentence instead of taking the
machine's memory and time. The defaults are generous for a real kab/kota or OPD file
(a few dozen to a few hundred rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.core import fmt

# setting name -> default (also in data/settings_default.json)
DEFAULTS: dict[str, int | float] = {
    "ukuran_berkas_maks_mb": 10,  # the file as uploaded
    "unggah_isi_maks_mb": 50,  # the file's content once unpacked (.xlsx) or decoded
    "unggah_baris_maks": 5000,  # rows of a sheet, empty ones included
    "unggah_kolom_maks": 200,  # columns (cells) of a row
    "unggah_sel_maks_karakter": 32000,  # characters of one cell
    "unggah_periksa_maks_detik": 60,  # the app's check of one file, in its worker
    "unggah_periksa_memori_maks_mb": 1024,  # the memory of that worker
}


@dataclass(frozen=True)
class Limits:
    file_mb: float = DEFAULTS["ukuran_berkas_maks_mb"]
    content_mb: float = DEFAULTS["unggah_isi_maks_mb"]
    rows: int = int(DEFAULTS["unggah_baris_maks"])
    columns: int = int(DEFAULTS["unggah_kolom_maks"])
    cell_chars: int = int(DEFAULTS["unggah_sel_maks_karakter"])
    seconds: float = DEFAULTS["unggah_periksa_maks_detik"]
    memory_mb: int = int(DEFAULTS["unggah_periksa_memori_maks_mb"])

    @property
    def content_bytes(self) -> int:
        return int(self.content_mb * 1024 * 1024)

    @classmethod
    def from_settings(cls, values: dict[str, Any]) -> Limits:
        """The limits of the settings in force (a setting not saved yet: its default)."""

        def get(key: str) -> Any:
            return values.get(key, DEFAULTS[key])

        return cls(
            file_mb=float(get("ukuran_berkas_maks_mb")),
            content_mb=float(get("unggah_isi_maks_mb")),
            rows=int(get("unggah_baris_maks")),
            columns=int(get("unggah_kolom_maks")),
            cell_chars=int(get("unggah_sel_maks_karakter")),
            seconds=float(get("unggah_periksa_maks_detik")),
            memory_mb=int(get("unggah_periksa_memori_maks_mb")),
        )


def whole(number: float) -> str:
    """A limit as people read it: '5.000', '32.000'."""
    return fmt.angka(number, 0 if float(number).is_integer() else 1)
