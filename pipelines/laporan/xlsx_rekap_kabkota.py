"""The rekap per kabupaten/kota: one sheet per region with its services, after an index
sheet, to send back to each region (write-only: 514 regions stream fine)."""

from __future__ import annotations

import pandas as pd

from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA
from pipelines.laporan.data import ReportData
from pipelines.laporan.xlsx_kit import (
    KABKOTA_COLUMNS,
    LAYANAN_TABLE,
    Book,
    Col,
    Sheet,
    kabkota_values,
    layanan_rows,
    status_rows,
    total_row,
)


def sheet_name(kode: str, nama: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (max 31 characters, no []:*?/\\)."""
    clean = "".join(ch for ch in nama if ch not in "[]:*?/\\")
    base = f"{kode} {clean}"[:31].rstrip()
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def _province_rows(index: Sheet, data: ReportData) -> None:
    """Under the regions of a province's rekap: its two figures, each under its one name
    (closing rows, not ranked among the kabupaten/kota)."""
    if data.scope.kode_provinsi is None:
        return
    code = data.scope.kode_provinsi
    ag = data.agregat_kabkota
    if ag:
        index.row([code, RATA_KABKOTA.nama, ag["nilai"], ag["kategori"]], total=True)
    pw = data.provinsi_wilayah
    if pw:
        index.row([code, IP_SPM_PEMPROV.nama, pw["nilai"], pw["kategori"]], total=True)


def workbook_rekap_kabkota(data: ReportData) -> bytes:
    """One sheet per kabupaten/kota with its services, after an index sheet."""
    judul = "Rekap Penerapan dan Pencapaian SPM per Kabupaten/Kota"
    if data.scope.nama_provinsi and data.scope.kode_provinsi:
        judul += f" Provinsi {data.scope.nama_provinsi}"
    book = Book(judul, f"{data.periode} (kumulatif sampai akhir triwulan)", data)
    index = book.sheet("Daftar", [*KABKOTA_COLUMNS, Col("Lembar", 32)])
    used: set[str] = {"daftar"}
    names = {
        row.kode: sheet_name(row.kode, row.nama, used)
        for row in data.kabkota_wilayah.itertuples(index=False)
    }
    for row in data.kabkota_wilayah.itertuples(index=False):
        index.row([*kabkota_values(row), names[row.kode]])
    _province_rows(index, data)
    status_rows(index, data)
    index.finish()
    layanan_by_region = dict(tuple(data.kabkota_layanan.groupby("kode_wilayah", sort=False)))
    urusan_by_region = dict(tuple(data.kabkota_urusan.groupby("kode_wilayah", sort=False)))
    cols = [*LAYANAN_TABLE, Col("Status Data", 12)]
    empty_urusan = pd.DataFrame(columns=["urusan", "nilai", "kategori"])
    for row in data.kabkota_wilayah.itertuples(index=False):
        sheet = book.sheet(names[row.kode], cols, f"Penerapan dan Pencapaian SPM {row.nama}")
        layanan = layanan_by_region.get(row.kode)
        if layanan is None or layanan.empty:
            sheet.note(f"{row.nama} belum menyampaikan data SPM {data.periode}.")
        else:
            layanan_rows(
                sheet,
                layanan,
                urusan_by_region.get(row.kode, empty_urusan),
                data.urusan,
                extra="status_submission",
            )
            sheet.row(total_row(f"IP-SPM {row.nama}", row.nilai, row.kategori), total=True)
        sheet.finish()
    return book.save()
