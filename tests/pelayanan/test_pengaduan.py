"""Complaints: deadlines in working days, the overdue list, status with history,
disposition, and who sees and changes what (the complainant's identity only for the
handling unit and administrators), in the library and through `spm --as`."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from pipelines.auth import users
from pipelines.auth.access import Actor
from pipelines.cli.root import cli
from pipelines.core import settings
from pipelines.errors import AccessDenied
from pipelines.pelayanan import pengaduan, pengaduan_baca, standar
from pipelines.pelayanan import unit as units
from pipelines.pelayanan.pengaduan import PengaduanError

D = dt.date
TODAY = D(2026, 11, 30)
ADMIN = Actor("admin", "admin")
ANALIS = Actor("analis", "analis")
PIMPINAN = Actor("pimpinan", "pimpinan")
DINKES = Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes")
DISDIK = Actor("opd-disdik", "pengunggah_opd", kode_opd="disdik")
BANGKA = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
BELITUNG = Actor("kab-19.02", "pengunggah_kabkota", kode_wilayah="19.02")


@pytest.fixture
def aduan_db(db):
    settings.save(db, {"libur_nasional": ["2026-12-25"]}, by="test")
    standar.load_sample(db)
    for kode, nama in (("19.01", "Kabupaten Bangka"), ("19.02", "Kabupaten Belitung")):
        units.add(
            db,
            f"bagpem-{kode}",
            f"Bagian Pemerintahan Setda {nama}",
            actor=ADMIN,
            kode_wilayah=kode,
        )
    return db


def new(db, actor, unit, judul, received, **kw):
    return pengaduan.create(
        db,
        actor=actor,
        kode_unit=unit,
        kanal=kw.pop("kanal", "SP4N-LAPOR!"),
        klasifikasi=kw.pop("klasifikasi", "pengaduan"),
        judul=judul,
        diterima_pada=received,
        nama_pelapor=kw.pop("nama", "Siti Rahmawati"),
        kontak_pelapor=kw.pop("kontak", "0812-1111-2222"),
        today=kw.pop("today", TODAY),
        **kw,
    )


def test_deadlines_count_working_days_and_the_services_jangka_waktu(aduan_db):
    # Wednesday 23 December 2026: [24 cuti bersama, 25 Natal, 26-27 weekend], 28, 29, 30,
    # 31, [1 January 2027 Tahun Baru, 2-3 weekend], 4 January.
    nomor = new(
        aduan_db,
        ANALIS,
        "bagpem-balangan",
        "Data batas",
        D(2026, 12, 23),
        kode_layanan="balangan-pem-03",
        today=D(2026, 12, 31),
    )
    row = pengaduan_baca.detail(aduan_db, nomor, actor=ADMIN, today=D(2026, 12, 31))[0]
    assert nomor == "ADU-2026-00001"
    assert row["batas_disposisi"] == D(2026, 12, 30)  # 3 hari kerja
    assert row["batas_tanggapan"] == D(2027, 1, 4)  # 5 hari kerja
    assert row["batas_penyelesaian"] == D(2027, 12, 23)  # the service's "1 Tahun"
    settings.save(aduan_db, {"pengaduan_hari_tanggapan": 10}, by="test")
    later = new(aduan_db, ANALIS, "dinkes", "Antrean", D(2026, 12, 1), today=D(2026, 12, 31))
    row = pengaduan_baca.detail(aduan_db, later, actor=ADMIN)[0]
    assert row["batas_tanggapan"] == D(2026, 12, 15) and row["batas_penyelesaian"] is None
    assert row["kode_layanan"] is None and row["nama_layanan"] is None  # not NaN: shown as "–"


def test_a_complaint_past_its_response_deadline_is_on_the_overdue_list(aduan_db):
    late = new(aduan_db, ANALIS, "dinkes", "Obat kosong", D(2026, 11, 2))  # due 9 November
    fresh = new(aduan_db, ANALIS, "dinkes", "Antrean", D(2026, 11, 27))  # due 4 December
    answered = new(aduan_db, ANALIS, "dinkes", "Jadwal", D(2026, 11, 2))
    pengaduan.change_status(
        aduan_db,
        answered,
        "ditindaklanjuti",
        actor=DINKES,
        tanggapan="Jadwal diumumkan di laman dinas.",
        tanggal=D(2026, 11, 5),
        today=TODAY,
    )
    overdue = pengaduan_baca.overdue(aduan_db, actor=ANALIS, today=TODAY)
    assert overdue["nomor"].tolist() == [late]
    first = overdue.iloc[0]
    assert (first["jenis_batas"], first["batas"]) == ("tanggapan", D(2026, 11, 9))
    assert first["lewat_hari_kerja"] == 15  # 10 November .. 30 November
    # The fresh one (Friday 27 November): disposition due Wednesday 2 December.
    assert fresh not in set(
        pengaduan_baca.overdue(aduan_db, actor=ANALIS, today=D(2026, 12, 2))["nomor"]
    )
    assert fresh in set(
        pengaduan_baca.overdue(aduan_db, actor=ANALIS, today=D(2026, 12, 3))["nomor"]
    )
    # Verified in time, it then waits only for its answer, due Friday 4 December.
    pengaduan.change_status(aduan_db, fresh, "diverifikasi", actor=ANALIS, today=TODAY)
    assert fresh not in set(
        pengaduan_baca.overdue(aduan_db, actor=ANALIS, today=D(2026, 12, 4))["nomor"]
    )
    again = pengaduan_baca.overdue(aduan_db, actor=ANALIS, today=D(2026, 12, 7)).set_index("nomor")
    assert again.loc[fresh, "jenis_batas"] == "tanggapan"
    # Answering it takes it off the list; the days it took are counted.
    pengaduan.change_status(
        aduan_db, late, "ditindaklanjuti", actor=DINKES, tanggapan="Stok ditambah.", today=TODAY
    )
    assert late not in set(pengaduan_baca.overdue(aduan_db, actor=ANALIS, today=TODAY)["nomor"])
    frame = pengaduan_baca.listing(aduan_db, actor=ANALIS, today=TODAY).set_index("nomor")
    assert frame.loc[answered, "hari_kerja_tanggapan"] == 3


def test_uploaders_see_and_update_only_their_units_complaints(aduan_db):
    a = new(aduan_db, ANALIS, "dinkes", "Rujukan", D(2026, 11, 20), nama="Budi", kontak="budi@mail")
    b = new(
        aduan_db, BANGKA, "bagpem-19.01", "Batas desa", D(2026, 11, 23), nama="Sari", kontak="0813"
    )
    c = new(aduan_db, ANALIS, "bagpem-19.02", "Nama pulau", D(2026, 11, 24))
    seen = {
        a.username: pengaduan_baca.listing(aduan_db, actor=a, today=TODAY)
        for a in (ADMIN, ANALIS, PIMPINAN, DINKES, DISDIK, BANGKA, BELITUNG)
    }
    assert set(seen["admin"]["nomor"]) == set(seen["analis"]["nomor"]) == {a, b, c}
    assert set(seen["pimpinan"]["nomor"]) == {a, b, c}
    assert seen["opd-dinkes"]["nomor"].tolist() == [a]
    assert seen["opd-disdik"].empty
    assert seen["kab-19.01"]["nomor"].tolist() == [b]
    assert seen["kab-19.02"]["nomor"].tolist() == [c]
    # Identity: the handling unit and administrators only.
    admin = seen["admin"].set_index("nomor")
    assert (admin.loc[a, "nama_pelapor"], admin.loc[a, "kontak_pelapor"]) == ("Budi", "budi@mail")
    for who in ("analis", "pimpinan"):
        assert set(seen[who]["kontak_pelapor"]) == {"(dirahasiakan)"}
        assert set(seen[who]["nama_pelapor"]) == {"(dirahasiakan)"}
    assert seen["opd-dinkes"].iloc[0]["kontak_pelapor"] == "budi@mail"
    assert seen["kab-19.01"].iloc[0]["kontak_pelapor"] == "0813"
    # Updates: own unit only; leaders read.
    with pytest.raises(AccessDenied):
        pengaduan.change_status(aduan_db, b, "diverifikasi", actor=BELITUNG, today=TODAY)
    with pytest.raises(AccessDenied):
        pengaduan.change_status(aduan_db, a, "diverifikasi", actor=BANGKA, today=TODAY)
    with pytest.raises(AccessDenied):
        pengaduan.change_status(aduan_db, a, "diverifikasi", actor=PIMPINAN, today=TODAY)
    with pytest.raises(AccessDenied):
        new(aduan_db, DINKES, "disdik", "Bukan unitnya", D(2026, 11, 24))
    with pytest.raises(AccessDenied):
        pengaduan_baca.detail(aduan_db, a, actor=BANGKA)
    pengaduan.change_status(aduan_db, b, "diverifikasi", actor=BANGKA, today=TODAY)
    # The audit trail, which analysts read, never holds the complainant's identity.
    trail = " ".join(
        str(v)
        for row in aduan_db.rows("SELECT sebelum, sesudah, keterangan FROM audit_log")
        for v in row
    )
    assert "budi@mail" not in trail and "Sari" not in trail and "0813" not in trail


def test_status_moves_keep_a_history_and_wrong_moves_are_refused(aduan_db):
    nomor = new(aduan_db, ANALIS, "dinkes", "Rujukan", D(2026, 11, 2))
    with pytest.raises(PengaduanError, match="status berikutnya yang mungkin"):
        pengaduan.change_status(
            aduan_db, nomor, "selesai", actor=DINKES, tanggapan="x", today=TODAY
        )
    with pytest.raises(PengaduanError, match="Tulis tanggapan"):
        pengaduan.change_status(aduan_db, nomor, "ditindaklanjuti", actor=DINKES, today=TODAY)
    with pytest.raises(PengaduanError, match="belum terjadi"):
        pengaduan.change_status(
            aduan_db, nomor, "diverifikasi", actor=DINKES, tanggal=D(2026, 12, 2), today=TODAY
        )
    with pytest.raises(PengaduanError, match="sebelum kejadian terakhir"):
        pengaduan.change_status(
            aduan_db, nomor, "diverifikasi", actor=DINKES, tanggal=D(2026, 10, 1), today=TODAY
        )
    pengaduan.change_status(
        aduan_db, nomor, "diverifikasi", actor=DINKES, tanggal=D(2026, 11, 3), today=TODAY
    )
    pengaduan.change_status(
        aduan_db,
        nomor,
        "bukan wewenang",
        actor=DINKES,
        catatan="Kewenangan RSUD kabupaten.",
        tanggal=D(2026, 11, 4),
        today=TODAY,
    )
    with pytest.raises(AccessDenied):
        pengaduan.dispose(aduan_db, nomor, "bagpem-19.01", actor=DINKES, today=TODAY)
    row = pengaduan.dispose(
        aduan_db,
        nomor,
        "bagpem-19.01",
        actor=ANALIS,
        catatan="Teruskan ke Bagian Pemerintahan Bangka.",
        tanggal=D(2026, 11, 5),
        today=TODAY,
    )
    assert (row["kode_unit"], row["status"]) == ("bagpem-19.01", "diverifikasi")
    pengaduan.change_status(
        aduan_db,
        nomor,
        "ditindaklanjuti",
        actor=BANGKA,
        tanggapan="Dikoordinasikan.",
        tanggal=D(2026, 11, 9),
        today=TODAY,
    )
    pengaduan.change_status(
        aduan_db, nomor, "selesai", actor=BANGKA, tanggal=D(2026, 11, 20), today=TODAY
    )
    row, history = pengaduan_baca.detail(aduan_db, nomor, actor=BANGKA)
    assert row["status"] == "selesai" and row["selesai_pada"] == D(2026, 11, 20)
    assert row["ditanggapi_pada"] == D(2026, 11, 4)  # "bukan wewenang" was the first answer
    assert history["status_ke"].tolist() == [
        "diterima",
        "diverifikasi",
        "bukan wewenang",
        "diverifikasi",
        "ditindaklanjuti",
        "selesai",
    ]
    assert history.iloc[3][["unit_dari", "unit_ke"]].tolist() == ["dinkes", "bagpem-19.01"]
    # Now handled by Bangka, Dinkes no longer sees it.
    assert pengaduan_baca.listing(aduan_db, actor=DINKES, today=TODAY).empty
    with pytest.raises(PengaduanError, match="sudah ditutup"):
        pengaduan.change_status(
            aduan_db, nomor, "diarsipkan", actor=ADMIN, catatan="x", today=TODAY
        )


def test_recording_checks_its_fields(aduan_db):
    with pytest.raises(PengaduanError, match="Kanal 'whatsapp'"):
        new(aduan_db, ANALIS, "dinkes", "x", D(2026, 11, 2), kanal="whatsapp")
    with pytest.raises(PengaduanError, match="Judul pengaduan wajib"):
        new(aduan_db, ANALIS, "dinkes", " ", D(2026, 11, 2))
    with pytest.raises(PengaduanError, match="milik unit bagpem-balangan"):
        new(aduan_db, ANALIS, "dinkes", "x", D(2026, 11, 2), kode_layanan="balangan-pem-01")
    with pytest.raises(units.UnitError):
        new(aduan_db, ANALIS, "dinas-x", "x", D(2026, 11, 2))
    assert aduan_db.scalar("SELECT count(*) FROM pengaduan") == 0


def test_counts_per_unit_and_service_beside_the_ikm(aduan_db):
    new(
        aduan_db, ANALIS, "bagpem-balangan", "Batas", D(2026, 11, 2), kode_layanan="balangan-pem-01"
    )
    new(aduan_db, ANALIS, "bagpem-balangan", "LPPD", D(2026, 11, 3), kode_layanan="balangan-pem-05")
    new(aduan_db, ANALIS, "dinkes", "Antrean", D(2026, 11, 25))
    per_unit, per_service = pengaduan_baca.rekap(aduan_db, 2026, actor=ANALIS, today=TODAY)
    units_ = per_unit.set_index("kode_unit")
    assert units_.loc["bagpem-balangan", ["jumlah", "terbuka", "terlambat"]].tolist() == [2, 2, 2]
    assert units_.loc["dinkes", ["jumlah", "terlambat"]].tolist() == [1, 0]
    assert "ikm" in per_unit.columns and "mutu" in per_unit.columns
    services = per_service.set_index("kode_layanan")
    assert services.loc["balangan-pem-05", "nama_layanan"].startswith(
        "Fasilitasi Penyusunan Laporan"
    )
    assert services.loc["–", "nama_layanan"] == "(layanan tidak disebut)"


def test_spm_pengaduan_as_each_account(aduan_db, db_path):
    for name, role, extra in (
        ("analis", "analis", {}),
        ("kab-19.01", "pengunggah_kabkota", {"kode_wilayah": "19.01"}),
        ("pimpinan", "pimpinan", {}),
    ):
        users.create_account(
            aduan_db, "test", name, role, users.hash_password("rahasia-panjang"), **extra
        )
    aduan_db.close()
    runner = CliRunner()

    def spm(*args, as_user=None, code=0):
        prefix = ["--as", as_user] if as_user else []
        out = runner.invoke(cli, [*prefix, *args, "--db", str(db_path)])
        assert out.exit_code == code, out.output
        return out.output

    out = spm(
        "pengaduan",
        "add",
        "--unit",
        "bagpem-19.01",
        "--channel",
        "langsung",
        "--class",
        "aspirasi",
        "--title",
        "Usul pembakuan nama pulau",
        "--name",
        "Andi",
        "--contact",
        "0857",
        "--received",
        "2026-11-02",
        as_user="kab-19.01",
    )
    assert "ADU-2026-00001" in out
    spm(
        "pengaduan",
        "add",
        "--unit",
        "dinkes",
        "--channel",
        "telepon",
        "--class",
        "pengaduan",
        "--title",
        "Rujukan lama",
        "--name",
        "Budi",
        "--contact",
        "0812",
        "--received",
        "2026-11-03",
        as_user="analis",
    )
    own = spm("pengaduan", "list", as_user="kab-19.01")
    assert "ADU-2026-00001" in own and "ADU-2026-00002" not in own and "0857" in own
    biro = spm("pengaduan", "list", as_user="analis")
    assert "ADU-2026-00002" in biro and "0812" not in biro and "(dirahasiakan)" in biro
    assert "ADU-2026-00001" in spm("pengaduan", "overdue", as_user="analis")
    spm("pengaduan", "status", "ADU-2026-00002", "diverifikasi", as_user="kab-19.01", code=1)
    spm(
        "pengaduan",
        "status",
        "ADU-2026-00001",
        "ditindaklanjuti",
        "--response",
        "Dibahas tim rupabumi.",
        as_user="kab-19.01",
    )
    refused = spm(
        "pengaduan",
        "add",
        "--unit",
        "dinkes",
        "--channel",
        "surat",
        "--class",
        "pengaduan",
        "--title",
        "x",
        as_user="pimpinan",
        code=1,
    )
    assert "Pimpinan membaca pengaduan" in refused
    shown = spm("pengaduan", "show", "ADU-2026-00001")
    assert "kontak_pelapor: 0857" in shown and "ditindaklanjuti" in shown
    rekap = spm("pengaduan", "rekap", "--year", "2026")
    assert "Dinas Kesehatan" in rekap and "Bagian Pemerintahan Setda Kabupaten Bangka" in rekap
