"""What a standar pelayanan is made of: the 14 components of seed 002's tables, the
units of a jangka waktu, the standard maklumat text, and reading a jangka waktu
(shared by the registry, the file reader and the printable page)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pipelines.ingest.result import Problem
from pipelines.pelayanan.berkas import Masalah
from pipelines.sop.definition import Calendar, add_months

PENYAMPAIAN = "Penyampaian Pelayanan (Service Delivery)"
PENGELOLAAN = "Pengelolaan Pelayanan (Manufacturing)"
# The 14 components in the order of seed 002's tables: key, label, group.
COMPONENTS: list[tuple[str, str, str]] = [
    ("persyaratan", "Persyaratan", PENYAMPAIAN),
    ("sistem_mekanisme_prosedur", "Sistem, Mekanisme dan Prosedur", PENYAMPAIAN),
    ("jangka_waktu", "Jangka Waktu Pelayanan", PENYAMPAIAN),
    ("biaya_tarif", "Biaya/Tarif", PENYAMPAIAN),
    ("produk_pelayanan", "Produk Pelayanan", PENYAMPAIAN),
    ("penanganan_pengaduan", "Penanganan Pengaduan, Saran dan Masukan", PENYAMPAIAN),
    ("dasar_hukum", "Dasar Hukum", PENGELOLAAN),
    ("sarana_prasarana", "Sarana dan Prasarana", PENGELOLAAN),
    ("kompetensi_pelaksana", "Kompetensi Pelaksana", PENGELOLAAN),
    ("pengawasan_internal", "Pengawasan Internal", PENGELOLAAN),
    ("jumlah_pelaksana", "Jumlah Pelaksana", PENGELOLAAN),
    ("jaminan_pelayanan", "Jaminan Pelayanan", PENGELOLAAN),
    ("jaminan_keamanan", "Jaminan Keamanan dan Keselamatan Pelayanan", PENGELOLAAN),
    ("evaluasi_kinerja", "Evaluasi Kinerja Pelaksana", PENGELOLAAN),
]
COMPONENT_KEYS = [k for k, _, _ in COMPONENTS]
SATUAN = ("hari kerja", "hari", "minggu", "bulan", "tahun")
MAKLUMAT_BAKU = (
    "DENGAN INI, KAMI MENYATAKAN SIAP MENYELENGGARAKAN PELAYANAN SESUAI STANDAR PELAYANAN "
    "YANG TELAH DITETAPKAN DAN AKAN MELAKUKAN PERBAIKAN SECARA TERUS MENERUS, APABILA TIDAK "
    "MENEPATI JANJI INI, KAMI SIAP MENERIMA SANKSI SESUAI PERATURAN PERUNDANG-UNDANGAN YANG "
    "BERLAKU"
)
STORED = [
    "kode_unit",
    "nama_layanan",
    *COMPONENT_KEYS,
    "jangka_waktu_nilai",
    "jangka_waktu_satuan",
    "kode_sop",
    "maklumat",
    "penetapan",
    "penanda_tangan",
]
_DURATION = re.compile(
    r"(\d{1,4})\s*(?:\([a-z ]+\)\s*)?(hari\s+kerja|hari|minggu|bulan|tahun)\b", re.IGNORECASE
)


@dataclass
class LoadResult(Masalah):
    """What :func:`load` did with a file: counts, new units, and every problem by row."""

    file_name: str
    accepted: bool = False
    baru: int = 0
    berubah: int = 0
    sama: int = 0
    unit_baru: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        if not self.accepted:
            return f"{self.file_name}: DITOLAK ({len(self.errors)} galat); tidak ada yang disimpan."
        units_text = f"; unit baru: {', '.join(self.unit_baru)}" if self.unit_baru else ""
        return (
            f"{self.file_name}: {self.baru} layanan baru, {self.berubah} berubah, "
            f"{self.sama} sama{units_text}."
        )


def parse_duration(text: str | None) -> tuple[int, str] | None:
    """``'3 bulan'``, ``'1 (satu) hari kerja'``, ``'paling lambat 3 bulan setelah ...'``
    -> ``(3, 'bulan')``; None when the text names no duration."""
    match = _DURATION.search(text or "")
    if not match:
        return None
    return int(match.group(1)), " ".join(match.group(2).lower().split())


def window_end(start: dt.date, nilai: int, satuan: str, calendar: Calendar) -> dt.date:
    """The last day of a jangka waktu of ``nilai`` ``satuan`` counted from ``start``
    (``start`` is day one; working days skip weekends and the holidays)."""
    if satuan == "hari kerja":
        return calendar.end_of(calendar.next_working_day(start), nilai, "hari")
    if satuan == "hari":
        return start + dt.timedelta(days=nilai - 1)
    if satuan == "minggu":
        return start + dt.timedelta(days=7 * nilai - 1)
    months = nilai * (12 if satuan == "tahun" else 1)
    return add_months(start, months) - dt.timedelta(days=1)


def due_after(received: dt.date, nilai: int, satuan: str, calendar: Calendar) -> dt.date:
    """The date a jangka waktu starting the day after ``received`` ends (complaints)."""
    return window_end(received + dt.timedelta(days=1), nilai, satuan, calendar)
