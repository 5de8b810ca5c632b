"""Laporan Penerapan dan Pencapaian SPM Provinsi (the Gubernur to the Menteri): Ringkasan,
the province's own services per urusan, the rekap of its kabupaten/kota per urusan,
their ranking and the spread of categories."""

from __future__ import annotations

import pandas as pd

from pipelines.capaian import awards, labels
from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA, RATA_KABKOTA_TERTIMBANG
from pipelines.core import fmt, settings
from pipelines.laporan.data import ReportData
from pipelines.laporan.xlsx_kit import (
    KABKOTA_COLUMNS,
    LAYANAN_TABLE,
    Book,
    Col,
    kabkota_values,
    kategori_kabkota,
    layanan_rows,
    status_rows,
    total_row,
)
from pipelines.laporan.xlsx_skm import skm_sheet


def workbook_laporan_provinsi(data: ReportData) -> bytes:
    """Laporan Penerapan dan Pencapaian SPM Provinsi (the Gubernur to the Menteri)."""
    prov = data.scope.nama_provinsi or ""
    judul = f"Laporan Penerapan dan Pencapaian SPM Provinsi {prov}"
    return Book(judul, f"{data.periode} (kumulatif sampai akhir triwulan)", data).build(
        _ringkasan_sheet,
        _provinsi_sheet,
        _rekap_sheet,
        _peringkat_sheet,
        _sebaran_sheet,
        skm_sheet,
        _awards_sheet,
    )


def _ringkasan_sheet(book: Book) -> None:
    """The province's two figures under their one name each (its own services per urusan
    under the first), each kabupaten/kota, and which data is not yet verified."""
    data = book.data
    ringkas = book.sheet(
        "Ringkasan",
        [Col("Uraian", 58, "wrap"), Col("Nilai", 14, "dec"), Col("Kategori", 22, "wrap")],
    )
    pw = data.provinsi_wilayah
    ringkas.row(
        [
            IP_SPM_PEMPROV.nama,
            pw["nilai"] if pw else None,
            pw["kategori"] if pw else "Belum ada data",
        ],
        total=True,
    )
    for u in data.urusan:
        match = data.provinsi_urusan[data.provinsi_urusan["urusan"] == u]
        if not match.empty:
            r = match.iloc[0]
            ringkas.row([f"   Urusan {u}", r["nilai"], r["kategori"]])
    ag = data.agregat_kabkota
    ringkas.row(
        [
            RATA_KABKOTA.nama,
            ag["nilai"] if ag else None,
            ag["kategori"] if ag else "Belum ada data",
        ],
        total=True,
    )
    if ag:
        ringkas.row(
            [f"   Kabupaten/kota yang melapor: {ag['jumlah_melapor']} dari {ag['jumlah_kabkota']}"]
        )
    if ag and ag.get("nilai_tertimbang") is not None:
        ringkas.row(
            [RATA_KABKOTA_TERTIMBANG.nama, ag["nilai_tertimbang"], ag["kategori_tertimbang"]]
        )
    for row in data.kabkota_wilayah.itertuples(index=False):
        ringkas.row([f"   {row.nama}", row.nilai, kategori_kabkota(row)])
    status_rows(ringkas, data)
    ringkas.finish()


def _provinsi_sheet(book: Book) -> None:
    """SPM Provinsi: the province's own services."""
    data = book.data
    own = book.sheet(
        "SPM Provinsi",
        LAYANAN_TABLE,
        f"Penerapan dan Pencapaian SPM Kewenangan Provinsi {data.scope.nama_provinsi or ''}",
    )
    if data.provinsi_layanan.empty:
        own.note("Belum ada data SPM provinsi untuk periode ini.")
    else:
        layanan_rows(own, data.provinsi_layanan, data.provinsi_urusan, data.urusan)
        pw = data.provinsi_wilayah
        if pw:
            own.row(total_row(IP_SPM_PEMPROV.nama, pw["nilai"], pw["kategori"]), total=True)
    own.finish()


def _rekap_sheet(book: Book) -> None:
    """The kabupaten/kota per urusan with IP-SPM, rank and change against last year."""
    data = book.data
    cols = [Col("Kode", 8), Col("Kabupaten/Kota", 24, "wrap")]
    cols += [Col(u, 13, "dec") for u in data.urusan]
    cols += [
        Col("IP-SPM", 10, "dec"),
        Col("Kategori", 16, "wrap"),
        Col("Peringkat", 10, "int"),
        Col(f"IP-SPM {data.tahun - 1}", 10, "dec"),
        Col("Perubahan (poin)", 11, "dec"),
    ]
    sheet = book.sheet(
        "Rekap Kab-Kota", cols, "Evaluasi Penerapan SPM Kabupaten/Kota: Rekap per Urusan"
    )
    pivot = (
        data.kabkota_urusan.pivot(index="kode_wilayah", columns="urusan", values="nilai")
        if not data.kabkota_urusan.empty
        else pd.DataFrame()
    )
    for row in data.kabkota_wilayah.itertuples(index=False):
        per_urusan = [
            pivot.at[row.kode, u] if (row.kode in pivot.index and u in pivot.columns) else None
            for u in data.urusan
        ]
        # selisih: selisih_tahun_lalu of v_capaian_wilayah
        sheet.row(
            [row.kode, row.nama, *per_urusan]
            + [row.nilai, kategori_kabkota(row), row.peringkat, row.nilai_lalu, row.selisih]
        )
    ag = data.agregat_kabkota
    if ag:
        means = dict(zip(data.agregat_urusan["urusan"], data.agregat_urusan["nilai"], strict=True))
        sheet.row(
            [
                None,
                RATA_KABKOTA.nama,
                *(means.get(u) for u in data.urusan),
                ag["nilai"],
                ag["kategori"],
            ],
            total=True,
        )
    sheet.note(
        "Nilai urusan = rata-rata nilai jenis pelayanan dasar; IP-SPM = rata-rata nilai "
        "urusan. Layanan tanpa sasaran tidak ikut dirata-ratakan."
    )
    sheet.finish()


def _peringkat_sheet(book: Book) -> None:
    """The kabupaten/kota by IP-SPM, highest first."""
    data = book.data
    sheet = book.sheet(
        "Peringkat",
        [
            Col("Peringkat", 10, "int"),
            *KABKOTA_COLUMNS,
            Col(f"IP-SPM {data.tahun - 1}", 10, "dec"),
            Col("Perubahan (poin)", 11, "dec"),
            Col(f"{labels.KETERISIAN} (%)", 12, "dec"),
        ],
        "Peringkat IP-SPM Kabupaten/Kota",
    )
    ordered = data.kabkota_wilayah.sort_values(
        ["peringkat", "kode"], na_position="last", kind="mergesort"
    )
    for row in ordered.itertuples(index=False):
        # selisih: selisih_tahun_lalu of v_capaian_wilayah
        sheet.row(
            [row.peringkat, *kabkota_values(row), row.nilai_lalu, row.selisih, row.keterisian]
        )
    sheet.finish()


def _sebaran_sheet(book: Book) -> None:
    """How many kabupaten/kota fall in each category, per urusan and by IP-SPM."""
    data = book.data
    bands = [b["nama"] for b in sorted(data.settings["kategori"], key=lambda b: -b["min"])]
    cols = [Col("Kategori", 22, "wrap")] + [Col(u, 13, "int") for u in data.urusan]
    cols.append(Col("IP-SPM", 10, "int"))
    sheet = book.sheet(
        "Sebaran Kategori",
        cols,
        "Sebaran Kategori Capaian SPM Kabupaten/Kota (jumlah kabupaten/kota)",
    )
    total = len(data.kabkota_wilayah)
    ku = data.kabkota_urusan
    kw = data.kabkota_wilayah
    for band in [*bands, "Belum melapor / tanpa nilai"]:
        counts = []
        for u in data.urusan:
            sel = ku[(ku["urusan"] == u) & ku["nilai"].notna()]
            if band in bands:
                counts.append(int((sel["kategori"] == band).sum()))
            else:
                counts.append(total - len(sel))
        if band in bands:
            counts.append(int(((kw["kategori"] == band) & kw["nilai"].notna()).sum()))
        else:
            counts.append(int(kw["nilai"].isna().sum()))
        sheet.row([band, *counts])
    sheet.row(["Jumlah kabupaten/kota", *([total] * (len(data.urusan) + 1))], total=True)
    sheet.finish()


def _awards_sheet(book: Book) -> None:
    """SPM Awards: each kabupaten/kota's readiness score in its six parts, highest first,
    with the next step that gains it the most points and whether its data is verified."""
    data = book.data
    weights = settings.awards_bobot(data.settings)
    parts = [
        Col(f"{awards.SINGKAT[part]} ({fmt.angka(weights[key], 0)})", 11, "dec")
        for part, key, _ in awards.BAGIAN
    ]
    sheet = book.sheet(
        "SPM Awards",
        [
            Col("Peringkat", 10, "int"),
            Col("Kode", 8),
            Col("Kabupaten/Kota", 24, "wrap"),
            Col("Skor", 9, "dec"),
            *parts,
            Col("Status data", 16, "wrap"),
            Col("Langkah berikut", 48, "wrap"),
        ],
        f"Kesiapan SPM Awards Kabupaten/Kota {data.tahun} (data sampai {data.periode})",
    )
    frame = data.awards
    if frame.empty:
        sheet.note("Skor SPM Awards hanya dihitung untuk kabupaten/kota provinsi yang dilayani.")
    for row in frame.to_dict(orient="records"):
        sheet.row(
            [row["peringkat"], row["kode_wilayah"], row["nama_wilayah"], row["skor"]]
            + [row[p] for p in awards.PARTS]
            + [awards.status_teks(row["status_data"]), row["langkah_berikut"]]
        )
    if data.awards_catatan:
        sheet.row([f"Catatan status data: {data.awards_catatan}; skor dapat berubah."], total=True)
    sheet.note(
        "IP-SPM dan anggaran (realisasi/rencana, paling tinggi 100 %) serta tahapan dibaca pada "
        "triwulan terakhir tahun itu yang berdata; Tim dan Rencana Aksi dihitung bila dokumennya "
        "sudah diverifikasi; kepatuhan = triwulan yang dikirim tepat waktu dari 4."
    )
    sheet.finish()
