"""The names of the province's figures: one name per number, everywhere.

A province has two different IP-SPM figures and they must never share a name:

- the IP-SPM of the **Pemerintah Provinsi** itself: the mean of the urusan of the
  services under provincial authority (``v_capaian_provinsi.nilai_provinsi``, the
  province's row of ``v_capaian_wilayah``);
- the **mean of its kabupaten/kota's IP-SPM** (``nilai_rata_rata_kabkota``), with its
  labelled sasaran-weighted variant (``nilai_tertimbang_sasaran``).

Every page, sheet, DOCX sentence and CSV column takes the name (``nama``) and the
column key (``kolom``) from here. The province is never ranked among its
kabupaten/kota: rankings hold kabupaten/kota only, and the province's own figure is
shown beside them under its own name.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.core import fmt


@dataclass(frozen=True)
class Angka:
    """One provincial figure: its column key, its name and how it is computed."""

    kolom: str  # CSV column and machine key
    nama: str  # the one name shown to people
    rumus: str  # one sentence: how it is computed
    kolom_view: str  # the column of v_capaian_provinsi holding it
    kolom_kategori_view: str

    @property
    def kolom_kategori(self) -> str:
        return f"kategori_{self.kolom}"


IP_SPM_PEMPROV = Angka(
    kolom="ip_spm_pemerintah_provinsi",
    nama="IP-SPM Pemerintah Provinsi (layanan kewenangan provinsi)",
    rumus="rata-rata nilai urusan dari jenis pelayanan dasar kewenangan provinsi yang "
    "dilaksanakan perangkat daerah provinsi",
    kolom_view="nilai_provinsi",
    kolom_kategori_view="kategori_provinsi",
)
RATA_KABKOTA = Angka(
    kolom="rata_rata_ip_spm_kabkota",
    nama="Rata-rata IP-SPM kabupaten/kota",
    rumus="rata-rata IP-SPM kabupaten/kota yang sudah melapor (IP-SPM kabupaten/kota = "
    "rata-rata nilai urusannya)",
    kolom_view="nilai_rata_rata_kabkota",
    kolom_kategori_view="kategori_rata_rata_kabkota",
)
RATA_KABKOTA_TERTIMBANG = Angka(
    kolom="rata_rata_ip_spm_kabkota_tertimbang_sasaran",
    nama="Rata-rata IP-SPM kabupaten/kota tertimbang sasaran (varian, bukan IP-SPM resmi)",
    rumus="per layanan rata-rata nilai kabupaten/kota ditimbang jumlah sasaran, lalu "
    "dirata-rata per urusan dan antarurusan",
    kolom_view="nilai_tertimbang_sasaran",
    kolom_kategori_view="kategori_tertimbang_sasaran",
)
ANGKA_PROVINSI = (IP_SPM_PEMPROV, RATA_KABKOTA, RATA_KABKOTA_TERTIMBANG)


def nama_pemprov(nama_provinsi: str | None = None) -> str:
    """How the province's own row is named wherever regions are listed (never ranked):
    'Pemerintah Provinsi Kepulauan Bangka Belitung (layanan kewenangan provinsi)', or
    without the province's name where the page already says it."""
    nama = f" {nama_provinsi}" if nama_provinsi else ""
    return f"Pemerintah Provinsi{nama} (layanan kewenangan provinsi)"


# Columns of v_capaian_provinsi (spm capaian --level provinsi) -> the names above.
VIEW_RENAME = {
    **{a.kolom_view: a.kolom for a in ANGKA_PROVINSI},
    **{a.kolom_kategori_view: a.kolom_kategori for a in ANGKA_PROVINSI},
}

# The summary row of the province: what the report's CSV and the Ringkasan's download hold.
RINGKASAN_COLUMNS = [
    "kode_provinsi",
    "nama_provinsi",
    "tahun",
    "triwulan",
    *[c for a in ANGKA_PROVINSI for c in (a.kolom, a.kolom_kategori)],
    "jumlah_kabkota",
    "jumlah_kabkota_melapor",
    "jumlah_kabkota_belum_diverifikasi",
    "jumlah_kiriman_provinsi",
    "jumlah_kiriman_provinsi_belum_diverifikasi",
    "versi_setting",
]


def ringkasan_frame(values: dict) -> pd.DataFrame:
    """One row in :data:`RINGKASAN_COLUMNS` (missing keys empty), for the CSV files."""
    return pd.DataFrame([{c: values.get(c) for c in RINGKASAN_COLUMNS}], columns=RINGKASAN_COLUMNS)


# Tingkat keterisian (v_capaian_wilayah.keterisian): one name and one explanation on
# every page, sheet and column that shows it.
KETERISIAN = "Keterisian formulir"
KETERISIAN_RUMUS = (
    "sel wajib yang terisi dibagi seluruh sel wajib: per layanan jumlah sasaran dan "
    "terlayani, kebutuhan dan ketersediaan mutu barang/jasa dan SDM, anggaran rencana dan "
    "realisasi, empat tahapan, serta permasalahan dan solusi bila nilai layanan di bawah "
    "100; layanan yang tidak dilaporkan dihitung kosong"
)


def keterisian_persen(value) -> str:
    """'97,5 %', or '–' where there is no SPM data."""
    return "–" if value is None or pd.isna(value) else fmt.persen(value, 1)


def keterisian_teks(row: dict) -> str:
    """'97,5 % (393 dari 403 sel)' or '–' without SPM data."""
    value = row.get("keterisian")
    if value is None or pd.isna(value):
        return "–"
    return (
        f"{fmt.persen(value, 1)} ({fmt.angka(row['sel_terisi'])} dari "
        f"{fmt.angka(row['sel_wajib'])} sel)"
    )
