import datetime as dt

import pytest

from pipelines.auth.access import Actor, check_upload, local_admin
from pipelines.auth.deadlines import deadline
from pipelines.errors import AccessDenied

KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
OPD = Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes")
BEFORE = dt.date(2025, 7, 1)


def test_deadline_default_day_20_of_next_month(db):
    # 20 July 2024 is a Saturday: the deadline moves to Monday 22 July.
    assert deadline(db, 2024, 2, "spm-kabkota") == dt.date(2024, 7, 22)
    assert deadline(db, 2024, 4, "spm-kabkota") == dt.date(2025, 1, 20)
    # 31 March 2025 is Idul Fitri, followed by cuti bersama to 7 April: Tuesday 8 April.
    assert deadline(db, 2024, None, "lppd-ikk") == dt.date(2025, 4, 8)


@pytest.mark.parametrize(
    "actor, kwargs, allowed",
    [
        (KAB, dict(form="spm-kabkota", kode_wilayah="19.01"), True),
        (KAB, dict(form="spm-kabkota", kode_wilayah="19.02"), False),
        (KAB, dict(form="spm-provinsi", kode_wilayah="19"), False),
        (OPD, dict(form="spm-provinsi", kode_wilayah="19", kode_opd="dinkes"), True),
        (OPD, dict(form="spm-provinsi", kode_wilayah="19", kode_opd="disdik"), False),
        (OPD, dict(form="spm-kabkota", kode_wilayah="19.01"), False),
        (Actor("pimpinan", "pimpinan"), dict(form="spm-kabkota", kode_wilayah="19.01"), False),
        (Actor("analis", "analis"), dict(form="spm-kabkota", kode_wilayah="19.05"), True),
    ],
)
def test_upload_rules(db, actor, kwargs, allowed):
    call = lambda: check_upload(db, actor, year=2025, quarter=2, today=BEFORE, **kwargs)  # noqa: E731
    if allowed:
        assert call().late is False
    else:
        with pytest.raises(AccessDenied):
            call()


def test_closed_window_refuses_uploader_but_admin_backfills_as_late(db):
    after = dt.date(2025, 7, 22)  # the deadline 20 July 2025 (Sunday) moved to Monday 21
    with pytest.raises(AccessDenied, match="Batas waktu"):
        check_upload(
            db, KAB, form="spm-kabkota", kode_wilayah="19.01", year=2025, quarter=2, today=after
        )
    permission = check_upload(
        db,
        local_admin("root"),
        form="spm-kabkota",
        kode_wilayah="19.01",
        year=2025,
        quarter=2,
        today=after,
    )
    assert permission.late is True


def test_exception_moves_the_deadline_for_one_region(db):
    db.execute(
        "INSERT INTO pengecualian_batas (form, kode_wilayah, tahun, triwulan, batas_baru, alasan,"
        " diberikan_oleh) VALUES ('spm-kabkota', '19.01', 2025, 2, DATE '2025-08-01', 'banjir', 'admin')"
    )
    today = dt.date(2025, 7, 25)
    permission = check_upload(
        db, KAB, form="spm-kabkota", kode_wilayah="19.01", year=2025, quarter=2, today=today
    )
    # The exception allows the upload; it is late all the same (against the original
    # deadline: 20 July 2025 was a Sunday, so the next working day).
    assert permission.batas_perpanjangan == dt.date(2025, 8, 1)
    assert permission.deadline == dt.date(2025, 7, 21)
    assert permission.late is True
    other = Actor("kab-19.02", "pengunggah_kabkota", kode_wilayah="19.02")
    with pytest.raises(AccessDenied):
        check_upload(
            db, other, form="spm-kabkota", kode_wilayah="19.02", year=2025, quarter=2, today=today
        )


def test_actor_for_known_and_unknown_accounts(db):
    from pipelines.auth.access import actor_for

    db.execute(
        "INSERT INTO pengguna (username, peran, kode_wilayah) VALUES (?, ?, ?)",
        ["kab-19.01", "pengunggah_kabkota", "19.01"],
    )
    assert actor_for(db, "kab-19.01") == KAB
    with pytest.raises(AccessDenied, match="tidak dikenal"):
        actor_for(db, "siapa")
