"""The three upload forms: their canonical columns, labels and value types.

The same keys name the columns of the Excel templates, of CSV uploads and of
exports, so a file written by one can be read by the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMS = ("spm-kabkota", "spm-provinsi", "lppd-ikk")
FORM_LABELS = {
    "spm-kabkota": "SPM kabupaten/kota",
    "spm-provinsi": "SPM provinsi",
    "lppd-ikk": "LPPD IKK",
}
TEMPLATE_VERSION = "1"
# The region level an SPM form is sent for (LPPD IKK is sent by both levels).
TINGKAT = {"spm-kabkota": "kabupaten/kota", "spm-provinsi": "provinsi"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str  # kode, tahun, triwulan, count, money, number, percent, bool, text
    input: bool = True  # filled by the uploader (unlocked in the template)


SPM_COLUMNS = [
    Column("kode_wilayah", "Kode wilayah", "kode", input=False),
    Column("tahun", "Tahun", "tahun", input=False),
    Column("triwulan", "Triwulan", "triwulan", input=False),
    Column("kode_layanan", "Kode layanan", "kode", input=False),
    Column("jumlah_sasaran", "Jumlah sasaran (penerima)", "count"),
    Column("jumlah_terlayani", "Jumlah terlayani", "count"),
    Column("mutu_barang_jasa_kebutuhan", "Mutu barang/jasa: kebutuhan", "count"),
    Column("mutu_barang_jasa_tersedia", "Mutu barang/jasa: tersedia", "count"),
    Column("mutu_sdm_kebutuhan", "Mutu SDM: kebutuhan", "count"),
    Column("mutu_sdm_tersedia", "Mutu SDM: tersedia", "count"),
    Column("anggaran_rencana", "Anggaran rencana (Rp)", "money"),
    Column("anggaran_realisasi", "Anggaran realisasi (Rp)", "money"),
    Column("tahap_pengumpulan_data", "Tahap 1: pengumpulan data (Ya/Tidak)", "bool"),
    Column("tahap_penghitungan_kebutuhan", "Tahap 2: penghitungan kebutuhan (Ya/Tidak)", "bool"),
    Column("tahap_penyusunan_rencana", "Tahap 3: penyusunan rencana (Ya/Tidak)", "bool"),
    Column("tahap_pelaksanaan", "Tahap 4: pelaksanaan (Ya/Tidak)", "bool"),
    Column("permasalahan", "Permasalahan", "text"),
    Column("solusi", "Solusi", "text"),
]
# The mutu item rows of an SPM submission (table spm_mutu; pipelines/core/mutu_item.py):
# not an upload form of its own but committed, compared and withdrawn with the same code
# as a form's rows, under this name.
MUTU_FORM = "spm-mutu"
MUTU_COLUMNS = [
    Column("kode_wilayah", "Kode wilayah", "kode", input=False),
    Column("tahun", "Tahun", "tahun", input=False),
    Column("triwulan", "Triwulan", "triwulan", input=False),
    Column("kode_layanan", "Kode layanan", "kode", input=False),
    Column("kode_item", "Kode item mutu", "kode", input=False),
    Column("kelompok", "Kelompok mutu", "kode", input=False),
    Column("kebutuhan", "Kebutuhan", "count"),
    Column("tersedia", "Tersedia", "count"),
]
LPPD_COLUMNS = [
    Column("kode_wilayah", "Kode wilayah", "kode", input=False),
    Column("tahun", "Tahun", "tahun", input=False),
    Column("kode_ikk", "Kode IKK", "kode", input=False),
    Column("pembilang", "Pembilang", "number"),
    Column("penyebut", "Penyebut", "number"),
    Column("capaian", "Capaian", "percent"),
    Column("data_dukung", "Data dukung", "text"),
    Column("keterangan", "Keterangan", "text"),
]

# In an SPM file, a row naming a mutu item (kode_item) is that item's row, under its
# service's row: its kebutuhan and tersedia go in the mutu columns of the item's
# kelompok (pipelines/ingest/mutu_rows.py). Templates have the column only when the
# catalog in force details a service of the template.
ITEM_KEY = Column("kode_item", "Kode item mutu", "kode", input=False)

# Columns our templates add for the reader; recognised and ignored without a warning.
DISPLAY_COLUMNS = {
    "urusan": "Urusan",
    "nama_layanan": "Jenis pelayanan dasar",
    "nama_item": "Item mutu",
    "satuan_penerima": "Satuan penerima",
    "nama_ikk": "Nama IKK",
    "satuan": "Satuan",
    "sumber_nilai_awal": "Sumber nilai awal",
}


def columns(form: str) -> list[Column]:
    if form == MUTU_FORM:
        return MUTU_COLUMNS
    return LPPD_COLUMNS if form == "lppd-ikk" else SPM_COLUMNS


def keys(form: str) -> list[str]:
    return [c.key for c in columns(form)]


def data_table(form: str) -> str:
    if form == MUTU_FORM:
        return "spm_mutu"
    return "lppd_data" if form == "lppd-ikk" else "spm_data"


def key_columns(form: str) -> list[str]:
    """The primary key of a data row of this form."""
    if form == "lppd-ikk":
        return ["kode_wilayah", "tahun", "kode_ikk"]
    if form == MUTU_FORM:
        return ["kode_wilayah", "tahun", "triwulan", "kode_layanan", "kode_item"]
    return ["kode_wilayah", "tahun", "triwulan", "kode_layanan"]


def item_column(form: str) -> str:
    return "kode_ikk" if form == "lppd-ikk" else "kode_layanan"


def item_code(form: str, frame) -> object:
    """The ``perubahan_nilai.kode`` of each row of ``frame`` (a DataFrame): the service
    or IKK code, and for a mutu item 'kode_layanan/kode_item'."""
    if form == MUTU_FORM:
        return frame["kode_layanan"].astype(str) + "/" + frame["kode_item"].astype(str)
    return frame[item_column(form)]


def item_code_sql(form: str, alias: str) -> str:
    """:func:`item_code` of the data row ``alias`` in SQL."""
    if form == MUTU_FORM:
        return f"{alias}.kode_layanan || '/' || {alias}.kode_item"
    return f"{alias}.{item_column(form)}"


def value_columns(form: str) -> list[str]:
    return [c.key for c in columns(form) if c.input]


def normalise_header(text: object) -> str:
    """'Jumlah Sasaran (penerima)' and 'jumlah_sasaran' both -> comparable tokens."""
    return re.sub(r"[^0-9a-z]", "", str(text or "").lower())


def header_lookup() -> dict[str, str]:
    """Normalised key or label -> canonical key, over every form and display column."""
    lookup: dict[str, str] = {}
    for col in SPM_COLUMNS + LPPD_COLUMNS + [ITEM_KEY]:
        lookup[normalise_header(col.key)] = col.key
        lookup[normalise_header(col.label)] = col.key
    # Short labels people type by hand.
    for alias, key in {
        "sasaran": "jumlah_sasaran",
        "terlayani": "jumlah_terlayani",
        "kodewil": "kode_wilayah",
        "tw": "triwulan",
        "kodespm": "kode_layanan",
        "layanan": "kode_layanan",
        "ikk": "kode_ikk",
    }.items():
        lookup.setdefault(alias, key)
    for key, label in DISPLAY_COLUMNS.items():
        lookup.setdefault(normalise_header(key), key)
        lookup.setdefault(normalise_header(label), key)
    return lookup
