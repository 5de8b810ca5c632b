"""The demo's outliers: two values typed wrong in one triwulan (a sasaran with an extra
zero, a terlayani far above its sasaran) so the "Kualitas data" page and the upload
check show what they find, and one of them already marked for follow-up."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.db.store import Database

# (tahun, triwulan, kode_wilayah, kode_layanan, column, factor)
SALAH_KETIK = [
    (2025, 3, "19.04", "KES-K-05", "jumlah_sasaran", 10),
    (2025, 3, "19.05", "PEND-K-02", "jumlah_terlayani", 3),
]
KOMENTAR = (
    "Sasaran sepuluh kali lipat dari tahun lalu; minta dinas kesehatan memeriksa apakah "
    "ada angka nol yang terketik dua kali."
)


def sisipkan(spm: pd.DataFrame) -> pd.DataFrame:
    """``spm`` (the demo's rows) with the typing errors of :data:`SALAH_KETIK`."""
    spm = spm.copy()
    for tahun, triwulan, wilayah, layanan, column, factor in SALAH_KETIK:
        hit = (
            (spm["tahun"] == tahun)
            & (spm["triwulan"] == triwulan)
            & (spm["kode_wilayah"] == wilayah)
            & (spm["kode_layanan"] == layanan)
        )
        spm.loc[hit, column] = spm.loc[hit, column] * factor
    return spm


def load_demo(db: Database) -> None:
    """Replace the follow-up marks with the demo's one (inside the demo's transaction)."""
    db.execute("DELETE FROM pencilan_tindak_lanjut")
    tahun, triwulan, wilayah, layanan, _, _ = SALAH_KETIK[0]
    db.execute(
        "INSERT INTO pencilan_tindak_lanjut VALUES (?, ?, ?, ?, 'sasaran', "
        "'perlu ditindaklanjuti', ?, 'analis', ?)",
        [tahun, triwulan, wilayah, layanan, KOMENTAR, dt.datetime(2025, 10, 27, 10, 15)],
    )
