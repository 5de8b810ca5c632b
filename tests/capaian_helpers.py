"""Write hand-made SPM and LPPD submissions into a real database for the capaian tests."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from pipelines.capaian import materi
from pipelines.db.store import Database


def layanan(
    kode: str,
    sasaran: int | None,
    terlayani: int | None,
    bj: tuple[int, int] | None = (0, 0),
    sdm: tuple[int, int] | None = (0, 0),
    **extra,
) -> dict:
    """One spm_data row; ``bj``/``sdm`` are (kebutuhan, tersedia); ``item_mutu`` (in
    ``extra``) a list of (kelompok, kode_item, kebutuhan, tersedia) rows of spm_mutu."""
    bj = bj or (None, None)
    sdm = sdm or (None, None)
    return {
        "kode_layanan": kode,
        "jumlah_sasaran": sasaran,
        "jumlah_terlayani": terlayani,
        "mutu_barang_jasa_kebutuhan": bj[0],
        "mutu_barang_jasa_tersedia": bj[1],
        "mutu_sdm_kebutuhan": sdm[0],
        "mutu_sdm_tersedia": sdm[1],
        **extra,
    }


def kirim(
    db: Database,
    kode_wilayah: str,
    tahun: int,
    triwulan: int,
    rows: Iterable[dict],
    *,
    status: str = "diajukan",
    kode_opd: str | None = None,
    oleh: str = "uji",
) -> int:
    """Record one SPM submission with its rows; returns the submission id."""
    rows = list(rows)
    form = "spm-provinsi" if "." not in kode_wilayah else "spm-kabkota"
    name = f"{form}_{kode_wilayah}_{tahun}_TW{triwulan}{'_' + kode_opd if kode_opd else ''}.xlsx"
    with db.transaction():
        sid = db.scalar(
            "INSERT INTO submission (form, kode_wilayah, tahun, triwulan, kode_opd, nama_berkas, "
            "sha256, diunggah_oleh, diunggah_pada, status, jumlah_baris) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                form,
                kode_wilayah,
                tahun,
                triwulan,
                kode_opd,
                name,
                hashlib.sha256(name.encode()).hexdigest(),
                oleh,
                dt.datetime(tahun, min(triwulan * 3 + 1, 12), 5, 9, 30),
                status,
                len(rows),
            ],
        )
        for row in rows:
            row = dict(row)
            items = row.pop("item_mutu", [])
            cols = ["kode_wilayah", "tahun", "triwulan", "submission_id", *row]
            values = [kode_wilayah, tahun, triwulan, sid, *row.values()]
            marks = ", ".join("?" for _ in cols)
            db.execute(f"INSERT INTO spm_data ({', '.join(cols)}) VALUES ({marks})", values)
            for kelompok, kode_item, kebutuhan, tersedia in items:
                db.execute(
                    "INSERT INTO spm_mutu (kode_wilayah, tahun, triwulan, kode_layanan, "
                    "kode_item, kelompok, kebutuhan, tersedia, submission_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        kode_wilayah,
                        tahun,
                        triwulan,
                        row["kode_layanan"],
                        kode_item,
                        kelompok,
                        kebutuhan,
                        tersedia,
                        sid,
                    ],
                )
        materi.ubah(db, [(kode_wilayah, tahun)])  # as every write of the product does
    return sid


def kirim_lppd(
    db: Database,
    kode_wilayah: str,
    tahun: int,
    rows: Iterable[dict],
    *,
    status: str = "final",
) -> int:
    """Record one LPPD IKK submission; rows have kode_ikk, pembilang, penyebut, capaian,
    data_dukung."""
    rows = list(rows)
    with db.transaction():
        sid = db.scalar(
            "INSERT INTO submission (form, kode_wilayah, tahun, nama_berkas, sha256, "
            "diunggah_oleh, diunggah_pada, status, jumlah_baris) "
            "VALUES ('lppd-ikk', ?, ?, ?, ?, 'uji', ?, ?, ?) RETURNING id",
            [
                kode_wilayah,
                tahun,
                f"lppd_{kode_wilayah}_{tahun}.xlsx",
                "ab" * 32,
                dt.datetime(tahun + 1, 2, 1, 10),
                status,
                len(rows),
            ],
        )
        for row in rows:
            full = {"pembilang": None, "penyebut": None, "capaian": None, "data_dukung": None}
            full.update(row)
            cols = ["kode_wilayah", "tahun", "submission_id", *full]
            values = [kode_wilayah, tahun, sid, *full.values()]
            marks = ", ".join("?" for _ in cols)
            db.execute(f"INSERT INTO lppd_data ({', '.join(cols)}) VALUES ({marks})", values)
    return sid


def one(db: Database, sql: str, params: list) -> dict:
    rows = db.dicts(sql, params)
    assert len(rows) == 1, rows
    return rows[0]
