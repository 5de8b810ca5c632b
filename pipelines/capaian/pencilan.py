"""Outliers in kab/kota SPM data, as DHIS2 finds them (issue 14, point 7).

Two measures per service and kab/kota for one period: ``cakupan`` (jumlah terlayani /
jumlah sasaran × 100) and ``sasaran`` (jumlah sasaran). A value is flagged when

- its modified z-score across the province's kab/kota for the period,
  ``0,6745 × (x − median) / MAD`` (Iglewicz and Hoaglin), is above the setting
  ``pencilan_ambang_z`` (3,5) in absolute value; the MAD is taken as at least 5 % of
  the median (:data:`SEBARAN_MIN`). With fewer than ``pencilan_min_wilayah`` values
  there is no score. A sasaran follows the population, so it is scored on its growth
  against the same triwulan last year, not on its size; or
- it changed against the same triwulan of the year before by more than the factor
  ``pencilan_faktor_perubahan`` (2: doubled or halved); 0 to a value or back is not
  a change in this sense (a period without sasaran has its own category).

Flags are warnings, never a refusal: during validation (:func:`peringatan_berkas`)
the file's values are scored against the other kab/kota's stored values, and on the
"Kualitas data" page and ``spm pencilan`` an analyst lists them (:func:`daftar`) and
marks one for follow-up with a comment (:func:`tandai`), later closed (:func:`selesai`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipelines.auth import audit, roles
from pipelines.auth.access import Actor
from pipelines.core import fmt, reference, settings
from pipelines.db.store import Database
from pipelines.errors import SpmError

UKURAN = {"cakupan": "Cakupan (terlayani/sasaran)", "sasaran": "Jumlah sasaran"}
# The file column a warning points at, per measure.
KOLOM = {"cakupan": "jumlah_terlayani", "sasaran": "jumlah_sasaran"}
KONSTANTA = 0.6745
# The spread (MAD) is taken as at least 5 % of the median: where kab/kota are nearly
# equal (MAD close to 0) a difference of a few points would otherwise score in the
# tens and bury the real outliers (a sasaran with an extra zero, a cakupan of 250 %).
SEBARAN_MIN = 0.05
PERLU = "perlu ditindaklanjuti"
SELESAI = "selesai"

COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "kode_layanan",
    "nama_layanan",
    "ukuran",
    "nama_ukuran",
    "nilai",
    "median",
    "skor_z",
    "nilai_tahun_lalu",
    "alasan",
    "tindak_lanjut",
    "komentar",
    "oleh",
    "waktu",
]


class PencilanError(SpmError):
    """A follow-up mark that cannot be made."""


@dataclass(frozen=True)
class Ambang:
    z: float
    faktor: float
    min_wilayah: int

    @classmethod
    def dari(cls, values: dict) -> Ambang:
        return cls(
            z=float(values.get("pencilan_ambang_z", 3.5)),
            faktor=float(values.get("pencilan_faktor_perubahan", 2.0)),
            min_wilayah=int(values.get("pencilan_min_wilayah", 4)),
        )


def berubah_jauh(nilai: float, lalu: float, faktor: float) -> bool:
    """Whether a value moved by more than ``faktor`` against last year's."""
    if pd.isna(nilai) or pd.isna(lalu):
        return False
    low, high = sorted((abs(float(nilai)), abs(float(lalu))))
    if low == 0:
        # Sasaran that come and go with events (bencana, KLB) are "tidak ada sasaran"
        # periods, a category of their own, not an outlier.
        return False
    return high / low > faktor


# Every kab/kota's value of a period scored against the province's other kab/kota, in
# one statement: the stored values of the year (the file's region's replaced by the
# file's rows when a file is checked) and of the year before, both measures in long
# form, the basis (cakupan as it is, a sasaran's growth), per service and measure the
# median, the MAD (at least SEBARAN_MIN of the median) and the modified z-score.
_SKOR_SQL = """
WITH nilai AS (
    SELECT d.kode_wilayah, d.kode_layanan, d.tahun, NULL::INTEGER AS row_no,
        d.jumlah_sasaran::DOUBLE AS sasaran,
        CASE WHEN d.jumlah_sasaran > 0 AND d.jumlah_terlayani IS NOT NULL
            THEN d.jumlah_terlayani::DOUBLE / d.jumlah_sasaran * 100 END AS cakupan
    FROM spm_data d JOIN wilayah w ON w.kode = d.kode_wilayah
    WHERE d.tahun IN ($tahun, $tahun - 1) AND d.triwulan = $triwulan
        AND w.tingkat = 'kabupaten/kota' AND w.kode_provinsi = $provinsi
        AND NOT (d.tahun = $tahun AND d.kode_wilayah IS NOT DISTINCT FROM $berkas_wilayah)
    UNION ALL
    SELECT $berkas_wilayah, kode_layanan, $tahun, row_no, sasaran::DOUBLE,
        CASE WHEN sasaran > 0 AND terlayani IS NOT NULL
            THEN terlayani::DOUBLE / sasaran * 100 END
    FROM {berkas}
),
panjang AS (
    SELECT kode_wilayah, kode_layanan, tahun, row_no, 'cakupan' AS ukuran, cakupan AS nilai
    FROM nilai
    UNION ALL
    SELECT kode_wilayah, kode_layanan, tahun, row_no, 'sasaran', sasaran FROM nilai
),
dasar AS (
    SELECT k.kode_wilayah, k.kode_layanan, k.ukuran, k.row_no, k.nilai,
        l.nilai AS nilai_tahun_lalu,
        CASE WHEN k.ukuran = 'cakupan' THEN k.nilai
            WHEN k.nilai > 0 AND l.nilai > 0 THEN k.nilai / l.nilai END AS basis
    FROM panjang k
    LEFT JOIN panjang l ON l.tahun = $tahun - 1 AND l.kode_wilayah = k.kode_wilayah
        AND l.kode_layanan = k.kode_layanan AND l.ukuran = k.ukuran
    WHERE k.tahun = $tahun
),
tengah AS (
    SELECT *,
        count(basis) OVER g AS banyak,
        median(basis) OVER g AS median_semua
    FROM dasar WINDOW g AS (PARTITION BY kode_layanan, ukuran)
),
sebaran AS (
    SELECT *,
        greatest(median(abs(basis - median_semua)) OVER (PARTITION BY kode_layanan, ukuran),
            $sebaran_min * abs(median_semua)) AS mad
    FROM tengah
),
skor AS (
    SELECT kode_wilayah, kode_layanan, ukuran, row_no, nilai, nilai_tahun_lalu, basis,
        CASE WHEN banyak >= $min_wilayah THEN median_semua END AS median,
        CASE WHEN banyak >= $min_wilayah AND mad > 0
            THEN $konstanta * (basis - median_semua) / mad END AS skor_z
    FROM sebaran
)
SELECT * FROM skor
WHERE (abs(skor_z) > $z
    OR least(abs(nilai), abs(nilai_tahun_lalu)) > 0
        AND greatest(abs(nilai), abs(nilai_tahun_lalu))
            / least(abs(nilai), abs(nilai_tahun_lalu)) > $faktor)
    AND ($berkas_wilayah IS NULL OR kode_wilayah = $berkas_wilayah)
ORDER BY ukuran, row_no, kode_wilayah, kode_layanan
"""

_BERKAS_KOSONG = pd.DataFrame(
    {
        "kode_layanan": pd.Series(dtype=str),
        "row_no": pd.Series(dtype="Int64"),
        "sasaran": pd.Series(dtype=float),
        "terlayani": pd.Series(dtype=float),
    }
)


def _bertanda_sql(
    db: Database,
    tahun: int,
    triwulan: int,
    provinsi: str,
    ambang: Ambang,
    berkas: pd.DataFrame | None = None,
    kode_wilayah: str | None = None,
) -> pd.DataFrame:
    """The flagged values of the period (kode_wilayah, kode_layanan, ukuran, row_no,
    nilai, nilai_tahun_lalu, basis, median, skor_z); with ``berkas`` (kode_layanan,
    row_no, sasaran, terlayani) the values of a file for ``kode_wilayah`` replace that
    region's stored ones and only the file's flagged values are returned."""
    frame = _BERKAS_KOSONG if berkas is None else berkas
    with db.registered("_pencilan_berkas", frame) as name:
        return db.df(
            _SKOR_SQL.format(berkas=name),
            {
                "tahun": int(tahun),
                "triwulan": int(triwulan),
                "provinsi": provinsi,
                "berkas_wilayah": kode_wilayah,
                "sebaran_min": SEBARAN_MIN,
                "konstanta": KONSTANTA,
                "min_wilayah": ambang.min_wilayah,
                "z": ambang.z,
                "faktor": ambang.faktor,
            },
        )


def _alasan(row: pd.Series, ambang: Ambang, periode_lalu: str) -> str:
    angka = _angka(row["ukuran"])
    parts = []
    if pd.notna(row["skor_z"]) and abs(row["skor_z"]) > ambang.z:
        if row["ukuran"] == "cakupan":
            what = f"jauh dari kabupaten/kota lain (median {angka(row['median'])}"
        else:
            what = (
                f"pertumbuhannya dari {periode_lalu} ({_tumbuh(row['basis'])}) jauh dari "
                f"kabupaten/kota lain (median {_tumbuh(row['median'])}"
            )
        parts.append(
            f"{what}, skor z termodifikasi {fmt.angka(row['skor_z'], 2)}, "
            f"ambang {fmt.angka(ambang.z, 1)})"
        )
    if berubah_jauh(row["nilai"], row["nilai_tahun_lalu"], ambang.faktor):
        parts.append(
            f"berubah lebih dari {fmt.angka(ambang.faktor, 1)} kali lipat dari "
            f"{angka(row['nilai_tahun_lalu'])} pada {periode_lalu}"
        )
    return "; ".join(parts)


def _tumbuh(ratio: float) -> str:
    """A growth ratio as people say it: 1.1 -> '+10,0 %'."""
    change = (float(ratio) - 1) * 100
    return f"{'+' if change >= 0 else '−'}{fmt.persen(abs(change), 1)}"


def _angka(ukuran: str):
    if ukuran == "cakupan":
        return lambda v: fmt.persen(v, 1)
    return lambda v: fmt.angka(v, 0)


def _periode_lalu(tahun: int, triwulan: int) -> str:
    return f"{fmt.triwulan(triwulan)} {tahun - 1}"


def daftar(db: Database, actor: Actor, tahun: int, triwulan: int) -> pd.DataFrame:
    """Every flagged value of the period with its reason and follow-up (COLUMNS), for
    the Biro (admin, analis): uploaders see their own warnings when they upload."""
    roles.require(actor, "pencilan")
    values = settings.current(db)
    ambang = Ambang.dari(values)
    provinsi = values["provinsi"]
    frame = _bertanda_sql(db, tahun, triwulan, provinsi, ambang)
    lalu = _periode_lalu(tahun, triwulan)
    frame["alasan"] = [_alasan(r, ambang, lalu) for _, r in frame.iterrows()] if len(frame) else []
    names = db.df(
        "SELECT w.kode AS kode_wilayah, w.nama AS nama_wilayah FROM wilayah w "
        "WHERE w.kode_provinsi = ?",
        [provinsi],
    )
    services = db.df("SELECT kode AS kode_layanan, nama AS nama_layanan, urutan FROM layanan")
    marks = db.df(
        "SELECT kode_wilayah, kode_layanan, ukuran, status AS tindak_lanjut, komentar, oleh, "
        "waktu FROM pencilan_tindak_lanjut WHERE tahun = ? AND triwulan = ?",
        [tahun, triwulan],
    )
    out = (
        frame.merge(names, on="kode_wilayah", how="left")
        .merge(services, on="kode_layanan", how="left")
        .merge(marks, on=["kode_wilayah", "kode_layanan", "ukuran"], how="left")
    )
    out["nama_ukuran"] = out["ukuran"].map(UKURAN)
    out = out.sort_values(["urutan", "kode_wilayah", "ukuran"], kind="stable")
    out = out.astype({"tindak_lanjut": object, "komentar": object, "oleh": object})
    return out[COLUMNS].reset_index(drop=True)


def tindak_lanjut(db: Database, actor: Actor, tahun: int) -> pd.DataFrame:
    """The year's follow-up marks, open ones first (the follow-up list)."""
    roles.require(actor, "pencilan")
    return db.df(
        "SELECT t.tahun, t.triwulan, t.kode_wilayah, w.nama AS nama_wilayah, t.kode_layanan, "
        "l.nama AS nama_layanan, t.ukuran, t.status AS tindak_lanjut, t.komentar, t.oleh, "
        "t.waktu FROM pencilan_tindak_lanjut t "
        "LEFT JOIN wilayah w ON w.kode = t.kode_wilayah "
        "LEFT JOIN layanan l ON l.kode = t.kode_layanan "
        "WHERE t.tahun = ? ORDER BY t.status = ?, t.triwulan, l.urutan, t.kode_wilayah",
        [tahun, SELESAI],
    )


def tandai(
    db: Database,
    actor: Actor,
    *,
    tahun: int,
    triwulan: int,
    kode_wilayah: str,
    kode_layanan: str,
    ukuran: str,
    komentar: str,
    status: str = PERLU,
    waktu: dt.datetime | None = None,
) -> None:
    """Mark a flagged value "perlu ditindaklanjuti" (or close it: ``status=SELESAI``)
    with a comment; audited. Only a value flagged now can be marked."""
    roles.require(actor, "pencilan")
    komentar = " ".join((komentar or "").split())
    if not komentar:
        raise PencilanError("Komentar tindak lanjut wajib diisi: tulis apa yang perlu diperiksa.")
    if len(komentar) > 1000:
        raise PencilanError("Komentar tindak lanjut lebih dari 1.000 karakter; ringkas isinya.")
    if ukuran not in UKURAN:
        raise PencilanError(f"Ukuran '{ukuran}' tidak dikenal; pilih cakupan atau sasaran.")
    if status not in (PERLU, SELESAI):
        raise PencilanError(f"Status tindak lanjut harus '{PERLU}' atau '{SELESAI}'.")
    flagged = daftar(db, actor, tahun, triwulan)
    hit = flagged[
        (flagged["kode_wilayah"] == kode_wilayah)
        & (flagged["kode_layanan"] == kode_layanan)
        & (flagged["ukuran"] == ukuran)
    ]
    periode = f"{fmt.triwulan(triwulan)} {tahun}"
    if hit.empty:
        raise PencilanError(
            f"{UKURAN[ukuran]} layanan {kode_layanan} wilayah {kode_wilayah} {periode} tidak "
            "terdeteksi sebagai pencilan; lihat daftar dengan 'spm pencilan daftar'."
        )
    if status == SELESAI and pd.isna(hit.iloc[0]["tindak_lanjut"]):
        raise PencilanError(
            "Nilai ini belum ditandai perlu ditindaklanjuti; tandai dulu sebelum menyelesaikan."
        )
    when = waktu or dt.datetime.now().replace(microsecond=0)
    key = [tahun, triwulan, kode_wilayah, kode_layanan, ukuran]
    with db.transaction():
        db.execute(
            "DELETE FROM pencilan_tindak_lanjut WHERE tahun = ? AND triwulan = ? "
            "AND kode_wilayah = ? AND kode_layanan = ? AND ukuran = ?",
            key,
        )
        db.execute(
            "INSERT INTO pencilan_tindak_lanjut VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*key, status, komentar, actor.username, when],
        )
        audit.record(
            db,
            actor,
            "tandai_pencilan",
            f"{kode_wilayah} {kode_layanan} {ukuran} {tahun} TW{triwulan}",
            sesudah={"status": status, "komentar": komentar},
        )


def peringatan_berkas(
    db: Database, rows: pd.DataFrame, kode_wilayah: str, tahun: int, triwulan: int
) -> list[tuple[str, int, str]]:
    """Warnings (message, row, column) for an SPM kab/kota file's rows: each value
    scored against the other kab/kota's stored values of the period, and compared with
    its own region's value of the same triwulan last year."""
    values = settings.current(db)
    ambang = Ambang.dari(values)
    provinsi = values["provinsi"]
    if "kode_layanan" not in rows or rows.empty:
        return []
    region = reference.wilayah(db, kode_wilayah)
    if region is None or region["tingkat"] != "kabupaten/kota":
        return []  # the province's own services have no peers to be scored against
    berkas = pd.DataFrame(
        {
            "kode_layanan": rows["kode_layanan"].astype(str),
            "row_no": rows["row_no"].astype("Int64"),
            "sasaran": pd.to_numeric(rows["jumlah_sasaran"], errors="coerce"),
            "terlayani": pd.to_numeric(rows["jumlah_terlayani"], errors="coerce"),
        }
    )
    scored = _bertanda_sql(db, tahun, triwulan, provinsi, ambang, berkas, kode_wilayah)
    lalu = _periode_lalu(tahun, triwulan)
    out = []
    for _, row in scored.iterrows():
        reason = _alasan(row, ambang, lalu)
        if reason:
            out.append(
                (
                    f"{UKURAN[row['ukuran']]} {_angka(row['ukuran'])(row['nilai'])} {reason}; "
                    "periksa kembali (peringatan, berkas tetap dapat disimpan).",
                    int(row["row_no"]),
                    KOLOM[row["ukuran"]],
                )
            )
    return out
