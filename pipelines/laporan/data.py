"""What a report shows, read from the computation views (never recomputed here).

:func:`collect` gathers, for one province (or a set of kabupaten/kota) and one period,
every figure the report writers need: the province's own services, urusan and IP-SPM,
its kabupaten/kota per urusan with ranking and the change against the same triwulan
of the previous year, the services of each kabupaten/kota, the kendala and solusi
written in the submissions, and the LPPD IKK of the year. All numbers come from the
capaian API (:mod:`pipelines.capaian`: ``v_capaian_layanan``, ``v_capaian_urusan``,
``v_capaian_wilayah``, ``v_capaian_provinsi(_urusan)``, ``v_lppd_ikk``,
``v_lppd_kelengkapan``); the writers only format them.

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

from pipelines.capaian import awards, labels, status_data
from pipelines.capaian import query as capaian
from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA, RATA_KABKOTA_TERTIMBANG
from pipelines.capaian.status_data import KIRIMAN_COLUMNS
from pipelines.core import fmt, reference, settings
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.pelayanan import skm

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
    "kurang_terlayani",
    "capaian_penerima",
    "capaian_mutu",
    "nilai",
    "kategori",
    "nilai_tahun_lalu",
    "selisih_tahun_lalu",
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
    kabkota: pd.DataFrame  # kode, nama, kode_provinsi (kabupaten/kota covered, by code)
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
    provinsi_wilayah: dict | None  # nilai, kategori, nilai_lalu, selisih: own IP-SPM
    kabkota_layanan: pd.DataFrame  # LAYANAN_COLUMNS for every kabupaten/kota covered
    kabkota_urusan: pd.DataFrame  # URUSAN_COLUMNS (nilai_lalu: same triwulan, a year earlier)
    kabkota_wilayah: pd.DataFrame  # kode, nama, nilai, kategori, peringkat, nilai_lalu, selisih
    agregat_kabkota: dict | None  # v_capaian_provinsi: mean IP-SPM of kab/kota that reported
    agregat_urusan: pd.DataFrame  # urusan, nilai, kategori: mean of the kab/kota per urusan
    kendala: pd.DataFrame  # urusan, permasalahan, solusi, wilayah, layanan
    ikk: pd.DataFrame  # v_lppd_ikk rows of the year
    ikk_kelengkapan: pd.DataFrame  # v_lppd_kelengkapan of the year
    versi_setting: int | None
    settings: dict
    versi_data: str = ""
    jumlah_pengiriman: int = 0
    waktu_data: dt.datetime | None = None  # newest upload behind the figures
    sumber: dict = field(default_factory=dict)
    # The submissions behind the figures (status_data.KIRIMAN_COLUMNS).
    kiriman: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=KIRIMAN_COLUMNS))
    skm: pd.DataFrame = field(default_factory=pd.DataFrame)  # v_skm_unit of the year
    skm_tanpa_survei: pd.DataFrame = field(default_factory=pd.DataFrame)  # kode, nama
    # SPM Awards readiness of the province's kabupaten/kota (awards.COLUMNS + EXTRA),
    # data up to the report's triwulan, and which of it is not yet verified.
    awards: pd.DataFrame = field(default_factory=pd.DataFrame)
    awards_catatan: str | None = None

    @property
    def periode(self) -> str:
        return _period_text(self.tahun, self.triwulan)

    @property
    def label_versi_data(self) -> str:
        """The data version for people: 'Data per 20 Januari 2026 09.37, 11 berkas' (the
        exact fingerprint, :attr:`versi_data`, stays in the record and the manifest)."""
        return label_versi_data(self.waktu_data, self.jumlah_pengiriman)

    @property
    def belum_diverifikasi(self) -> pd.DataFrame:
        """The submissions behind the figures that are neither diverifikasi nor final."""
        return status_data.belum_diverifikasi(self.kiriman)

    @property
    def status(self) -> status_data.StatusData:
        """How much of the data behind the figures is not yet verified."""
        return status_data.status_data(self.kiriman, self.scope.kode_provinsi or "")

    def ringkasan_provinsi(self) -> pd.DataFrame:
        """The province's figures as one row named as everywhere (labels.RINGKASAN_COLUMNS)."""
        pw = self.provinsi_wilayah or {}
        ag = self.agregat_kabkota or {}
        st = self.status
        return labels.ringkasan_frame(
            {
                "kode_provinsi": self.scope.kode_provinsi,
                "nama_provinsi": self.scope.nama_provinsi,
                "tahun": self.tahun,
                "triwulan": self.triwulan,
                IP_SPM_PEMPROV.kolom: pw.get("nilai"),
                IP_SPM_PEMPROV.kolom_kategori: pw.get("kategori"),
                RATA_KABKOTA.kolom: ag.get("nilai"),
                RATA_KABKOTA.kolom_kategori: ag.get("kategori"),
                RATA_KABKOTA_TERTIMBANG.kolom: ag.get("nilai_tertimbang"),
                RATA_KABKOTA_TERTIMBANG.kolom_kategori: ag.get("kategori_tertimbang"),
                "jumlah_kabkota": len(self.kabkota_wilayah),
                "jumlah_kabkota_melapor": int(self.kabkota_wilayah["melapor"].sum()),
                "jumlah_kabkota_belum_diverifikasi": len(st.kabkota_belum),
                "jumlah_kiriman_provinsi": st.kiriman_provinsi,
                "jumlah_kiriman_provinsi_belum_diverifikasi": len(st.provinsi_belum),
                "versi_setting": self.versi_setting,
            }
        )

    def catatan_status(self) -> list[str]:
        """Lines for the report saying which data is not yet verified ([] when all is)."""
        bad = self.belum_diverifikasi
        if bad.empty:
            return []
        return [
            f"Data belum diverifikasi: {fmt.angka(len(bad))} dari "
            f"{fmt.angka(len(self.kiriman))} berkas di balik angka laporan ini masih dapat "
            "berubah.",
            *(status_data.uraian_kiriman(r) for r in bad.itertuples(index=False)),
        ]


def label_versi_data(waktu: dt.datetime | None, jumlah: int | None) -> str:
    """'Data per 20 Januari 2026 09.37, 11 berkas'."""
    if not jumlah:
        return "Belum ada data"
    return f"Data per {fmt.waktu(waktu)}, {fmt.angka(jumlah)} berkas"


def resolve_scope(db: Database, region: str | None, *, nasional: bool = False) -> Scope:
    """The province package (``region`` None or a province code), one kabupaten/kota,
    or every kabupaten/kota in the country (``nasional``, for the national rekap)."""
    if nasional:
        kab = reference.kabkota(db, "*")[["kode", "nama", "kode_provinsi"]]
        return Scope(None, None, kab, None, "rekap-kabkota")
    code = (region or settings.served_province(db)).strip()
    w = reference.wilayah(db, code)
    if w is None:
        raise ReportInputError(
            f"Kode wilayah '{code}' tidak dikenal; gunakan kode Kemendagri, misalnya 19 atau 19.01."
        )
    if w["tingkat"] == "provinsi":
        kab = reference.kabkota(db, code)[["kode", "nama"]].assign(kode_provinsi=code)
        return Scope(code, w["nama"], kab, code, "laporan-spm-provinsi")
    kab = pd.DataFrame(
        {"kode": [w["kode"]], "nama": [w["nama"]], "kode_provinsi": [w["kode_provinsi"]]}
    )
    province = reference.wilayah(db, w["kode_provinsi"])
    return Scope(None, province["nama"] if province else None, kab, w["kode"], "rekap-kabkota")


def latest_triwulan(db: Database, tahun: int, scope: Scope) -> int:
    """The latest triwulan of ``tahun`` with any SPM data in the scope."""
    own = [scope.kode_provinsi] if scope.kode_provinsi else []
    codes = [*scope.kabkota["kode"], *own]
    provinces = sorted({*scope.kabkota["kode_provinsi"], *own})
    periods = [capaian.periode_tersedia(db, p) for p in provinces]
    quarters = [
        int(q)
        for frame in periods
        for q in frame.loc[
            (frame["tahun"] == tahun) & frame["kode_wilayah"].isin(codes), "triwulan"
        ]
    ]
    if not quarters:
        raise ReportInputError(
            f"Belum ada data SPM tahun {tahun} untuk wilayah ini; unggah data terlebih dahulu "
            "atau pilih tahun lain."
        )
    return max(quarters)


# DuckDB's parallel sums may differ in the last bits between runs; figures are rounded
# far below what any report shows so that the same data always gives the same bytes.
STABLE_DECIMALS = 9


def _stable(frame: pd.DataFrame) -> pd.DataFrame:
    floats = frame.select_dtypes(include=["float"]).columns
    if len(floats):
        frame = frame.copy()
        frame[floats] = frame[floats].round(STABLE_DECIMALS)
    return frame


def _in(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    return frame[frame["kode_wilayah"].isin(codes)].reset_index(drop=True)


def _regions(scope: Scope) -> dict[str, str | None]:
    """How the capaian API is asked for the scope's regions: a province with its
    kabupaten/kota, one region, or (both None) every region."""
    if scope.kode_provinsi is not None:
        return {"kode_wilayah": None, "provinsi": scope.kode_provinsi}
    return {"kode_wilayah": scope.kode_wilayah, "provinsi": None}


def _figures(db: Database, level: str, scope: Scope, tahun: int, triwulan: int) -> pd.DataFrame:
    """One level of the capaian API for every region of the scope (province first)."""
    return _stable(capaian.capaian(db, tahun, triwulan, level=level, **_regions(scope)))


def _layanan(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    if not codes or frame.empty:
        return pd.DataFrame(columns=LAYANAN_COLUMNS)
    rows = _in(frame, codes)
    return (
        rows[LAYANAN_COLUMNS]
        .sort_values(["kode_wilayah", "urutan_layanan"], kind="mergesort")
        .reset_index(drop=True)
    )


URUSAN_COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "urusan",
    "nilai",
    "kategori",
    "jumlah_layanan",
    "jumlah_layanan_dinilai",
    "nilai_lalu",
    "selisih_tahun_lalu",
]


def _urusan(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    if not codes or frame.empty:
        return pd.DataFrame(columns=URUSAN_COLUMNS)
    rows = _in(frame, codes).rename(columns={"nilai_tahun_lalu": "nilai_lalu"})
    return rows[URUSAN_COLUMNS].sort_values(["kode_wilayah", "urusan"]).reset_index(drop=True)


def _wilayah(frame: pd.DataFrame, kab: pd.DataFrame) -> pd.DataFrame:
    """Every kabupaten/kota covered, reported or not, with its IP-SPM and rank."""
    cols = [
        *["kode", "nama", "nilai", "kategori", "peringkat", "nilai_lalu", "selisih", "melapor"],
        "keterisian",
    ]
    if kab.empty:
        return pd.DataFrame(columns=cols)
    source = [
        *["kode_wilayah", "nilai", "kategori", "nilai_tahun_lalu", "selisih_tahun_lalu"],
        "keterisian",
    ]
    figures = frame[source] if not frame.empty else pd.DataFrame(columns=source)
    out = kab[["kode", "nama"]].merge(
        figures.rename(
            columns={
                "kode_wilayah": "kode",
                "nilai_tahun_lalu": "nilai_lalu",
                "selisih_tahun_lalu": "selisih",
            }
        ),
        on="kode",
        how="left",
        indicator=True,
    )
    out["melapor"] = out.pop("_merge") == "both"
    nilai = pd.to_numeric(out["nilai"], errors="coerce")
    # Ranking: highest IP-SPM first; equal values share a rank; no nilai, no rank.
    out["peringkat"] = nilai.rank(method="min", ascending=False)
    return out[cols].sort_values("kode").reset_index(drop=True)


def _wilayah_one(frame: pd.DataFrame, code: str) -> dict | None:
    rows = frame[frame["kode_wilayah"] == code] if not frame.empty else frame
    if rows.empty:
        return None
    r = rows.iloc[0]
    return {
        "nilai": r["nilai"],
        "kategori": r["kategori"],
        "nilai_lalu": r["nilai_tahun_lalu"],
        "selisih": r["selisih_tahun_lalu"],
        "jumlah_urusan": r["jumlah_urusan"],
        "jumlah_urusan_dinilai": r["jumlah_urusan_dinilai"],
    }


def _ikk(db: Database, scope: Scope, tahun: int) -> pd.DataFrame:
    frame = capaian.lppd_capaian(db, tahun, **_regions(scope))
    return _stable(
        frame.sort_values(["kode_wilayah", "urutan_ikk", "kode_ikk"], kind="mergesort")
    ).reset_index(drop=True)


def _kelengkapan(db: Database, scope: Scope, tahun: int) -> pd.DataFrame:
    if scope.kode_provinsi is None and scope.kode_wilayah is None:
        return pd.DataFrame()  # the national rekap has no LPPD completeness
    frame = capaian.lppd_kelengkapan(db, tahun, **_regions(scope))
    return _stable(frame.sort_values("kode_wilayah")).reset_index(drop=True)


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


SUBMISSION_FIELDS = ["submission_id", "status_submission", "diunggah_pada"]


def _behind(*frames: pd.DataFrame) -> pd.DataFrame:
    """The submission behind each row of ``frames`` (SUBMISSION_FIELDS)."""
    parts = [frame[SUBMISSION_FIELDS] for frame in frames if not frame.empty]
    return pd.concat(parts) if parts else pd.DataFrame(columns=SUBMISSION_FIELDS)


def _fingerprint(
    frames: dict[str, pd.DataFrame], submissions: pd.DataFrame
) -> tuple[str, int, dt.datetime | None]:
    """The data version of ``frames``: a SHA-256 of their rows and of the review status
    of the submissions behind them (``submissions``: their ``submission_id,
    status_submission, diunggah_pada``), with the newest upload among those."""
    digest = hashlib.sha256()
    for name in sorted(frames):
        frame = frames[name]
        digest.update(name.encode())
        if frame is None or frame.empty:
            continue
        digest.update(frame.to_csv(index=False, float_format="%.10g").encode("utf-8"))
    subs = (
        submissions.dropna(subset=["submission_id"])
        .drop_duplicates("submission_id")
        .sort_values("submission_id")
    )
    ids = [int(i) for i in subs["submission_id"]]
    status = ""
    newest = None
    if ids:
        # The review status of each submission is part of the data version.
        status = json.dumps([[i, s] for i, s in zip(ids, subs["status_submission"], strict=True)])
        newest = pd.Timestamp(subs["diunggah_pada"].max()).to_pydatetime()
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
    preview: bool = False,
) -> ReportData:
    """Everything one report shows, for ``tahun``/``triwulan`` (None: latest with data).

    ``preview=True`` leaves out what only the report's own sheets hold: the SKM results
    and the SPM Awards scores, and with them the exact data version (``versi_data`` is
    empty: it covers the SKM answers). Everything else is the report's, the label of the
    data version (newest upload, number of files) included."""
    scope = resolve_scope(db, region, nasional=nasional)
    if triwulan is None:
        triwulan = latest_triwulan(db, tahun, scope)
    if triwulan not in (1, 2, 3, 4):
        raise ReportInputError("Triwulan harus 1, 2, 3 atau 4.")
    kab_codes = list(scope.kabkota["kode"])
    prov_codes = [scope.kode_provinsi] if scope.kode_provinsi else []
    urusan_order = reference.urusan(db)
    layanan = _figures(db, "layanan", scope, tahun, triwulan)
    prov_layanan = _layanan(layanan, prov_codes)
    kab_layanan = _layanan(layanan, kab_codes)
    if prov_layanan.empty and kab_layanan.empty:
        raise ReportInputError(
            f"Belum ada data SPM {_period_text(tahun, triwulan)} untuk wilayah ini; unggah "
            "data terlebih dahulu atau pilih periode lain."
        )
    urusan = _figures(db, "urusan", scope, tahun, triwulan)
    wilayah = _figures(db, "wilayah", scope, tahun, triwulan)
    prov_urusan = _urusan(urusan, prov_codes)
    kab_urusan = _urusan(urusan, kab_codes)
    kab_wilayah = _wilayah(_in(wilayah, kab_codes), scope.kabkota)
    agregat = None
    agregat_urusan = pd.DataFrame(columns=["urusan", "nilai", "kategori"])
    if scope.kode_provinsi is not None:
        rows = _stable(capaian.agregat_provinsi(db, tahun, triwulan, scope.kode_provinsi))
        if not rows.empty and pd.notna(rows.iloc[0]["nilai_rata_rata_kabkota"]):
            r = rows.iloc[0]
            agregat = {
                "nilai": float(r["nilai_rata_rata_kabkota"]),
                "kategori": r["kategori_rata_rata_kabkota"],
                "nilai_tertimbang": r["nilai_tertimbang_sasaran"],
                "kategori_tertimbang": r["kategori_tertimbang_sasaran"],
                "jumlah_melapor": int(r["jumlah_kabkota_melapor"]),
                "jumlah_kabkota": int(r["jumlah_kabkota"]),
            }
        per_urusan = _stable(
            capaian.agregat_provinsi(db, tahun, triwulan, scope.kode_provinsi, per_urusan=True)
        )
        if not per_urusan.empty:
            agregat_urusan = per_urusan.rename(
                columns={
                    "nilai_rata_rata_kabkota": "nilai",
                    "kategori_rata_rata_kabkota": "kategori",
                }
            )[["urusan", "nilai", "kategori"]]
    ikk = _ikk(db, scope, tahun)
    data = ReportData(
        scope=scope,
        tahun=tahun,
        triwulan=triwulan,
        urusan=urusan_order,
        provinsi_layanan=prov_layanan,
        provinsi_urusan=prov_urusan,
        provinsi_wilayah=_wilayah_one(wilayah, scope.kode_provinsi)
        if scope.kode_provinsi
        else None,
        kabkota_layanan=kab_layanan,
        kabkota_urusan=kab_urusan,
        kabkota_wilayah=kab_wilayah,
        agregat_kabkota=agregat,
        agregat_urusan=agregat_urusan,
        kendala=_kendala(pd.concat([prov_layanan, kab_layanan], ignore_index=True)),
        ikk=ikk,
        ikk_kelengkapan=_kelengkapan(db, scope, tahun),
        versi_setting=capaian.versi_setting(db),
        settings=settings.current(db),
    )
    behind = _in(layanan, prov_codes + kab_codes)
    inputs = {
        "provinsi_layanan": prov_layanan,
        "kabkota_layanan": kab_layanan,
        "kabkota_urusan": kab_urusan,
        "provinsi_urusan": prov_urusan,
        "ikk": ikk,
    }
    if scope.kode_provinsi is not None and not preview:
        _skm(db, data)
        _awards(db, data)
        if not data.skm.empty:
            inputs["skm"] = data.skm  # (a report without SKM keeps its earlier data version)
    data.versi_data, data.jumlah_pengiriman, data.waktu_data = _fingerprint(
        {} if preview else inputs,  # the count and newest upload come from the files
        _behind(behind, ikk),
    )
    if preview:
        data.versi_data = ""
    data.kiriman = status_data.kiriman(behind, ikk, kode_provinsi=scope.kode_provinsi)
    return data


def _skm(db: Database, data: ReportData) -> None:
    """The SKM results of the report's year for the province's units, and those without."""
    units = skm.units_in_province(db)
    every_year = capaian.skm_hasil(db)  # read once: the year's results and the latest survey
    results = every_year[every_year["tahun"] == data.tahun].reset_index(drop=True)
    weakest = skm.weakest(capaian.skm_unsur(db, data.tahun))
    results = results.merge(
        weakest[["kode_unit", "nomor_unsur", "nama_unsur"]].rename(
            columns={"nomor_unsur": "unsur_terlemah", "nama_unsur": "nama_unsur_terlemah"}
        ),
        on="kode_unit",
        how="left",
    )
    data.skm = _stable(results[results["kode_unit"].isin(units["kode"])].reset_index(drop=True))
    data.skm_tanpa_survei = skm.units_without_survey(units, every_year, data.tahun)[
        ["kode", "nama"]
    ]


def _awards(db: Database, data: ReportData) -> None:
    """The SPM Awards scores of the served province's kabupaten/kota for the report's
    year, from its data up to the report's triwulan (none for another province)."""
    if data.scope.kode_provinsi != settings.served_province(db):
        return
    result = awards.skor(db, None, data.tahun, sampai_triwulan=data.triwulan)
    data.awards = _stable(result.skor)
    data.awards_catatan = result.catatan_status()


def _period_text(tahun: int, triwulan: int) -> str:
    return f"{fmt.triwulan(triwulan)} {tahun}"
