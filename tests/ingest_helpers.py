"""Helpers for the ingestion tests: real templates filled with openpyxl, as a user would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from pipelines.auth.access import local_admin
from pipelines.db.store import Database
from pipelines.ingest import templates

ADMIN = local_admin("test")
# Inside the input window for 2025 TW2 (deadline 20 July 2025): not late.
ON_TIME = dt.date(2025, 7, 1)

TABLES = ["submission", "spm_data", "lppd_data", "perubahan_nilai", "audit_log"]


def make_template(
    db: Database, path: Path, form="spm-kabkota", region="19.01", year=2025, tw=2, opd=None
) -> Path:
    spec = templates.TemplateSpec(form, region, year, None if form == "lppd-ikk" else tw, opd)
    return templates.write(db, spec, path)


def fill(template: Path, out: Path, values: dict[object, dict[str, object]], sheet="Data") -> Path:
    """Write ``values`` (item code, or (kode_layanan, kode_item) for a mutu item row ->
    {canonical key: value}) into the template's cells. A mutu pair the template locks
    (its service details the kelompok per item) is left as a user must leave it."""
    wb = load_workbook(template)
    ws = wb[sheet]
    keys = [c.value for c in ws[templates.KEY_ROW]]
    item = "kode_ikk" if "kode_ikk" in keys else "kode_layanan"
    item_col = keys.index(item) + 1
    mutu_col = keys.index("kode_item") + 1 if "kode_item" in keys else None
    for r in range(templates.FIRST_DATA_ROW, ws.max_row + 1):
        code = ws.cell(row=r, column=item_col).value
        mutu = ws.cell(row=r, column=mutu_col).value if mutu_col else None
        for key, value in values.get((code, mutu) if mutu else code, {}).items():
            cell = ws.cell(row=r, column=keys.index(key) + 1)
            if key.startswith("mutu_") and cell.protection.locked:
                continue
            cell.value = value
    wb.save(out)
    return out


def kab_codes(db: Database) -> list[str]:
    """The kab/kota services' codes, in catalog order."""
    return db.df("SELECT kode FROM layanan WHERE tingkat = 'kabupaten/kota' ORDER BY urutan")[
        "kode"
    ].tolist()


def spm_values(codes, sasaran=1000, terlayani=900) -> dict[str, dict[str, object]]:
    out = {}
    for i, code in enumerate(codes):
        out[code] = {
            "jumlah_sasaran": sasaran + i,
            "jumlah_terlayani": terlayani + i,
            "mutu_barang_jasa_kebutuhan": 10 + i,
            "mutu_barang_jasa_tersedia": 8,
            "mutu_sdm_kebutuhan": 4,
            "mutu_sdm_tersedia": 3,
            "anggaran_rencana": 150_000_000 + i * 1000,
            "anggaran_realisasi": 120_500_000.5,
            "tahap_pengumpulan_data": "Ya",
            "tahap_penghitungan_kebutuhan": "Ya",
            "tahap_penyusunan_rencana": "Tidak",
            "tahap_pelaksanaan": "Ya",
            "permasalahan": f"Masalah {code}",
            "solusi": f"Solusi {code}",
        }
    return out


def snapshot(db: Database) -> dict:
    return {t: db.df(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}
