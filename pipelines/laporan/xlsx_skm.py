"""The SKM sheet of the provincial report: per service unit of the province the Indeks
Kepuasan Masyarakat of the report's year (PermenPAN-RB 14/2017; from ``v_skm_unit``
through :attr:`pipelines.laporan.data.ReportData.skm`), its mutu, the weakest unsur,
and the units without a survey that year."""

from __future__ import annotations

from pipelines.laporan.xlsx_kit import Book, Col

NRR = [f"nrr_u{i}" for i in range(1, 10)]


def skm_sheet(book: Book) -> None:
    """Sheet "SKM": one row per unit with a survey, then the units without one."""
    data = book.data
    cols = [
        Col("Kode", 12),
        Col("Unit layanan", 34, "wrap"),
        Col("Responden", 11, "int"),
        *[Col(f"NRR U{i}", 8, "dec") for i in range(1, 10)],
        Col("IKM", 9, "dec"),
        Col("Mutu", 7),
        Col("Kinerja", 13, "wrap"),
        Col("Unsur terlemah", 26, "wrap"),
    ]
    sheet = book.sheet(
        "SKM", cols, f"Survei Kepuasan Masyarakat {data.tahun}: Indeks Kepuasan per Unit Layanan"
    )
    skm = data.skm
    if skm.empty:
        sheet.note(f"Belum ada hasil Survei Kepuasan Masyarakat tahun {data.tahun}.")
    for r in skm.itertuples(index=False):
        values = [getattr(r, c) for c in NRR]
        weakest = r.unsur_terlemah
        label = f"U{int(weakest)} {r.nama_unsur_terlemah}" if weakest == weakest else "–"
        sheet.row(
            [r.kode_unit, r.nama_unit, r.jumlah_responden, *values, r.ikm, r.mutu, r.kinerja, label]
        )
    for r in data.skm_tanpa_survei.itertuples(index=False):
        sheet.row([r.kode, r.nama, None, *[None] * 9, None, None, "Belum ada survei", None])
    sheet.note(
        "NRR per unsur = rata-rata jawaban (1-4) yang diisi; IKM = jumlah NRR x bobot "
        f"{data.settings.get('skm_bobot_unsur', 1 / 9):.4f} x 25; mutu dari rentang pengaturan "
        "(A 88,31-100 Sangat Baik; B 76,61-88,30 Baik; C 65,00-76,60 Kurang Baik; "
        "D 25,00-64,99 Tidak Baik)."
    )
    sheet.finish()
