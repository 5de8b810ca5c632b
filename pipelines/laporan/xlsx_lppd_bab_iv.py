"""BAB IV LPPD (Penerapan dan Pencapaian SPM), its kabupaten/kota annex, and the LPPD
IKK rekap and completeness of the year: one function per sheet."""

from __future__ import annotations

from pipelines.laporan.data import ReportData
from pipelines.laporan.xlsx_kit import KABKOTA_COLUMNS, Book, Col, Sheet, kabkota_values

BAB_IV_TABLE = [
    Col("No", 5, "int"),
    Col("Urusan", 18, "wrap"),
    Col("Jenis Pelayanan Dasar", 46, "wrap"),
    Col("Target (Sasaran)", 13, "int"),
    Col("Realisasi (Terlayani)", 13, "int"),
    Col("Capaian Penerima (%)", 11, "dec"),
    Col("Capaian Mutu (%)", 11, "dec"),
    Col("Nilai", 9, "dec"),
    Col("Kategori", 16, "wrap"),
    Col("Anggaran Realisasi (Rp)", 17, "rp"),
]
IKK_TABLE = [
    Col("Kode", 8),
    Col("Wilayah", 22, "wrap"),
    Col("Urusan", 18, "wrap"),
    Col("Kode IKK", 10),
    Col("Indikator Kinerja Kunci", 46, "wrap"),
    Col("Jenis", 9),
    Col("Pembilang", 12, "dec"),
    Col("Penyebut", 12, "dec"),
    Col("Capaian", 10, "dec"),
    Col("Satuan", 9),
    Col("Data Dukung", 24, "wrap"),
    Col("Keterangan", 24, "wrap"),
]
KELENGKAPAN_TABLE = [
    Col("Kode", 8),
    Col("Wilayah", 28, "wrap"),
    Col("Jumlah IKK", 10, "int"),
    Col("IKK Terisi", 10, "int"),
    Col("Terisi (%)", 10, "dec"),
    Col("IKK dengan Data Dukung", 12, "int"),
    Col("Data Dukung (%)", 10, "dec"),
    Col("Status Data", 14),
]


def workbook_lppd_bab_iv(data: ReportData) -> bytes:
    """BAB IV LPPD (Penerapan dan Pencapaian SPM) and the LPPD IKK rekap."""
    prov = data.scope.nama_provinsi or ""
    book = Book(
        f"LPPD Provinsi {prov} Tahun {data.tahun} - BAB IV Penerapan dan Pencapaian SPM",
        f"Data SPM {data.periode}",
        data,
    )
    _bab_iv_sheet(book)
    _kabkota_sheet(book)
    _ikk_sheet(book)
    _kelengkapan_sheet(book)
    return book.save()


def _bab_iv_sheet(book: Book) -> None:
    """The province's own services per urusan, closed by the urusan nilai and its IP-SPM."""
    data = book.data
    bab = book.sheet("BAB IV SPM", BAB_IV_TABLE)
    if data.provinsi_layanan.empty:
        bab.note("Belum ada data SPM kewenangan provinsi untuk periode ini.")
    else:
        _bab_iv_rows(bab, data)
    if data.provinsi_wilayah:
        pw = data.provinsi_wilayah
        bab.row(
            [None, None, "Indeks Pencapaian SPM (IP-SPM) Provinsi", None, None, None, None]
            + [pw["nilai"], pw["kategori"]],
            total=True,
        )
    bab.finish()


def _bab_iv_rows(bab: Sheet, data: ReportData) -> None:
    layanan = data.provinsi_layanan
    urusan_idx = data.provinsi_urusan.set_index("urusan")
    no = 0
    for u in data.urusan:
        group = layanan[layanan["urusan"] == u]
        if group.empty:
            continue
        for r in group.itertuples(index=False):
            no += 1
            bab.row(
                [
                    no,
                    u,
                    r.nama_layanan,
                    r.jumlah_sasaran,
                    r.jumlah_terlayani,
                    r.capaian_penerima,
                    r.capaian_mutu,
                    r.nilai,
                    r.kategori,
                    r.anggaran_realisasi,
                ]
            )
        if u in urusan_idx.index:
            bab.row(
                [None, u, f"Nilai urusan {u}", None, None, None, None]
                + [urusan_idx.loc[u, "nilai"], urusan_idx.loc[u, "kategori"]],
                total=True,
            )


def _kabkota_sheet(book: Book) -> None:
    """The kabupaten/kota IP-SPM and rank (annex of BAB IV)."""
    kab = book.sheet(
        "SPM Kab-Kota",
        [*KABKOTA_COLUMNS, Col("Peringkat", 10, "int")],
        "Pencapaian SPM Kabupaten/Kota (lampiran BAB IV)",
    )
    for r in book.data.kabkota_wilayah.itertuples(index=False):
        kab.row([*kabkota_values(r), r.peringkat])
    kab.finish()


def _ikk_sheet(book: Book) -> None:
    """Every LPPD IKK of the year per region: pembilang, penyebut, capaian, data dukung."""
    data = book.data
    ikk = book.sheet(
        "IKK Kab-Kota",
        IKK_TABLE,
        f"Rekap Capaian IKK LPPD Tahun {data.tahun}",
        "Kabupaten/kota" + (" dan provinsi" if data.scope.kode_provinsi else ""),
    )
    if data.ikk.empty:
        ikk.note(f"Belum ada data IKK LPPD tahun {data.tahun}.")
    for r in data.ikk.itertuples(index=False):
        ikk.row(
            [
                r.kode_wilayah,
                r.nama_wilayah,
                r.urusan,
                r.kode_ikk,
                r.nama_ikk,
                r.jenis,
                r.pembilang,
                r.penyebut,
                r.capaian,
                r.satuan,
                r.data_dukung,
                r.keterangan,
            ]
        )
    ikk.finish()


def _kelengkapan_sheet(book: Book) -> None:
    """Per region: IKK filled and IKK with data dukung, out of the catalog."""
    data = book.data
    lengkap = book.sheet(
        "Kelengkapan IKK", KELENGKAPAN_TABLE, f"Kelengkapan Data IKK LPPD Tahun {data.tahun}"
    )
    if data.ikk_kelengkapan.empty:
        lengkap.note(f"Belum ada data IKK LPPD tahun {data.tahun}.")
    for r in data.ikk_kelengkapan.itertuples(index=False):
        lengkap.row(
            [
                r.kode_wilayah,
                r.nama_wilayah,
                r.jumlah_ikk,
                r.ikk_terisi,
                r.persen_terisi,
                r.ikk_dengan_data_dukung,
                r.persen_data_dukung,
                r.status_submission if r.ada_submission else "Belum mengirim",
            ]
        )
    lengkap.finish()
