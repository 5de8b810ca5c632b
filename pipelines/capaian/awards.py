"""SPM Awards readiness: per kabupaten/kota and year a score out of 100 in six parts,
each part's most points a setting (``awards_bobot_*``, together 100; shipped 60, 10,
10, 5, 5, 10):

- ``ip_spm``: the year's IP-SPM × weight / 100. The product has no yearly IP-SPM (figures
  are per triwulan, cumulative within a year), so the year's figure is that of the
  region's latest triwulan of the year with data (``triwulan_ip_spm``);
- ``anggaran``: realisasi / rencana of the SPM services over the year, at most 100 %, ×
  weight; anggaran values are cumulative like the rest of the form (rencana the year's
  plan, realisasi so far), so they are read at that same triwulan;
- ``tahapan``: the share of (services of the catalog × 4 tahapan) marked done in the form
  at that triwulan, × weight (a service without a row counts as not done);
- ``tim`` / ``rencana_aksi``: the whole weight when a verified SK Tim Penerapan SPM /
  Rencana Aksi of the year exists (:mod:`pipelines.sop.dokumen_penerapan`);
- ``kepatuhan``: the share of the year's 4 triwulan SPM reports sent on time (as
  :func:`pipelines.capaian.completeness.kelengkapan` judges them: late, late with an
  exception and not sent all count as not on time), × weight.

Every figure rests on submissions: :attr:`Awards.status` says which are not yet verified,
as every figure does (:mod:`pipelines.capaian.status_data`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipelines.auth import access, roles
from pipelines.auth.access import Actor
from pipelines.capaian import completeness, status_data
from pipelines.capaian.query import check_region_known
from pipelines.core import fmt, reference, settings
from pipelines.core.forms import SPM_COLUMNS
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.sop import dokumen_penerapan as penerapan

# The six parts in order: (column, setting key, name shown to people).
BAGIAN = (
    ("ip_spm", "awards_bobot_ip_spm", "IP-SPM (triwulan terakhir tahun itu yang berdata)"),
    ("anggaran", "awards_bobot_anggaran", "Realisasi anggaran SPM"),
    ("tahapan", "awards_bobot_tahapan", "Tahapan penerapan SPM"),
    ("tim", "awards_bobot_tim", "SK Tim Penerapan SPM terverifikasi"),
    ("rencana_aksi", "awards_bobot_rencana_aksi", "Rencana Aksi terverifikasi"),
    ("kepatuhan", "awards_bobot_kepatuhan", "Kepatuhan waktu pelaporan"),
)
PARTS = [b[0] for b in BAGIAN]
# Short names for table headers (with the part's most points after them).
SINGKAT = {
    "ip_spm": "IP-SPM",
    "anggaran": "Anggaran",
    "tahapan": "Tahapan",
    "tim": "Tim",
    "rencana_aksi": "Rencana Aksi",
    "kepatuhan": "Kepatuhan",
}
COLUMNS = ["kode_wilayah", "nama_wilayah", "tahun", "skor", *PARTS]
EXTRA = [
    "peringkat",
    "triwulan_ip_spm",
    "nilai_ip_spm",
    "anggaran_rencana",
    "anggaran_realisasi",
    "persen_realisasi",
    "tahap_selesai",
    "tahap_wajib",
    "status_tim",
    "status_rencana_aksi",
    "triwulan_tepat_waktu",
    "status_data",
    "langkah_berikut",
]
TAHAP = [c.key for c in SPM_COLUMNS if c.key.startswith("tahap_")]


@dataclass
class Awards:
    """The scores (:data:`COLUMNS` then :data:`EXTRA`, highest first) and the
    submissions behind their figures (status_data.KIRIMAN_COLUMNS)."""

    tahun: int
    skor: pd.DataFrame
    kiriman: pd.DataFrame
    bobot: dict[str, float]

    @property
    def status(self) -> status_data.StatusData:
        return status_data.status_data(self.kiriman, "")

    def catatan_status(self) -> str | None:
        """'1 dari 7 kabupaten/kota yang melapor belum diverifikasi: ...', or None."""
        return self.status.kalimat_kabkota()


def bobot(db: Database) -> dict[str, float]:
    """Each part's most points (the settings in force), keyed by part."""
    weights = settings.awards_bobot(settings.current(db))
    return {part: float(weights[key]) for part, key, _ in BAGIAN}


def _latest(db: Database, tahun: int, sampai: int) -> pd.DataFrame:
    """Per region its latest triwulan of ``tahun`` (up to ``sampai``) with an IP-SPM,
    with the IP-SPM, the anggaran and the status of the data behind it."""
    return db.df(
        """
        SELECT kode_wilayah, triwulan AS triwulan_ip_spm, nilai AS nilai_ip_spm,
               anggaran_rencana, anggaran_realisasi, status_submission AS status_data
        FROM m_capaian_wilayah
        WHERE tahun = ? AND triwulan <= ?
        QUALIFY triwulan = max(triwulan) OVER (PARTITION BY kode_wilayah)
        """,
        [tahun, sampai],
    )


def _tahapan(db: Database, tahun: int, latest: pd.DataFrame) -> pd.DataFrame:
    """Per region the tahapan marked done at its latest triwulan, of catalog services × 4."""
    done = " + ".join(f"coalesce(d.{c}, false)::INTEGER" for c in TAHAP)
    return db.df(
        f"""
        SELECT p.kode_wilayah, coalesce(sum({done}), 0)::INTEGER AS tahap_selesai,
               ({len(TAHAP)} * count(*))::INTEGER AS tahap_wajib
        FROM (SELECT UNNEST(?::VARCHAR[]) AS kode_wilayah, UNNEST(?::INTEGER[]) AS triwulan) p
        JOIN layanan l ON l.tingkat = 'kabupaten/kota'
        LEFT JOIN spm_data d ON d.kode_wilayah = p.kode_wilayah AND d.tahun = ?
            AND d.triwulan = p.triwulan AND d.kode_layanan = l.kode
        GROUP BY p.kode_wilayah
        """,
        [list(latest["kode_wilayah"]), [int(q) for q in latest["triwulan_ip_spm"]], tahun],
    )


def _kiriman(db: Database, tahun: int, latest: pd.DataFrame) -> pd.DataFrame:
    """The submissions behind each region's figures (its services at that triwulan)."""
    rows = db.df(
        """
        SELECT c.submission_id, c.status_submission, c.kode_wilayah, c.nama_wilayah
        FROM m_capaian_layanan c
        JOIN (SELECT UNNEST(?::VARCHAR[]) AS kode_wilayah, UNNEST(?::INTEGER[]) AS triwulan) p
            ON p.kode_wilayah = c.kode_wilayah AND p.triwulan = c.triwulan
        WHERE c.tahun = ?
        """,
        [list(latest["kode_wilayah"]), [int(q) for q in latest["triwulan_ip_spm"]], tahun],
    )
    return status_data.kiriman(rows)


def skor(
    db: Database,
    actor: Actor | None,
    tahun: int,
    *,
    kode_wilayah: str | None = None,
    sampai_triwulan: int | None = None,
    today: dt.date | None = None,
) -> Awards:
    """The readiness score of every kabupaten/kota of the province served (an uploader:
    its own; ``kode_wilayah``: that one), highest first. ``sampai_triwulan`` reads the
    data of the year only up to that triwulan (a report of an earlier triwulan); the
    kepatuhan still counts out of 4."""
    roles.require(actor, "spm_awards")
    if not 2000 <= int(tahun) <= 2100:
        raise SpmError(f"Tahun {tahun} tidak masuk akal; tulis misalnya 2025.")
    weights = bobot(db)
    kab = reference.kabkota(db)[["kode", "nama"]].rename(
        columns={"kode": "kode_wilayah", "nama": "nama_wilayah"}
    )
    if kode_wilayah is not None:
        check_region_known(db, kode_wilayah)
        if kode_wilayah not in set(kab["kode_wilayah"]):
            raise SpmError(
                f"Skor SPM Awards dinilai per kabupaten/kota provinsi ini; {kode_wilayah} "
                "bukan salah satunya."
            )
        access.check_region(db, actor, kode_wilayah)
    kab = kab.reset_index(drop=True).assign(tahun=int(tahun))

    sampai = 4 if sampai_triwulan is None else int(sampai_triwulan)
    latest = _latest(db, tahun, sampai)
    latest = latest[latest["kode_wilayah"].isin(kab["kode_wilayah"])]
    frame = kab.merge(latest, on="kode_wilayah", how="left")
    frame = frame.merge(_tahapan(db, tahun, latest), on="kode_wilayah", how="left")
    wajib = len(TAHAP) * len(reference.layanan(db, "kabupaten/kota"))
    frame["tahap_selesai"] = frame["tahap_selesai"].fillna(0).astype(int)
    frame["tahap_wajib"] = frame["tahap_wajib"].fillna(wajib).astype(int)

    docs = penerapan.kelengkapan(db, None, tahun)
    frame = frame.merge(
        docs[["kode_wilayah", "tim", "rencana_aksi"]].rename(
            columns={"tim": "status_tim", "rencana_aksi": "status_rencana_aksi"}
        ),
        on="kode_wilayah",
        how="left",
    )
    verified = _verified(db, tahun)

    sent = completeness.kelengkapan(db, tahun, form="spm-kabkota", today=today)
    on_time = sent[
        (sent["status_kirim"] == completeness.TEPAT_WAKTU) & (sent["triwulan"] <= sampai)
    ]
    frame["triwulan_tepat_waktu"] = (
        frame["kode_wilayah"].map(on_time.groupby("kode_wilayah").size()).fillna(0).astype(int)
    )

    rencana = frame["anggaran_rencana"].astype(float)
    realisasi = frame["anggaran_realisasi"].astype(float)
    share = (realisasi / rencana.where(rencana > 0)).clip(upper=1.0)
    frame["persen_realisasi"] = share * 100
    points = {
        "ip_spm": frame["nilai_ip_spm"].astype(float).fillna(0) / 100 * weights["ip_spm"],
        "anggaran": share.fillna(0) * weights["anggaran"],
        "tahapan": frame["tahap_selesai"] / frame["tahap_wajib"] * weights["tahapan"],
        "tim": frame["kode_wilayah"].isin(verified["tim"]) * weights["tim"],
        "rencana_aksi": frame["kode_wilayah"].isin(verified["rencana-aksi"])
        * weights["rencana_aksi"],
        "kepatuhan": frame["triwulan_tepat_waktu"] / 4 * weights["kepatuhan"],
    }
    for part in PARTS:
        frame[part] = points[part].astype(float).round(2)
    frame["skor"] = frame[PARTS].sum(axis=1).round(2)
    frame["langkah_berikut"] = [
        langkah_berikut(row, weights) for row in frame.to_dict(orient="records")
    ]
    frame = frame.sort_values(["skor", "kode_wilayah"], ascending=[False, True], kind="stable")
    frame["peringkat"] = frame["skor"].rank(method="min", ascending=False).astype(int)
    frame["triwulan_ip_spm"] = frame["triwulan_ip_spm"].astype("Int64")
    # Ranked among every kabupaten/kota of the province; then what ``actor`` may see.
    if kode_wilayah is not None:
        frame = frame[frame["kode_wilayah"] == kode_wilayah]
    if actor is not None:
        frame = access.restrict(frame, actor)
    kiriman = _kiriman(db, tahun, latest)
    kiriman = kiriman[kiriman["kode_wilayah"].isin(frame["kode_wilayah"])]
    skor_frame = frame[COLUMNS + EXTRA].reset_index(drop=True)
    return Awards(int(tahun), skor_frame, kiriman.reset_index(drop=True), weights)


def status_teks(status: object) -> str:
    """How the data behind a region's score stands: 'terverifikasi', 'belum diverifikasi
    (diajukan)' or 'belum ada data SPM'."""
    if status is None or pd.isna(status):
        return "belum ada data SPM"
    if status in status_data.VERIFIED:
        return "terverifikasi"
    return f"belum diverifikasi ({status})"


def _verified(db: Database, tahun: int) -> dict[str, set[str]]:
    """The regions with a verified document of each kind for ``tahun``."""
    rows = db.rows(
        "SELECT DISTINCT jenis, kode_wilayah FROM dokumen_spm "
        "WHERE tahun = ? AND status = 'diverifikasi'",
        [tahun],
    )
    found: dict[str, set[str]] = {jenis: set() for jenis in penerapan.JENIS}
    for jenis, kode in rows:
        found[jenis].add(kode)
    return found


def _dokumen_langkah(status: str, nama: str, tahun: int) -> str:
    if status == penerapan.DIAJUKAN:
        return f"Minta Biro Pemerintahan memverifikasi {nama} {tahun} yang sudah diajukan"
    if status == penerapan.DIKEMBALIKAN:
        return f"Perbaiki {nama} {tahun} yang dikembalikan Biro lalu unggah kembali"
    return f"Unggah {nama} {tahun} yang sudah ditetapkan"


def langkah_berikut(row: dict, weights: dict[str, float]) -> str:
    """What the region should do next to gain the most points: the part with the largest
    missing points, in one sentence (the first part in order on a tie)."""
    missing = {part: weights[part] - (row[part] or 0) for part in PARTS}
    part = max(PARTS, key=lambda p: (round(missing[p], 6), -PARTS.index(p)))
    gain = missing[part]
    if gain <= 0.005:
        return "Semua bagian sudah bernilai penuh; pertahankan."
    tahun = row["tahun"]
    if part == "ip_spm":
        if pd.isna(row.get("nilai_ip_spm")):
            what = f"Kirim data SPM {tahun} agar IP-SPM dapat dihitung"
        else:
            what = (
                f"Naikkan IP-SPM (sekarang {fmt.angka(row['nilai_ip_spm'], 2)}): penuhi "
                "sasaran dan mutu layanan yang nilainya masih rendah"
            )
    elif part == "anggaran":
        if pd.isna(row.get("persen_realisasi")):
            what = "Isi anggaran rencana dan realisasi layanan SPM pada formulir"
        else:
            what = (
                "Percepat realisasi anggaran layanan SPM (baru "
                f"{fmt.persen(row['persen_realisasi'], 1)} dari rencana)"
            )
    elif part == "tahapan":
        what = (
            "Selesaikan empat tahapan penerapan SPM untuk setiap layanan (baru "
            f"{fmt.angka(row['tahap_selesai'])} dari {fmt.angka(row['tahap_wajib'])} tahap)"
        )
    elif part == "tim":
        what = _dokumen_langkah(row["status_tim"], "SK Tim Penerapan SPM", tahun)
    elif part == "rencana_aksi":
        what = _dokumen_langkah(row["status_rencana_aksi"], "Perkada Rencana Aksi SPM", tahun)
    else:
        what = (
            "Kirim laporan SPM setiap triwulan sebelum batas waktu (baru "
            f"{fmt.angka(row['triwulan_tepat_waktu'])} dari 4 triwulan tepat waktu)"
        )
    return f"{what}; paling banyak menambah {fmt.angka(gain, 2)} poin."
