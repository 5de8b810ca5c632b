"""Reports as versioned records: Draf -> Final, immutability, reproducibility, the export
bundle and its manifest, and the ``spm report`` command."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from pipelines import review
from pipelines.auth.access import Actor
from pipelines.capaian import materi
from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.laporan import bundle
from pipelines.laporan import records as laporan
from pipelines.sop import cycle, detect, evidence, step

YEAR, TW = 2025, 4


def verify_all(db: Database) -> None:
    """Verify every submission of 2025 TW4 still waiting (the demo has one), as the Biro
    does before finalising a report."""
    for (sid,) in db.rows(
        "SELECT id FROM v_submission_rantai WHERE terbaru AND tahun = ? AND triwulan = ? "
        "AND status = 'diajukan'",
        [YEAR, TW],
    ):
        review.verifikasi(db, Actor("analis", "analis"), sid)


def verify_all_at(path) -> None:
    with Database.open(path) as db:
        verify_all(db)


def test_generate_records_a_draft_with_its_files_and_versions(demo_db):
    hasil = laporan.generate(demo_db, YEAR, TW, by="analis-a")
    rec = hasil.laporan
    assert hasil.baru
    assert rec["jenis"] == "laporan-spm-provinsi"
    assert (rec["tahun"], rec["triwulan"], rec["kode_wilayah"], rec["versi"]) == (YEAR, TW, "19", 1)
    assert rec["status"] == "draf" and rec["difinalkan_oleh"] is None
    assert rec["dibuat_oleh"] == "analis-a"
    assert rec["versi_setting"] == demo_db.scalar("SELECT max(versi) FROM setting_version")
    max_id = demo_db.scalar(
        "SELECT max(submission_id) FROM spm_data d JOIN wilayah w ON w.kode = d.kode_wilayah "
        "WHERE w.kode_provinsi = '19' AND tahun = ? AND triwulan = ?",
        [YEAR, TW],
    )
    assert rec["versi_data"].startswith(f"max_id={max_id};")
    stored = laporan.files(demo_db, rec["id"])
    assert [f.isi for f in stored] == [f.isi for f in hasil.berkas]
    assert rec["isi_sha256"] == laporan.content_sha256(stored)
    assert demo_db.scalar(
        "SELECT count(*) FROM audit_log WHERE aksi = 'buat_draf_laporan' AND pengguna = 'analis-a'"
    )


def test_same_inputs_make_no_new_version_and_changed_data_does(demo_db):
    first = laporan.generate(demo_db, YEAR, TW, by="a")
    again = laporan.generate(demo_db, YEAR, TW, by="b")
    assert not again.baru and again.laporan["id"] == first.laporan["id"]
    demo_db.execute(
        "UPDATE spm_data SET jumlah_terlayani = jumlah_terlayani - 1 WHERE kode_wilayah = '19' "
        "AND tahun = ? AND triwulan = ? AND kode_layanan = 'PEND-P-01'",
        [YEAR, TW],
    )
    materi.ubah(demo_db, [("19", YEAR)])
    second = laporan.generate(demo_db, YEAR, TW, by="a")
    assert second.baru and second.laporan["versi"] == 2
    assert second.laporan["isi_sha256"] != first.laporan["isi_sha256"]
    assert second.laporan["versi_data"] != first.laporan["versi_data"]


def test_review_status_change_is_a_new_data_version(demo_db):
    first = laporan.generate(demo_db, YEAR, TW, by="a")
    demo_db.execute(
        "UPDATE submission SET status = 'final' WHERE id = (SELECT max(submission_id) "
        "FROM spm_data WHERE kode_wilayah = '19' AND tahun = ? AND triwulan = ?)",
        [YEAR, TW],
    )
    materi.ubah(demo_db, [("19", YEAR)])
    with pytest.raises(laporan.ReportError, match="telah berubah"):
        laporan.finalise(demo_db, first.laporan["id"], by="a")


def test_final_report_is_immutable_and_reproducible(demo_db):
    verify_all(demo_db)
    draft = laporan.generate(demo_db, YEAR, TW, by="a").laporan
    before = [(f.nama_berkas, f.isi) for f in laporan.files(demo_db, draft["id"])]
    final = laporan.finalise(demo_db, draft["id"], by="kepala-biro")
    assert final["status"] == "final"
    assert final["difinalkan_oleh"] == "kepala-biro" and final["difinalkan_pada"] is not None
    assert final["isi_sha256"] == draft["isi_sha256"]
    with pytest.raises(laporan.ReportError, match="sudah final"):
        laporan.finalise(demo_db, draft["id"], by="a")
    same, message = laporan.verify(demo_db, draft["id"])
    assert same, message
    # Rebuilding from the same inputs returns the Final record, not a new version.
    again = laporan.generate(demo_db, YEAR, TW, by="a")
    assert not again.baru and again.laporan["id"] == draft["id"]
    # Data changes afterwards: a new draft version, the Final one keeps its bytes.
    demo_db.execute(
        "UPDATE spm_data SET permasalahan = 'Perubahan setelah final' WHERE kode_wilayah = '19' "
        "AND tahun = ? AND triwulan = ? AND kode_layanan = 'PU-P-01'",
        [YEAR, TW],
    )
    materi.ubah(demo_db, [("19", YEAR)])
    newer = laporan.generate(demo_db, YEAR, TW, by="a")
    assert newer.baru and newer.laporan["versi"] == 2 and newer.laporan["status"] == "draf"
    assert [(f.nama_berkas, f.isi) for f in laporan.files(demo_db, draft["id"])] == before
    assert laporan.get(demo_db, draft["id"])["status"] == "final"
    same, message = laporan.verify(demo_db, draft["id"])
    assert not same and "berbeda" in message


def test_finalise_refuses_a_draft_whose_data_changed(demo_db):
    draft = laporan.generate(demo_db, YEAR, TW, by="a").laporan
    demo_db.execute(
        "UPDATE spm_data SET jumlah_sasaran = jumlah_sasaran + 10 WHERE kode_wilayah = '19.02' "
        "AND tahun = ? AND triwulan = ? AND kode_layanan = 'KES-K-01'",
        [YEAR, TW],
    )
    materi.ubah(demo_db, [("19.02", YEAR)])
    with pytest.raises(laporan.ReportError, match="buat draf baru"):
        laporan.finalise(demo_db, draft["id"], by="a")
    assert laporan.get(demo_db, draft["id"])["status"] == "draf"


def test_unknown_report_and_empty_period_are_plain_errors(demo_db):
    with pytest.raises(laporan.ReportError, match="tidak ditemukan"):
        laporan.finalise(demo_db, 999, by="a")
    with pytest.raises(laporan.SpmError, match="Belum ada data SPM tahun 2030"):
        laporan.generate(demo_db, 2030, None, by="a")
    with pytest.raises(laporan.SpmError, match="tidak dikenal"):
        laporan.generate(demo_db, YEAR, TW, "77.77", by="a")
    assert demo_db.scalar("SELECT count(*) FROM laporan") == 0


def test_bundle_manifest_lists_every_file_with_its_hash(demo_db):
    verify_all(demo_db)
    draft = laporan.generate(demo_db, YEAR, TW, by="a").laporan
    with pytest.raises(laporan.ReportError, match="masih draf"):
        bundle.export_bundle(demo_db, draft["id"], by="a")
    final = laporan.finalise(demo_db, draft["id"], by="kepala-biro")
    name, content = bundle.export_bundle(demo_db, draft["id"], by="sekda")
    assert name == "ekspor-pusat_laporan-spm-provinsi_19_2025_TW4_v1.zip"
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
        listed = {f["nama"]: f for f in manifest["berkas"]}
        assert set(names) == set(listed) | {"manifest.json"}
        for entry in names:
            if entry == "manifest.json":
                continue
            data = z.read(entry)
            assert listed[entry]["sha256"] == hashlib.sha256(data).hexdigest()
            assert listed[entry]["ukuran"] == len(data)
    stored = {f.nama_berkas: f.sha256 for f in laporan.files(demo_db, draft["id"])}
    assert {n: listed[n]["sha256"] for n in stored} == stored
    assert manifest["versi_data"] == final["versi_data"]
    assert manifest["versi_setting"] == final["versi_setting"]
    assert manifest["difinalkan_oleh"] == "kepala-biro"
    assert manifest["difinalkan_pada"] == final["difinalkan_pada"].isoformat()
    assert manifest["laporan"]["isi_sha256"] == final["isi_sha256"]
    if not demo_db.table_exists("siklus_langkah"):
        assert any("Pelacak SOP" in note for note in manifest["catatan"])
    row = demo_db.dicts("SELECT * FROM laporan_ekspor")
    assert len(row) == 1
    assert row[0]["sha256"] == hashlib.sha256(content).hexdigest()
    assert (row[0]["laporan_id"], row[0]["tahun"], row[0]["triwulan"]) == (draft["id"], YEAR, TW)
    assert row[0]["dibuat_oleh"] == "sekda" and row[0]["nama_berkas"] == name
    # The bundle of a Final report is itself reproducible.
    assert bundle.bundle_bytes(demo_db, draft["id"])[1] == content


def test_region_rekap_is_its_own_record(demo_db):
    hasil = laporan.generate(demo_db, YEAR, 3, "19.01", by="a")
    rec = hasil.laporan
    assert (rec["jenis"], rec["kode_wilayah"], rec["triwulan"]) == ("rekap-kabkota", "19.01", 3)
    assert [f.nama_berkas for f in hasil.berkas] == [
        "rekap-kabkota_19.01_2025_TW3.xlsx",
        "narasi_19.01_2025_TW3.docx",
        "data-spm_19.01_2025_TW3.csv",
    ]


# -- CLI -------------------------------------------------------------------------------
def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_report_finalise_bundle_cycle(demo_db_path, tmp_path):
    out = tmp_path / "out"
    db = str(demo_db_path)
    verify_all_at(demo_db_path)
    result = run("report", "--db", db, "--year", "2025", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "versi 1 (draf)" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "data-spm_19_2025_TW4.csv",
        "laporan-spm-provinsi_19_2025_TW4.xlsx",
        "lppd-bab-iv_19_2025_TW4.xlsx",
        "narasi_19_2025_TW4.docx",
        "rekap-kabkota_19_2025_TW4.xlsx",
        "ringkasan-provinsi_19_2025_TW4.csv",
    ]
    result = run("report", "--db", db, "--year", "2025", "--out", str(out), "--bundle")
    assert result.exit_code == 1
    assert "spm report finalise 1" in result.output
    result = run("report", "finalise", "--db", db, "1")
    assert result.exit_code == 0, result.output
    assert "difinalkan" in result.output
    result = run("report", "finalise", "--db", db, "1")
    assert result.exit_code == 1 and "sudah final" in result.output
    assert "Traceback" not in result.output
    result = run("report", "--db", db, "--year", "2025", "--out", str(out), "--bundle")
    assert result.exit_code == 0, result.output
    assert (out / "ekspor-pusat_laporan-spm-provinsi_19_2025_TW4_v1.zip").exists()
    result = run("report", "verify", "--db", db, "1")
    assert result.exit_code == 0 and "sama persis" in result.output
    result = run("report", "export", "--db", db, "1", "--out", str(tmp_path / "zip"))
    assert result.exit_code == 0, result.output
    result = run("report", "list", "--db", db, "--year", "2025")
    assert "diekspor 2 kali" in result.output
    with Database.open(demo_db_path, read_only=True) as check:
        assert check.scalar("SELECT count(*) FROM laporan_ekspor") == 2


def test_cli_one_step_finalise_and_bundle_for_a_region(demo_db_path, tmp_path):
    result = run(
        "report",
        "--db",
        str(demo_db_path),
        "--year",
        "2025",
        "--triwulan",
        "2",
        "--region",
        "19.02",
        "--out",
        str(tmp_path),
        "--finalise",
        "--bundle",
    )
    assert result.exit_code == 0, result.output
    assert "(final)" in result.output
    assert (tmp_path / "ekspor-pusat_rekap-kabkota_19.02_2025_TW2_v1.zip").exists()


def test_cli_user_errors_are_one_sentence(demo_db_path, tmp_path):
    result = run("report", "--db", str(demo_db_path), "--year", "2031", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.startswith("Galat: Belum ada data SPM tahun 2031")
    result = run("report", "--db", str(demo_db_path), "--year", "2025")
    assert result.exit_code == 2
    result = run("report", "export", "--db", str(demo_db_path), "5", "--out", str(tmp_path))
    assert result.exit_code == 1 and "tidak ditemukan" in result.output


def test_library_refuses_a_reader_role():
    from pipelines.errors import AccessDenied

    with pytest.raises(AccessDenied, match="Hanya administrator dan analis"):
        laporan.check_can_write(Actor("pimpinan", "pimpinan"))
    laporan.check_can_write(Actor("analis", "analis"))


def test_cli_refuses_a_reader_role(demo_db_path, tmp_path):
    with Database.open(demo_db_path) as db:
        db.execute(
            "INSERT INTO pengguna (username, nama, peran) VALUES ('pimpinan1', 'Pimpinan', "
            "'pimpinan')"
        )
    result = run(
        "--as",
        "pimpinan1",
        "report",
        "--db",
        str(demo_db_path),
        "--year",
        "2025",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 1
    assert "Hanya administrator dan analis" in result.output


def test_bundle_carries_the_sop_phase_b_evidence(demo_db):
    actor = Actor("analis-uji", "analis")
    cycle_year = YEAR + 1  # phase B of the 2026 cycle reports 2025
    if step.cycle(demo_db, cycle_year) is None:
        cycle.start(demo_db, cycle_year, actor=actor)
    notulen = b"%PDF-1.4 notulen koordinasi kabupaten/kota"
    evidence.attach(demo_db, cycle_year, "B4", "notulen-koordinasi.pdf", notulen, actor=actor)
    verify_all(demo_db)
    draft = laporan.generate(demo_db, YEAR, TW, by="a").laporan
    laporan.finalise(demo_db, draft["id"], by="kepala-biro")
    _, content = bundle.export_bundle(demo_db, draft["id"], by="sekda")
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert z.read("bukti_sop/B4_notulen-koordinasi.pdf") == notulen
        steps = z.read("bukti_sop/langkah_fase_b.csv").decode("utf-8-sig")
        manifest = json.loads(z.read("manifest.json"))
    assert len(steps.strip().splitlines()) == 1 + 7
    assert "bukti_sop/B4_notulen-koordinasi.pdf" in {f["nama"] for f in manifest["berkas"]}
    found = detect.detect(demo_db, cycle_year)
    assert {("B", 5), ("B", 6), ("B", 7)} <= set(found)


def test_finalise_and_export_complete_sop_steps_b5_to_b7(demo_db_path, tmp_path):
    with Database.open(demo_db_path) as db:
        if step.cycle(db, YEAR + 1) is None:
            cycle.start(db, YEAR + 1, actor=Actor("analis", "analis"))
        verify_all(db)
    db_arg = str(demo_db_path)
    assert run("report", "--db", db_arg, "--year", "2025", "--out", str(tmp_path)).exit_code == 0
    result = run("report", "finalise", "--db", db_arg, "1")
    assert result.exit_code == 0, result.output
    assert "B5" in result.output
    result = run("report", "export", "--db", db_arg, "1", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "B6" in result.output and "B7" in result.output
    with Database.open(demo_db_path, read_only=True) as db:
        steps = cycle.steps(db, YEAR + 1, detect_auto=False)
    done = steps[(steps["fase"] == "B") & (steps["nomor"].isin([5, 6, 7]))]
    assert set(done["status"]) == {"selesai"}
