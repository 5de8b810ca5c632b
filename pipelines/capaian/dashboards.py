"""The figures behind the dashboard pages, read through :mod:`pipelines.capaian.query`.

Every number comes from the computation views in ``pipelines/db/sql`` (the capaian,
aggregate, projection and LPPD views); ``query`` reads them and keeps the rows the
``actor`` may see, and this module only picks columns, filters to the served
province and shapes rows for the charts. No Streamlit here:
``dashboard/data_dashboards.py`` wraps these functions in caches.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.capaian import labels, query, status_data
from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA, RATA_KABKOTA_TERTIMBANG
from pipelines.core import fmt, reference, settings
from pipelines.db.store import Database

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


def pilihan(db: Database, actor: Actor | None = None) -> Pilihan:
    """Periods, regions (those ``actor`` may pick), urusan and category bands."""
    prov = settings.served_province(db)
    in_province, params = reference.dalam_provinsi(prov)
    periode = db.df(
        f"SELECT DISTINCT tahun, triwulan FROM spm_data WHERE {in_province} "
        "ORDER BY tahun, triwulan",
        params,
    )
    own = _periode_sendiri(db, actor)
    if own is not None:  # an uploader picks among the periods it has data for
        periode = own
    tahun_lppd = [
        r[0]
        for r in db.rows(
            f"SELECT DISTINCT tahun FROM lppd_data WHERE {in_province} ORDER BY 1 DESC", params
        )
    ]
    wilayah = reference.wilayah_provinsi(db, prov)
    kategori = db.df("SELECT kategori, batas_bawah, peringkat FROM v_kategori ORDER BY peringkat")
    regions = access.scope(
        db, wilayah.rename(columns={"kode": "kode_wilayah"}), actor, picker=True
    ).rename(columns={"kode_wilayah": "kode"})
    return Pilihan(
        prov,
        reference.nama_wilayah(db, prov),
        periode,
        tahun_lppd,
        regions,
        reference.urusan(db),
        kategori,
    )


def _periode_sendiri(db: Database, actor: Actor | None) -> pd.DataFrame | None:
    """The SPM periods an uploader has data for (its region, or its OPD's services),
    oldest first; None for everyone else (they see the whole province)."""
    if actor is None or actor.role not in ("pengunggah_kabkota", "pengunggah_opd"):
        return None
    if actor.role == "pengunggah_kabkota":
        sql = "SELECT DISTINCT tahun, triwulan FROM spm_data WHERE kode_wilayah = ?"
        params = [actor.kode_wilayah]
    else:
        sql = (
            "SELECT DISTINCT d.tahun, d.triwulan FROM spm_data d JOIN layanan l "
            "ON l.kode = d.kode_layanan WHERE l.kode_opd = ? AND l.tingkat = 'provinsi'"
        )
        params = [actor.kode_opd]
    return db.df(sql + " ORDER BY tahun, triwulan", params)


# --- Province-wide base frames --------------------------------------------------------
# One read per level for the whole served province (all periods), through the capaian
# API (pipelines.capaian.query, the views of pipelines/db/sql/030_capaian.sql): the
# filters then only select rows, so changing year or triwulan costs no query.

# The view columns the pages use (as named in the views), each region's periods together.
_WILAYAH_COLUMNS = (
    "kode_wilayah, nama_wilayah, tingkat_wilayah, tahun, triwulan, nilai, kategori, "
    "jumlah_urusan_dinilai, nilai_tahun_lalu, selisih_tahun_lalu, nilai_triwulan_lalu, "
    "selisih_triwulan_lalu, kurang_terlayani, perkiraan_biaya, status_submission, "
    "sel_terisi, sel_wajib, keterisian"
)
_URUSAN_COLUMNS = (
    "kode_wilayah, nama_wilayah, tingkat_wilayah, tahun, triwulan, urusan, nilai, kategori, "
    "jumlah_layanan, jumlah_layanan_dinilai, selisih_tahun_lalu, kurang_terlayani, "
    "perkiraan_biaya, status_submission"
)
_LAYANAN_COLUMNS = (
    "kode_wilayah, nama_wilayah, tingkat_wilayah, tahun, triwulan, kode_layanan, "
    "nama_layanan, urusan, urutan_layanan, jumlah_sasaran, jumlah_terlayani, "
    "kurang_terlayani, capaian_penerima, capaian_mutu, nilai, kategori, tanpa_sasaran, "
    "selisih_tahun_lalu, biaya_satuan, perkiraan_biaya, status_submission, submission_id, "
    "anggaran_rencana, anggaran_realisasi, opd_pengampu"
)
_BY_REGION = "kode_wilayah, tahun, triwulan"


def _province_wide(
    db: Database, level: str, columns: str, order_by: str, actor: Actor | None
) -> pd.DataFrame:
    return query.capaian(
        db,
        level=level,
        provinsi=settings.served_province(db),
        columns=columns,
        order_by=order_by,
        actor=actor,
    )


def spm_wilayah(db: Database, actor: Actor | None = None) -> pd.DataFrame:
    """v_capaian_wilayah rows (IP-SPM, change, gap) of the province's regions, all periods."""
    return _province_wide(db, "wilayah", _WILAYAH_COLUMNS, _BY_REGION, actor)


def spm_urusan(db: Database, actor: Actor | None = None) -> pd.DataFrame:
    """v_capaian_urusan rows of the province's regions, all periods."""
    return _province_wide(db, "urusan", _URUSAN_COLUMNS, f"{_BY_REGION}, urusan", actor)


def spm_layanan(db: Database, actor: Actor | None = None) -> pd.DataFrame:
    """v_capaian_layanan rows of the province's regions, all periods."""
    return _province_wide(db, "layanan", _LAYANAN_COLUMNS, f"{_BY_REGION}, urutan_layanan", actor)


def provinsi(db: Database, actor: Actor | None = None) -> pd.DataFrame:
    """The province aggregate per period (query.agregat_provinsi: mean of the
    kabupaten/kota, the sasaran-weighted variant and the province's own services)."""
    return query.agregat_provinsi(db, actor=actor)


def proyeksi_layanan(
    db: Database, tahun: int, triwulan: int, kode_wilayah: str, actor: Actor | None = None
) -> pd.DataFrame:
    """The year-end projection per service of one region from ``triwulan``
    (query.proyeksi, v_proyeksi_layanan)."""
    return query.proyeksi(db, tahun, triwulan, kode_wilayah, level="layanan", actor=actor)


def _periode(frame: pd.DataFrame, tahun: int, triwulan: int) -> pd.DataFrame:
    return frame[(frame["tahun"] == tahun) & (frame["triwulan"] == triwulan)]


def _none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# --- Ringkasan ---------------------------------------------------------------------


@dataclass
class IpSpmProvinsi:
    tahun: int
    triwulan: int
    nilai: float | None  # mean of the kabupaten/kota IP-SPM
    kategori: str | None
    nilai_tahun_lalu: float | None
    nilai_tertimbang: float | None  # the sasaran-weighted variant
    kategori_tertimbang: str | None
    jumlah_kabkota_dinilai: int
    jumlah_kabkota: int
    nilai_layanan_provinsi: float | None  # the province's own services
    kategori_layanan_provinsi: str | None
    versi_setting: int | None = None

    @property
    def selisih_tahun_lalu(self) -> float | None:
        if self.nilai is None or self.nilai_tahun_lalu is None:
            return None
        return self.nilai - self.nilai_tahun_lalu


def ip_spm_provinsi(agregat: pd.DataFrame, tahun: int, triwulan: int) -> IpSpmProvinsi:
    """The province's figures for one period from :func:`provinsi` (the aggregate view),
    with the same triwulan of last year."""
    now = _periode(agregat, tahun, triwulan)
    before = _periode(agregat, tahun - 1, triwulan)
    row = now.iloc[0] if len(now) else None

    def get(col: str):
        return None if row is None else row[col]

    return IpSpmProvinsi(
        tahun=tahun,
        triwulan=triwulan,
        nilai=_none(get("nilai_rata_rata_kabkota")),
        kategori=get("kategori_rata_rata_kabkota") if row is not None else None,
        nilai_tahun_lalu=_none(before["nilai_rata_rata_kabkota"].iloc[0]) if len(before) else None,
        nilai_tertimbang=_none(get("nilai_tertimbang_sasaran")),
        kategori_tertimbang=get("kategori_tertimbang_sasaran"),
        jumlah_kabkota_dinilai=int(get("jumlah_kabkota_dinilai") or 0),
        jumlah_kabkota=int(get("jumlah_kabkota") or 0),
        nilai_layanan_provinsi=_none(get("nilai_provinsi")),
        kategori_layanan_provinsi=get("kategori_provinsi"),
        versi_setting=None
        if row is None or pd.isna(row["versi_setting"])
        else int(row["versi_setting"]),
    )


def _unverified(status: pd.Series) -> pd.Series:
    """True where a figure rests on data that is neither diverifikasi nor final."""
    return status.notna() & ~status.isin(status_data.VERIFIED)


def status_periode(
    pil: Pilihan, layanan: pd.DataFrame, tahun: int, triwulan: int
) -> status_data.StatusData:
    """How much of the data behind the period's figures is not yet verified."""
    kirim = status_data.kiriman(_periode(layanan, tahun, triwulan), kode_provinsi=pil.provinsi)
    return status_data.status_data(kirim, pil.provinsi)


def ringkasan_provinsi(
    pil: Pilihan, prov: IpSpmProvinsi, status: status_data.StatusData
) -> pd.DataFrame:
    """The Ringkasan's figures as one row named as in the reports (labels.RINGKASAN_COLUMNS)."""
    return labels.ringkasan_frame(
        {
            "kode_provinsi": pil.provinsi,
            "nama_provinsi": pil.nama_provinsi,
            "tahun": prov.tahun,
            "triwulan": prov.triwulan,
            IP_SPM_PEMPROV.kolom: prov.nilai_layanan_provinsi,
            IP_SPM_PEMPROV.kolom_kategori: prov.kategori_layanan_provinsi,
            RATA_KABKOTA.kolom: prov.nilai,
            RATA_KABKOTA.kolom_kategori: prov.kategori,
            RATA_KABKOTA_TERTIMBANG.kolom: prov.nilai_tertimbang,
            RATA_KABKOTA_TERTIMBANG.kolom_kategori: prov.kategori_tertimbang,
            "jumlah_kabkota": prov.jumlah_kabkota,
            "jumlah_kabkota_melapor": status.kabkota_melapor,
            "jumlah_kabkota_belum_diverifikasi": len(status.kabkota_belum),
            "jumlah_kiriman_provinsi": status.kiriman_provinsi,
            "jumlah_kiriman_provinsi_belum_diverifikasi": len(status.provinsi_belum),
            "versi_setting": prov.versi_setting,
        }
    )


def peringkat_wilayah(
    pil: Pilihan, wilayah: pd.DataFrame, tahun: int, triwulan: int
) -> pd.DataFrame:
    """IP-SPM per kabupaten/kota, best first, with the change against the same triwulan
    of last year; regions that have not reported come last with no nilai. The province
    is never among them: its own figure has its own name (labels.IP_SPM_PEMPROV).
    ``belum_diverifikasi``: the figure rests on data not yet verified."""
    regions = pil.wilayah.rename(
        columns={"kode": "kode_wilayah", "nama": "nama_wilayah", "tingkat": "tingkat_wilayah"}
    )
    regions = regions[regions["tingkat_wilayah"] == "kabupaten/kota"]
    now = _periode(wilayah, tahun, triwulan)[
        [
            "kode_wilayah",
            "nilai",
            "kategori",
            "nilai_tahun_lalu",
            "selisih_tahun_lalu",
            "jumlah_urusan_dinilai",
            "status_submission",
            "keterisian",
        ]
    ]
    out = regions.merge(now, on="kode_wilayah", how="left")
    out = out.sort_values(["nilai", "kode_wilayah"], ascending=[False, True], na_position="last")
    out["belum_diverifikasi"] = _unverified(out["status_submission"])
    return out.reset_index(drop=True)


def ip_spm_wilayah(
    wilayah: pd.DataFrame, tahun: int, triwulan: int, kode_wilayah: str
) -> dict | None:
    """One region's IP-SPM row of the period (nilai, kategori, status_submission and its
    keterisian: sel_terisi of sel_wajib), or None."""
    rows = _periode(wilayah, tahun, triwulan)
    rows = rows[rows["kode_wilayah"] == kode_wilayah]
    if rows.empty:
        return None
    columns = ["nilai", "kategori", "status_submission", "keterisian", "sel_terisi", "sel_wajib"]
    return rows.iloc[0][columns].to_dict()


def urusan_per_wilayah(urusan: pd.DataFrame, tahun: int, triwulan: int) -> pd.DataFrame:
    """Nilai per region x urusan: the kabupaten/kota, then the province's own services
    as the last row, named as such (labels.nama_pemprov), never mixed among them."""
    out = _periode(urusan, tahun, triwulan).copy()
    out["kategori"] = out["kategori"].fillna("Tidak ada sasaran")
    own = out["tingkat_wilayah"] == "provinsi"
    out.loc[own, "nama_wilayah"] = labels.nama_pemprov()
    out["belum_diverifikasi"] = _unverified(out["status_submission"])
    out = pd.concat([out[~own], out[own]])
    return out.reset_index(drop=True)


def tren_tahunan(
    pil: Pilihan, wilayah: pd.DataFrame, agregat: pd.DataFrame, triwulan: int
) -> pd.DataFrame:
    """IP-SPM per year at ``triwulan``: each kabupaten/kota and the province aggregate.

    Columns: tahun, kode_wilayah, nama_wilayah, nilai, agregat (True for the province).
    """
    kab = wilayah[
        (wilayah["tingkat_wilayah"] == "kabupaten/kota") & (wilayah["triwulan"] == triwulan)
    ][["tahun", "kode_wilayah", "nama_wilayah", "nilai"]].assign(agregat=False)
    agg = agregat[agregat["triwulan"] == triwulan]
    agg = pd.DataFrame(
        {
            "tahun": agg["tahun"],
            "kode_wilayah": pil.provinsi,
            "nama_wilayah": RATA_KABKOTA.nama,
            "nilai": agg["nilai_rata_rata_kabkota"],
            "agregat": True,
        }
    )
    agg = agg[agg["nilai"].notna()]
    return pd.concat([kab, agg], ignore_index=True)


def layanan_tertinggal(
    layanan: pd.DataFrame, tahun: int, triwulan: int, n: int = 5
) -> pd.DataFrame:
    """The ``n`` region x service figures furthest behind in the province, in the order
    of query.kebutuhan(terbesar=n): lowest capaian penerima first, then most people
    still to serve; with the estimated cost where a unit cost is set."""
    rows = _periode(layanan, tahun, triwulan)
    rows = rows[~rows["tanpa_sasaran"].fillna(False).astype(bool) & rows["nilai"].notna()]
    rows = rows.sort_values(
        ["capaian_penerima", "kurang_terlayani"], ascending=[True, False], na_position="last"
    ).head(n)
    rows = rows.assign(
        belum_diverifikasi=_unverified(rows["status_submission"]),
        nama_layanan=[  # region first: long service names are cut on the axis
            f"{wilayah.replace('Kabupaten ', 'Kab. ')} — {layanan}"
            for layanan, wilayah in zip(rows["nama_layanan"], rows["nama_wilayah"], strict=True)
        ],
    )
    return rows.reset_index(drop=True)


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
    layanan: pd.DataFrame,
    proyeksi: pd.DataFrame | None,
    tahun: int,
    kode_wilayah: str,
    kode_layanan: str | None = None,
) -> pd.DataFrame:
    """Sasaran and terlayani (cumulative) per triwulan of ``tahun``, summed over the
    region's services unless ``kode_layanan``; when the year is not complete, one more
    row with the year-end projection (``proyeksi``: v_proyeksi_layanan rows of the last
    triwulan reported, column proyeksi_terlayani; labelled as a projection).
    Columns: triwulan, jumlah_sasaran, jumlah_terlayani, proyeksi, metode_proyeksi.
    """
    rows = layanan[(layanan["kode_wilayah"] == kode_wilayah) & (layanan["tahun"] == tahun)]
    if kode_layanan is not None:
        rows = rows[rows["kode_layanan"] == kode_layanan]
    frame = (
        rows.groupby("triwulan", as_index=False)[["jumlah_sasaran", "jumlah_terlayani"]]
        .sum()
        .astype({"jumlah_sasaran": float, "jumlah_terlayani": float})
    )
    frame["proyeksi"] = False
    frame["metode_proyeksi"] = None
    if frame.empty or int(frame["triwulan"].max()) == 4 or proyeksi is None or proyeksi.empty:
        return frame
    proj = proyeksi
    if kode_layanan is not None:
        proj = proj[proj["kode_layanan"] == kode_layanan]
    if proj.empty:
        return frame
    metode = sorted(set(proj["metode_proyeksi"].dropna()))
    projected = {
        "triwulan": 4,
        "jumlah_sasaran": float(proj["jumlah_sasaran"].sum()),
        "jumlah_terlayani": float(proj["proyeksi_terlayani"].sum()),
        "proyeksi": True,
        "metode_proyeksi": ", ".join(metode),
    }
    return pd.concat([frame, pd.DataFrame([projected])], ignore_index=True)


# --- Peta ---------------------------------------------------------------------------


def peta(pil: Pilihan, wilayah: pd.DataFrame, tahun: int, triwulan: int) -> pd.DataFrame:
    """Each kabupaten/kota of the served province (kode, nama) with its IP-SPM, category
    and change, and ``di_peta``: whether the shipped boundaries have its shape."""
    regions = pil.wilayah[pil.wilayah["tingkat"] == "kabupaten/kota"][["kode", "nama"]]
    nilai = peringkat_wilayah(pil, wilayah, tahun, triwulan)
    out = (
        regions.sort_values("kode")
        .merge(
            nilai[
                ["kode_wilayah", "nilai", "kategori", "selisih_tahun_lalu", "belum_diverifikasi"]
            ],
            left_on="kode",
            right_on="kode_wilayah",
            how="left",
        )
        .drop(columns="kode_wilayah")
        .reset_index(drop=True)
    )
    out["di_peta"] = out["kode"].isin(list(reference.bentuk_kabkota(pil.provinsi)))
    return out


# --- LPPD ---------------------------------------------------------------------------
# From the capaian API's LPPD views: v_lppd_ikk (capaian per region x IKK x year, by the
# IKK's cara_hitung) and v_lppd_kelengkapan (IKK filled / with data dukung).


def lppd_ikk_semua(db: Database, actor: Actor | None = None) -> pd.DataFrame:
    """v_lppd_ikk rows of the served province and its kabupaten/kota, every year."""
    return query.lppd_capaian(db, provinsi=settings.served_province(db), actor=actor)


def lppd_kelengkapan_semua(db: Database, actor: Actor | None = None) -> pd.DataFrame:
    """v_lppd_kelengkapan rows of the served province and its kabupaten/kota, every year."""
    return query.lppd_kelengkapan(db, actor=actor)


def lppd_urusan(ikk: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """Mean IKK capaian per region x urusan in ``tahun`` (IKK without capaian left out),
    with how many IKK were filled. Columns: kode_wilayah, nama_wilayah, urusan, capaian,
    ikk_terisi, ikk_dilaporkan."""
    rows = ikk[ikk["tahun"] == tahun]
    if rows.empty:
        return pd.DataFrame(
            columns=["kode_wilayah", "nama_wilayah", "urusan", "capaian", "ikk_terisi"]
        )
    order = rows.groupby("urusan")["urutan_ikk"].min().sort_values().index.tolist()
    out = (
        rows.groupby(["kode_wilayah", "nama_wilayah", "urusan"], as_index=False)
        .agg(capaian=("capaian", "mean"), ikk_terisi=("capaian", "count"))
        .assign(_urut=lambda d: d["urusan"].map({u: i for i, u in enumerate(order)}))
        .sort_values(["kode_wilayah", "_urut"])
        .drop(columns="_urut")
    )
    return out.reset_index(drop=True)


def lppd_kelengkapan(kelengkapan: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """One year of :func:`lppd_kelengkapan_semua` (regions that sent nothing included)."""
    return kelengkapan[kelengkapan["tahun"] == tahun].reset_index(drop=True)


def lppd_banding(ikk: pd.DataFrame, tahun: int, kode_ikk: str) -> pd.DataFrame:
    """One IKK across the regions in ``tahun``, best first."""
    rows = ikk[(ikk["tahun"] == tahun) & (ikk["kode_ikk"] == kode_ikk)]
    cols = ["kode_wilayah", "nama_wilayah", "pembilang", "penyebut", "capaian", "data_dukung"]
    return rows.sort_values("capaian", ascending=False, na_position="last")[cols].reset_index(
        drop=True
    )


def lppd_daftar_ikk(db: Database) -> pd.DataFrame:
    return db.df("SELECT kode_ikk, urusan, nama, satuan FROM ikk ORDER BY urutan")


def lppd_tren(ikk: pd.DataFrame) -> pd.DataFrame:
    """Mean IKK capaian per region and year."""
    if ikk.empty:
        return pd.DataFrame(columns=["tahun", "kode_wilayah", "nama_wilayah", "capaian"])
    return (
        ikk.groupby(["tahun", "kode_wilayah", "nama_wilayah"], as_index=False)["capaian"]
        .mean()
        .sort_values(["tahun", "kode_wilayah"])
        .reset_index(drop=True)
    )


# --- Kelengkapan ----------------------------------------------------------------------


def kelengkapan_per_unit(ringkasan: pd.DataFrame, label: str) -> pd.DataFrame:
    """Counts of completeness.ringkasan_kelengkapan summed over forms per unit (``label``:
    nama_wilayah or nama_opd), named ``nama`` for the chart, in the given order.

    Per region, the provincial SPM form is left out: it is sent once per OPD (six
    reports where a kabupaten/kota sends one), so it is counted per OPD instead and
    one axis never mixes the two."""
    cols = ["diharapkan", "diterima", "tepat_waktu", "terlambat_perpanjangan", "terlambat"]
    cols.append("belum")
    if label == "nama_wilayah" and "form" in ringkasan.columns:
        ringkasan = ringkasan[ringkasan["form"] != "spm-provinsi"]
    return (
        ringkasan.groupby(label, as_index=False, sort=False)[cols]
        .sum()
        .rename(columns={label: "nama"})
    )


def tabel_kelengkapan(rinci: pd.DataFrame) -> pd.DataFrame:
    """completeness.kelengkapan rows as the page shows them (Indonesian dates and labels):
    who reports (the region, or the OPD for the provincial form), the original deadline
    (timeliness is judged against it) and the status beside it, which names an exception."""
    from pipelines.core.forms import FORM_LABELS

    def periode(tahun, triwulan) -> str:
        return f"{fmt.triwulan(None if pd.isna(triwulan) else int(triwulan))} {int(tahun)}"

    return pd.DataFrame(
        {
            "Formulir": rinci["form"].map(FORM_LABELS),
            "Pelapor": [
                wilayah if opd is None or pd.isna(opd) else opd
                for wilayah, opd in zip(rinci["nama_wilayah"], rinci["nama_opd"], strict=True)
            ],
            "Periode": [
                periode(t, q) for t, q in zip(rinci["tahun"], rinci["triwulan"], strict=True)
            ],
            "Batas waktu": [fmt.tanggal(d) for d in rinci["batas_resmi"]],
            "Status": rinci["keterangan_kirim"],
            "Diunggah": ["–" if pd.isna(v) else fmt.waktu(v) for v in rinci["diunggah_pada"]],
            labels.KETERISIAN: [labels.keterisian_persen(v) for v in rinci["keterisian"]],
        }
    )
