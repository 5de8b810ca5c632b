"""The figures behind the dashboard pages, read from the computation views.

Every number is read from the views in ``pipelines/sql`` (v_spm_layanan, v_spm_urusan,
v_spm_wilayah and, where present, the capaian views); this module only selects,
filters to the served province and shapes rows for the charts. No Streamlit here:
``dashboard/data_dashboards.py`` wraps these functions in caches.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import settings
from .store import Database

# The pseudo-region "the province as the aggregate of its kabupaten/kota".
AGREGAT = "agregat"


@dataclass
class Pilihan:
    """What the filters can offer: periods with data, regions, urusan, category bands."""

    provinsi: str
    nama_provinsi: str
    periode: pd.DataFrame  # tahun, triwulan (SPM periods with data)
    tahun_lppd: list[int]
    wilayah: pd.DataFrame  # kode, nama, tingkat (the province first)
    urusan: list[str]
    kategori: pd.DataFrame  # kategori, batas_bawah, peringkat (1 = best)

    @property
    def tahun(self) -> list[int]:
        return sorted(self.periode["tahun"].unique().tolist(), reverse=True)

    def triwulan(self, tahun: int) -> list[int]:
        rows = self.periode[self.periode["tahun"] == tahun]
        return sorted(rows["triwulan"].astype(int).tolist())

    @property
    def kosong(self) -> bool:
        return self.periode.empty


def pilihan(db: Database) -> Pilihan:
    prov = settings.served_province(db)
    periode = db.df(
        "SELECT DISTINCT d.tahun, d.triwulan FROM spm_data d "
        "JOIN wilayah w ON w.kode = d.kode_wilayah WHERE w.kode_provinsi = ? "
        "ORDER BY d.tahun, d.triwulan",
        [prov],
    )
    tahun_lppd = [
        r[0]
        for r in db.rows(
            "SELECT DISTINCT l.tahun FROM lppd_data l JOIN wilayah w ON w.kode = l.kode_wilayah "
            "WHERE w.kode_provinsi = ? ORDER BY 1 DESC",
            [prov],
        )
    ]
    wilayah = db.df(
        "SELECT kode, nama, tingkat FROM wilayah WHERE kode_provinsi = ? "
        "ORDER BY tingkat = 'kabupaten/kota', kode",
        [prov],
    )
    urusan = [
        r[0] for r in db.rows("SELECT urusan FROM layanan GROUP BY urusan ORDER BY min(urutan)")
    ]
    kategori = db.df("SELECT kategori, batas_bawah, peringkat FROM v_kategori ORDER BY peringkat")
    nama = db.scalar("SELECT nama FROM wilayah WHERE kode = ?", [prov]) or prov
    return Pilihan(prov, nama, periode, tahun_lppd, wilayah, urusan, kategori)


def _kategori_of(db: Database, nilai: float | None) -> str | None:
    if nilai is None or pd.isna(nilai):
        return None
    return db.scalar(
        "SELECT kategori FROM v_kategori WHERE batas_bawah <= round(?, 6) "
        "ORDER BY batas_bawah DESC LIMIT 1",
        [float(nilai)],
    )


# --- Ringkasan ---------------------------------------------------------------------


@dataclass
class IpSpmProvinsi:
    tahun: int
    triwulan: int
    nilai: float | None  # mean of the kabupaten/kota IP-SPM
    kategori: str | None
    nilai_tahun_lalu: float | None
    jumlah_kabkota_dinilai: int
    jumlah_kabkota: int
    nilai_layanan_provinsi: float | None  # the province's own services (IP-SPM of kode prov)
    kategori_layanan_provinsi: str | None

    @property
    def selisih_tahun_lalu(self) -> float | None:
        if self.nilai is None or self.nilai_tahun_lalu is None:
            return None
        return self.nilai - self.nilai_tahun_lalu


def _agregat_kabkota(
    db: Database, prov: str, tahun: int, triwulan: int
) -> tuple[float | None, int]:
    row = db.rows(
        "SELECT avg(v.nilai), count(v.nilai) FROM v_spm_wilayah v "
        "JOIN wilayah w ON w.kode = v.kode_wilayah "
        "WHERE w.kode_provinsi = ? AND w.tingkat = 'kabupaten/kota' AND v.tahun = ? "
        "AND v.triwulan = ?",
        [prov, tahun, triwulan],
    )[0]
    return row[0], int(row[1])


def ip_spm_provinsi(db: Database, tahun: int, triwulan: int) -> IpSpmProvinsi:
    """The province's IP-SPM as the mean of its kabupaten/kota, with last year's value."""
    prov = settings.served_province(db)
    nilai, dinilai = _agregat_kabkota(db, prov, tahun, triwulan)
    lalu, _ = _agregat_kabkota(db, prov, tahun - 1, triwulan)
    sendiri = db.scalar(
        "SELECT nilai FROM v_spm_wilayah WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ?",
        [prov, tahun, triwulan],
    )
    jumlah = db.scalar(
        "SELECT count(*) FROM wilayah WHERE kode_provinsi = ? AND tingkat = 'kabupaten/kota'",
        [prov],
    )
    return IpSpmProvinsi(
        tahun=tahun,
        triwulan=triwulan,
        nilai=nilai,
        kategori=_kategori_of(db, nilai),
        nilai_tahun_lalu=lalu,
        jumlah_kabkota_dinilai=dinilai,
        jumlah_kabkota=int(jumlah or 0),
        nilai_layanan_provinsi=sendiri,
        kategori_layanan_provinsi=_kategori_of(db, sendiri),
    )


def peringkat_wilayah(db: Database, tahun: int, triwulan: int) -> pd.DataFrame:
    """IP-SPM per kabupaten/kota, best first, with the same triwulan of last year;
    regions that have not reported come last with no nilai."""
    prov = settings.served_province(db)
    return db.df(
        """
        SELECT w.kode AS kode_wilayah, w.nama AS nama_wilayah, v.nilai, v.kategori,
               l.nilai AS nilai_tahun_lalu, v.nilai - l.nilai AS selisih_tahun_lalu,
               v.jumlah_urusan_dinilai
        FROM wilayah w
        LEFT JOIN v_spm_wilayah v ON v.kode_wilayah = w.kode AND v.tahun = ? AND v.triwulan = ?
        LEFT JOIN v_spm_wilayah l ON l.kode_wilayah = w.kode AND l.tahun = ? - 1
             AND l.triwulan = ?
        WHERE w.kode_provinsi = ? AND w.tingkat = 'kabupaten/kota'
        ORDER BY v.nilai DESC NULLS LAST, w.kode
        """,
        [tahun, triwulan, tahun, triwulan, prov],
    )


def urusan_per_wilayah(db: Database, tahun: int, triwulan: int) -> pd.DataFrame:
    """Nilai per region x urusan (the province's own services as the region 'Provinsi')."""
    prov = settings.served_province(db)
    return db.df(
        """
        SELECT u.kode_wilayah, u.nama_wilayah, u.tingkat_wilayah, u.urusan, u.nilai,
               coalesce(u.kategori, 'Tidak ada sasaran') AS kategori,
               u.jumlah_layanan, u.jumlah_layanan_dinilai
        FROM v_spm_urusan u JOIN wilayah w ON w.kode = u.kode_wilayah
        WHERE w.kode_provinsi = ? AND u.tahun = ? AND u.triwulan = ?
        ORDER BY u.kode_wilayah, u.urusan
        """,
        [prov, tahun, triwulan],
    )


def tren_tahunan(db: Database, triwulan: int) -> pd.DataFrame:
    """IP-SPM per year at ``triwulan``: each kabupaten/kota and the province aggregate.

    Columns: tahun, kode_wilayah, nama_wilayah, nilai, agregat (True for the province).
    """
    prov = settings.served_province(db)
    per_region = db.df(
        """
        SELECT v.tahun, v.kode_wilayah, v.nama_wilayah, v.nilai, false AS agregat
        FROM v_spm_wilayah v JOIN wilayah w ON w.kode = v.kode_wilayah
        WHERE w.kode_provinsi = ? AND w.tingkat = 'kabupaten/kota' AND v.triwulan = ?
        ORDER BY v.tahun, v.kode_wilayah
        """,
        [prov, triwulan],
    )
    if per_region.empty:
        return per_region
    nama = db.scalar("SELECT nama FROM wilayah WHERE kode = ?", [prov]) or prov
    agg = (
        per_region.groupby("tahun", as_index=False)["nilai"]
        .mean()
        .assign(kode_wilayah=prov, nama_wilayah=f"{nama} (rata-rata kab/kota)", agregat=True)
    )
    return pd.concat([per_region, agg[per_region.columns]], ignore_index=True)


def layanan_tertinggal(db: Database, tahun: int, triwulan: int, n: int = 5) -> pd.DataFrame:
    """The ``n`` services furthest behind across the province (lowest mean nilai over the
    regions that have sasaran), with people still to serve and the estimated cost where
    a unit cost is set (setting ``biaya_satuan``, Rupiah per person)."""
    prov = settings.served_province(db)
    frame = db.df(
        """
        SELECT l.kode_layanan,
               any_value(l.nama_layanan)
                   || CASE WHEN any_value(l.tingkat_wilayah) = 'provinsi' THEN ' (provinsi)'
                           ELSE ' (kab/kota)' END AS nama_layanan,
               any_value(l.urusan) AS urusan, any_value(l.tingkat_wilayah) AS tingkat,
               avg(l.nilai) AS nilai, count(l.nilai) AS jumlah_wilayah,
               sum(l.jumlah_sasaran) AS jumlah_sasaran,
               sum(l.jumlah_terlayani) AS jumlah_terlayani,
               sum(greatest(l.jumlah_sasaran - l.jumlah_terlayani, 0)) AS kurang_terlayani
        FROM v_spm_layanan l JOIN wilayah w ON w.kode = l.kode_wilayah
        WHERE w.kode_provinsi = ? AND l.tahun = ? AND l.triwulan = ? AND l.nilai IS NOT NULL
        GROUP BY l.kode_layanan
        ORDER BY nilai, kurang_terlayani DESC, l.kode_layanan
        LIMIT ?
        """,
        [prov, tahun, triwulan, n],
    )
    biaya = settings.current(db).get("biaya_satuan") or {}
    frame["biaya_satuan"] = frame["kode_layanan"].map(
        lambda k: float(biaya[k]) if k in biaya else None
    )
    frame["perkiraan_biaya"] = frame["kurang_terlayani"] * frame["biaya_satuan"]
    frame["kategori"] = [_kategori_of(db, v) for v in frame["nilai"]]
    return frame


# --- Capaian (analysts) --------------------------------------------------------------


def ip_spm_semua_wilayah(db: Database, tahun: int, triwulan: int) -> pd.DataFrame:
    """IP-SPM of every region of the province (the province's own services included)."""
    prov = settings.served_province(db)
    return db.df(
        """
        SELECT w.kode AS kode_wilayah, w.nama AS nama_wilayah, w.tingkat AS tingkat_wilayah,
               v.nilai, coalesce(v.kategori, 'Belum ada data') AS kategori,
               v.jumlah_urusan_dinilai
        FROM wilayah w
        LEFT JOIN v_spm_wilayah v ON v.kode_wilayah = w.kode AND v.tahun = ? AND v.triwulan = ?
        WHERE w.kode_provinsi = ?
        ORDER BY w.tingkat = 'kabupaten/kota', w.kode
        """,
        [tahun, triwulan, prov],
    )


def capaian_layanan(
    db: Database,
    tahun: int,
    triwulan: int,
    kode_wilayah: str,
    urusan: str | None = None,
) -> pd.DataFrame:
    """Sasaran against terlayani and the nilai per service of one region and period."""
    return db.df(
        """
        SELECT kode_layanan, nama_layanan, urusan, jumlah_sasaran, jumlah_terlayani,
               greatest(jumlah_sasaran - jumlah_terlayani, 0) AS kurang_terlayani,
               capaian_penerima, capaian_mutu, nilai, kategori, status_submission,
               submission_id, anggaran_rencana, anggaran_realisasi
        FROM v_spm_layanan
        WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ?
          AND (CAST(? AS VARCHAR) IS NULL OR urusan = ?)
        ORDER BY urutan_layanan
        """,
        [kode_wilayah, tahun, triwulan, urusan, urusan],
    )


def progres_triwulan(
    db: Database, tahun: int, kode_wilayah: str, kode_layanan: str | None = None
) -> pd.DataFrame:
    """Sasaran and terlayani (cumulative) per triwulan of ``tahun`` with a year-end
    projection. Without ``kode_layanan``: summed over the region's services.

    Projection (labelled as such): terlayani so far / triwulan so far x 4, capped at
    the sasaran — the pace of the year so far held to the end of the year.
    Columns: triwulan, jumlah_sasaran, jumlah_terlayani, capaian_penerima, proyeksi.
    """
    frame = db.df(
        """
        SELECT triwulan, sum(jumlah_sasaran) AS jumlah_sasaran,
               sum(jumlah_terlayani) AS jumlah_terlayani
        FROM v_spm_layanan
        WHERE kode_wilayah = ? AND tahun = ? AND (CAST(? AS VARCHAR) IS NULL OR kode_layanan = ?)
        GROUP BY triwulan ORDER BY triwulan
        """,
        [kode_wilayah, tahun, kode_layanan, kode_layanan],
    )
    frame["capaian_penerima"] = (
        (frame["jumlah_terlayani"] / frame["jumlah_sasaran"].where(frame["jumlah_sasaran"] > 0))
        .clip(upper=1)
        .mul(100)
    )
    frame["proyeksi"] = False
    if not frame.empty and int(frame["triwulan"].max()) < 4:
        last = frame.iloc[-1]
        q = int(last["triwulan"])
        sasaran = float(last["jumlah_sasaran"])
        terlayani = min(float(last["jumlah_terlayani"]) / q * 4, sasaran)
        frame = pd.concat(
            [
                frame,
                pd.DataFrame(
                    [
                        {
                            "triwulan": 4,
                            "jumlah_sasaran": sasaran,
                            "jumlah_terlayani": terlayani,
                            "capaian_penerima": terlayani / sasaran * 100 if sasaran else None,
                            "proyeksi": True,
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    return frame


@dataclass
class Penjelasan:
    """Where one service figure comes from: inputs, formula and the submission."""

    baris: dict
    submission: dict | None
    bobot_penerima: float
    bobot_mutu: float


def penjelasan(
    db: Database, kode_wilayah: str, tahun: int, triwulan: int, kode_layanan: str
) -> Penjelasan | None:
    rows = db.dicts(
        "SELECT * FROM v_spm_layanan WHERE kode_wilayah = ? AND tahun = ? AND triwulan = ? "
        "AND kode_layanan = ?",
        [kode_wilayah, tahun, triwulan, kode_layanan],
    )
    if not rows:
        return None
    row = rows[0]
    sub = db.dicts(
        "SELECT id, form, nama_berkas, sha256, diunggah_oleh, diunggah_pada, status, terlambat "
        "FROM submission WHERE id = ?",
        [row["submission_id"]],
    )
    bobot = db.rows("SELECT bobot_penerima, bobot_mutu FROM v_setting_aktif")[0]
    return Penjelasan(row, sub[0] if sub else None, float(bobot[0]), float(bobot[1]))


# --- Peta ---------------------------------------------------------------------------


def tata_letak_peta(db: Database, layouts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Tile position (kolom, baris) of each kabupaten/kota of the served province.

    ``layouts`` maps a province code to a hand-made table (kode, kolom, baris); regions
    missing from it, or provinces without one, are laid out in code order on a grid
    about as wide as it is tall.
    """
    prov = settings.served_province(db)
    regions = db.df(
        "SELECT kode, nama FROM wilayah WHERE kode_provinsi = ? AND tingkat = 'kabupaten/kota' "
        "ORDER BY kode",
        [prov],
    )
    return susun_tile(regions, layouts.get(prov))


def susun_tile(regions: pd.DataFrame, layout: pd.DataFrame | None) -> pd.DataFrame:
    """Place ``regions`` (kode, nama) on tiles: from ``layout`` where known, else a grid."""
    placed = regions.copy()
    placed["kolom"] = pd.NA
    placed["baris"] = pd.NA
    if layout is not None and not layout.empty:
        pos = layout.set_index("kode")
        known = placed["kode"].isin(pos.index)
        placed.loc[known, "kolom"] = placed.loc[known, "kode"].map(pos["kolom"])
        placed.loc[known, "baris"] = placed.loc[known, "kode"].map(pos["baris"])
    rest = placed["kolom"].isna()
    if rest.any():
        count = int(rest.sum())
        width = max(1, int(round(count**0.5 + 0.49)))
        start = 0 if placed["baris"].isna().all() else int(placed["baris"].max()) + 2
        idx = range(count)
        placed.loc[rest, "kolom"] = [i % width for i in idx]
        placed.loc[rest, "baris"] = [start + i // width for i in idx]
    return placed.astype({"kolom": int, "baris": int})


# --- LPPD ---------------------------------------------------------------------------


def lppd_urusan(db: Database, tahun: int) -> pd.DataFrame:
    """Mean IKK capaian per region x urusan for ``tahun``, with how many IKK were filled."""
    prov = settings.served_province(db)
    return db.df(
        """
        SELECT w.kode AS kode_wilayah, w.nama AS nama_wilayah, i.urusan,
               avg(d.capaian) AS capaian, count(d.capaian) AS ikk_terisi,
               count(*) AS ikk_katalog
        FROM wilayah w CROSS JOIN ikk i
        LEFT JOIN lppd_data d ON d.kode_wilayah = w.kode AND d.kode_ikk = i.kode_ikk
             AND d.tahun = ?
        WHERE w.kode_provinsi = ?
          AND w.kode IN (SELECT kode_wilayah FROM lppd_data WHERE tahun = ?)
        GROUP BY ALL ORDER BY w.kode, min(i.urutan)
        """,
        [tahun, prov, tahun],
    )


def lppd_kelengkapan(db: Database, tahun: int) -> pd.DataFrame:
    """Per region: IKK in the catalog, IKK filled, IKK with data dukung (and %)."""
    prov = settings.served_province(db)
    frame = db.df(
        """
        SELECT w.kode AS kode_wilayah, w.nama AS nama_wilayah,
               (SELECT count(*) FROM ikk) AS ikk_katalog,
               count(d.capaian) AS ikk_terisi,
               count(d.capaian) FILTER (WHERE nullif(trim(d.data_dukung), '') IS NOT NULL)
                   AS ikk_data_dukung
        FROM wilayah w
        LEFT JOIN lppd_data d ON d.kode_wilayah = w.kode AND d.tahun = ?
        WHERE w.kode_provinsi = ?
        GROUP BY ALL ORDER BY w.kode
        """,
        [tahun, prov],
    )
    katalog = frame["ikk_katalog"].where(frame["ikk_katalog"] > 0)
    frame["persen_terisi"] = frame["ikk_terisi"] / katalog * 100
    frame["persen_data_dukung"] = frame["ikk_data_dukung"] / katalog * 100
    return frame


def lppd_ikk(db: Database, tahun: int, kode_ikk: str) -> pd.DataFrame:
    """One IKK across the regions of the province in ``tahun`` (comparison)."""
    prov = settings.served_province(db)
    return db.df(
        """
        SELECT w.kode AS kode_wilayah, w.nama AS nama_wilayah, d.pembilang, d.penyebut,
               d.capaian, d.data_dukung
        FROM wilayah w
        JOIN lppd_data d ON d.kode_wilayah = w.kode AND d.tahun = ? AND d.kode_ikk = ?
        WHERE w.kode_provinsi = ?
        ORDER BY d.capaian DESC NULLS LAST, w.kode
        """,
        [tahun, kode_ikk, prov],
    )


def lppd_daftar_ikk(db: Database) -> pd.DataFrame:
    return db.df("SELECT kode_ikk, urusan, nama, satuan FROM ikk ORDER BY urutan")


def lppd_tren(db: Database) -> pd.DataFrame:
    """Mean IKK capaian per region and year."""
    prov = settings.served_province(db)
    return db.df(
        """
        SELECT d.tahun, w.kode AS kode_wilayah, w.nama AS nama_wilayah,
               avg(d.capaian) AS capaian
        FROM lppd_data d JOIN wilayah w ON w.kode = d.kode_wilayah
        WHERE w.kode_provinsi = ?
        GROUP BY ALL ORDER BY d.tahun, w.kode
        """,
        [prov],
    )


# --- Kelengkapan ----------------------------------------------------------------------


def kelengkapan_periode(db: Database, tahun: int, triwulan: int) -> pd.DataFrame:
    """Reports expected and received for one triwulan, per SPM form.

    Expected: every kabupaten/kota (spm-kabkota) and every OPD that runs a provincial
    service (spm-provinsi). Received: a submission that is not a draft; late when the
    submission is marked late. Columns: form, diharapkan, diterima, tepat_waktu,
    terlambat, belum, persen_diterima, persen_tepat_waktu.
    """
    prov = settings.served_province(db)
    frame = db.df(
        """
        WITH expected AS (
            SELECT 'spm-kabkota' AS form, kode AS kode_wilayah, '' AS kode_opd FROM wilayah
            WHERE kode_provinsi = ? AND tingkat = 'kabupaten/kota'
            UNION ALL
            SELECT DISTINCT 'spm-provinsi', ?, kode_opd FROM layanan
            WHERE tingkat = 'provinsi' AND kode_opd IS NOT NULL
        ),
        received AS (
            SELECT form, kode_wilayah, coalesce(kode_opd, '') AS kode_opd, bool_or(terlambat) AS terlambat
            FROM submission
            WHERE tahun = ? AND triwulan = ? AND status <> 'draf'
            GROUP BY ALL
        )
        SELECT e.form, count(*) AS diharapkan, count(r.form) AS diterima,
               count(r.form) FILTER (WHERE NOT r.terlambat) AS tepat_waktu,
               count(r.form) FILTER (WHERE r.terlambat) AS terlambat
        FROM expected e LEFT JOIN received r USING (form, kode_wilayah, kode_opd)
        GROUP BY e.form ORDER BY e.form
        """,
        [prov, prov, tahun, triwulan],
    )
    frame["belum"] = frame["diharapkan"] - frame["diterima"]
    frame["persen_diterima"] = frame["diterima"] / frame["diharapkan"] * 100
    frame["persen_tepat_waktu"] = frame["tepat_waktu"] / frame["diharapkan"] * 100
    return frame
