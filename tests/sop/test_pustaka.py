"""The library of procedures: the kabupaten/kota LPPD and LKPj of seed 002, cycles per
procedure and region, who runs them, the Biro watching all kabupaten/kota, and old
cycles surviving the migration."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.auth import users
from pipelines.auth.access import Actor
from pipelines.cli.root import cli
from pipelines.core import settings
from pipelines.db.store import MIGRATIONS_DIR, Database
from pipelines.errors import AccessDenied
from pipelines.sop import cycle, definition, evidence, pantau, step, transitions
from pipelines.sop.step import Ref, SiklusError

D = dt.date
TODAY = D(2026, 11, 30)
# National holidays of 2026 that fall in the LPPD's three months (and New Year).
LIBUR_2026 = ["2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-20"]
ANALIS = Actor("analis1", "analis")
KAB_BANGKA = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
KAB_BELITUNG = Actor("kab-19.02", "pengunggah_kabkota", kode_wilayah="19.02")
SEED_LPPD_STEPS = [
    "Bagian Pemerintahan mengumpulkan bahan/data LPPD",
    "Bagian Pemerintahan menyusun konsep LPPD",
    "Bagian Pemerintahan mengundang semua OPD untuk mengumpulkan data yang diperlukan dalam "
    "menyusun LPPD",
    "OPD mengumpulkan data ke Bagian Tata Pemerintahan",
    "Bagian Pemerintahan mengolah dan mengentri data LPPD",
    "Draf awal LPPD diverifikasi oleh masing-masing OPD",
    "LPPD yang sudah final diserahkan ke Bupati untuk ditandatangani",
    "Bupati menandatangani LPPD",
    "LPPD dikembalikan ke Bagian Pemerintahan",
    "LPPD disampaikan ke Menteri Dalam Negeri melalui Gubernur",
]


def spm(db_path, *args, as_user=None, code=0):
    prefix = ["--as", as_user] if as_user else []
    result = CliRunner().invoke(cli, [*prefix, *args, "--db", str(db_path)])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def lib_db(db):
    settings.save(db, {"libur_nasional": LIBUR_2026}, by="test")
    return db


def test_spm_sop_list_shows_the_three_procedures(db, db_path):
    db.close()
    out = CliRunner().invoke(cli, ["sop", "list", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    lines = [line for line in out.output.splitlines() if line and not line.startswith(" ")]
    assert [line.split()[0] for line in lines] == ["spm-provinsi", "lppd-kabkota", "lkpj-kabkota"]
    assert "10 langkah" in lines[1] and "kabupaten/kota" in lines[1]
    assert "8 langkah" in lines[2]
    assert out.output.count("batas waktu: 31 Maret tahun berikutnya") == 2


def test_the_lppd_procedure_transcribes_seed_002(lib_db):
    proc = definition.current(lib_db, kode="lppd-kabkota")
    assert proc.tingkat == "kabupaten/kota"
    assert [s.aktivitas for s in proc.steps] == SEED_LPPD_STEPS
    assert [s.pelaku for s in proc.steps][:4] == ["Bagian Pemerintahan"] * 3 + ["OPD"]
    assert proc.steps[7].pelaku == "Bupati/Wali Kota"
    assert proc.steps[-1].keluaran.startswith("Laporan LPPD")
    assert proc.batas.teks == "31 Maret tahun berikutnya"
    lkpj = definition.current(lib_db, kode="lkpj-kabkota")
    assert len(lkpj.steps) == 8
    assert lkpj.steps[-1].aktivitas.startswith("Dokumen LKPj disampaikan kepada DPRD")


def test_cli_starts_a_kabkota_lppd_cycle_of_ten_steps_ending_by_31_march(lib_db, db_path):
    lib_db.close()
    out = spm(
        db_path, "siklus", "start", "--sop", "lppd-kabkota", "--region", "19.01", "--year", "2026"
    )
    assert "Siklus lppd-kabkota 19.01 2026 dimulai: 10 langkah" in out
    assert "batas waktu 31 Maret 2026" in out and "PERINGATAN" not in out
    with Database.open(db_path, read_only=True) as db:
        frame = cycle.steps(db, Ref("lppd-kabkota", "19.01", 2026), today=D(2026, 1, 2))
        assert list(frame["aktivitas"]) == SEED_LPPD_STEPS
        assert set(frame["tahun_laporan"]) == {2025}  # the LPPD of the year just ended
        assert frame["rencana_mulai"].iloc[0] == D(2026, 1, 2)  # 1 January is a holiday
        assert max(frame["rencana_selesai"]) <= D(2026, 3, 31)
        assert cycle.deadline(db, Ref("lppd-kabkota", "19.01", 2026)) == D(2026, 3, 31)
        # Each step starts the working day after the one before ends.
        for before, after in zip(frame.itertuples(), frame.iloc[1:].itertuples(), strict=False):
            assert after.rencana_mulai > before.rencana_selesai
    shown = spm(
        db_path, "siklus", "show", "--sop", "lppd-kabkota", "--region", "19.01", "--year", "2026"
    )
    assert "Batas waktu siklus lppd-kabkota 19.01 2026: 31 Maret 2026." in shown


def test_cycles_are_per_procedure_and_region_and_the_biros_still_works(lib_db):
    cycle.start(lib_db, 2026, actor=ANALIS)  # the Biro's SOP, as before
    cycle.start(lib_db, Ref("lppd-kabkota", "19.01", 2026), actor=ANALIS)
    cycle.start(lib_db, Ref("lppd-kabkota", "19.02", 2026), actor=ANALIS)
    cycle.start(lib_db, Ref("lkpj-kabkota", "19.01", 2026), actor=ANALIS)
    assert len(cycle.steps(lib_db, 2026, today=TODAY)) == 15
    assert len(cycle.steps(lib_db, Ref("lkpj-kabkota", "19.01", 2026), today=TODAY)) == 8
    transitions.start_step(lib_db, 2026, "A1", actor=ANALIS, today=TODAY)
    transitions.start_step(
        lib_db, Ref("lppd-kabkota", "19.01", 2026), "A1", actor=KAB_BANGKA, today=TODAY
    )
    # Moving one cycle's step leaves every other cycle's A1 as it was.
    assert cycle.steps(lib_db, 2026, today=TODAY).iloc[0]["status"] == "berjalan"
    assert (
        cycle.steps(lib_db, Ref("lppd-kabkota", "19.02", 2026), today=TODAY).iloc[0]["status"]
        == "belum mulai"
    )
    assert (
        cycle.steps(lib_db, Ref("lkpj-kabkota", "19.01", 2026), today=TODAY).iloc[0]["status"]
        == "belum mulai"
    )
    assert cycle.years(lib_db) == [2026]
    assert cycle.years(lib_db, "lppd-kabkota", "19.02") == [2026]
    with pytest.raises(SiklusError, match="bukan kabupaten/kota provinsi 19"):
        step.ref_for(lib_db, "lppd-kabkota", "32.01", 2026)
    with pytest.raises(SiklusError, match="sebutkan wilayahnya"):
        step.ref_for(lib_db, "lppd-kabkota", None, 2026)
    with pytest.raises(SiklusError, match="sudah dimulai"):
        cycle.start(lib_db, Ref("lppd-kabkota", "19.01", 2026), actor=ANALIS)


def test_a_kabkota_uploader_runs_only_its_own_cycle(lib_db):
    ref = Ref("lppd-kabkota", "19.01", 2026)
    cycle.start(lib_db, ref, actor=KAB_BANGKA)
    transitions.start_step(lib_db, ref, "A1", actor=KAB_BANGKA, tanggal=D(2026, 1, 5), today=TODAY)
    transitions.finish_step(lib_db, ref, "A1", actor=KAB_BANGKA, tanggal=D(2026, 1, 9), today=TODAY)
    transitions.assign(lib_db, ref, "A2", "Nurul Aini", actor=KAB_BANGKA)
    bukti = evidence.attach(lib_db, ref, "A1", "bahan_lppd.pdf", b"%PDF bahan", actor=KAB_BANGKA)
    assert evidence.read(lib_db, bukti, actor=KAB_BANGKA) == ("bahan_lppd.pdf", b"%PDF bahan")
    frame = cycle.steps(lib_db, ref, today=TODAY, actor=KAB_BANGKA)
    assert frame.iloc[0]["status"] == "selesai" and frame.iloc[0]["jumlah_bukti"] == 1
    # Another region's uploader neither changes nor reads it; the analis reads only.
    with pytest.raises(AccessDenied):
        transitions.start_step(lib_db, ref, "A2", actor=KAB_BELITUNG, today=TODAY)
    with pytest.raises(AccessDenied):
        cycle.steps(lib_db, ref, today=TODAY, actor=KAB_BELITUNG)
    with pytest.raises(AccessDenied):
        evidence.read(lib_db, bukti, actor=KAB_BELITUNG)
    with pytest.raises(AccessDenied, match="dijalankan oleh kabupaten/kota itu sendiri"):
        transitions.start_step(lib_db, ref, "A2", actor=ANALIS, today=TODAY)
    assert len(cycle.steps(lib_db, ref, today=TODAY, actor=ANALIS)) == 10
    with pytest.raises(AccessDenied):
        cycle.start(lib_db, Ref("lppd-kabkota", "19.02", 2026), actor=KAB_BANGKA)
    with pytest.raises(AccessDenied):  # nor the Biro's own SOP
        cycle.start(lib_db, 2027, actor=KAB_BANGKA)


def test_spm_as_a_kabkota_uploader_moves_its_own_steps(lib_db, db_path):
    for name, kode in (("kab-19.01", "19.01"), ("kab-19.02", "19.02")):
        users.create_account(
            lib_db,
            "test",
            name,
            "pengunggah_kabkota",
            users.hash_password("rahasia-panjang"),
            kode_wilayah=kode,
        )
    lib_db.close()
    out = spm(
        db_path, "siklus", "start", "--sop", "lppd-kabkota", "--year", "2026", as_user="kab-19.01"
    )
    assert "19.01" in out  # its own region by default
    out = spm(
        db_path,
        "siklus",
        "step",
        "start",
        "--sop",
        "lppd-kabkota",
        "--year",
        "2026",
        "A1",
        "--date",
        "2026-01-05",
        as_user="kab-19.01",
    )
    assert "Langkah A1 siklus lppd-kabkota 19.01 2026: berjalan." in out
    refused = spm(
        db_path,
        "siklus",
        "step",
        "finish",
        "--sop",
        "lppd-kabkota",
        "--region",
        "19.01",
        "--year",
        "2026",
        "A1",
        as_user="kab-19.02",
        code=1,
    )
    assert "hanya pengunggahnya dan administrator" in refused
    refused = spm(
        db_path,
        "siklus",
        "show",
        "--sop",
        "lppd-kabkota",
        "--region",
        "19.01",
        "--year",
        "2026",
        as_user="kab-19.02",
        code=1,
    )
    assert "tidak berhak melihat" in refused


def _play(db, ref, done: int, *, finish_late=False, waiting=False):
    """Finish ``done`` steps of ``ref`` on their planned dates (or late)."""
    frame = cycle.steps(db, ref, today=TODAY)
    for r in frame.itertuples():
        if r.nomor > done:
            if waiting:
                transitions.start_step(
                    db, ref, r.kode, actor=Actor("a", "admin"), tanggal=r.rencana_mulai, today=TODAY
                )
                transitions.send_back(
                    db,
                    ref,
                    r.kode,
                    actor=Actor("a", "admin"),
                    tanggal=r.rencana_selesai,
                    today=TODAY,
                    alasan="data",
                )
            break
        end = r.rencana_selesai + dt.timedelta(days=30 if finish_late else 0)
        transitions.start_step(
            db, ref, r.kode, actor=Actor("a", "admin"), tanggal=r.rencana_mulai, today=TODAY
        )
        transitions.finish_step(
            db, ref, r.kode, actor=Actor("a", "admin"), tanggal=end, today=TODAY
        )


def test_the_biro_sees_every_kabkota_step_deadline_lateness_and_whom_to_remind(lib_db):
    users.create_account(
        lib_db,
        "test",
        "kab-19.05",
        "pengunggah_kabkota",
        users.hash_password("x" * 12),
        kode_wilayah="19.05",
        email="bagpem@bangkabaratkab.go.id",
    )
    for kode in ("19.01", "19.02", "19.03", "19.04", "19.05"):
        cycle.start(lib_db, Ref("lppd-kabkota", kode, 2026), actor=ANALIS)
    _play(lib_db, Ref("lppd-kabkota", "19.01", 2026), 10)
    _play(lib_db, Ref("lppd-kabkota", "19.02", 2026), 10, finish_late=True)
    _play(lib_db, Ref("lppd-kabkota", "19.03", 2026), 4, waiting=True)
    _play(lib_db, Ref("lppd-kabkota", "19.04", 2026), 2)
    on = D(2026, 3, 20)
    frame = pantau.overview(lib_db, "lppd-kabkota", 2026, today=on).set_index("kode_wilayah")
    assert list(frame.index) == ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]
    assert frame.loc["19.01", "keadaan"] == "Selesai tepat waktu"
    assert frame.loc["19.02", "keadaan"] == "Selesai terlambat"  # finished 30 days late
    assert frame.loc["19.03", "status_sekarang"] == "menunggu perbaikan"
    assert frame.loc["19.04", "langkah_sekarang"] == "A3" and frame.loc["19.04", "terlambat"]
    assert frame.loc["19.05", "keadaan"] == "Terlambat"  # started, nothing done in time
    assert frame.loc["19.06", "keadaan"] == "Belum dimulai" and not frame.loc["19.06", "dimulai"]
    assert frame.loc["19.04", "sisa_hari"] == 11  # 20 March -> 31 March
    assert frame.loc["19.04", "batas_waktu"] == D(2026, 3, 31)
    remind = pantau.reminders(lib_db, "lppd-kabkota", 2026, today=on).set_index("kode_wilayah")
    assert "19.01" not in remind.index and "19.02" not in remind.index
    assert remind.loc["19.06", "alasan"] == "Siklus belum dimulai"
    assert remind.loc["19.05", "akun"] == "kab-19.05"
    assert remind.loc["19.05", "email"] == "bagpem@bangkabaratkab.go.id"
    # After the deadline, the unfinished ones are past it.
    late = pantau.overview(lib_db, "lppd-kabkota", 2026, today=D(2026, 4, 2)).set_index(
        "kode_wilayah"
    )
    assert (
        late.loc["19.04", "keadaan"] == "Lewat batas waktu" and late.loc["19.04", "sisa_hari"] == -2
    )
    matrix = pantau.step_matrix(lib_db, "lppd-kabkota", 2026, today=on)
    assert len(matrix) == 7 * 10
    own = matrix[matrix["kode_wilayah"] == "19.03"].set_index("nomor")["status_langkah"]
    assert own[5] == "menunggu perbaikan" and own[1] in ("selesai", "selesai terlambat")
    # A kabupaten/kota uploader sees only its own row; an OPD uploader nothing.
    assert list(
        pantau.overview(lib_db, "lppd-kabkota", 2026, today=on, actor=KAB_BANGKA)["kode_wilayah"]
    ) == ["19.01"]
    with pytest.raises(AccessDenied):
        pantau.overview(
            lib_db, "lppd-kabkota", 2026, actor=Actor("o", "pengunggah_opd", kode_opd="dinkes")
        )
    # The Biro's view reads every cycle at once: the same steps as one cycle at a time
    # (revisions, evidence counts and lateness included).
    refs = [Ref("lppd-kabkota", kode, 2026) for kode in ("19.01", "19.03", "19.05", "19.06")]
    every = cycle.steps_of(lib_db, refs, today=on)
    assert sorted(r.wilayah for r in every) == ["19.01", "19.03", "19.05"]  # 19.06 not begun
    assert every[refs[1]]["jumlah_perbaikan"].sum() > 0
    for ref, steps in every.items():
        pd.testing.assert_frame_equal(steps, cycle.steps(lib_db, ref, today=on))


def test_cli_overview_and_reminders(lib_db, db_path):
    cycle.start(lib_db, Ref("lppd-kabkota", "19.01", 2026), actor=ANALIS)
    lib_db.close()
    out = spm(db_path, "siklus", "overview", "--year", "2026", "--format", "csv")
    header, *rows = out.strip().splitlines()
    assert header.startswith("kode_wilayah,nama_wilayah,dimulai,jumlah_langkah")
    assert len(rows) == 7 and rows[0].startswith("19.01,Kabupaten Bangka,ya,10,0")
    out = spm(db_path, "siklus", "reminders", "--year", "2026")
    assert "Kota Pangkal Pinang" in out and "Siklus belum dimulai" in out
    header = out.strip().splitlines()[0].split()
    assert header[:3] == ["kode", "kabupaten/kota", "alasan"] and "e-mail" in header
    assert not [word for word in header if "_" in word]  # people's words, not column names


def test_start_all_starts_the_missing_kabkota_cycles_once(lib_db):
    cycle.start(lib_db, Ref("lkpj-kabkota", "19.03", 2026), actor=ANALIS)
    started = cycle.start_all(lib_db, "lkpj-kabkota", 2026, actor=ANALIS)
    assert started == ["19.01", "19.02", "19.04", "19.05", "19.06", "19.71"]
    assert cycle.start_all(lib_db, "lkpj-kabkota", 2026, actor=ANALIS) == []


def test_old_cycles_survive_the_migration_to_the_library(tmp_path):
    """A database made before the library (one SOP, one cycle per year) keeps its cycle,
    steps, notes, revisions and evidence, now as the Biro's SOP of province 19."""
    path = tmp_path / "old.duckdb"
    db = Database.open(path, migrate=False)
    db.execute(
        "CREATE TABLE _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    for sql in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if sql.stem >= "0900":
            break
        db.execute(sql.read_text(encoding="utf-8"))
        db.execute("INSERT INTO _migrations (name) VALUES (?)", [sql.stem])
    db.execute(
        "INSERT INTO sop_versi (versi, judul, sha256, dokumen, dimuat_oleh) "
        "VALUES (1, 'SOP lama', 'abc', '{}', 'x')"
    )
    db.execute(
        "INSERT INTO siklus (tahun, sop_versi, tanggal_mulai, libur_nasional, dimulai_oleh) "
        "VALUES (2025, 1, DATE '2025-01-02', '[]', 'x')"
    )
    db.execute(
        "INSERT INTO siklus_langkah (tahun, fase, nomor, tahun_laporan, judul_fase, aktivitas, "
        "pelaku, durasi_nilai, durasi_satuan, rencana_mulai, rencana_selesai, mulai, status) VALUES "
        "(2025, 'A', 1, 2025, 'Fase A', 'Disposisi', 'Sekda', 1, 'hari', DATE '2025-01-02', "
        "DATE '2025-01-02', DATE '2025-01-02', 'menunggu perbaikan')"
    )
    db.execute(
        "INSERT INTO siklus_perbaikan (tahun, fase, nomor, ke, mulai, dicatat_oleh) "
        "VALUES (2025, 'A', 1, 1, DATE '2025-01-03', 'x')"
    )
    db.execute(
        "INSERT INTO siklus_catatan (tahun, fase, nomor, isi, ditulis_oleh) VALUES (2025, 'A', 1, 'lama', 'x')"
    )
    db.execute(
        "INSERT INTO siklus_bukti (tahun, fase, nomor, nama_berkas, sha256, ukuran, diunggah_oleh) "
        "VALUES (2025, 'A', 1, 'sk.pdf', 'ff', 3, 'x')"
    )
    db.migrate()
    assert cycle.years(db) == [2025]
    frame = cycle.steps(db, 2025, today=D(2025, 2, 1))
    assert frame.iloc[0]["status"] == "menunggu perbaikan" and frame.iloc[0]["jumlah_bukti"] == 1
    assert transitions.notes(db, 2025, "A1")["isi"].tolist() == ["lama"]
    transitions.resume_step(
        db, 2025, "A1", actor=ANALIS, tanggal=D(2025, 1, 6), today=D(2025, 2, 1)
    )
    assert transitions.revisions(db, 2025, "A1")["selesai"].notna().all()
    assert definition.versions(db)[0]["judul"] == "SOP lama"
    db.close()
