"""For every role, one thing it may do and one it may not, through the library API."""

import datetime as dt
from pathlib import Path

import pytest

from pipelines import review
from pipelines.auth import access, audit, deadlines, users
from pipelines.auth.access import Actor
from pipelines.capaian import completeness, query
from pipelines.core import mutu_item, reference
from pipelines.errors import AccessDenied
from pipelines.ingest import templates
from pipelines.laporan import records
from pipelines.sop import definition

TODAY = dt.date(2026, 11, 22)


def first_in(db, status):
    frame = review.antrean(db, Actor("analis", "analis"), (status,))
    return int(frame["submission_id"].iloc[0])


def admin_may(db):
    sid = first_in(db, "final")
    review.buka_kembali(
        db, users.authenticate(db, "admin", "demo"), sid, "Koreksi dari dinas terkait."
    )
    assert review.get(db, sid)["status"] == "diajukan"


def admin_may_not(db):
    users.set_active(db, users.authenticate(db, "admin", "demo"), "admin", False)


def analis_may(db):
    sid = first_in(db, "diajukan")
    review.verifikasi(db, users.authenticate(db, "analis", "demo"), sid)
    assert review.get(db, sid)["status"] == "diverifikasi"


def analis_may_not(db):
    review.buka_kembali(
        db, users.authenticate(db, "analis", "demo"), first_in(db, "final"), "Ingin mengubah."
    )


def pimpinan_may(db):
    rows = completeness.kelengkapan(
        db, 2025, actor=users.authenticate(db, "pimpinan", "demo"), today=TODAY
    )
    assert rows["kode_wilayah"].nunique() == 8


def pimpinan_may_not(db):
    review.kembalikan(
        db, users.authenticate(db, "pimpinan", "demo"), first_in(db, "diajukan"), "Tidak setuju."
    )


def upload_2026_tw4(db, me, **where):
    """access.check_upload for TW4 2026 as ``me`` (an Actor, or a demo user name)."""
    if isinstance(me, str):
        me = users.authenticate(db, me, "demo")
    access.check_upload(db, me, year=2026, quarter=4, today=TODAY, **where)


def kab_may(db):
    me = users.authenticate(db, "kab-19.03", "demo")
    upload_2026_tw4(db, me, form="spm-kabkota", kode_wilayah="19.03")
    assert set(review.antrean(db, me, ("final",))["kode_wilayah"]) == {"19.03"}


def kab_may_not(db):
    upload_2026_tw4(db, "kab-19.03", form="spm-kabkota", kode_wilayah="19.04")


def opd_may(db):
    me = users.authenticate(db, "opd-dinkes", "demo")
    upload_2026_tw4(db, me, form="spm-provinsi", kode_wilayah="19", kode_opd="dinkes")
    assert set(completeness.kelengkapan(db, 2025, actor=me, today=TODAY)["kode_opd"]) == {"dinkes"}


def opd_may_not(db):
    upload_2026_tw4(db, "opd-dinkes", form="spm-kabkota", kode_wilayah="19.01")


@pytest.mark.parametrize(
    "may, may_not",
    [
        (admin_may, admin_may_not),
        (analis_may, analis_may_not),
        (pimpinan_may, pimpinan_may_not),
        (kab_may, kab_may_not),
        (opd_may, opd_may_not),
    ],
    ids=["admin", "analis", "pimpinan", "pengunggah_kabkota", "pengunggah_opd"],
)
def test_role_may_and_may_not(accounts_db, may, may_not):  # noqa: F811
    may(accounts_db)
    with pytest.raises((AccessDenied, users.UserError)):
        may_not(accounts_db)


# -- the library's own checks behind `spm --as` and the app's pages ------------------------
# (every command as every role: tests/cli/test_as_roles.py)

IKK_FILE = Path(__file__).resolve().parents[2] / "data" / "katalog" / "ikk_sampel.csv"
LIBRARY_CALLS = {
    "list_users": lambda db, me: users.list_users(db, me),
    "list_reports": lambda db, me: records.list_reports(db, actor=me),
    "audit_log": lambda db, me: audit.log(db, actor=me),
    "exceptions": lambda db, me: deadlines.daftar_pengecualian(db, actor=me),
    "reminders": lambda db, me: completeness.pengingat(db, 2025, actor=me, today=TODAY),
    "review_queue": lambda db, me: review.antrean(db, me),
    "settings": lambda db, me: users.change_settings(db, me, {"sesi_kedaluwarsa_menit": 30}),
    "ikk_catalog": lambda db, me: reference.load_ikk(db, IKK_FILE, actor=me),
    "mutu_catalog": lambda db, me: mutu_item.load(db, mutu_item.SAMPLE_FILE, actor=me),
    "lppd": lambda db, me: query.lppd_capaian(db, 2024, actor=me),
    "sop_library": lambda db, me: definition.library(db, actor=me),
    "template_19_02": lambda db, me: templates.to_bytes(
        db, templates.TemplateSpec("spm-kabkota", "19.02", 2025, 3), actor=me
    ),
}


@pytest.mark.parametrize(
    "call, refused, allowed",
    [
        ("list_users", "analis", "admin"),
        ("list_reports", "kab-19.01", "pimpinan"),
        ("audit_log", "opd-dinkes", "analis"),
        ("exceptions", "kab-19.01", "analis"),
        ("reminders", "pimpinan", "analis"),
        ("review_queue", "pimpinan", "kab-19.01"),
        ("settings", "pimpinan", "admin"),
        ("ikk_catalog", "analis", "admin"),
        ("mutu_catalog", "analis", "admin"),
        ("lppd", "opd-dinkes", "kab-19.01"),
        ("sop_library", "opd-dinkes", "pimpinan"),
        ("template_19_02", "kab-19.01", "analis"),
    ],
)
def test_library_refuses_by_the_actor(accounts_db, call, refused, allowed):
    run = LIBRARY_CALLS[call]
    with pytest.raises(AccessDenied):
        run(accounts_db, users.current(accounts_db, refused))
    run(accounts_db, users.current(accounts_db, allowed))
    if call not in ("review_queue", "settings"):  # these always act as someone
        run(accounts_db, None)  # the library itself (demo loader, reports): no limit
