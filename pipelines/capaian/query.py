"""SPM and LPPD achievement: the one API the app, the CLI and the reports read.

Every figure is computed by the SQL views in ``pipelines/db/sql`` (``020_spm.sql`` for
capaian, nilai and kategori per service, urusan and region; ``030_capaian.sql`` for
change, gap, province aggregate, projection and LPPD). This module only selects from
them, so a number is computed in exactly one place. The method is the one in
``shared/reference/domain.md``, with weights and category bands from the settings in
force; each row carries ``versi_setting`` and the ``status_submission`` it rests on.

A region or period without a submission has no row: missing is missing, never 0.

Every reader takes the ``actor`` it reads for and returns only the rows that person
may see (``access.scope``); asking for a region outside their scope is refused. The
app and the CLI (``spm --as``) pass their actor, so both apply the same rule here.
``actor=None`` is the library itself (reports, exports): every row.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.core import fmt, settings
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError

LEVELS = ("layanan", "urusan", "wilayah")

# Columns of each level as the CLI and exports show them (all are view columns).
COLUMNS: dict[str, list[str]] = {
    "layanan": [
        "kode_wilayah",
        "nama_wilayah",
        "tahun",
        "triwulan",
        "urusan",
        "kode_layanan",
        "capaian_penerima",
        "capaian_mutu",
        "nilai",
        "kategori",
        "nama_layanan",
        "jumlah_sasaran",
        "jumlah_terlayani",
        "tanpa_sasaran",
        "selisih_tahun_lalu",
        "selisih_triwulan_lalu",
        "kurang_terlayani",
        "perkiraan_biaya",
        "status_submission",
        "versi_setting",
    ],
    "urusan": [
        "kode_wilayah",
        "nama_wilayah",
        "tahun",
        "triwulan",
        "urusan",
        "nilai",
        "kategori",
        "jumlah_layanan",
        "jumlah_layanan_dinilai",
        "selisih_tahun_lalu",
        "selisih_triwulan_lalu",
        "kurang_terlayani",
        "perkiraan_biaya",
        "status_submission",
        "versi_setting",
    ],
    "wilayah": [
        "kode_wilayah",
        "nama_wilayah",
        "tahun",
        "triwulan",
        "nilai",
        "kategori",
        "jumlah_urusan",
        "jumlah_urusan_dinilai",
        "selisih_tahun_lalu",
        "selisih_triwulan_lalu",
        "kurang_terlayani",
        "perkiraan_biaya",
        "status_submission",
        "versi_setting",
    ],
}

# Table macros of 030_capaian.sql taking (tahun, triwulan), NULL = all; the views
# v_capaian_layanan/urusan/wilayah are the same macros over all periods.
_MACROS = {"layanan": "capaian_layanan", "urusan": "capaian_urusan", "wilayah": "capaian_wilayah"}
_ORDER = {
    "layanan": "tahun, triwulan, kode_wilayah, urutan_layanan",
    "urusan": "tahun, triwulan, kode_wilayah, urusan",
    "wilayah": "tahun, triwulan, kode_wilayah",
}
_PROJECTION_VIEWS = {
    "layanan": "v_proyeksi_layanan",
    "urusan": "v_proyeksi_urusan",
    "wilayah": "v_proyeksi_wilayah",
}


def _check_period(tahun: int | None, triwulan: int | None) -> None:
    if triwulan is not None and triwulan not in (1, 2, 3, 4):
        raise SpmError(f"Triwulan {triwulan} tidak ada; pilih 1, 2, 3 atau 4.")
    if tahun is not None and not 2000 <= int(tahun) <= 2100:
        raise SpmError(f"Tahun {tahun} tidak masuk akal; tulis misalnya 2025.")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise SpmError(f"Tingkat '{level}' tidak dikenal; pilih layanan, urusan atau wilayah.")


def _where(
    tahun: int | None,
    triwulan: int | None,
    kode_wilayah: str | None,
    provinsi: str | None,
    *,
    region_column: str = "kode_wilayah",
) -> tuple[str, list[Any]]:
    clauses, params = ["true"], []
    if tahun is not None:
        clauses.append("tahun = ?")
        params.append(int(tahun))
    if triwulan is not None:
        clauses.append("triwulan = ?")
        params.append(int(triwulan))
    if kode_wilayah is not None:
        clauses.append(f"{region_column} = ?")
        params.append(kode_wilayah)
    if provinsi is not None:
        clauses.append(f"{region_column} IN (SELECT kode FROM wilayah WHERE kode_provinsi = ?)")
        params.append(provinsi)
    return " AND ".join(clauses), params


def capaian(
    db: Database,
    tahun: int | None = None,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    level: str = "layanan",
    *,
    provinsi: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The achieved figures at one level, one row per region x period (x urusan/service).

    ``level='layanan'``: capaian_penerima, capaian_mutu, nilai, kategori per service,
    with gap (kurang_terlayani, kekurangan_mutu_*, perkiraan_biaya), change
    (nilai_tahun_lalu, selisih_tahun_lalu, nilai_triwulan_lalu, selisih_triwulan_lalu)
    and the submission (nama_berkas, sha256, diunggah_pada, diunggah_oleh,
    status_submission). ``'urusan'``: nilai = mean of its services' nilai.
    ``'wilayah'``: nilai = the IP-SPM, mean of its urusan. Services without sasaran
    (``tanpa_sasaran``) have no nilai and are left out of the means.

    ``triwulan=None`` gives every triwulan; ``provinsi`` limits to the province and its
    kabupaten/kota. All view columns are returned; ``COLUMNS[level]`` are the main ones.
    """
    _check_level(level)
    _check_period(tahun, triwulan)
    access.check_region(db, actor, kode_wilayah)
    where, params = _where(None, None, kode_wilayah, provinsi)
    period = [None if tahun is None else int(tahun), None if triwulan is None else int(triwulan)]
    frame = db.df(
        f"SELECT * FROM {_MACROS[level]}(?, ?) WHERE {where} ORDER BY {_ORDER[level]}",
        period + params,
    )
    return access.scope(db, frame, actor)


def agregat_provinsi(
    db: Database,
    tahun: int | None = None,
    triwulan: int | None = None,
    kode_provinsi: str | None = None,
    *,
    per_urusan: bool = False,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The province aggregate beside the province's own provincial services.

    Columns: ``nilai_rata_rata_kabkota`` (mean of the kabupaten/kota IP-SPM, or of their
    urusan nilai with ``per_urusan``) with ``kategori_rata_rata_kabkota``;
    ``nilai_tertimbang_sasaran`` (the sasaran-weighted VARIANT: per service the mean of
    the kabupaten/kota nilai weighted by jumlah_sasaran, then the same means over
    services and urusan) with its kategori; ``nilai_provinsi`` (IP-SPM of the
    province's own services) with ``kategori_provinsi``; how many kabupaten/kota
    exist, reported and were scored; the weakest submission status of each side.
    ``kode_provinsi=None`` means the province served (settings).
    """
    _check_period(tahun, triwulan)
    prov = kode_provinsi or settings.served_province(db)
    view = "v_capaian_provinsi_urusan" if per_urusan else "v_capaian_provinsi"
    order = "tahun, triwulan" + (", urusan" if per_urusan else "")
    where, params = _where(tahun, triwulan, prov, None, region_column="kode_provinsi")
    frame = db.df(f"SELECT * FROM {view} WHERE {where} ORDER BY {order}", params)
    return access.scope(db, frame, actor)


def kebutuhan(
    db: Database,
    tahun: int,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    *,
    provinsi: str | None = None,
    terbesar: int | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The gap per service: people still to serve, mutu shortfall, estimated cost.

    ``perkiraan_biaya = kurang_terlayani x biaya_satuan`` where the setting
    ``biaya_satuan`` has a unit cost for the service (NULL otherwise). ``terbesar=N``
    keeps the N services furthest behind (largest shortfall of capaian_penerima, then
    most people still to serve), the list leaders ask for.
    """
    _check_period(tahun, triwulan)
    access.check_region(db, actor, kode_wilayah)
    where, params = _where(None, None, kode_wilayah, provinsi)
    params = [int(tahun), None if triwulan is None else int(triwulan), *params]
    cols = (
        "kode_wilayah, nama_wilayah, tahun, triwulan, urusan, kode_layanan, nama_layanan, "
        "jumlah_sasaran, jumlah_terlayani, capaian_penerima, capaian_mutu, nilai, kategori, "
        "kurang_terlayani, mutu_barang_jasa_kebutuhan, mutu_barang_jasa_tersedia, "
        "kekurangan_mutu_barang_jasa, mutu_sdm_kebutuhan, mutu_sdm_tersedia, "
        "kekurangan_mutu_sdm, biaya_satuan, perkiraan_biaya, anggaran_rencana, "
        "anggaran_realisasi, status_submission, versi_setting"
    )
    sql = f"SELECT {cols} FROM capaian_layanan(?, ?) WHERE {where} AND NOT tanpa_sasaran"
    if terbesar is not None:
        sql += " ORDER BY capaian_penerima ASC NULLS LAST, kurang_terlayani DESC LIMIT ?"
        params.append(int(terbesar))
    else:
        sql += " ORDER BY " + _ORDER["layanan"]
    return access.scope(db, db.df(sql, params), actor)


def proyeksi(
    db: Database,
    tahun: int,
    triwulan: int,
    kode_wilayah: str | None = None,
    level: str = "wilayah",
    *,
    provinsi: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The year-end PROJECTION from the figures up to ``triwulan`` (a projection, never
    a result; label it so wherever it is shown).

    Method (``v_proyeksi_layanan`` in ``030_capaian.sql``): terlayani is extrapolated to
    the year end with the region's own pace of the previous year for that service
    (``metode_proyeksi = 'pola tahun lalu'``) or, without it, evenly
    (``'linear'``: terlayani x 4 / triwulan); mutu is kept as it stands; the projected
    nilai and kategori follow the same rules and settings as the achieved ones. At TW4
    the projection is the result itself (``'realisasi TW4'``).
    """
    _check_level(level)
    _check_period(tahun, triwulan)
    access.check_region(db, actor, kode_wilayah)
    where, params = _where(tahun, triwulan, kode_wilayah, provinsi)
    frame = db.df(
        f"SELECT * FROM {_PROJECTION_VIEWS[level]} WHERE {where} ORDER BY {_ORDER[level]}",
        params,
    )
    return access.scope(db, frame, actor)


def lppd_capaian(
    db: Database,
    tahun: int | None = None,
    kode_wilayah: str | None = None,
    *,
    provinsi: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """LPPD IKK achievement per region x IKK x year (``v_lppd_ikk``).

    ``capaian`` = pembilang / penyebut x 100 for 'rasio' IKK (NULL when penyebut is 0,
    ``sumber_capaian = 'penyebut nol'``), the value as entered for 'langsung', 100/0 for
    'ceklis'; with data dukung and the submission behind it.
    """
    _check_period(tahun, None)
    access.check_region(db, actor, kode_wilayah)
    where, params = _where(tahun, None, kode_wilayah, provinsi)
    frame = db.df(
        f"SELECT * FROM v_lppd_ikk WHERE {where} ORDER BY tahun, kode_wilayah, urutan_ikk",
        params,
    )
    return access.scope(db, frame, actor)


def lppd_kelengkapan(
    db: Database,
    tahun: int | None = None,
    kode_wilayah: str | None = None,
    *,
    provinsi: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """LPPD completeness per region x year: IKK filled and IKK with data dukung out of
    the catalog (``jumlah_ikk``), as counts and percentages; ``ada_submission`` says
    whether the region sent anything. ``provinsi=None`` and ``kode_wilayah=None`` mean
    the province served and its kabupaten/kota."""
    _check_period(tahun, None)
    access.check_region(db, actor, kode_wilayah)
    if kode_wilayah is None and provinsi is None:
        provinsi = settings.served_province(db)
    where, params = _where(tahun, None, kode_wilayah, provinsi)
    frame = db.df(
        f"SELECT * FROM v_lppd_kelengkapan WHERE {where} ORDER BY tahun, kode_wilayah", params
    )
    return access.scope(db, frame, actor)


def versi_setting(db: Database) -> int | None:
    """The settings version every figure is computed with right now."""
    return settings.current_version(db)


# -- explain -----------------------------------------------------------------------


@dataclass
class Explanation:
    """Where one service figure comes from: inputs, formula with numbers, submission."""

    kode_wilayah: str
    nama_wilayah: str
    tahun: int
    triwulan: int
    kode_layanan: str
    nama_layanan: str
    urusan: str
    masukan: list[tuple[str, str]]  # (label, value in Indonesian format)
    rumus: list[str]  # formula lines, numbers filled in (Indonesian format)
    capaian_penerima: float | None
    capaian_mutu: float | None
    nilai: float | None
    kategori: str | None
    tanpa_sasaran: bool
    versi_setting: int
    bobot_penerima: float
    bobot_mutu: float
    submission: dict[str, Any] = field(default_factory=dict)

    @property
    def judul(self) -> str:
        return (
            f"{self.nama_layanan} — {self.nama_wilayah}, {fmt.triwulan(self.triwulan)} {self.tahun}"
        )

    @property
    def hasil(self) -> str:
        if self.tanpa_sasaran:
            return "Tidak ada sasaran (tidak dihitung dalam rata-rata urusan dan IP-SPM)"
        if self.nilai is None:
            return "Belum dapat dihitung (data terlayani belum diisi)"
        return f"Nilai {fmt.angka(self.nilai, 2)} — {self.kategori}"

    def sumber(self) -> list[tuple[str, str]]:
        s = self.submission
        return [
            ("Berkas", s.get("nama_berkas") or "–"),
            ("SHA-256", s.get("sha256") or "–"),
            ("Diunggah pada", fmt.waktu(s.get("diunggah_pada"))),
            ("Diunggah oleh", s.get("diunggah_oleh") or "–"),
            ("Status", s.get("status") or "–"),
            ("Nomor pengiriman", str(s.get("id") or "–")),
        ]

    def as_text(self) -> str:
        """The explanation as plain Indonesian text (CLI, logs, reports)."""
        lines = [self.judul, f"Kode layanan {self.kode_layanan}; urusan {self.urusan}.", ""]
        lines.append("Masukan:")
        lines += [f"  {label}: {value}" for label, value in self.masukan]
        lines += ["", "Perhitungan:"]
        lines += [f"  {line}" for line in self.rumus]
        lines += ["", f"Hasil: {self.hasil}", "", "Sumber data:"]
        lines += [f"  {label}: {value}" for label, value in self.sumber()]
        lines.append(
            f"  Pengaturan versi {self.versi_setting} (bobot penerima "
            f"{fmt.angka(self.bobot_penerima * 100, 0)} %, bobot mutu "
            f"{fmt.angka(self.bobot_mutu * 100, 0)} %)"
        )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """Machine form (plain numbers, ISO times) for JSON."""
        out = asdict(self)
        out["masukan"] = [{"label": k, "nilai": v} for k, v in self.masukan]
        sub = dict(self.submission)
        if isinstance(sub.get("diunggah_pada"), dt.datetime):
            sub["diunggah_pada"] = sub["diunggah_pada"].isoformat()
        out["submission"] = sub
        return out


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _ratio_line(label: str, num: float | None, den: float | None, result: float | None) -> str:
    return f"{label} = min({fmt.angka(num)} / {fmt.angka(den)} ; 1) × 100 = {fmt.angka(result, 2)}"


def explain(
    db: Database,
    kode_wilayah: str,
    tahun: int,
    triwulan: int,
    kode_layanan: str,
    *,
    actor: Actor | None = None,
) -> Explanation:
    """Explain one service figure. Raises SpmError when no submission holds it, and
    AccessDenied when ``actor`` may not see it."""
    _check_period(tahun, triwulan)
    if actor is not None and not access.can_see(
        actor, kode_wilayah, access.layanan_opd(db).get(kode_layanan)
    ):
        raise AccessDenied(
            f"Akun {actor.username} tidak berhak melihat angka {kode_layanan} wilayah "
            f"{kode_wilayah}."
        )
    rows = db.dicts(
        "SELECT * FROM capaian_layanan(?, ?) WHERE kode_wilayah = ? AND kode_layanan = ?",
        [int(tahun), int(triwulan), kode_wilayah, kode_layanan],
    )
    if not rows:
        known = db.scalar("SELECT nama FROM layanan WHERE kode = ?", [kode_layanan])
        if known is None:
            raise SpmError(f"Kode layanan '{kode_layanan}' tidak dikenal.")
        region = db.scalar("SELECT nama FROM wilayah WHERE kode = ?", [kode_wilayah])
        if region is None:
            raise SpmError(f"Kode wilayah '{kode_wilayah}' tidak dikenal.")
        raise SpmError(
            f"Belum ada data {known} untuk {region} pada {fmt.triwulan(triwulan)} {tahun}: "
            "data itu belum dikirim, jadi tidak ada angka untuk dijelaskan."
        )
    r = rows[0]
    weights = db.dicts(
        "SELECT versi, bobot_penerima, bobot_mutu FROM v_setting_aktif WHERE versi = ?",
        [r["versi_setting"]],
    )[0]
    bp, bm = float(weights["bobot_penerima"]), float(weights["bobot_mutu"])
    sasaran, terlayani = _num(r["jumlah_sasaran"]), _num(r["jumlah_terlayani"])
    bj_k, bj_t = _num(r["mutu_barang_jasa_kebutuhan"]), _num(r["mutu_barang_jasa_tersedia"])
    sdm_k, sdm_t = _num(r["mutu_sdm_kebutuhan"]), _num(r["mutu_sdm_tersedia"])
    c_pen, c_mutu, nilai = _num(r["capaian_penerima"]), _num(r["capaian_mutu"]), _num(r["nilai"])
    c_bj, c_sdm = _num(r["capaian_mutu_barang_jasa"]), _num(r["capaian_mutu_sdm"])

    masukan = [
        ("Jumlah sasaran", fmt.angka(sasaran)),
        ("Jumlah terlayani", fmt.angka(terlayani)),
        ("Mutu barang/jasa: kebutuhan", fmt.angka(bj_k)),
        ("Mutu barang/jasa: tersedia", fmt.angka(bj_t)),
        ("Mutu SDM: kebutuhan", fmt.angka(sdm_k)),
        ("Mutu SDM: tersedia", fmt.angka(sdm_t)),
    ]
    rumus: list[str] = []
    tanpa = bool(r["tanpa_sasaran"])
    if tanpa:
        rumus.append(
            "Jumlah sasaran 0: tidak ada yang harus dilayani pada periode ini, sehingga "
            "layanan ini tidak dinilai dan tidak masuk rata-rata urusan maupun IP-SPM."
        )
    elif c_pen is None:
        rumus.append("Capaian penerima tidak dapat dihitung: jumlah sasaran atau terlayani kosong.")
    else:
        rumus.append(_ratio_line("Capaian penerima", terlayani, sasaran, c_pen))
    if not tanpa:
        parts = []
        if c_bj is not None:
            rumus.append(_ratio_line("Capaian mutu barang/jasa", bj_t or 0, bj_k, c_bj))
            parts.append(c_bj)
        if c_sdm is not None:
            rumus.append(_ratio_line("Capaian mutu SDM", sdm_t or 0, sdm_k, c_sdm))
            parts.append(c_sdm)
        if not parts:
            rumus.append(
                "Tidak ada pasangan mutu (semua kebutuhan 0): capaian mutu tidak ada, "
                "nilai = capaian penerima."
            )
        elif len(parts) == 1:
            rumus.append(f"Capaian mutu = {fmt.angka(c_mutu, 2)} (satu pasangan mutu)")
        else:
            joined = " + ".join(fmt.angka(p, 2) for p in parts)
            rumus.append(f"Capaian mutu = ({joined}) / {len(parts)} = {fmt.angka(c_mutu, 2)}")
        if nilai is not None and c_mutu is not None:
            rumus.append(
                f"Nilai = {fmt.angka(bp, 2)} × {fmt.angka(c_pen, 2)} + {fmt.angka(bm, 2)} × "
                f"{fmt.angka(c_mutu, 2)} = {fmt.angka(nilai, 2)}"
            )
        elif nilai is not None:
            rumus.append(f"Nilai = capaian penerima = {fmt.angka(nilai, 2)}")
        if nilai is not None:
            lower = db.scalar(
                "SELECT batas_bawah FROM v_kategori WHERE kategori = ?", [r["kategori"]]
            )
            rumus.append(
                f"Kategori: {fmt.angka(nilai, 2)} ≥ {fmt.angka(lower, 0)} → {r['kategori']}"
            )
    kurang = _num(r["kurang_terlayani"])
    if kurang:
        line = f"Masih harus dilayani = {fmt.angka(sasaran)} − {fmt.angka(terlayani)} = "
        line += fmt.angka(kurang)
        if _num(r["biaya_satuan"]) is not None:
            line += (
                f"; perkiraan biaya = {fmt.angka(kurang)} × {fmt.rupiah(r['biaya_satuan'])} = "
                f"{fmt.rupiah(r['perkiraan_biaya'])}"
            )
        rumus.append(line)

    submission = db.dicts(
        "SELECT id, form, nama_berkas, sha256, diunggah_pada, diunggah_oleh, status, terlambat "
        "FROM submission WHERE id = ?",
        [r["submission_id"]],
    )
    return Explanation(
        kode_wilayah=r["kode_wilayah"],
        nama_wilayah=r["nama_wilayah"],
        tahun=int(r["tahun"]),
        triwulan=int(r["triwulan"]),
        kode_layanan=r["kode_layanan"],
        nama_layanan=r["nama_layanan"],
        urusan=r["urusan"],
        masukan=masukan,
        rumus=rumus,
        capaian_penerima=c_pen,
        capaian_mutu=c_mutu,
        nilai=nilai,
        kategori=r["kategori"],
        tanpa_sasaran=tanpa,
        versi_setting=int(r["versi_setting"]),
        bobot_penerima=bp,
        bobot_mutu=bm,
        submission=submission[0] if submission else {},
    )


def periode_tersedia(
    db: Database, provinsi: str | None = None, *, actor: Actor | None = None
) -> pd.DataFrame:
    """Region x year x triwulan that have SPM data (for pickers), newest first, among
    the regions ``actor`` may pick.

    ``provinsi=None`` means the province served and its kabupaten/kota.
    """
    prov = provinsi or settings.served_province(db)
    frame = db.df(
        "SELECT DISTINCT d.kode_wilayah, w.nama AS nama_wilayah, w.tingkat AS tingkat_wilayah, "
        "d.tahun, d.triwulan FROM spm_data d JOIN wilayah w ON w.kode = d.kode_wilayah "
        "WHERE w.kode_provinsi = ? ORDER BY d.kode_wilayah, d.tahun DESC, d.triwulan DESC",
        [prov],
    )
    return access.scope(db, frame, actor, picker=True)
