"""Versioned settings: parameters the Biro may change without a code change.

Defaults ship in ``data/settings_default.json``. Each change writes a new version
(who, when, why) to ``setting_version``; the newest is in force and every computed
figure records the version it used.
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from pipelines.auth import audit
from pipelines.capaian import materi
from pipelines.core import workdays
from pipelines.db.store import DATA_DIR, Database
from pipelines.errors import SpmError

DEFAULTS_FILE = DATA_DIR / "settings_default.json"


class SettingsError(SpmError):
    """A setting value that cannot be accepted."""


def defaults() -> dict[str, Any]:
    return json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def current(db: Database) -> dict[str, Any]:
    """The settings in force; the shipped defaults when none were saved yet."""
    row = db.remember(
        ("setting",),
        lambda: db.rows("SELECT nilai FROM setting_version ORDER BY versi DESC LIMIT 1"),
    )
    if not row:
        return defaults()
    return json.loads(row[0][0])


def current_version(db: Database) -> int | None:
    return db.scalar("SELECT max(versi) FROM setting_version")


def history(db: Database) -> list[dict]:
    return db.dicts(
        "SELECT versi, dibuat_pada, dibuat_oleh, catatan, nilai FROM setting_version "
        "ORDER BY versi DESC"
    )


def validate(values: dict[str, Any]) -> None:
    """Raise SettingsError (Indonesian) when a value is out of range."""
    bp, bm = values.get("bobot_penerima"), values.get("bobot_mutu")
    if not all(isinstance(v, int | float) and 0 <= v <= 1 for v in (bp, bm)):
        raise SettingsError("Bobot penerima dan bobot mutu harus angka antara 0 dan 1.")
    if abs(bp + bm - 1) > 1e-9:
        raise SettingsError(
            f"Jumlah bobot penerima ({bp}) dan bobot mutu ({bm}) harus 1 (100 %); ubah "
            f"keduanya sekaligus, mis. 'spm settings set bobot_penerima {bp} bobot_mutu "
            f"{round(1 - bp, 10) if isinstance(bp, int | float) else 0.2}'."
        )
    _validate_mutu(values)
    for key, label in (("kategori", "Kategori"), ("eppd_status", "Status EPPD")):
        bands = values.get(key)
        if not isinstance(bands, list) or not bands:
            raise SettingsError(f"{label} harus berupa daftar rentang yang tidak kosong.")
        mins = [b.get("min") for b in bands]
        if not all(isinstance(m, int | float) for m in mins):
            raise SettingsError(f"Setiap rentang {label.lower()} harus punya batas bawah (min).")
        if min(mins) != 0:
            raise SettingsError(f"Rentang {label.lower()} terendah harus mulai dari 0.")
        if len(set(mins)) != len(mins):
            raise SettingsError(f"Batas bawah rentang {label.lower()} tidak boleh kembar.")
    day = values.get("hari_batas_triwulan")
    if not isinstance(day, int) or not 1 <= day <= 28:
        raise SettingsError("Hari batas triwulan harus bilangan bulat 1 sampai 28.")
    prov = values.get("provinsi")
    if not isinstance(prov, str) or not prov.isdigit() or len(prov) != 2:
        raise SettingsError("Kode provinsi harus dua angka, misalnya '19'.")
    costs = values.get("biaya_satuan", {})
    if not isinstance(costs, dict) or not all(
        isinstance(v, int | float) and v >= 0 for v in costs.values()
    ):
        raise SettingsError("Biaya satuan harus berupa angka ≥ 0 per kode layanan.")
    _validate_calendar(values)
    _validate_pelayanan(values)
    _validate_pencilan(values)
    _validate_awards(values)
    _validate_ranges(values)


# How capaian_mutu is made from the mutu items (pipelines/db/sql/020_spm.sql).
MUTU_CHOICES = {
    "metode_mutu": {
        "per_kelompok": "per kelompok: jumlah terpenuhi / jumlah kebutuhan, lalu rata-rata kelompok",
        "per_item": "per item: rata-rata capaian setiap item",
    },
    "tanpa_mutu": {
        "penerima_saja": "layanan tanpa target mutu dinilai dari capaian penerima saja",
        "nol": "layanan tanpa target mutu mendapat capaian mutu 0",
    },
}


def _validate_mutu(values: dict[str, Any]) -> None:
    for key, choices in MUTU_CHOICES.items():
        value = values.get(key, next(iter(choices)))
        if value not in choices:
            raise SettingsError(
                f"Pengaturan {key} harus salah satu dari {', '.join(choices)} "
                f"({'; '.join(f'{k}: {v}' for k, v in choices.items())}); {value!r} tidak diterima."
            )


# The upload limits (pipelines/ingest/limits.py); the README's reliability section.
# Each has its range in RANGES.
UPLOAD_LIMITS = (
    "ukuran_berkas_maks_mb",
    "unggah_isi_maks_mb",
    "unggah_baris_maks",
    "unggah_kolom_maks",
    "unggah_sel_maks_karakter",
    "unggah_periksa_maks_detik",
    "unggah_periksa_memori_maks_mb",
)


# Numeric settings and the sane range of each: (label, lowest, highest, whole number).
RANGES: dict[str, tuple[str, float, float, bool]] = {
    "ukuran_berkas_maks_mb": ("Ukuran berkas maksimum (MB)", 0.001, 100, False),
    "unggah_isi_maks_mb": ("Batas isi berkas setelah dibuka (MB)", 0.001, 10_000, False),
    "unggah_baris_maks": ("Batas baris per berkas", 1, 10_000_000, True),
    "unggah_kolom_maks": ("Batas kolom per lembar", 1, 16_384, True),
    "unggah_sel_maks_karakter": ("Batas karakter per sel", 1, 32_767, True),
    "unggah_periksa_maks_detik": ("Batas waktu pemeriksaan berkas (detik)", 1, 3_600, False),
    # below 512 MB the reading libraries cannot start
    "unggah_periksa_memori_maks_mb": (
        "Batas memori pemeriksaan berkas (MB)",
        512,
        65_536,
        True,
    ),
    "sesi_kedaluwarsa_menit": ("Batas sesi tanpa aktivitas (menit)", 5, 24 * 60, True),
    "skm_responden_maks": ("Batas responden per berkas SKM", 1, 1_000_000, True),
    "pengaduan_hari_disposisi": ("Batas hari kerja disposisi pengaduan", 1, 60, True),
    "pengaduan_hari_tanggapan": ("Batas hari kerja tanggapan pengaduan", 1, 90, True),
}


def _number(value: float) -> str:
    return f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")


def _validate_ranges(values: dict[str, Any]) -> None:
    """Numeric settings within their sane range (a 100.000 MB upload limit or a
    session that never ends is a typo, not a choice)."""
    for key, (label, low, high, whole) in RANGES.items():
        if key not in values:
            continue
        value = values[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if whole and number and float(value).is_integer():
            value = int(value)
        if not number or (whole and not isinstance(value, int)) or not low <= value <= high:
            kind = "bilangan bulat" if whole else "angka"
            raise SettingsError(
                f"{label} ({key}) harus {kind} {_number(low)} sampai {_number(high)}; "
                f"{values[key]!r} tidak diterima."
            )
    if not isinstance(values.get("buka_triwulan_berikutnya", False), bool):
        raise SettingsError("Pengaturan buka_triwulan_berikutnya harus true atau false.")


def _validate_calendar(values: dict[str, Any]) -> None:
    """The working-day calendar's settings (pipelines/core/workdays.py)."""
    for key in ("libur_resmi_otomatis", "cuti_bersama", "batas_geser_hari_kerja"):
        if not isinstance(values.get(key, True), bool):
            raise SettingsError(f"Pengaturan {key} harus true atau false.")
    try:
        workdays.parse_libur(values.get("libur_nasional", []))
    except workdays.LiburError as exc:
        raise SettingsError(str(exc)) from None


def _validate_pelayanan(values: dict[str, Any]) -> None:
    """SKM weight and quality bands, complaint deadlines (pipelines/pelayanan)."""
    bobot = values.get("skm_bobot_unsur", 1 / 9)
    if not isinstance(bobot, int | float) or not 0 < bobot <= 1 / 9 + 1e-9:
        raise SettingsError(
            "Bobot unsur SKM harus angka di atas 0 dan paling besar 1/9 (0,111...), agar "
            "IKM tidak melebihi 100."
        )
    bands = values.get("skm_mutu", [{"mutu": "A", "kinerja": "-", "min": 25}])
    if not isinstance(bands, list) or not bands:
        raise SettingsError("Mutu SKM harus berupa daftar rentang yang tidak kosong.")
    mins = [b.get("min") if isinstance(b, dict) else None for b in bands]
    if not all(isinstance(m, int | float) for m in mins) or len(set(mins)) != len(mins):
        raise SettingsError("Setiap rentang mutu SKM harus punya batas bawah (min) yang berbeda.")
    if min(mins) > 25:
        raise SettingsError("Rentang mutu SKM terendah harus mulai paling tinggi dari 25.")
    if not all(b.get("mutu") and b.get("kinerja") for b in bands):
        raise SettingsError("Setiap rentang mutu SKM harus punya 'mutu' dan 'kinerja'.")
    for key, label in (
        ("skm_responden_maks", "Batas responden per berkas SKM"),
        ("pengaduan_hari_disposisi", "Batas hari kerja disposisi pengaduan"),
        ("pengaduan_hari_tanggapan", "Batas hari kerja tanggapan pengaduan"),
    ):
        value = values.get(key, 1)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise SettingsError(f"{label} harus bilangan bulat positif.")


def save(db: Database, changes: dict[str, Any], *, by: str, note: str | None = None) -> int:
    """Apply ``changes`` over the settings in force and record a new version.

    Returns the version in force afterwards (unchanged when nothing differs).
    """
    before = current(db)
    after = deepcopy(before)
    after.update(changes)
    validate(after)
    version = current_version(db)
    if version is not None and after == before:
        return version
    if after.get("provinsi") != before.get("provinsi") and version is not None:
        known = db.scalar(
            "SELECT count(*) FROM wilayah WHERE kode = ? AND tingkat = 'provinsi'",
            [after["provinsi"]],
        )
        if not known:
            raise SettingsError(f"Kode provinsi {after['provinsi']} tidak dikenal.")
    new_version = (version or 0) + 1
    with db.transaction():
        db.execute(
            "INSERT INTO setting_version (versi, dibuat_oleh, catatan, nilai) VALUES (?, ?, ?, ?)",
            [new_version, by, note, json.dumps(after, ensure_ascii=False, sort_keys=True)],
        )
        materi.ubah_semua(db)  # weights, bands, methods: every figure is computed anew
        audit.record(
            db,
            by,
            "ubah_pengaturan",
            f"pengaturan v{new_version}",
            sebelum=before if version is not None else None,
            sesudah=after,
        )
    return new_version


def served_province(db: Database) -> str:
    return current(db)["provinsi"]


def _validate_pencilan(values: dict[str, Any]) -> None:
    """The outlier thresholds of pipelines.capaian.pencilan."""
    z = values.get("pencilan_ambang_z", 3.5)
    faktor = values.get("pencilan_faktor_perubahan", 2.0)
    minimum = values.get("pencilan_min_wilayah", 4)
    if isinstance(z, bool) or not isinstance(z, int | float) or not 1 <= z <= 20:
        raise SettingsError("Ambang skor z pencilan harus angka antara 1 dan 20 (baku 3,5).")
    if isinstance(faktor, bool) or not isinstance(faktor, int | float) or not 1 < faktor <= 100:
        raise SettingsError("Faktor perubahan pencilan harus angka di atas 1 sampai 100 (baku 2).")
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 3 <= minimum <= 100:
        raise SettingsError(
            "Jumlah wilayah minimum untuk skor pencilan harus bilangan bulat 3 sampai 100."
        )


# The six parts of the SPM Awards readiness score (pipelines.capaian.awards), in the order
# the score lists them: each part's most points; together 100.
AWARDS_BOBOT = (
    "awards_bobot_ip_spm",
    "awards_bobot_anggaran",
    "awards_bobot_tahapan",
    "awards_bobot_tim",
    "awards_bobot_rencana_aksi",
    "awards_bobot_kepatuhan",
)


def awards_bobot(values: dict[str, Any]) -> dict[str, float]:
    """The six SPM Awards weights in force (the shipped ones where a saved version
    predates them)."""
    shipped = defaults()
    return {key: values.get(key, shipped[key]) for key in AWARDS_BOBOT}


def _validate_awards(values: dict[str, Any]) -> None:
    """Each SPM Awards weight a number 0-100, the six together exactly 100."""
    weights = awards_bobot(values)
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise SettingsError(
                f"Bobot SPM Awards {key} harus angka 0 sampai 100; {value!r} tidak diterima."
            )
    total = sum(weights.values())
    if abs(total - 100) > 1e-9:
        raise SettingsError(
            f"Jumlah enam bobot SPM Awards ({', '.join(AWARDS_BOBOT)}) harus 100, bukan "
            f"{_number(round(total, 6))}; ubah beberapa sekaligus, mis. 'spm settings set "
            "awards_bobot_ip_spm 55 awards_bobot_kepatuhan 15'."
        )
