"""Mutu item rows through the commit every load uses: stored in spm_mutu, counted and
recorded in perubahan_nilai like data rows, reverted by a withdrawal, cleaned by
`spm check`'s consistency."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines.core import forms, mutu_item
from pipelines.ingest import withdraw
from pipelines.ingest.commit import commit_rows
from pipelines.ingest.result import SubmissionMeta
from pipelines.ops import backup
from tests.ingest_helpers import ADMIN

TODAY = dt.date(2026, 11, 30)
META = SubmissionMeta("spm-kabkota", "19.01", 2026, 3, None, nama_berkas="a.xlsx")
REASON = "Berkas salah isi, diunggah keliru oleh operator"


def service(terlayani: int = 90) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kode_wilayah": "19.01",
                "tahun": 2026,
                "triwulan": 3,
                "kode_layanan": "KES-K-08",
                "jumlah_sasaran": 100,
                "jumlah_terlayani": terlayani,
            }
        ]
    )


def items(values: dict[str, tuple[int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kode_wilayah": "19.01",
                "tahun": 2026,
                "triwulan": 3,
                "kode_layanan": "KES-K-08",
                "kode_item": code,
                "kelompok": "barang_jasa" if code.startswith("B1") else "sdm",
                "kebutuhan": k,
                "tersedia": t,
            }
            for code, (k, t) in values.items()
        ],
        columns=forms.keys(forms.MUTU_FORM),
    )


def stored(db) -> dict[str, tuple]:
    rows = db.rows("SELECT kode_item, kebutuhan, tersedia, submission_id FROM spm_mutu")
    return {r[0]: r[1:] for r in rows}


def mutu(db) -> float:
    return db.scalar(
        "SELECT capaian_mutu FROM v_spm_layanan WHERE kode_wilayah = '19.01' AND tahun = 2026 "
        "AND triwulan = 3 AND kode_layanan = 'KES-K-08'"
    )


@pytest.fixture
def items_db(db):
    mutu_item.load(db, mutu_item.SAMPLE_FILE, by="uji")
    return db


def test_item_rows_are_stored_counted_and_withdrawn(items_db):
    db = items_db
    first = commit_rows(
        db, service(), META, ADMIN, today=TODAY, items=items({"B1.01": (10, 5), "B2.01": (4, 4)})
    )
    assert first.counts == {"baris": 3, "baru": 3, "berubah": 0, "sama": 0}
    assert stored(db) == {
        "B1.01": (10, 5, first.submission_id),
        "B2.01": (4, 4, first.submission_id),
    }
    assert mutu(db) == pytest.approx((50 + 100) / 2)

    # the same file again changes nothing
    again = commit_rows(
        db, service(), META, ADMIN, today=TODAY, items=items({"B1.01": (10, 5), "B2.01": (4, 4)})
    )
    assert again.unchanged

    # a correction changing one item and adding one: the service row is the same
    second = commit_rows(
        db,
        service(),
        META,
        ADMIN,
        today=TODAY,
        items=items({"B1.01": (10, 8), "B2.01": (4, 4), "B2.02": (2, 0)}),
    )
    assert second.counts == {"baris": 4, "baru": 1, "berubah": 1, "sama": 2}
    assert stored(db) == {
        "B1.01": (10, 8, second.submission_id),
        "B2.01": (4, 4, second.submission_id),
        "B2.02": (2, 0, second.submission_id),
    }
    assert mutu(db) == pytest.approx((80 + 4 / 6 * 100) / 2)
    changed = db.dicts(
        "SELECT tabel, kode, kolom, nilai_lama, nilai_baru FROM perubahan_nilai "
        "WHERE submission_id = ? ORDER BY kode, kolom",
        [second.submission_id],
    )
    assert changed == [
        {
            "tabel": "spm_mutu",
            "kode": "KES-K-08/B1.01",
            "kolom": "tersedia",
            "nilai_lama": "5",
            "nilai_baru": "8",
        },
        {
            "tabel": "spm_mutu",
            "kode": "KES-K-08/B2.02",
            "kolom": "(baris baru)",
            "nilai_lama": None,
            "nilai_baru": None,
        },
    ]

    done = withdraw.tarik(db, ADMIN, second.submission_id, REASON)
    assert (done.dihapus, done.dipulihkan) == (1, 3)
    assert stored(db) == {
        "B1.01": (10, 5, first.submission_id),
        "B2.01": (4, 4, first.submission_id),
    }
    assert mutu(db) == pytest.approx(75.0)
    assert backup.check(db).ok, backup.check(db).problems

    withdraw.tarik(db, ADMIN, first.submission_id, REASON)
    assert stored(db) == {}
    assert db.scalar("SELECT count(*) FROM spm_data") == 0
    assert backup.check(db).ok, backup.check(db).problems
