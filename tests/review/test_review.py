"""The review workflow with real accounts: upload, send back, fix, verify, finalise,
locked, reopen with a reason; history, comments, time sent back, audit trail."""

import datetime as dt

import pytest
from click.testing import CliRunner

from pipelines import review
from pipelines.auth import access, audit, deadlines, users
from pipelines.auth.access import local_admin
from pipelines.capaian import completeness, materi
from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.errors import AccessDenied

ROOT = local_admin("tester")
PASSWORD = "Sandi-Yang-Kuat-1"


@pytest.fixture
def people(db):
    """Real accounts, logged in with their passwords."""
    users.add_user(db, ROOT, "admin", "admin", PASSWORD)
    users.add_user(db, ROOT, "analis", "analis", PASSWORD)
    users.add_user(db, ROOT, "pimpinan", "pimpinan", PASSWORD)
    users.add_user(db, ROOT, "kab-19.01", "pengunggah_kabkota", PASSWORD, kode_wilayah="19.01")
    users.add_user(db, ROOT, "kab-19.02", "pengunggah_kabkota", PASSWORD, kode_wilayah="19.02")
    return {
        name: users.authenticate(db, name, PASSWORD)
        for name in ("admin", "analis", "pimpinan", "kab-19.01", "kab-19.02")
    }


def upload(
    db, actor, wilayah="19.01", year=2025, quarter=2, sasaran=1000, when=None, recorded_at=None
):
    """What the ingestion step records for one accepted SPM file (permission checked by
    the same access.check_upload as of ``when``), with one service row."""
    when = when or dt.datetime(2025, 7, 10, 9)
    recorded_at = recorded_at or dt.datetime.now()
    perm = access.check_upload(
        db,
        actor,
        form="spm-kabkota",
        kode_wilayah=wilayah,
        year=year,
        quarter=quarter,
        today=when.date(),
    )
    review.check_not_final(db, "spm-kabkota", wilayah, year, quarter)
    with db.transaction():
        sid = db.scalar(
            "INSERT INTO submission (form, kode_wilayah, tahun, triwulan, diunggah_oleh, "
            "diunggah_pada, terlambat, jumlah_baris) VALUES ('spm-kabkota', ?, ?, ?, ?, ?, ?, 1) "
            "RETURNING id",
            [wilayah, year, quarter, actor.username, recorded_at, perm.late],
        )
        db.execute(
            "INSERT INTO spm_data (kode_wilayah, tahun, triwulan, kode_layanan, jumlah_sasaran,"
            " jumlah_terlayani, submission_id) VALUES (?, ?, ?, 'KES-K-01', ?, 800, ?) "
            "ON CONFLICT DO UPDATE SET jumlah_sasaran = excluded.jumlah_sasaran,"
            " submission_id = excluded.submission_id",
            [wilayah, year, quarter, sasaran, sid],
        )
        materi.ubah(db, [(wilayah, year)])  # as every write of the product does
    return sid


def test_full_cycle_with_real_accounts(db, people):
    kab, analis, admin = people["kab-19.01"], people["analis"], people["admin"]
    first = upload(db, kab, sasaran=100)  # a typo: 100 instead of 1000
    assert [r["submission_id"] for r in review.antrean(db, analis).to_dict("records")] == [first]

    # The uploader may not judge its own file; the analyst sends it back with comments.
    with pytest.raises(AccessDenied):
        review.verifikasi(db, kab, first)
    review.kembalikan(
        db, analis, first, "Sasaran kesehatan tidak wajar.", {"KES-K-01": "Sasaran 100?"}
    )
    assert review.get(db, first)["status"] == "dikembalikan"
    notes = review.komentar(db, first)
    assert list(notes["baris"].fillna("")) == ["", "KES-K-01"]
    assert "tidak wajar" in notes["komentar"].iloc[0]
    reminders = completeness.pengingat(db, 2025, 2, "spm-kabkota", today=dt.date(2025, 7, 15))
    assert "dikembalikan, menunggu perbaikan" in set(
        reminders.set_index("kode_wilayah").loc[["19.01"], "keterangan"]
    )

    # The uploader fixes and uploads again: a new submission replacing the first.
    second = upload(db, kab, sasaran=1000, when=dt.datetime(2025, 7, 14, 10))
    sub = review.get(db, second)
    assert sub["menggantikan_id"] == first and sub["status"] == "diajukan"
    with pytest.raises(review.ReviewError, match="digantikan"):
        review.verifikasi(db, analis, first)
    assert (
        db.scalar(
            "SELECT jumlah_sasaran FROM spm_data WHERE kode_wilayah = '19.01' AND triwulan = 2"
        )
        == 1000
    )

    review.verifikasi(db, analis, second, "Sudah sesuai.")
    review.finalkan(db, analis, second)
    assert review.get(db, second)["status"] == "final"

    # Final data is locked: no new upload, no review change.
    with pytest.raises(review.Locked, match="final"):
        upload(db, kab, sasaran=999, when=dt.datetime(2025, 7, 16, 9))
    with pytest.raises(review.Locked):
        review.kembalikan(db, analis, second, "Ada yang terlewat.")
    assert (
        db.scalar(
            "SELECT jumlah_sasaran FROM spm_data WHERE kode_wilayah = '19.01' AND triwulan = 2"
        )
        == 1000
    )

    # Only the admin reopens, and only with a written reason.
    with pytest.raises(AccessDenied):
        review.buka_kembali(db, analis, second, "Perlu koreksi data sasaran.")
    with pytest.raises(review.ReviewError, match="alasan"):
        review.buka_kembali(db, admin, second, "  ")
    review.buka_kembali(db, admin, second, "Dinkes melaporkan koreksi data sasaran.")
    assert review.get(db, second)["status"] == "diajukan"
    third = upload(db, kab, sasaran=1010, when=dt.datetime(2025, 7, 18, 9))
    assert review.get(db, third)["menggantikan_id"] == second

    history = review.riwayat(db, third)
    assert list(zip(history["submission_id"], history["ke"], strict=True)) == [
        (first, "diajukan"),
        (first, "dikembalikan"),
        (second, "diajukan"),
        (second, "diverifikasi"),
        (second, "final"),
        (second, "diajukan"),
        (third, "diajukan"),
    ]
    assert history["oleh"].iloc[1] == "analis" and history["oleh"].iloc[5] == "admin"
    assert history["keterangan"].iloc[5] == "Dinkes melaporkan koreksi data sasaran."

    log = audit.log(db)
    changes = log[log["aksi"].isin(["ubah_status", "buka_kembali"])]
    assert len(changes) == 4
    reopened = log[log["aksi"] == "buka_kembali"].iloc[0]
    assert reopened["pengguna"] == "admin"
    assert '"final"' in reopened["sebelum"] and '"diajukan"' in reopened["sesudah"]
    assert {"analis", "admin", "kab-19.01"} <= set(log.loc[log["aksi"] == "login", "pengguna"])


def test_time_sent_back_is_measured_separately(db, people):
    kab, analis = people["kab-19.01"], people["analis"]
    first = upload(db, kab, recorded_at=dt.datetime(2025, 7, 1, 9))
    db.execute(
        "INSERT INTO submission_riwayat (submission_id, dari, ke, oleh, waktu) VALUES "
        "(?, NULL, 'diajukan', 'kab-19.01', TIMESTAMP '2025-07-01 09:00'), "
        "(?, 'diajukan', 'dikembalikan', 'analis', TIMESTAMP '2025-07-03 09:00')",
        [first, first],
    )
    db.execute("UPDATE submission SET status = 'dikembalikan' WHERE id = ?", [first])
    materi.ubah_submission(db, first)
    second = upload(db, kab, recorded_at=dt.datetime(2025, 7, 8, 9))  # 5 days sent back
    db.execute(
        "INSERT INTO submission_riwayat (submission_id, dari, ke, oleh, waktu) VALUES "
        "(?, 'diajukan', 'diverifikasi', 'analis', TIMESTAMP '2025-07-09 09:00'), "
        "(?, 'diverifikasi', 'final', 'analis', TIMESTAMP '2025-07-10 09:00')",
        [second, second],
    )
    db.execute("UPDATE submission SET status = 'final' WHERE id = ?", [second])
    materi.ubah_submission(db, second)
    spent = review.durasi(db, second, now=dt.datetime(2025, 12, 1))
    assert spent.total == dt.timedelta(days=9)
    assert spent.dikembalikan == dt.timedelta(days=5)
    assert spent.bersih == dt.timedelta(days=4)
    table = review.durasi_proses(db, 2025, now=dt.datetime(2025, 12, 1))
    assert table.set_index("submission_id").loc[second, "hari_dikembalikan"] == 5
    del analis


def test_steps_in_the_wrong_order_are_refused(db, people):
    analis = people["analis"]
    sid = upload(db, people["kab-19.01"])
    with pytest.raises(review.ReviewError, match="Diverifikasi"):
        review.finalkan(db, analis, sid)
    with pytest.raises(review.ReviewError, match="alasan pengembalian"):
        review.kembalikan(db, analis, sid, "  ", {"KES-K-01": " "})
    review.kembalikan(db, analis, sid, None, {"KES-K-01": "Periksa lagi."})
    with pytest.raises(review.ReviewError, match="Dikembalikan"):
        review.verifikasi(db, analis, sid)
    with pytest.raises(review.ReviewError, match="tidak ditemukan"):
        review.verifikasi(db, analis, 99999)


def test_reviewers_see_everything_uploaders_only_their_region(db, people):
    upload(db, people["kab-19.01"], wilayah="19.01")
    upload(db, people["kab-19.02"], wilayah="19.02")
    assert len(review.antrean(db, people["analis"])) == 2
    own = review.antrean(db, people["kab-19.02"])
    assert list(own["kode_wilayah"]) == ["19.02"]
    with pytest.raises(AccessDenied):
        review.verifikasi(db, people["pimpinan"], int(own["submission_id"][0]))


def grant(db, actor, batas_baru: dt.date) -> None:
    """An exception for 19.01's TW2 2025 upload until ``batas_baru``."""
    deadlines.beri_pengecualian(
        db,
        actor,
        form="spm-kabkota",
        kode_wilayah="19.01",
        tahun=2025,
        triwulan=2,
        batas_baru=batas_baru,
        alasan="Banjir di Sungailiat.",
    )


def test_deadline_exception_by_admin_only(db, people):
    kab = people["kab-19.01"]
    late = dt.datetime(2025, 7, 25, 9)
    with pytest.raises(AccessDenied, match="Batas waktu"):
        upload(db, kab, when=late)
    with pytest.raises(AccessDenied):
        grant(db, people["analis"], dt.date(2025, 7, 31))
    with pytest.raises(deadlines.DeadlineError, match="setelah batas resmi"):
        grant(db, people["admin"], dt.date(2025, 7, 1))
    grant(db, people["admin"], dt.date(2025, 7, 31))
    sid = upload(db, kab, when=late, recorded_at=late)
    # The exception allowed the upload; it stays late, shown with the exception.
    sub = review.get(db, sid)
    assert sub["terlambat"] is True
    assert review.keterangan_waktu(sub) == "terlambat, dengan perpanjangan s.d. 31 Juli 2025"
    with pytest.raises(AccessDenied):  # the other region still closed
        upload(db, people["kab-19.02"], wilayah="19.02", when=late)
    row = audit.log(db, aksi="beri_pengecualian_batas").iloc[0]
    assert row["pengguna"] == "admin" and "2025-07-31" in row["sesudah"]
    assert row["keterangan"] == "Banjir di Sungailiat."


def test_cli_review_cycle_and_deadline(db, db_path, people):
    sid = upload(db, people["kab-19.01"])
    db.close()
    runner = CliRunner()

    def spm(*args, as_user=None):
        prefix = ["--as", as_user] if as_user else []
        return runner.invoke(cli, [*prefix, *args, "--db", str(db_path)])

    listing = spm("review", "list")
    assert listing.exit_code == 0 and str(sid) in listing.output
    refused = spm("review", "verify", str(sid), as_user="kab-19.01")
    assert refused.exit_code == 1 and refused.output.startswith("Galat: Hanya analis")
    back = spm(
        "review",
        "return",
        str(sid),
        "--comment",
        "Lengkapi",
        "--row",
        "KES-K-01=cek",
        as_user="analis",
    )
    assert back.exit_code == 0, back.output
    bad = spm("review", "return", str(sid), "--row", "tanpa-sama-dengan")
    assert bad.exit_code == 1 and "KODE=KOMENTAR" in bad.output
    with Database.open(db_path) as again:
        sid2 = upload(again, people["kab-19.01"], when=dt.datetime(2025, 7, 12, 9))
    assert spm("review", "verify", str(sid2), as_user="analis").exit_code == 0
    assert spm("review", "finalise", str(sid2), as_user="analis").exit_code == 0
    refused = spm("review", "reopen", str(sid2), "--reason", "Koreksi data", as_user="analis")
    assert refused.exit_code == 1
    opened = spm("review", "reopen", str(sid2), "--reason", "Koreksi data sasaran dari dinas")
    assert opened.exit_code == 0, opened.output
    history = spm("review", "history", str(sid2))
    assert history.exit_code == 0 and "dikembalikan" in history.output
    assert "hari dikembalikan" in history.output
    granted = spm(
        "deadline",
        "grant",
        "--region",
        "19.02",
        "--year",
        "2025",
        "--quarter",
        "2",
        "--until",
        "2025-08-10",
        "--reason",
        "Gangguan listrik berhari-hari",
    )
    assert granted.exit_code == 0, granted.output
    assert "10 Agustus 2025" in granted.output
    assert "19.02" in spm("deadline", "list").output
    trail = spm("audit", "--limit", "100")
    assert "buka_kembali" in trail.output and "beri_pengecualian_batas" in trail.output
    assert spm("audit", as_user="kab-19.01").exit_code == 1
    assert spm("completeness", "--year", "2025", "--per", "form").exit_code == 0
    assert spm("reminders", "--year", "2025").exit_code == 0


def test_full_cycle_through_ingestion_with_real_excel_files(db, people, tmp_path):
    """The same cycle with real template files through pipelines.ingest."""
    from pipelines.ingest.commit import ingest_file
    from tests.ingest_helpers import ON_TIME, fill, make_template

    kab, analis, admin = people["kab-19.01"], people["analis"], people["admin"]
    template = make_template(db, tmp_path / "template.xlsx")
    codes = list(db.df("SELECT kode FROM layanan WHERE tingkat = 'kabupaten/kota'")["kode"])

    typo = _values(codes, sasaran=100)
    typo[codes[0]]["jumlah_terlayani"] = 150  # more served than entitled: a warning
    first_file = fill(template, tmp_path / "v1.xlsx", typo)
    # The uploader of 19.02 may not hand in 19.01's file: refused by the same rules.
    other = ingest_file(db, first_file, people["kab-19.02"], today=ON_TIME)
    assert not other.accepted and "19.01" in " ".join(p.message for p in other.errors)
    first = ingest_file(db, first_file, kab, today=ON_TIME)
    assert first.accepted and first.committed, [p.text() for p in first.problems]
    sid1 = first.submission_id
    warnings = review.peringatan(db, sid1)
    # The reviewer sees what the uploader was warned about.
    assert any(str(k).startswith("Jumlah terlayani (") for k in warnings["kolom"])

    review.kembalikan(db, analis, sid1, "Sasaran terlalu kecil.", {codes[0]: "Sasaran 100?"})
    second_file = fill(template, tmp_path / "v2.xlsx", _values(codes, sasaran=1000))
    second = ingest_file(db, second_file, kab, today=ON_TIME)
    assert second.accepted and second.committed
    sid2 = second.submission_id
    assert review.get(db, sid2)["menggantikan_id"] == sid1
    assert review.get(db, sid2)["status"] == "diajukan"
    review.verifikasi(db, analis, sid2)
    review.finalkan(db, analis, sid2)

    third_file = fill(template, tmp_path / "v3.xlsx", _values(codes, sasaran=1200))
    locked = ingest_file(db, third_file, kab, today=ON_TIME)
    assert not locked.accepted and "final" in " ".join(p.message for p in locked.errors)
    assert set(
        db.df("SELECT jumlah_sasaran FROM spm_data WHERE kode_wilayah = '19.01'")["jumlah_sasaran"]
    ) == {1000}

    review.buka_kembali(db, admin, sid2, "Koreksi sasaran dari Dinas Kesehatan.")
    third = ingest_file(db, third_file, kab, today=ON_TIME)
    assert third.accepted and third.committed
    history = review.riwayat(db, third.submission_id)
    assert list(history["ke"]) == [
        "diajukan",
        "dikembalikan",
        "diajukan",
        "diverifikasi",
        "final",
        "diajukan",
        "diajukan",
    ]
    log = audit.log(db)
    assert (log["aksi"] == "login").sum() >= 5
    assert (log["aksi"] == "ubah_status").sum() == 3 and (log["aksi"] == "buka_kembali").sum() == 1
    assert len(log[log["objek"].str.contains("submission #", na=False)]) >= 3  # the uploads


def _values(codes, sasaran):
    # Every service filled, achievement below target with its permasalahan and solusi.
    out = {}
    for code in codes:
        out[code] = {
            "jumlah_sasaran": sasaran,
            "jumlah_terlayani": int(sasaran * 0.9),
            "mutu_barang_jasa_kebutuhan": 10,
            "mutu_barang_jasa_tersedia": 8,
            "mutu_sdm_kebutuhan": 4,
            "mutu_sdm_tersedia": 3,
            "anggaran_rencana": 150_000_000,
            "anggaran_realisasi": 120_000_000,
            "tahap_pengumpulan_data": "Ya",
            "tahap_penghitungan_kebutuhan": "Ya",
            "tahap_penyusunan_rencana": "Ya",
            "tahap_pelaksanaan": "Ya",
            "permasalahan": "Keterbatasan tenaga",
            "solusi": "Penambahan tenaga",
        }
    return out
