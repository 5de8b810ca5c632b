"""The Laporan page through the app's entry file (AppTest)."""

from __future__ import annotations

from pipelines import review
from pipelines.auth.access import Actor
from pipelines.capaian.labels import IP_SPM_PEMPROV
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.laporan import pdf, records
from tests.apptest import run_app, texts


def test_preview_generate_finalise_and_export(demo_db_path):
    with Database.open(demo_db_path) as db:  # the Biro verifies the file still waiting
        review.verifikasi(db, Actor("analis", "analis"), 46)
    at = run_app(demo_db_path, "laporan.py")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Pratinjau — Triwulan IV 2025" in shown
    with Database.open(demo_db_path, read_only=True) as db:
        ip = db.scalar(
            "SELECT nilai FROM v_spm_wilayah WHERE kode_wilayah = '19' AND tahun = 2025 "
            "AND triwulan = 4"
        )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[IP_SPM_PEMPROV.nama] == fmt.angka(ip, 2)
    assert "Belum ada laporan untuk tahun ini" in shown

    at.button(key="laporan_buat").click().run()
    assert not at.exception, at.exception
    assert any("Draf tersimpan" in s.value for s in at.success)
    assert len(at.expander) == 1
    with Database.open(demo_db_path, read_only=True) as db:
        rec = records.get(db, 1)
    assert rec["status"] == "draf" and rec["dibuat_oleh"] == "admin"

    at.button(key="finalkan_1").click().run()
    assert not at.exception, at.exception
    with Database.open(demo_db_path, read_only=True) as db:
        assert records.get(db, 1)["status"] == "final"
    at.button(key="siapkan_1").click().run()
    assert not at.exception, at.exception
    with Database.open(demo_db_path, read_only=True) as db:
        assert db.scalar("SELECT count(*) FROM laporan_ekspor WHERE laporan_id = 1") == 1


def test_region_and_quarter_choice(demo_db_path):
    at = run_app(demo_db_path, "laporan.py")
    at.selectbox(key="laporan_wilayah").set_value("19.02").run()
    at.selectbox(key="laporan_triwulan").set_value("Triwulan II").run()
    assert not at.exception, at.exception
    assert "Pratinjau — Triwulan II 2025" in texts(at)


def test_pimpinan_reads_and_downloads_but_cannot_build(demo_db_path):
    with Database.open(demo_db_path) as db:
        records.generate(db, 2025, 4, by="analis")
    at = run_app(demo_db_path, "laporan.py", actor=Actor("pimpinan", "pimpinan"))
    assert not at.exception, at.exception
    assert "Pratinjau — Triwulan IV 2025" in texts(at)
    keys = {b.key for b in at.button}
    assert "laporan_buat" not in keys and "finalkan_1" not in keys
    labels = [b.proto.label for b in at.get("download_button")]
    files = [label for label in labels if not label.startswith("PDF ")]
    assert len(files) == 6  # five files and the province's one-row CSV
    if pdf.available():  # the narrative and the provincial workbook, made on click
        assert sorted(label for label in labels if label.startswith("PDF ")) == [
            "PDF Draf narasi laporan",
            "PDF Laporan Penerapan dan Pencapaian SPM Provinsi",
        ]
    assert "Pimpinan dapat melihat" in texts(at)


def test_without_libreoffice_the_page_says_how_to_get_pdfs(demo_db_path, tmp_path, monkeypatch):
    with Database.open(demo_db_path) as db:
        records.generate(db, 2025, 4, by="analis")
    monkeypatch.setenv("PATH", str(tmp_path))  # a server without soffice
    at = run_app(demo_db_path, "laporan.py", actor=Actor("pimpinan", "pimpinan"))
    assert not at.exception, at.exception
    assert "apt-get install libreoffice-writer-nogui" in texts(at)
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("PDF ")]
    assert "Pimpinan dapat melihat" in texts(at)


def test_pimpinan_is_not_told_to_press_a_button_it_lacks(demo_db_path):
    at = run_app(demo_db_path, "laporan.py", actor=Actor("pimpinan", "pimpinan"))
    assert not at.exception, at.exception
    shown = texts(at)
    assert "buat draf dengan tombol di atas" not in shown
    assert "Belum ada laporan untuk tahun ini; draf dibuat oleh analis Biro Pemerintahan." in shown


def test_uploader_is_refused(demo_db_path):
    at = run_app(
        demo_db_path, "laporan.py", actor=Actor("kab-19.01", "pengunggah_kabkota", "19.01")
    )
    assert not at.exception
    # Not in the uploader's navigation, and the page itself refuses the role.
    shown = texts(at)
    assert "Laporan SPM" not in shown and "Buat draf laporan" not in shown
    assert "laporan_buat" not in {b.key for b in at.button}
