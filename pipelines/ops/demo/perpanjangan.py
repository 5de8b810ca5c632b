"""The demo's deadline exception: the latest late kabupaten/kota upload came within an
extension the administrator granted, so the pages show a report that is *late with an
exception* ("terlambat, dengan perpanjangan s.d. ...") beside on-time and late ones."""

from __future__ import annotations

import datetime as dt

from pipelines.auth import deadlines
from pipelines.db.store import Database

ALASAN = (
    "Data puskesmas belum lengkap karena pergantian aplikasi pencatatan; perpanjangan "
    "disetujui Kepala Biro Pemerintahan."
)


def load_demo(db: Database) -> int:
    """Replace the demo's deadline exceptions with one for the latest late kabupaten/kota
    upload (granted the day after its deadline, until three days after the upload);
    returns how many were written (0 when nothing was late). Call inside the demo's
    transaction."""
    db.execute("DELETE FROM pengecualian_batas WHERE alasan = ?", [ALASAN])
    late = db.rows(
        "SELECT form, kode_wilayah, tahun, triwulan, diunggah_pada FROM submission "
        "WHERE terlambat AND form = 'spm-kabkota' ORDER BY diunggah_pada DESC, id DESC LIMIT 1"
    )
    if not late:
        return 0
    form, kode_wilayah, tahun, triwulan, uploaded = late[0]
    due = deadlines.deadline(db, tahun, triwulan, form)
    granted = min(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(9)), uploaded)
    db.execute(
        "INSERT INTO pengecualian_batas (form, kode_wilayah, kode_opd, tahun, triwulan, "
        "batas_baru, alasan, diberikan_oleh, diberikan_pada) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [
            form,
            kode_wilayah,
            tahun,
            triwulan,
            uploaded.date() + dt.timedelta(days=3),
            ALASAN,
            "admin",
            granted,
        ],
    )
    return 1
