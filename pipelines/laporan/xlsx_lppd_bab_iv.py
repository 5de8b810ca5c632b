"""BAB IV LPPD (Penerapan dan Pencapaian SPM), its kabupaten/kota annex, and the LPPD
IKK rekap and completeness of the year: one function per sheet."""

from __future__ import annotations

from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA, RATA_KABKOTA_TERTIMBANG
from pipelines.laporan.data import ReportData
from pipelines.laporan.xlsx_kit import (
    KABKOTA_COLUMNS,
    Book,
    Col,
    Sheet,
    columns,
    fields,
    kabkota_values,
    status_rows,
)

# Each table: the field of ReportData's frame a column shows, and the column.
BAB_IV_FIELDS = [
    ("nama_layanan", Col("Jenis Pelayanan Dasar", 46, "wrap")),
    ("jumlah_sasaran", Col("Target (Sasaran)", 13, "int")),
    ("jumlah_terlayani", Col("Realisasi (Terlayani)", 13, "int")),
    ("capaian_penerima", Col("Capaian Penerima (%)", 11, "dec")),
    ("capaian_mutu", Col("Capaian Mutu (%)", 11, "dec")),
    ("nilai", Col("Nilai", 9, "dec")),
    ("kategori", Col("Kategori", 16, "wrap")),
    ("anggaran_realisasi", Col("Anggaran Realisasi (Rp)", 17, "rp")),
]
IKK_FIELDS = [
    ("kode_wilayah", Col("Kode", 8)),
    ("nama_wilayah", Col("Wilayah", 22, "wrap")),
    ("urusan", Col("Urusan", 18, "wrap")),
    ("kode_ikk", Col("Kode IKK", 10)),
    ("nama_ikk", Col("Indikator Kinerja Kunci", 46, "wrap")),
    ("jenis", Col("Jenis", 9)),
    ("pembilang", Col("Pembilang", 12, "dec")),
    ("penyebut", Col("Penyebut", 12, "dec")),
    ("capaian", Col("Capaian", 10, "dec")),
    ("satuan", Col("Satuan", 9)),
    ("data_dukung", Col("Data Dukung", 24, "wrap")),
    ("keterangan", Col("Keterangan", 24, "wrap")),
]
KELENGKAPAN_FIELDS = [
    ("kode_wilayah", Col("Kode", 8)),
    ("nama_wilayah", Col("Wilayah", 28, "wrap")),
    ("jumlah_ikk", Col("Jumlah IKK", 10, "int")),
    ("ikk_terisi", Col("IKK Terisi", 10, "int")),
    ("persen_terisi", Col("Terisi (%)", 10, "dec")),
    ("ikk_dengan_data_dukung", Col("IKK dengan Data Dukung", 12, "int")),
    ("persen_data_dukung", Col("Data Dukung (%)", 10, "dec")),
    ("status_data", Col("Status Data", 14)),
]


def workbook_lppd_bab_iv(data: ReportData) -> bytes:
    """BAB IV LPPD (Penerapan dan Pencapaian SPM) and the LPPD IKK rekap."""
    prov = data.scope.nama_provinsi or ""
    judul = f"LPPD Provinsi {prov} Tahun {data.tahun} - BAB IV Penerapan dan Pencapaian SPM"
    return Book(judul, f"Data SPM {data.periode}", data).build(
        _bab_iv_sheet, _kabkota_sheet, _ikk_sheet, _kelengkapan_sheet
    )


def _bab_iv_sheet(book: Book) -> None:
    """The province's own services per urusan, closed by the urusan nilai and its IP-SPM."""
    data = book.data
    bab = book.sheet(
        "BAB IV SPM", [Col("No", 5, "int"), Col("Urusan", 18, "wrap"), *columns(BAB_IV_FIELDS)]
    )
    if data.provinsi_layanan.empty:
        bab.note("Belum ada data SPM kewenangan provinsi untuk periode ini.")
    else:
        _bab_iv_rows(bab, data)
    if data.provinsi_wilayah:
        pw = data.provinsi_wilayah
        bab.row(
            [None, None, IP_SPM_PEMPROV.nama, None, None, None, None]
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
        for values in group[fields(BAB_IV_FIELDS)].itertuples(index=False, name=None):
            no += 1
            bab.row([no, u, *values])
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
    ag = book.data.agregat_kabkota
    if ag:
        kab.row([None, RATA_KABKOTA.nama, ag["nilai"], ag["kategori"]], total=True)
        if ag.get("nilai_tertimbang") is not None:
            kab.row(
                [None, RATA_KABKOTA_TERTIMBANG.nama, ag["nilai_tertimbang"]]
                + [ag["kategori_tertimbang"]]
            )
    status_rows(kab, book.data)
    kab.finish()


def _ikk_sheet(book: Book) -> None:
    """Every LPPD IKK of the year per region: pembilang, penyebut, capaian, data dukung."""
    data = book.data
    book.table(
        "IKK Kab-Kota",
        IKK_FIELDS,
        data.ikk,
        f"Rekap Capaian IKK LPPD Tahun {data.tahun}",
        "Kabupaten/kota" + (" dan provinsi" if data.scope.kode_provinsi else ""),
        empty=f"Belum ada data IKK LPPD tahun {data.tahun}.",
    )


def _kelengkapan_sheet(book: Book) -> None:
    """Per region: IKK filled and IKK with data dukung, out of the catalog."""
    data = book.data
    frame = data.ikk_kelengkapan
    if not frame.empty:
        sent = zip(frame["status_submission"], frame["ada_submission"], strict=True)
        frame = frame.assign(status_data=[s if ok else "Belum mengirim" for s, ok in sent])
    book.table(
        "Kelengkapan IKK",
        KELENGKAPAN_FIELDS,
        frame,
        f"Kelengkapan Data IKK LPPD Tahun {data.tahun}",
        empty=f"Belum ada data IKK LPPD tahun {data.tahun}.",
    )
