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
        "SELECT DISTINCT tahun, triwulan FROM spm_data "
        "WHERE kode_wilayah = ? OR kode_wilayah LIKE ? || '.%' ORDER BY tahun, triwulan",
        [prov, prov],
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


# --- Province-wide base frames --------------------------------------------------------
# One read per view for the whole served province (all periods): the filters then only
# select rows, so changing year or triwulan costs no query. The region filter is a
# prefix on the Kemendagri code ('19' and '19.xx'), which DuckDB pushes into the views.

PROVINSI_SAJA = "(kode_wilayah = ? OR kode_wilayah LIKE ? || '.%')"


def spm_wilayah(db: Database) -> pd.DataFrame:
    """v_spm_wilayah rows (the IP-SPM) of every region of the province, every period."""
    prov = settings.served_province(db)
    return db.df(
        f"SELECT kode_wilayah, nama_wilayah, tingkat_wilayah, tahun, triwulan, nilai, "
        f"kategori, jumlah_urusan_dinilai FROM v_spm_wilayah WHERE {PROVINSI_SAJA} "
        "ORDER BY kode_wilayah, tahun, triwulan",
        [prov, prov],
    )


def spm_urusan(db: Database) -> pd.DataFrame:
    """v_spm_urusan rows of every region of the province, every period."""
    prov = settings.served_province(db)
    return db.df(
        f"SELECT kode_wilayah, nama_wilayah, tingkat_wilayah, tahun, triwulan, urusan, nilai, "
        f"kategori, jumlah_layanan, jumlah_layanan_dinilai FROM v_spm_urusan "
        f"WHERE {PROVINSI_SAJA} ORDER BY kode_wilayah, tahun, triwulan, urusan",
        [prov, prov],
    )


def spm_layanan(db: Database) -> pd.DataFrame:
    """v_spm_layanan rows of every region of the province, every period."""
    prov = settings.served_province(db)
    return db.df(
        f"""
        SELECT kode_wilayah, nama_wilayah, tingkat_wilayah, tahun, triwulan, kode_layanan,
               nama_layanan, urusan, urutan_layanan, jumlah_sasaran, jumlah_terlayani,
               greatest(jumlah_sasaran - jumlah_terlayani, 0) AS kurang_terlayani,
               capaian_penerima, capaian_mutu, nilai, kategori, status_submission,
               submission_id, anggaran_rencana, anggaran_realisasi
        FROM v_spm_layanan WHERE {PROVINSI_SAJA}
        ORDER BY kode_wilayah, tahun, triwulan, urutan_layanan
        """,
        [prov, prov],
    )


def kategori_dari(bands: pd.DataFrame, nilai: float | None) -> str | None:
    """The band of ``nilai`` under ``bands`` (v_kategori: kategori, batas_bawah): the
    highest lower bound not above it, as in the views."""
    if nilai is None or pd.isna(nilai) or bands.empty:
        return None
    fits = bands[bands["batas_bawah"] <= round(float(nilai), 6)]
    if fits.empty:
        return None
    return str(fits.sort_values("batas_bawah").iloc[-1]["kategori"])


def _periode(frame: pd.DataFrame, tahun: int, triwulan: int) -> pd.DataFrame:
    return frame[(frame["tahun"] == tahun) & (frame["triwulan"] == triwulan)]


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


def _none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def ip_spm_provinsi(
    pil: Pilihan, wilayah: pd.DataFrame, tahun: int, triwulan: int
) -> IpSpmProvinsi:
    """The province's IP-SPM as the mean of its kabupaten/kota, with last year's value.

    ``wilayah`` is :func:`spm_wilayah`.
    """
    kab = wilayah[wilayah["tingkat_wilayah"] == "kabupaten/kota"]
    now = _periode(kab, tahun, triwulan)["nilai"]
    before = _periode(kab, tahun - 1, triwulan)["nilai"]
    nilai = _none(now.mean()) if now.notna().any() else None
    lalu = _none(before.mean()) if before.notna().any() else None
    own = _periode(wilayah[wilayah["kode_wilayah"] == pil.provinsi], tahun, triwulan)["nilai"]
    sendiri = _none(own.iloc[0]) if len(own) else None
    return IpSpmProvinsi(
        tahun=tahun,
        triwulan=triwulan,
        nilai=nilai,
        kategori=kategori_dari(pil.kategori, nilai),
        nilai_tahun_lalu=lalu,
        jumlah_kabkota_dinilai=int(now.notna().sum()),
        jumlah_kabkota=int((pil.wilayah["tingkat"] == "kabupaten/kota").sum()),
        nilai_layanan_provinsi=sendiri,
        kategori_layanan_provinsi=kategori_dari(pil.kategori, sendiri),
    )


def peringkat_wilayah(
    pil: Pilihan, wilayah: pd.DataFrame, tahun: int, triwulan: int, kabkota_saja: bool = True
) -> pd.DataFrame:
    """IP-SPM per region, best first, with the same triwulan of last year; regions that
    have not reported come last with no nilai. Columns: kode_wilayah, nama_wilayah,
    tingkat_wilayah, nilai, kategori, nilai_tahun_lalu, selisih_tahun_lalu,
    jumlah_urusan_dinilai."""
    regions = pil.wilayah.rename(
        columns={"kode": "kode_wilayah", "nama": "nama_wilayah", "tingkat": "tingkat_wilayah"}
    )
    if kabkota_saja:
        regions = regions[regions["tingkat_wilayah"] == "kabupaten/kota"]
    now = _periode(wilayah, tahun, triwulan)[
        ["kode_wilayah", "nilai", "kategori", "jumlah_urusan_dinilai"]
    ]
    before = _periode(wilayah, tahun - 1, triwulan)[["kode_wilayah", "nilai"]].rename(
        columns={"nilai": "nilai_tahun_lalu"}
    )
    out = regions.merge(now, on="kode_wilayah", how="left").merge(
        before, on="kode_wilayah", how="left"
    )
    out["selisih_tahun_lalu"] = out["nilai"] - out["nilai_tahun_lalu"]
    out = out.sort_values(["nilai", "kode_wilayah"], ascending=[False, True], na_position="last")
    return out.reset_index(drop=True)


def urusan_per_wilayah(urusan: pd.DataFrame, tahun: int, triwulan: int) -> pd.DataFrame:
    """Nilai per region x urusan (the province's own services as one more region)."""
    out = _periode(urusan, tahun, triwulan).copy()
    out["kategori"] = out["kategori"].fillna("Tidak ada sasaran")
    return out.reset_index(drop=True)


def tren_tahunan(pil: Pilihan, wilayah: pd.DataFrame, triwulan: int) -> pd.DataFrame:
    """IP-SPM per year at ``triwulan``: each kabupaten/kota and the province aggregate.

    Columns: tahun, kode_wilayah, nama_wilayah, nilai, agregat (True for the province).
    """
    kab = wilayah[
        (wilayah["tingkat_wilayah"] == "kabupaten/kota") & (wilayah["triwulan"] == triwulan)
    ][["tahun", "kode_wilayah", "nama_wilayah", "nilai"]].assign(agregat=False)
    if kab.empty:
        return kab.reset_index(drop=True)
    agg = (
        kab.groupby("tahun", as_index=False)["nilai"]
        .mean()
        .assign(
            kode_wilayah=pil.provinsi,
            nama_wilayah=f"{pil.nama_provinsi} (rata-rata kab/kota)",
            agregat=True,
        )
    )
    return pd.concat([kab, agg[kab.columns]], ignore_index=True)


def layanan_tertinggal(
    pil: Pilihan, layanan: pd.DataFrame, biaya_satuan: dict, tahun: int, triwulan: int, n: int = 5
) -> pd.DataFrame:
    """The ``n`` services furthest behind across the province (lowest mean nilai over the
    regions that have sasaran), with people still to serve and the estimated cost where
    a unit cost is set (setting ``biaya_satuan``, Rupiah per person)."""
    rows = _periode(layanan, tahun, triwulan)
    rows = rows[rows["nilai"].notna()]
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "kode_layanan",
                "nama_layanan",
                "urusan",
                "tingkat",
                "nilai",
                "jumlah_wilayah",
                "jumlah_sasaran",
                "jumlah_terlayani",
                "kurang_terlayani",
                "biaya_satuan",
                "perkiraan_biaya",
                "kategori",
            ]
        )
    frame = (
        rows.groupby("kode_layanan")
        .agg(
            nama_layanan=("nama_layanan", "first"),
            urusan=("urusan", "first"),
            tingkat=("tingkat_wilayah", "first"),
            nilai=("nilai", "mean"),
            jumlah_wilayah=("nilai", "count"),
            jumlah_sasaran=("jumlah_sasaran", "sum"),
            jumlah_terlayani=("jumlah_terlayani", "sum"),
            kurang_terlayani=("kurang_terlayani", "sum"),
        )
        .reset_index()
    )
    frame["nama_layanan"] = frame["nama_layanan"] + frame["tingkat"].map(
        lambda t: " (provinsi)" if t == "provinsi" else " (kab/kota)"
    )
    frame = frame.sort_values(
        ["nilai", "kurang_terlayani", "kode_layanan"], ascending=[True, False, True]
    ).head(n)
    frame["biaya_satuan"] = frame["kode_layanan"].map(
        lambda k: float(biaya_satuan[k]) if k in biaya_satuan else None
    )
    frame["perkiraan_biaya"] = frame["kurang_terlayani"] * frame["biaya_satuan"]
    frame["kategori"] = [kategori_dari(pil.kategori, v) for v in frame["nilai"]]
    return frame.reset_index(drop=True)


# --- Capaian (analysts) --------------------------------------------------------------


def capaian_layanan(
    layanan: pd.DataFrame,
    tahun: int,
    triwulan: int,
    kode_wilayah: str,
    urusan: str | None = None,
) -> pd.DataFrame:
    """Sasaran against terlayani and the nilai per service of one region and period."""
    rows = _periode(layanan, tahun, triwulan)
    rows = rows[rows["kode_wilayah"] == kode_wilayah]
    if urusan is not None:
        rows = rows[rows["urusan"] == urusan]
    return rows.sort_values("urutan_layanan").reset_index(drop=True)


def progres_triwulan(
    layanan: pd.DataFrame, tahun: int, kode_wilayah: str, kode_layanan: str | None = None
) -> pd.DataFrame:
    """Sasaran and terlayani (cumulative) per triwulan of ``tahun`` with a year-end
    projection. Without ``kode_layanan``: summed over the region's services.

    Projection (labelled as such): terlayani so far / triwulan so far x 4, capped at
    the sasaran — the pace of the year so far held to the end of the year.
    Columns: triwulan, jumlah_sasaran, jumlah_terlayani, capaian_penerima, proyeksi.
    """
    rows = layanan[(layanan["kode_wilayah"] == kode_wilayah) & (layanan["tahun"] == tahun)]
    if kode_layanan is not None:
        rows = rows[rows["kode_layanan"] == kode_layanan]
    frame = (
        rows.groupby("triwulan", as_index=False)[["jumlah_sasaran", "jumlah_terlayani"]]
        .sum()
        .astype({"jumlah_sasaran": float, "jumlah_terlayani": float})
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
        projected = {
            "triwulan": 4,
            "jumlah_sasaran": sasaran,
            "jumlah_terlayani": terlayani,
            "capaian_penerima": terlayani / sasaran * 100 if sasaran else None,
            "proyeksi": True,
        }
        frame = pd.concat([frame, pd.DataFrame([projected])], ignore_index=True)
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


def tata_letak_peta(pil: Pilihan, layouts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Tile position (kolom, baris) of each kabupaten/kota of the served province.

    ``layouts`` maps a province code to a hand-made table (kode, kolom, baris); regions
    missing from it, or provinces without one, are laid out in code order on a grid
    about as wide as it is tall.
    """
    regions = pil.wilayah[pil.wilayah["tingkat"] == "kabupaten/kota"][["kode", "nama"]]
    return susun_tile(regions.sort_values("kode").reset_index(drop=True), layouts.get(pil.provinsi))


def peta(pil: Pilihan, wilayah: pd.DataFrame, layouts: dict, tahun: int, triwulan: int):
    """Tiles (kode, nama, kolom, baris) with the IP-SPM, category and change of each region."""
    tiles = tata_letak_peta(pil, layouts)
    nilai = peringkat_wilayah(pil, wilayah, tahun, triwulan)
    return tiles.merge(
        nilai[["kode_wilayah", "nilai", "kategori", "selisih_tahun_lalu"]],
        left_on="kode",
        right_on="kode_wilayah",
        how="left",
    ).drop(columns="kode_wilayah")


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
