"""SPM and LPPD achievement: the one API the app, the CLI and the reports read.

Every figure is computed by the SQL views in ``pipelines/db/sql`` (``020_spm.sql`` for
capaian, nilai and kategori per service, urusan and region; ``030_capaian.sql`` for
change, gap, province aggregate, projection and LPPD). The SPM figures are read from
the tables holding the views' results (``m_*``, refreshed with every change of their
data: :mod:`pipelines.capaian.materi`); this module only selects from them, so a number
is computed in exactly one place. The method is the one in
``shared/reference/domain.md``, with weights and category bands from the settings in
force; each row carries ``versi_setting`` and the ``status_submission`` it rests on.

A region or period without a submission has no row: missing is missing, never 0.

Every reader takes the ``actor`` it reads for and returns only the rows that person
may see (``access.scope``); asking for a region outside their scope is refused. The
app and the CLI (``spm --as``) pass their actor, so both apply the same rule here.
``actor=None`` is the library itself (reports, exports): every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.core import reference, settings
from pipelines.db.store import Database
from pipelines.errors import DatabaseError, NotInitialised, SpmError
from pipelines.pelayanan import unit as pelayanan_unit

LEVELS = ("layanan", "urusan", "wilayah")

# Columns of each level as the CLI and exports show them (all are view columns): the
# region and period, the level's own figures, then change, gap and provenance.
_REGION_PERIOD = ["kode_wilayah", "nama_wilayah", "tahun", "triwulan"]
_CHANGE_GAP_SOURCE = [
    *["selisih_tahun_lalu", "selisih_triwulan_lalu", "kurang_terlayani", "perkiraan_biaya"],
    *["status_submission", "versi_setting"],
]
COLUMNS: dict[str, list[str]] = {
    "layanan": [
        *_REGION_PERIOD,
        *["urusan", "kode_layanan", "capaian_penerima", "capaian_mutu", "nilai", "kategori"],
        *["nama_layanan", "jumlah_sasaran", "jumlah_terlayani", "tanpa_sasaran"],
        *_CHANGE_GAP_SOURCE,
    ],
    "urusan": [
        *_REGION_PERIOD,
        *["urusan", "nilai", "kategori", "jumlah_layanan", "jumlah_layanan_dinilai"],
        *_CHANGE_GAP_SOURCE,
    ],
    "wilayah": [
        *_REGION_PERIOD,
        *["nilai", "kategori", "jumlah_urusan", "jumlah_urusan_dinilai", "keterisian"],
        *_CHANGE_GAP_SOURCE,
    ],
}

# The tables holding v_capaian_layanan/urusan/wilayah (materi.py).
_TABLES = {
    "layanan": "m_capaian_layanan",
    "urusan": "m_capaian_urusan",
    "wilayah": "m_capaian_wilayah",
}
_ORDER = {
    "layanan": "tahun, triwulan, kode_wilayah, urutan_layanan",
    "urusan": "tahun, triwulan, kode_wilayah, urusan",
    "wilayah": "tahun, triwulan, kode_wilayah",
}
_PROJECTION_TABLES = {
    "layanan": "m_proyeksi_layanan",
    "urusan": "m_proyeksi_urusan",
    "wilayah": "m_proyeksi_wilayah",
}


def check_period(tahun: int | None, triwulan: int | None) -> None:
    """Refuse (SpmError) a triwulan outside 1-4 or an implausible year."""
    if triwulan is not None and triwulan not in (1, 2, 3, 4):
        raise SpmError(f"Triwulan {triwulan} tidak ada; pilih 1, 2, 3 atau 4.")
    if tahun is not None and not 2000 <= int(tahun) <= 2100:
        raise SpmError(f"Tahun {tahun} tidak masuk akal; tulis misalnya 2025.")


def check_region_known(db: Database, *codes: str | None) -> None:
    """Refuse (SpmError) a region or province code that is not in the Kemendagri list:
    an unknown region is a mistake to say, not an empty answer."""
    for code in codes:
        if code is not None and reference.wilayah(db, code) is None:
            raise SpmError(
                f"Kode wilayah '{code}' tidak dikenal; gunakan kode Kemendagri, misalnya 19 "
                "(provinsi) atau 19.01 (kabupaten/kota)."
            )


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
        condition, more = reference.dalam_provinsi(provinsi, region_column)
        clauses.append(condition)
        params += more
    return " AND ".join(clauses), params


def _names(names: str) -> str:
    """``names`` (comma-separated view column names) for a SELECT or ORDER BY list;
    anything but plain names is refused, so no value ever reaches the SQL text."""
    bad = [n for n in names.split(",") if not n.strip().isidentifier()]
    if bad:
        raise ValueError(f"not view column names: {bad}")
    return names


def _read(
    db: Database,
    source: str,
    order: str,
    actor: Actor | None,
    *,
    tahun: int | None = None,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    provinsi: str | None = None,
    region_column: str = "kode_wilayah",
    args: Sequence[Any] = (),
    columns: str = "*",
    condition: str = "",
    limit: int | None = None,
) -> pd.DataFrame:
    """``SELECT columns FROM source`` (a table or view, or a table macro taking ``args``) for a
    period and a region or province, in ``order``: the rows ``actor`` may see."""
    where, params = _where(tahun, triwulan, kode_wilayah, provinsi, region_column=region_column)
    sql = f"SELECT {columns} FROM {source} WHERE {where}{condition} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    try:
        frame = db.df(sql, [*args, *params])
    except DatabaseError:
        if source.startswith("m_") and not db.table_exists(source):
            raise NotInitialised(
                f"Basis data {db.path.name} belum punya tabel angka versi program ini; buka "
                "sekali untuk menulis (masuk ke aplikasi, atau jalankan 'spm recompute') agar "
                "angkanya disiapkan."
            ) from None
        raise
    return access.scope(db, frame, actor)


def capaian(
    db: Database,
    tahun: int | None = None,
    triwulan: int | None = None,
    kode_wilayah: str | None = None,
    level: str = "layanan",
    *,
    provinsi: str | None = None,
    columns: str | None = None,
    order_by: str | None = None,
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
    kabupaten/kota. All view columns are returned unless ``columns`` names some
    (comma-separated; ``COLUMNS[level]`` are the main ones); rows come by period, then
    region, unless ``order_by`` names the view columns to order by.
    """
    _check_level(level)
    check_period(tahun, triwulan)
    check_region_known(db, kode_wilayah, provinsi)
    access.check_region(db, actor, kode_wilayah)
    return _read(
        db,
        _TABLES[level],
        _names(order_by) if order_by else _ORDER[level],
        actor,
        tahun=tahun,
        triwulan=triwulan,
        kode_wilayah=kode_wilayah,
        provinsi=provinsi,
        columns=_names(columns) if columns else "*",
    )


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
    check_period(tahun, triwulan)
    check_region_known(db, kode_provinsi)
    return _read(
        db,
        "m_capaian_provinsi_urusan" if per_urusan else "m_capaian_provinsi",
        "tahun, triwulan" + (", urusan" if per_urusan else ""),
        actor,
        tahun=tahun,
        triwulan=triwulan,
        kode_wilayah=kode_provinsi or settings.served_province(db),
        region_column="kode_provinsi",
    )


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
    check_period(tahun, triwulan)
    check_region_known(db, kode_wilayah, provinsi)
    access.check_region(db, actor, kode_wilayah)
    cols = (
        "kode_wilayah, nama_wilayah, tahun, triwulan, urusan, kode_layanan, nama_layanan, "
        "jumlah_sasaran, jumlah_terlayani, capaian_penerima, capaian_mutu, nilai, kategori, "
        "kurang_terlayani, mutu_barang_jasa_kebutuhan, mutu_barang_jasa_tersedia, "
        "kekurangan_mutu_barang_jasa, mutu_sdm_kebutuhan, mutu_sdm_tersedia, "
        "kekurangan_mutu_sdm, biaya_satuan, perkiraan_biaya, anggaran_rencana, "
        "anggaran_realisasi, status_submission, versi_setting"
    )
    furthest_behind = "capaian_penerima ASC NULLS LAST, kurang_terlayani DESC"
    return _read(
        db,
        "m_capaian_layanan",
        _ORDER["layanan"] if terbesar is None else furthest_behind,
        actor,
        tahun=int(tahun),
        triwulan=triwulan,
        kode_wilayah=kode_wilayah,
        provinsi=provinsi,
        columns=cols,
        condition=" AND NOT tanpa_sasaran",
        limit=terbesar,
    )


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
    check_period(tahun, triwulan)
    check_region_known(db, kode_wilayah, provinsi)
    access.check_region(db, actor, kode_wilayah)
    return _read(
        db,
        _PROJECTION_TABLES[level],
        _ORDER[level],
        actor,
        tahun=tahun,
        triwulan=triwulan,
        kode_wilayah=kode_wilayah,
        provinsi=provinsi,
    )


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
    return _lppd(
        db, "v_lppd_ikk", "tahun, kode_wilayah, urutan_ikk", tahun, kode_wilayah, provinsi, actor
    )


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
    if kode_wilayah is None and provinsi is None:
        provinsi = settings.served_province(db)
    return _lppd(
        db, "v_lppd_kelengkapan", "tahun, kode_wilayah", tahun, kode_wilayah, provinsi, actor
    )


def _lppd(
    db: Database,
    view: str,
    order: str,
    tahun: int | None,
    kode_wilayah: str | None,
    provinsi: str | None,
    actor: Actor | None,
) -> pd.DataFrame:
    access.require(actor, "lppd")
    check_period(tahun, None)
    check_region_known(db, kode_wilayah, provinsi)
    access.check_region(db, actor, kode_wilayah)
    return _read(db, view, order, actor, tahun=tahun, kode_wilayah=kode_wilayah, provinsi=provinsi)


# -- Survei Kepuasan Masyarakat (v_skm_unit, pipelines/db/sql/090_skm.sql) ----------------
SKM_COLUMNS = [
    "kode_unit",
    "nama_unit",
    "tahun",
    "jumlah_responden",
    *[f"nrr_u{i}" for i in range(1, 10)],
    "ikm",
    "mutu",
    "kinerja",
]


def skm_hasil(
    db: Database, tahun: int | None = None, *, actor: Actor | None = None
) -> pd.DataFrame:
    """IKM per unit and year (``v_skm_unit``): respondents, NRR per unsur, IKM, mutu and
    kinerja (:data:`SKM_COLUMNS` first, then ``jumlah_jawaban, tanggal_awal,
    tanggal_akhir, bobot_unsur, versi_setting``), for the units ``actor`` may see."""
    check_period(tahun, None)
    frame = db.df(
        "SELECT * FROM v_skm_unit WHERE ? IS NULL OR tahun = ? ORDER BY tahun, kode_unit",
        [tahun, tahun],
    )
    return _skm_scope(db, frame, actor)


def skm_unsur(
    db: Database, tahun: int | None = None, *, actor: Actor | None = None
) -> pd.DataFrame:
    """NRR per unit, year and unsur (``v_skm_unsur``: ``nomor_unsur`` 1-9, answered ones)."""
    check_period(tahun, None)
    frame = db.df(
        "SELECT * FROM v_skm_unsur WHERE ? IS NULL OR tahun = ? "
        "ORDER BY tahun, kode_unit, nomor_unsur",
        [tahun, tahun],
    )
    return _skm_scope(db, frame, actor)


def _skm_scope(db: Database, frame: pd.DataFrame, actor: Actor | None) -> pd.DataFrame:
    if actor is None or actor.role in pelayanan_unit.READERS:
        return frame
    allowed = set(pelayanan_unit.visible(db, actor)["kode"])
    return frame[frame["kode_unit"].isin(allowed)].reset_index(drop=True)


def versi_setting(db: Database) -> int | None:
    """The settings version every figure is computed with right now."""
    return settings.current_version(db)


def periode_tersedia(
    db: Database, provinsi: str | None = None, *, actor: Actor | None = None
) -> pd.DataFrame:
    """Region x year x triwulan that have SPM data (for pickers), newest first, among
    the regions ``actor`` may pick.

    ``provinsi=None`` means the province served and its kabupaten/kota.
    """
    in_province, params = reference.dalam_provinsi(
        provinsi or settings.served_province(db), "d.kode_wilayah"
    )
    frame = db.df(
        "SELECT DISTINCT d.kode_wilayah, w.nama AS nama_wilayah, w.tingkat AS tingkat_wilayah, "
        "d.tahun, d.triwulan FROM spm_data d JOIN wilayah w ON w.kode = d.kode_wilayah "
        f"WHERE {in_province} ORDER BY d.kode_wilayah, d.tahun DESC, d.triwulan DESC",
        params,
    )
    return access.scope(db, frame, actor, picker=True)
