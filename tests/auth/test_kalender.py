"""The deadline calendar (issue 14, point 4): a date set for one period moves its lock and
the late flag of its submissions, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from pipelines.auth import deadlines, kalender
from pipelines.auth.access import Actor, check_upload, local_admin
from pipelines.capaian import completeness
from pipelines.cli.root import cli
from pipelines.errors import AccessDenied
from tests.capaian_helpers import kirim, layanan

ADMIN = local_admin("uji")
KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")


def sent(db, region, tahun, triwulan, day):
    """A submission uploaded on ``day``, its late flag as the upload decided it."""
    sid = kirim(db, region, tahun, triwulan, [layanan("KES-K-01", 100, 90)])
    due = deadlines.deadline(db, tahun, triwulan, "spm-kabkota")
    db.execute(
        "UPDATE submission SET diunggah_pada = ?, terlambat = ? WHERE id = ?",
        [dt.datetime.combine(day, dt.time(10)), day > due, sid],
    )
    return sid


def late_flags(db):
    return dict(db.rows("SELECT id, terlambat FROM submission ORDER BY id"))


def test_a_date_for_one_period_moves_its_lock_and_late_flags_only(db):
    tw1 = sent(db, "19.01", 2025, 1, dt.date(2025, 4, 25))  # late by the rule (21 April)
    tw2 = sent(db, "19.01", 2025, 2, dt.date(2025, 7, 25))  # late by the rule (21 July)
    tw2_other = sent(db, "19.02", 2025, 2, dt.date(2025, 7, 10))  # on time either way
    assert late_flags(db) == {tw1: True, tw2: True, tw2_other: False}
    with pytest.raises(AccessDenied):
        check_upload(
            db,
            KAB,
            form="spm-kabkota",
            kode_wilayah="19.01",
            year=2025,
            quarter=2,
            today=dt.date(2025, 7, 28),
        )

    changed = deadlines.tetapkan_batas(
        db, ADMIN, tahun=2025, triwulan=2, tanggal=dt.date(2025, 7, 31), keterangan="SE 100/2025"
    )

    assert changed == 1
    assert late_flags(db) == {tw1: True, tw2: False, tw2_other: False}
    assert deadlines.deadline(db, 2025, 2, "spm-kabkota") == dt.date(2025, 7, 31)
    assert deadlines.deadline(db, 2025, 2, "spm-provinsi") == dt.date(2025, 7, 31)
    assert deadlines.deadline(db, 2025, 1, "spm-kabkota") == dt.date(2025, 4, 21)
    assert deadlines.deadline(db, 2025, 3, "spm-kabkota") == dt.date(2025, 10, 20)
    permission = check_upload(
        db,
        KAB,
        form="spm-kabkota",
        kode_wilayah="19.01",
        year=2025,
        quarter=2,
        today=dt.date(2025, 7, 28),
    )
    assert not permission.late
    with pytest.raises(AccessDenied):  # TW1 keeps its rule
        check_upload(
            db,
            KAB,
            form="spm-kabkota",
            kode_wilayah="19.01",
            year=2025,
            quarter=1,
            today=dt.date(2025, 7, 28),
        )

    frame = completeness.kelengkapan(db, 2025, today=dt.date(2025, 11, 1))
    row = frame[(frame["kode_wilayah"] == "19.01") & (frame["form"] == "spm-kabkota")]
    by_tw = dict(
        zip(row["triwulan"], zip(row["batas_resmi"], row["status_kirim"], strict=True), strict=True)
    )
    assert by_tw[2] == (dt.date(2025, 7, 31), completeness.TEPAT_WAKTU)
    assert by_tw[1] == (dt.date(2025, 4, 21), completeness.TERLAMBAT)

    # Back to the rule: the flag follows again.
    assert deadlines.hapus_batas(db, ADMIN, tahun=2025, triwulan=2) == 1
    assert late_flags(db) == {tw1: True, tw2: True, tw2_other: False}


def test_a_date_for_one_form_wins_over_the_date_for_all(db):
    deadlines.tetapkan_batas(db, ADMIN, tahun=2024, triwulan=1, tanggal=dt.date(2024, 4, 20))
    deadlines.tetapkan_batas(
        db, ADMIN, tahun=2024, triwulan=1, form="spm-kabkota", tanggal=dt.date(2024, 4, 30)
    )
    assert deadlines.deadline(db, 2024, 1, "spm-kabkota") == dt.date(2024, 4, 30)
    assert deadlines.deadline(db, 2024, 1, "spm-provinsi") == dt.date(2024, 4, 20)
    deadlines.tetapkan_batas(
        db, ADMIN, tahun=2024, triwulan=None, form="lppd-ikk", tanggal=dt.date(2025, 4, 15)
    )
    assert deadlines.deadline(db, 2024, None, "lppd-ikk") == dt.date(2025, 4, 15)
    assert len(kalender.daftar(db, 2024)) == 3


@pytest.mark.parametrize(
    ("who", "fields", "message"),
    [
        (Actor("analis", "analis"), {}, "Hanya administrator"),
        (
            ADMIN,
            {"tanggal": dt.date(2025, 6, 30)},
            r"harus setelah periodenya berakhir \(30 Juni 2025\)",
        ),
        (ADMIN, {"tanggal": dt.date(2026, 8, 1)}, "lebih dari setahun"),
        (ADMIN, {"triwulan": None}, "Sebutkan triwulan"),
        (ADMIN, {"form": "lppd-ikk"}, "jangan sebutkan triwulan"),
        (ADMIN, {"form": "spm-desa"}, "Formulir 'spm-desa' tidak dikenal"),
    ],
)
def test_bad_dates_are_refused_and_change_nothing(db, who, fields, message):
    args = {"tahun": 2025, "triwulan": 2, "tanggal": dt.date(2025, 7, 31), **fields}
    with pytest.raises((kalender.KalenderError, AccessDenied), match=message):
        deadlines.tetapkan_batas(db, who, **args)
    assert kalender.daftar(db).empty


def test_cli_sets_lists_and_unsets(db_path, db):
    db.close()

    def run(*args):
        return CliRunner().invoke(cli, ["deadline", *args, "--db", str(db_path)])

    out = run("set", "--year", "2025", "--quarter", "2", "--date", "2025-07-31", "--note", "SE 1")
    assert out.exit_code == 0, out.output
    assert "ditetapkan 31 Juli 2025" in out.output
    listed = run("calendar", "--year", "2025")
    assert "31 Juli 2025" in listed.output and "SE 1" in listed.output
    bad = run("set", "--year", "2025", "--quarter", "2", "--date", "2025-05-01")
    assert bad.exit_code == 1 and "harus setelah periodenya berakhir" in bad.output
    assert run("unset", "--year", "2025", "--quarter", "2").exit_code == 0
    assert "Belum ada batas waktu yang ditetapkan" in run("calendar").output


def test_admin_sets_a_date_on_the_page_and_sees_it(accounts_db_path):
    from pipelines.db.store import Database
    from tests.apptest import check_clean, run_app, texts

    at = run_app(accounts_db_path, "pengguna.py", actor=Actor("admin", "admin"))
    check_clean(at)
    at.number_input(key="kalender_tahun").set_value(2025).run()
    assert "Belum ada batas waktu yang ditetapkan untuk 2025" in texts(at)
    at.selectbox(key="kalender_triwulan").set_value(1)
    at.date_input(key="kalender_tanggal").set_value(dt.date(2025, 4, 30))
    at.text_input(key="kalender_keterangan").set_value("SE Mendagri TW I")
    next(b for b in at.button if b.label == "Tetapkan").click().run()
    check_clean(at)
    assert "Batas waktu TW1 2025 ditetapkan 30 April 2025." in texts(at)
    table = at.table[-1].value
    assert list(table["Batas waktu"]) == ["30 April 2025"]
    assert list(table["Keterangan"]) == ["SE Mendagri TW I"]
    with Database.open(accounts_db_path, read_only=True) as db:
        assert deadlines.deadline(db, 2025, 1, "spm-kabkota") == dt.date(2025, 4, 30)
        audit = db.dicts("SELECT pengguna FROM audit_log WHERE aksi = 'tetapkan_batas_waktu'")
    assert audit == [{"pengguna": "admin"}]


@pytest.mark.parametrize(
    "today, form, expected",
    [
        # TW3 2026 closes 20 October 2026 (a Tuesday): until then TW3 is filled, then TW4
        (dt.date(2026, 10, 5), "spm-kabkota", (2026, 3)),
        (dt.date(2026, 10, 20), "spm-kabkota", (2026, 3)),
        (dt.date(2026, 10, 21), "spm-kabkota", (2026, 4)),
        (dt.date(2026, 12, 1), "spm-kabkota", (2026, 4)),
        # in January last year's TW4 until its deadline
        (dt.date(2027, 1, 5), "spm-provinsi", (2026, 4)),
        # LPPD 2025 is due 31 March 2026; after that, this year's
        (dt.date(2026, 3, 2), "lppd-ikk", (2025, None)),
        (dt.date(2026, 12, 1), "lppd-ikk", (2026, None)),
    ],
)
def test_the_period_offered_first_is_the_one_being_filled(db, today, form, expected):
    assert deadlines.periode_isian(db, form, today) == expected


def test_a_date_set_in_the_calendar_keeps_a_period_offered_until_it(db):
    deadlines.tetapkan_batas(db, ADMIN, tahun=2026, triwulan=3, tanggal=dt.date(2026, 11, 2))
    assert deadlines.periode_isian(db, "spm-kabkota", dt.date(2026, 10, 30)) == (2026, 3)
