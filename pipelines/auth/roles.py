"""What each role may do beyond reading its own figures: one named rule per action, the
same as the app's pages (dashboard/app.py ``PAGES``). An action a role has no page for
is refused to it here, whoever calls (the app, ``spm --as``).

Imports nothing of the project but its errors, so every module (the audit trail, the
deadlines, the catalog) can check a rule without an import cycle; the rest of the rules
(regions, forms, deadlines) are in :mod:`pipelines.auth.access`, which re-exports these.
"""

from __future__ import annotations

from typing import Protocol

from pipelines.errors import AccessDenied


class HasRole(Protocol):
    role: str


BIRO = ("admin", "analis")
UPLOADERS = ("pengunggah_kabkota", "pengunggah_opd")

RULES: dict[str, tuple[tuple[str, ...], str]] = {
    # page Pengguna dan batas waktu (accounts: pipelines.auth.users)
    "ubah_pengaturan": (("admin",), "Hanya administrator yang dapat mengubah pengaturan."),
    "lihat_pengaturan": (BIRO, "Hanya Biro Pemerintahan yang dapat melihat pengaturan."),
    "lihat_pengecualian": (
        BIRO,
        "Hanya Biro Pemerintahan yang dapat melihat daftar pengecualian batas waktu.",
    ),
    "muat_katalog": (("admin",), "Hanya administrator yang dapat mengganti katalog IKK."),
    "muat_katalog_mutu": (
        ("admin",),
        "Hanya administrator yang dapat mengganti katalog item mutu.",
    ),
    "tetapkan_batas_waktu": (
        ("admin",),
        "Hanya administrator yang dapat menetapkan batas waktu periode.",
    ),
    # page Kualitas data (pipelines.capaian.pencilan)
    "pencilan": (
        BIRO,
        "Hanya administrator dan analis Biro Pemerintahan yang dapat melihat dan menandai "
        "pencilan.",
    ),
    # page Jejak audit
    "lihat_audit": (BIRO, "Hanya administrator dan analis yang dapat melihat jejak audit."),
    # page Pemeriksaan (the reminders) and Wilayah saya (an uploader's own submissions)
    "pengingat": (BIRO, "Hanya Biro Pemerintahan yang dapat melihat daftar pengingat."),
    "lihat_pengiriman": (
        BIRO + UPLOADERS,
        "Pimpinan tidak memeriksa pengiriman; lihat capaian dan kelengkapan.",
    ),
    # page Pemeriksaan: withdrawing a submission (pipelines.ingest.withdraw)
    "tarik_pengiriman": (("admin",), "Hanya administrator yang dapat menarik pengiriman."),
    "lihat_penarikan": (
        BIRO,
        "Hanya Biro Pemerintahan yang dapat melihat daftar pengiriman yang ditarik.",
    ),
    # page Dokumen SPM (pipelines.sop.dokumen_*): SK Tim Penerapan SPM, Rencana Aksi, tahapan
    "unggah_dokumen_spm": (
        BIRO + ("pengunggah_kabkota",),
        "Dokumen Tim Penerapan SPM, Rencana Aksi dan data dukung tahapan diunggah oleh "
        "pengunggah kabupaten/kota atau Biro Pemerintahan.",
    ),
    "lihat_dokumen_spm": (
        BIRO + ("pengunggah_kabkota",),
        "Dokumen Tim Penerapan SPM dan Rencana Aksi hanya untuk Biro Pemerintahan dan "
        "pengunggah kabupaten/kota.",
    ),
    "periksa_dokumen_spm": (
        BIRO,
        "Hanya administrator dan analis Biro Pemerintahan yang dapat memverifikasi atau "
        "mengembalikan dokumen.",
    ),
    # page SPM Awards (pipelines.capaian.awards): a kabupaten/kota its own score only
    "spm_awards": (
        BIRO + ("pimpinan", "pengunggah_kabkota"),
        "Skor kesiapan SPM Awards dinilai per kabupaten/kota; akun perangkat daerah "
        "provinsi tidak memilikinya.",
    ),
    # page Unggah Data
    "unggah": (
        BIRO + UPLOADERS,
        "Peran Pimpinan hanya membaca; templat dan unggahan untuk Biro dan pengunggah.",
    ),
    # page LPPD (an OPD sends no LPPD)
    "lppd": (
        BIRO + ("pimpinan", "pengunggah_kabkota"),
        "Pengunggah perangkat daerah provinsi tidak mengirim LPPD; data LPPD bukan untuk akun ini.",
    ),
    # page Siklus SOP (the procedures)
    "lihat_sop": (
        BIRO + ("pimpinan", "pengunggah_kabkota"),
        "Pengunggah perangkat daerah provinsi tidak menjalankan siklus SOP.",
    ),
    # no page: the machine's files
    "cadangan": (("admin",), "Hanya administrator yang boleh membuat cadangan."),
    "hitung_ulang": (
        ("admin",),
        "Hanya administrator yang menghitung ulang semua angka (setelah mengubah definisi).",
    ),
    "periksa_berkas": (
        ("admin",),
        "Hanya administrator yang dapat memeriksa berkas tersimpan dan keutuhan basis data.",
    ),
}


def require(actor: HasRole | None, action: str) -> None:
    """Refuse (AccessDenied) ``action`` of :data:`RULES` unless ``actor``'s role may do it;
    ``actor=None`` is the library itself (no limit)."""
    roles, refusal = RULES[action]
    if actor is not None and actor.role not in roles:
        raise AccessDenied(refusal)
