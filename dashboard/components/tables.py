"""Tables several pages show the same way."""

from __future__ import annotations

import pandas as pd

from pipelines.core import fmt


def angka_layanan(layanan: pd.DataFrame) -> pd.DataFrame:
    """Service figures for reading: code, name, sasaran, terlayani, capaian penerima and
    mutu and nilai in Indonesian format (same index as ``layanan``)."""
    return pd.DataFrame(
        {
            "Kode": layanan["kode_layanan"],
            "Layanan": layanan["nama_layanan"],
            "Sasaran": layanan["jumlah_sasaran"].map(fmt.angka),
            "Terlayani": layanan["jumlah_terlayani"].map(fmt.angka),
            "Capaian penerima": layanan["capaian_penerima"].map(lambda v: fmt.angka(v, 2)),
            "Capaian mutu": layanan["capaian_mutu"].map(lambda v: fmt.angka(v, 2)),
            "Nilai": layanan["nilai"].map(lambda v: fmt.angka(v, 2)),
        }
    )
