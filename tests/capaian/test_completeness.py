"""Completeness and timeliness (kelengkapan) on a real database with known submissions."""

import datetime as dt

import pytest

from pipelines.auth.access import Actor
from pipelines.capaian import completeness
from pipelines.errors import SpmError

TODAY = dt.date(2025, 8, 15)  # TW1 and TW2 2025 have ended; TW3 not yet


def submit(db, form, wilayah, year, quarter, when, *, opd=None, status="diajukan", late=False):
    return db.scalar(
        "INSERT INTO submission (form, kode_wilayah, tahun, triwulan, kode_opd, diunggah_oleh,"
        " diunggah_pada, status, terlambat) VALUES (?, ?, ?, ?, ?, 'tester', ?, ?, ?) RETURNING id",
        [form, wilayah, year, quarter, opd, when, status, late],
    )


@pytest.fixture
def filled(db):
    # TW2 2025 closes on 20 July 2025.
    submit(db, "spm-kabkota", "19.01", 2025, 2, dt.datetime(2025, 7, 10, 9))  # on time
    submit(db, "spm-kabkota", "19.02", 2025, 2, dt.datetime(2025, 7, 25, 9), late=True)  # late
    # 19.03 got an exception until 31 July and sent on 28 July: late, with an exception.
    db.execute(
        "INSERT INTO pengecualian_batas (form, kode_wilayah, tahun, triwulan, batas_baru, alasan,"
        " diberikan_oleh) VALUES ('spm-kabkota', '19.03', 2025, 2, DATE '2025-07-31', 'banjir',"
        " 'admin')"
    )
    submit(db, "spm-kabkota", "19.03", 2025, 2, dt.datetime(2025, 7, 28, 9))
    # 19.04 only has a draft: not received.
    submit(db, "spm-kabkota", "19.04", 2025, 2, dt.datetime(2025, 7, 1, 9), status="draf")
    # 19.05 sent, was returned, then resubmitted: first upload counts for timeliness.
    submit(db, "spm-kabkota", "19.05", 2025, 2, dt.datetime(2025, 7, 1, 9), status="dikembalikan")
    last = submit(db, "spm-kabkota", "19.05", 2025, 2, dt.datetime(2025, 7, 30, 9))
    submit(db, "spm-provinsi", "19", 2025, 2, dt.datetime(2025, 7, 2, 9), opd="dinkes")
    return last


def test_one_row_per_expected_report(db, filled):
    rows = completeness.kelengkapan(db, 2025, 2, "spm-kabkota", today=TODAY)
    assert list(rows.columns[:12]) == [
        "form",
        "kode_wilayah",
        "nama_wilayah",
        "kode_opd",
        "nama_opd",
        "tahun",
        "triwulan",
        "batas_waktu",
        "status_kirim",
        "diunggah_pada",
        "status",
        "submission_id",
    ]
    assert len(rows) == 7  # the 7 kabupaten/kota of Bangka Belitung
    by = rows.set_index("kode_wilayah")
    assert by.loc["19.01", "status_kirim"] == "tepat waktu"
    assert by.loc["19.02", "status_kirim"] == "terlambat"
    # An exception allows the upload and is shown beside it; it never hides lateness.
    assert by.loc["19.03", "status_kirim"] == "terlambat, dengan perpanjangan"
    assert by.loc["19.03", "keterangan_kirim"] == (
        "terlambat, dengan perpanjangan s.d. 31 Juli 2025"
    )
    assert by.loc["19.03", "batas_waktu"] == dt.date(2025, 7, 31)
    assert by.loc["19.03", "batas_resmi"] == dt.date(2025, 7, 21)  # 20 July 2025 a Sunday
    assert by.loc["19.03", "batas_perpanjangan"] == dt.date(2025, 7, 31)
    assert by.loc["19.04", "status_kirim"] == "belum dikirim"
    assert by.loc["19.04", "status"] == "draf"
    assert by.loc["19.05", "status_kirim"] == "tepat waktu"
    assert by.loc["19.05", "submission_id"] == filled
    assert by.loc["19.05", "status"] == "diajukan"
    assert by.loc["19.71", "status_kirim"] == "belum dikirim"
    assert by.loc["19.71", "status"] is None
    assert by.loc["19.71", "nama_wilayah"] == "Kota Pangkal Pinang"


def test_only_periods_whose_window_opened(db, filled):
    rows = completeness.kelengkapan(db, 2025, today=TODAY)
    quarters = set(rows.loc[rows["form"] != "lppd-ikk", "triwulan"])
    assert quarters == {1, 2}
    assert "lppd-ikk" not in set(rows["form"])  # the 2025 LPPD window opens in 2026
    assert completeness.kelengkapan(db, 2025, 3, today=TODAY).empty
    # Provincial services are expected once per OPD that runs them (6 in the catalog).
    prov = rows[(rows["form"] == "spm-provinsi") & (rows["triwulan"] == 2)]
    assert len(prov) == 6 and set(prov["kode_wilayah"]) == {"19"}


def test_summary_rates_per_region_form_period_and_opd(db, filled):
    per_form = completeness.ringkasan_kelengkapan(db, 2025, 2, per="form", today=TODAY)
    kab = per_form.set_index("form").loc["spm-kabkota"]
    # On time, late with an exception and late are counted apart.
    assert (
        kab.diharapkan,
        kab.diterima,
        kab.tepat_waktu,
        kab.terlambat_perpanjangan,
        kab.terlambat,
        kab.belum,
    ) == (7, 4, 2, 1, 1, 3)
    assert kab.persen_diterima == pytest.approx(400 / 7)
    assert kab.persen_tepat_waktu == pytest.approx(200 / 7)
    per_opd = completeness.ringkasan_kelengkapan(db, 2025, 2, per="opd", today=TODAY)
    assert per_opd.set_index("kode_opd").loc["dinkes", "diterima"] == 1
    assert per_opd.set_index("kode_opd").loc["dinsos", "belum"] == 1
    per_region = completeness.ringkasan_kelengkapan(db, 2025, per="wilayah", today=TODAY)
    row = per_region.set_index(["form", "kode_wilayah"]).loc[("spm-kabkota", "19.01")]
    assert (row.diharapkan, row.diterima, row.persen_diterima) == (2, 1, 50.0)
    per_period = completeness.ringkasan_kelengkapan(db, 2025, per="periode", today=TODAY)
    assert set(per_period["triwulan"]) == {1, 2}
    with pytest.raises(SpmError, match="Pengelompokan"):
        completeness.ringkasan_kelengkapan(db, 2025, per="kota")


def test_reminder_list_names_the_accounts_to_call(db, filled):
    db.execute(
        "INSERT INTO pengguna (username, peran, kode_wilayah, email) VALUES "
        "('kab-19.71', 'pengunggah_kabkota', '19.71', 'spm@pangkalpinangkota.go.id')"
    )
    todo = completeness.pengingat(db, 2025, 2, "spm-kabkota", today=TODAY)
    assert set(todo["kode_wilayah"]) == {"19.04", "19.06", "19.71"}
    row = todo.set_index("kode_wilayah").loc["19.71"]
    assert row.akun == "kab-19.71" and row.email == "spm@pangkalpinangkota.go.id"
    assert row.sisa_hari == (dt.date(2025, 7, 21) - TODAY).days and row.lewat_batas


def test_reminder_list_includes_returned_reports(db):
    submit(db, "spm-kabkota", "19.01", 2025, 1, dt.datetime(2025, 4, 2, 9), status="dikembalikan")
    todo = completeness.pengingat(db, 2025, 1, "spm-kabkota", today=TODAY)
    row = todo.set_index("kode_wilayah").loc["19.01"]
    assert row.keterangan == "dikembalikan, menunggu perbaikan"


def test_uploader_sees_only_its_own_region(db, filled):
    kab = Actor("kab-19.02", "pengunggah_kabkota", kode_wilayah="19.02")
    rows = completeness.kelengkapan(db, 2025, today=TODAY, actor=kab)
    assert set(rows["kode_wilayah"]) == {"19.02"}
    opd = Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes")
    rows = completeness.kelengkapan(db, 2025, today=TODAY, actor=opd)
    assert set(rows["kode_opd"]) == {"dinkes"} and len(rows) == 2
    summary = completeness.ringkasan_kelengkapan(db, 2025, per="wilayah", today=TODAY, actor=kab)
    assert set(summary["kode_wilayah"]) == {"19.02"}


def test_demo_database_has_missing_and_late_reports(demo_db):
    summary = completeness.ringkasan_kelengkapan(
        demo_db, 2025, per="form", today=dt.date(2026, 11, 22)
    )
    kab = summary.set_index("form").loc["spm-kabkota"]
    assert kab.diharapkan == 28
    assert 0 < kab.belum < 28 and kab.terlambat > 0
    assert kab.diterima + kab.belum == kab.diharapkan
