"""The demo's SPM documents: SK Tim Penerapan SPM and Rencana Aksi of the last two data
years in a mix of statuses (most verified, some waiting, one of each kind sent back,
some regions missing), and a few tahapan data dukung, so the "Dokumen SPM" and "SPM
Awards" pages show something real. Like the demo's submissions they carry no stored
file (``sha256`` NULL)."""

from __future__ import annotations

import datetime as dt

from pipelines.core import reference
from pipelines.db.store import Database

# Per kabupaten/kota (by its place in code order) the status of its SK Tim and Rencana
# Aksi in the last data year; None: not uploaded.
TERAKHIR = [
    ("diverifikasi", "diajukan"),
    ("diverifikasi", "diverifikasi"),
    ("diajukan", None),
    ("dikembalikan", None),
    ("diverifikasi", "diverifikasi"),
    (None, None),
    ("diverifikasi", "dikembalikan"),
]
# The year before: every team verified but the sixth's; two action plans.
SEBELUMNYA = [
    ("diverifikasi", None),
    ("diverifikasi", "diverifikasi"),
    ("diverifikasi", None),
    ("diverifikasi", None),
    ("diverifikasi", "diverifikasi"),
    (None, None),
    ("diverifikasi", None),
]
KOMENTAR = {
    "tim": "Lampiran susunan keanggotaan tim belum ada; unggah SK lengkap dengan lampirannya.",
    "rencana-aksi": (
        "Perkada belum ditandatangani kepala daerah; unggah salinan yang sudah diundangkan."
    ),
}
# (place of the kabupaten/kota, service, tahap) with a data dukung in the last year.
TAHAPAN = [
    (0, "KES-K-01", "tahap_pengumpulan_data", "rekap_data_ibu_hamil.pdf"),
    (0, "KES-K-01", "tahap_penghitungan_kebutuhan", "kebutuhan_pelayanan_ibu_hamil.pdf"),
    (0, "PEND-K-01", "tahap_pengumpulan_data", "data_anak_usia_paud.pdf"),
    (1, "KES-K-05", "tahap_penyusunan_rencana", "rencana_pemenuhan_usia_sekolah.pdf"),
    (4, "SOS-K-01", "tahap_pelaksanaan", "foto_kegiatan_rehabilitasi.jpg"),
]
BIRO = "analis"


def _perkada(jenis_wilayah: str) -> str:
    return "Peraturan Wali Kota" if "kota" in str(jenis_wilayah).lower() else "Peraturan Bupati"


def load_demo(db: Database, provinsi: str | None, years: list[int]) -> int:
    """Replace the documents with the demo's for ``provinsi``'s kabupaten/kota (None:
    only remove the earlier demo's), inside the demo's transaction; returns how many
    documents were written."""
    db.execute("DELETE FROM dokumen_spm")
    db.execute("DELETE FROM dokumen_tahapan")
    if provinsi is None:
        return 0
    kab = reference.kabkota(db, provinsi).head(len(TERAKHIR))
    last = max(years)
    rows = []
    for tahun, plan in ((last - 1, SEBELUMNYA), (last, TERAKHIR)):
        if tahun not in years:
            continue
        for i, (region, statuses) in enumerate(zip(kab.itertuples(), plan, strict=False)):
            for jenis, status in zip(("tim", "rencana-aksi"), statuses, strict=True):
                if status is None:
                    continue
                tanggal = dt.date(tahun, 1, 10 + i) if jenis == "tim" else dt.date(tahun, 3, 3 + i)
                nomor = (
                    f"188.45/{40 + i}/KPTS/{tahun}"
                    if jenis == "tim"
                    else f"{_perkada(region.jenis)} Nomor {12 + i} Tahun {tahun}"
                )
                uploaded = dt.datetime.combine(tanggal + dt.timedelta(days=7), dt.time(9, 30))
                reviewed = uploaded + dt.timedelta(days=5) if status != "diajukan" else None
                rows.append(
                    [
                        jenis,
                        region.kode,
                        tahun,
                        nomor,
                        tanggal,
                        f"{'sk_tim_penerapan_spm' if jenis == 'tim' else 'perkada_rencana_aksi'}"
                        f"_{region.kode}_{tahun}.pdf",
                        status,
                        KOMENTAR[jenis] if status == "dikembalikan" else None,
                        f"kab-{region.kode}",
                        uploaded,
                        BIRO if reviewed else None,
                        reviewed,
                    ]
                )
    db.executemany(
        "INSERT INTO dokumen_spm (jenis, kode_wilayah, tahun, nomor, tanggal, nama_berkas, "
        "status, komentar, diunggah_oleh, diunggah_pada, diperiksa_oleh, diperiksa_pada) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    codes = list(kab["kode"])
    db.executemany(
        "INSERT INTO dokumen_tahapan (kode_wilayah, tahun, kode_layanan, tahap, nama_berkas, "
        "diunggah_oleh, diunggah_pada) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [
                codes[i],
                last,
                layanan,
                tahap,
                name,
                f"kab-{codes[i]}",
                dt.datetime(last, 4, 8 + n, 10),
            ]
            for n, (i, layanan, tahap, name) in enumerate(TAHAPAN)
            if i < len(codes)
        ],
    )
    return len(rows)
