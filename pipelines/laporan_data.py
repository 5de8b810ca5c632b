"""What a report shows, read from the computation views (never recomputed here).

:func:`collect` gathers, for one province (or a set of kabupaten/kota) and one period,
every figure the report writers need: the province's own services, urusan and IP-SPM,
its kabupaten/kota per urusan with ranking and the change against the same triwulan
of the previous year, the services of each kabupaten/kota, the kendala and solusi
written in the submissions, and the LPPD IKK of the year. All numbers come from
``v_spm_layanan``, ``v_spm_urusan``, ``v_spm_wilayah`` and ``lppd_data``; the writers
only format them.

It also fingerprints the inputs (:attr:`ReportData.versi_data`): the newest and the
number of submissions behind the figures and a SHA-256 of the rows used, so a Final
report records exactly which data it was built from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd

from . import settings
from .store import Database, SpmError

LAYANAN_COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "urusan",
    "kode_layanan",
    "nama_layanan",
    "urutan_layanan",
    "opd_pengampu",
    "jumlah_sasaran",
    "jumlah_terlayani",
    "capaian_penerima",
    "capaian_mutu",
    "nilai",
    "kategori",
    "tanpa_sasaran",
    "anggaran_rencana",
    "anggaran_realisasi",
    "permasalahan",
    "solusi",
    "status_submission",
    "submission_id",
]


class ReportInputError(SpmError):
    """The report cannot be built for the period or region asked."""


@dataclass
class Scope:
    """Which regions a report covers."""

    kode_provinsi: str | None  # the province whose own services are reported (None: none)
    nama_provinsi: str | None
    kabkota: pd.DataFrame  # kode, nama (kabupaten/kota covered, in code order)
    kode_wilayah: str | None  # the code the report is filed under (province or region)
    jenis: str  # 'laporan-spm-provinsi' or 'rekap-kabkota'


@dataclass
class ReportData:
    scope: Scope
    tahun: int
    triwulan: int
    urusan: list[str]  # in catalog order
    provinsi_layanan: pd.DataFrame  # LAYANAN_COLUMNS, the province's own services
    provinsi_urusan: pd.DataFrame  # urusan, nilai, kategori, jumlah_layanan(_dinilai)
    provinsi_wilayah: dict | None  # nilai, kategori of the province's own IP-SPM
    provinsi_wilayah_lalu: dict | None  # the same a year earlier
    kabkota_layanan: pd.DataFrame  # LAYANAN_COLUMNS for every kabupaten/kota covered
    kabkota_urusan: pd.DataFrame  # kode_wilayah, nama_wilayah, urusan, nilai, kategori, nilai_lalu
    kabkota_wilayah: pd.DataFrame  # kode, nama, nilai, kategori, peringkat, nilai_lalu, status
    agregat_kabkota: dict | None  # mean IP-SPM of the kabupaten/kota that reported
    kendala: pd.DataFrame  # urusan, permasalahan, solusi, wilayah, layanan
    ikk: pd.DataFrame  # LPPD IKK rows of the year
    versi_setting: int | None
    settings: dict
    versi_data: str = ""
    jumlah_pengiriman: int = 0
    waktu_data: dt.datetime | None = None  # newest upload behind the figures
    sumber: dict = field(default_factory=dict)

    @property
    def periode(self) -> str:
        from .fmt import triwulan

        return f"{triwulan(self.triwulan)} {self.tahun}"


def _placeholders(n: int) -> str:
    return ", ".join(["?"] * n)


def resolve_scope(db: Database, region: str | None, *, nasional: bool = False) -> Scope:
    """The province package (``region`` None or a province code), one kabupaten/kota,
    or every kabupaten/kota in the country (``nasional``, for the national rekap)."""
    if nasional:
        kab = db.df("SELECT kode, nama FROM wilayah WHERE tingkat = 'kabupaten/kota' ORDER BY kode")
        return Scope(None, None, kab, None, "rekap-kabkota")
    code = (region or settings.served_province(db)).strip()
    row = db.dicts("SELECT kode, nama, tingkat, kode_provinsi FROM wilayah WHERE kode = ?", [code])
    if not row:
        raise ReportInputError(
            f"Kode wilayah '{code}' tidak dikenal; gunakan kode Kemendagri, misalnya 19 atau 19.01."
        )
    w = row[0]
    if w["tingkat"] == "provinsi":
        kab = db.df(
            "SELECT kode, nama FROM wilayah WHERE kode_provinsi = ? "
            "AND tingkat = 'kabupaten/kota' ORDER BY kode",
            [code],
        )
        return Scope(code, w["nama"], kab, code, "laporan-spm-provinsi")
    kab = pd.DataFrame({"kode": [w["kode"]], "nama": [w["nama"]]})
    prov_name = db.scalar("SELECT nama FROM wilayah WHERE kode = ?", [w["kode_provinsi"]])
    scope = Scope(None, prov_name, kab, w["kode"], "rekap-kabkota")
    return scope


def latest_triwulan(db: Database, tahun: int, scope: Scope) -> int:
    """The latest triwulan of ``tahun`` with any SPM data in the scope."""
    codes = list(scope.kabkota["kode"]) + ([scope.kode_provinsi] if scope.kode_provinsi else [])
    if not codes:
        codes = [""]
    q = db.scalar(
        f"SELECT max(triwulan) FROM spm_data WHERE tahun = ? "
        f"AND kode_wilayah IN ({_placeholders(len(codes))})",
        [tahun, *codes],
    )
    if q is None:
        raise ReportInputError(
            f"Belum ada data SPM tahun {tahun} untuk wilayah ini; unggah data terlebih dahulu "
            "atau pilih tahun lain."
        )
    return int(q)


def _with_codes(sql: str, codes: list[str], params: list) -> tuple[str, list]:
    """Filter on kode_wilayah through a registered-free IN list of parameters."""
    return sql.replace("{codes}", _placeholders(len(codes))), [*params, *codes]


def _layanan(db: Database, codes: list[str], tahun: int, triwulan: int) -> pd.DataFrame:
    if not codes:
        return pd.DataFrame(columns=LAYANAN_COLUMNS)
    cols = ", ".join(LAYANAN_COLUMNS)
    sql, params = _with_codes(
        f"SELECT {cols} FROM v_spm_layanan WHERE tahun = ? AND triwulan = ? "
        "AND kode_wilayah IN ({codes}) ORDER BY kode_wilayah, urutan_layanan",
        codes,
        [tahun, triwulan],
    )
    return db.df(sql, params)


def _urusan(db: Database, codes: list[str], tahun: int, triwulan: int) -> pd.DataFrame:
    if not codes:
        return pd.DataFrame(
            columns=["kode_wilayah", "nama_wilayah", "urusan", "nilai", "kategori", "nilai_lalu"]
        )
    sql, params = _with_codes(
        """
        SELECT u.kode_wilayah, u.nama_wilayah, u.urusan, u.nilai, u.kategori,
               u.jumlah_layanan, u.jumlah_layanan_dinilai, p.nilai AS nilai_lalu,
               p.kategori AS kategori_lalu
        FROM v_spm_urusan u
        LEFT JOIN v_spm_urusan p
          ON p.kode_wilayah = u.kode_wilayah AND p.urusan = u.urusan
         AND p.tahun = u.tahun - 1 AND p.triwulan = u.triwulan
        WHERE u.tahun = ? AND u.triwulan = ? AND u.kode_wilayah IN ({codes})
        ORDER BY u.kode_wilayah, u.urusan
        """,
        codes,
        [tahun, triwulan],
    )
    return db.df(sql, params)


def _wilayah(db: Database, kab: pd.DataFrame, tahun: int, triwulan: int) -> pd.DataFrame:
    """Every kabupaten/kota covered, reported or not, with its IP-SPM and rank."""
    if kab.empty:
        return pd.DataFrame(
            columns=["kode", "nama", "nilai", "kategori", "peringkat", "nilai_lalu", "melapor"]
        )
    with db.registered("_laporan_kabkota", kab[["kode", "nama"]]) as name:
        return db.df(
            f"""
            SELECT k.kode, k.nama, w.nilai, w.kategori,
                   CASE WHEN w.nilai IS NOT NULL
                        THEN rank() OVER (ORDER BY w.nilai DESC NULLS LAST) END AS peringkat,
                   p.nilai AS nilai_lalu, p.kategori AS kategori_lalu,
                   w.kode_wilayah IS NOT NULL AS melapor
            FROM "{name}" k
            LEFT JOIN v_spm_wilayah w
              ON w.kode_wilayah = k.kode AND w.tahun = ? AND w.triwulan = ?
            LEFT JOIN v_spm_wilayah p
              ON p.kode_wilayah = k.kode AND p.tahun = ? AND p.triwulan = ?
            ORDER BY k.kode
            """,
            [tahun, triwulan, tahun - 1, triwulan],
        )


def _wilayah_one(db: Database, code: str, tahun: int, triwulan: int) -> dict | None:
    rows = db.dicts(
        "SELECT nilai, kategori, jumlah_urusan, jumlah_urusan_dinilai FROM v_spm_wilayah "
        "WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ?",
        [code, tahun, triwulan],
    )
    return rows[0] if rows else None


def _ikk(db: Database, codes: list[str], tahun: int) -> pd.DataFrame:
    if not codes:
        return pd.DataFrame()
    sql, params = _with_codes(
        """
        SELECT d.kode_wilayah, w.nama AS nama_wilayah, i.urusan, d.kode_ikk, i.nama AS nama_ikk,
               i.jenis, i.cara_hitung, i.satuan, d.pembilang, d.penyebut, d.capaian,
               d.data_dukung, d.keterangan, d.submission_id, i.urutan
        FROM lppd_data d
        JOIN ikk i ON i.kode_ikk = d.kode_ikk
        JOIN wilayah w ON w.kode = d.kode_wilayah
        WHERE d.tahun = ? AND d.kode_wilayah IN ({codes})
        ORDER BY d.kode_wilayah, i.urutan, d.kode_ikk
        """,
        codes,
        [tahun],
    )
    return db.df(sql, params)


def _kendala(layanan: pd.DataFrame) -> pd.DataFrame:
    """Distinct (urusan, permasalahan, solusi) with the regions and services naming them."""
    cols = ["urusan", "permasalahan", "solusi", "wilayah", "layanan", "jumlah"]
    if layanan.empty:
        return pd.DataFrame(columns=cols)
    rows = layanan[layanan["permasalahan"].notna() & (layanan["permasalahan"].str.strip() != "")]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows.assign(solusi=rows["solusi"].fillna("").str.strip())
    grouped = (
        rows.groupby(["urusan", "permasalahan", "solusi"], sort=True)
        .agg(
            wilayah=("nama_wilayah", lambda s: ", ".join(sorted(set(s)))),
            layanan=("nama_layanan", lambda s: "; ".join(sorted(set(s)))),
            jumlah=("kode_layanan", "size"),
        )
        .reset_index()
    )
    return grouped.sort_values(
        ["urusan", "jumlah", "permasalahan"], ascending=[True, False, True]
    ).reset_index(drop=True)


def _fingerprint(
    frames: dict[str, pd.DataFrame], db: Database
) -> tuple[str, int, dt.datetime | None]:
    ids: set[int] = set()
    digest = hashlib.sha256()
    for name in sorted(frames):
        frame = frames[name]
        digest.update(name.encode())
        if frame is None or frame.empty:
            continue
        if "submission_id" in frame.columns:
            ids.update(int(i) for i in frame["submission_id"].dropna())
        digest.update(frame.to_csv(index=False, float_format="%.10g").encode("utf-8"))
    status = ""
    newest = None
    if ids:
        # The review status of each submission is part of the data version.
        ordered = sorted(ids)
        rows = db.rows(
            f"SELECT id, status FROM submission WHERE id IN ({_placeholders(len(ordered))}) "
            "ORDER BY id",
            ordered,
        )
        status = json.dumps(rows)
        newest = db.scalar(
            f"SELECT max(diunggah_pada) FROM submission "
            f"WHERE id IN ({_placeholders(len(ordered))})",
            ordered,
        )
    digest.update(status.encode())
    max_id = max(ids) if ids else 0
    return f"max_id={max_id};n={len(ids)};sha={digest.hexdigest()[:16]}", len(ids), newest


def collect(
    db: Database,
    tahun: int,
    triwulan: int | None = None,
    region: str | None = None,
    *,
    nasional: bool = False,
) -> ReportData:
    """Everything one report shows, for ``tahun``/``triwulan`` (None: latest with data)."""
    scope = resolve_scope(db, region, nasional=nasional)
    if triwulan is None:
        triwulan = latest_triwulan(db, tahun, scope)
    if triwulan not in (1, 2, 3, 4):
        raise ReportInputError("Triwulan harus 1, 2, 3 atau 4.")
    kab_codes = list(scope.kabkota["kode"])
    prov_codes = [scope.kode_provinsi] if scope.kode_provinsi else []
    urusan_order = [
        r[0]
        for r in db.rows("SELECT urusan FROM layanan GROUP BY urusan ORDER BY min(urutan), urusan")
    ]
    prov_layanan = _layanan(db, prov_codes, tahun, triwulan)
    kab_layanan = _layanan(db, kab_codes, tahun, triwulan)
    if prov_layanan.empty and kab_layanan.empty:
        raise ReportInputError(
            f"Belum ada data SPM {_period_text(tahun, triwulan)} untuk wilayah ini; unggah "
            "data terlebih dahulu atau pilih periode lain."
        )
    prov_urusan = _urusan(db, prov_codes, tahun, triwulan)
    kab_urusan = _urusan(db, kab_codes, tahun, triwulan)
    kab_wilayah = _wilayah(db, scope.kabkota, tahun, triwulan)
    reported = kab_wilayah[kab_wilayah["nilai"].notna()]
    agregat = (
        {
            "nilai": float(reported["nilai"].mean()),
            "jumlah_melapor": int(len(reported)),
            "jumlah_kabkota": int(len(kab_wilayah)),
        }
        if not reported.empty
        else None
    )
    if agregat is not None:
        agregat["kategori"] = db.scalar(
            "SELECT kategori FROM v_kategori WHERE batas_bawah <= round(?, 6) "
            "ORDER BY batas_bawah DESC LIMIT 1",
            [agregat["nilai"]],
        )
    ikk = _ikk(db, kab_codes + prov_codes, tahun)
    data = ReportData(
        scope=scope,
        tahun=tahun,
        triwulan=triwulan,
        urusan=urusan_order,
        provinsi_layanan=prov_layanan,
        provinsi_urusan=prov_urusan,
        provinsi_wilayah=_wilayah_one(db, scope.kode_provinsi, tahun, triwulan)
        if scope.kode_provinsi
        else None,
        provinsi_wilayah_lalu=_wilayah_one(db, scope.kode_provinsi, tahun - 1, triwulan)
        if scope.kode_provinsi
        else None,
        kabkota_layanan=kab_layanan,
        kabkota_urusan=kab_urusan,
        kabkota_wilayah=kab_wilayah,
        agregat_kabkota=agregat,
        kendala=_kendala(pd.concat([prov_layanan, kab_layanan], ignore_index=True)),
        ikk=ikk,
        versi_setting=settings.current_version(db),
        settings=settings.current(db),
    )
    data.versi_data, data.jumlah_pengiriman, data.waktu_data = _fingerprint(
        {
            "provinsi_layanan": prov_layanan,
            "kabkota_layanan": kab_layanan,
            "kabkota_urusan": kab_urusan,
            "provinsi_urusan": prov_urusan,
            "ikk": ikk,
        },
        db,
    )
    return data


def _period_text(tahun: int, triwulan: int) -> str:
    from .fmt import triwulan as tw

    return f"{tw(triwulan)} {tahun}"
