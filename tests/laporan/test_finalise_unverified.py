"""Unverified data is marked for leaders and never slips into a Final report unnoticed:
``spm report finalise`` (and the page's button) refuses while a figure rests on data not
diverifikasi/final, naming those submissions; ``--paksa`` (a checkbox in the app)
finalises anyway and records the list in the report and in ``manifest.json``."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import openpyxl
from click.testing import CliRunner

from pipelines import review
from pipelines.auth.access import Actor
from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.ingest import commit
from pipelines.laporan import records
from tests.apptest import check_clean, run_app, texts
from tests.ingest_helpers import ADMIN, fill, make_template

YEAR, TW = 2025, 4
ANALIS = Actor("analis", "analis")
PIMPINAN = Actor("pimpinan", "pimpinan")
# In the demo, Kabupaten Bangka Selatan's 2025 TW4 file (#46) is still diajukan.
WAITING = "#46 SPM Kabupaten Bangka Selatan (diajukan)"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _send_again(db: Database, tmp_path: Path) -> int:
    """Kabupaten Bangka Barat's verified 2025 TW4 file is sent back, fixed and sent again
    (a new submission, status diajukan); returns its number."""
    old = db.scalar(
        "SELECT id FROM submission WHERE form = 'spm-kabkota' AND kode_wilayah = '19.05' "
        "AND tahun = ? AND triwulan = ?",
        [YEAR, TW],
    )
    review.kembalikan(db, ANALIS, old, "Sasaran KES-K-01 tidak sesuai data Dinkes.", {})
    template = make_template(db, tmp_path / "tpl.xlsx", region="19.05", year=YEAR, tw=TW)
    fixed = fill(template, tmp_path / "perbaikan.xlsx", {"KES-K-01": {"jumlah_terlayani": 10}})
    result = commit.ingest_file(db, fixed, ADMIN)
    assert result.committed, [p.text() for p in result.problems]
    return result.submission_id


def test_leaders_headline_says_when_data_behind_it_is_not_verified(demo_db_path, tmp_path):
    with Database.open(demo_db_path) as db:
        sid = _send_again(db, tmp_path)
        assert review.get(db, sid)["status"] == "diajukan"
    at = run_app(demo_db_path, "ringkasan.py", actor=PIMPINAN)
    check_clean(at)
    warning = " ".join(w.value for w in at.warning)
    assert "2 dari 5 kabupaten/kota yang melapor belum diverifikasi" in warning
    assert "Kabupaten Bangka Barat (diajukan)" in warning
    assert "Kabupaten Bangka Selatan (diajukan)" in warning
    assert ":material/warning: 2 dari 5 kabupaten/kota belum diverifikasi" in texts(at)


def test_cli_finalise_refuses_unverified_data_then_paksa_records_the_list(demo_db_path, tmp_path):
    db_arg = str(demo_db_path)
    out = tmp_path / "out"
    assert run("report", "--db", db_arg, "--year", "2025", "--out", str(out)).exit_code == 0
    refused = run("report", "finalise", "--db", db_arg, "1")
    assert refused.exit_code == 1
    assert WAITING in refused.output and "--paksa" in refused.output
    with Database.open(demo_db_path, read_only=True) as db:
        assert records.get(db, 1)["status"] == "draf"
    forced = run("report", "finalise", "--db", db_arg, "1", "--paksa")
    assert forced.exit_code == 0, forced.output
    assert WAITING in forced.output
    exported = run("report", "export", "--db", db_arg, "1", "--out", str(tmp_path / "zip"))
    assert exported.exit_code == 0, exported.output
    bundle = next((tmp_path / "zip").glob("*.zip"))
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        workbook = openpyxl.load_workbook(
            io.BytesIO(z.read("laporan-spm-provinsi_19_2025_TW4.xlsx"))
        )
        narasi = docx.Document(io.BytesIO(z.read("narasi_19_2025_TW4.docx")))
    assert any(WAITING in note for note in manifest["catatan"]), manifest["catatan"]
    # The report itself lists them: the Ringkasan sheet and the DOCX cover.
    cells = [c for row in workbook["Ringkasan"].iter_rows(values_only=True) for c in row if c]
    assert any(WAITING in str(c) for c in cells)
    assert any(WAITING in p.text for p in narasi.paragraphs)
    with Database.open(demo_db_path, read_only=True) as db:
        record = records.get(db, 1)
        assert record["status"] == "final" and record["dipaksa"]
        assert WAITING in " ".join(records.catatan_final(record))
        audit = db.scalar(
            "SELECT keterangan FROM audit_log WHERE aksi = 'finalkan_laporan' ORDER BY id DESC"
        )
    assert WAITING in audit


def test_a_verified_report_finalises_without_paksa_and_its_manifest_says_nothing(demo_db):
    review.verifikasi(demo_db, ANALIS, 46)
    draft = records.generate(demo_db, YEAR, TW, by="analis").laporan
    final = records.finalise(demo_db, draft["id"], by="analis")
    assert final["status"] == "final" and not final["dipaksa"]
    assert records.catatan_final(final) == []


def test_laporan_page_refuses_then_finalises_with_the_checkbox(demo_db_path):
    with Database.open(demo_db_path) as db:
        draft = records.generate(db, YEAR, TW, by="analis").laporan
    at = run_app(demo_db_path, "laporan.py", actor=ANALIS)
    check_clean(at)
    rid = draft["id"]
    assert any(WAITING in w.value for w in at.warning)
    at.button(key=f"finalkan_{rid}").click().run()
    assert any(WAITING in e.value for e in at.error)
    with Database.open(demo_db_path, read_only=True) as db:
        assert records.get(db, rid)["status"] == "draf"
    at.checkbox(key=f"paksa_{rid}").check().run()
    at.button(key=f"finalkan_{rid}").click().run()
    with Database.open(demo_db_path, read_only=True) as db:
        record = records.get(db, rid)
    assert record["status"] == "final" and record["dipaksa"]
    assert WAITING in " ".join(records.catatan_final(record))


def test_map_and_lppd_figures_say_when_data_is_not_verified(demo_db_path):
    with Database.open(demo_db_path) as db:
        db.execute(
            "UPDATE submission SET status = 'diajukan' WHERE form = 'lppd-ikk' "
            "AND kode_wilayah = '19.04' AND tahun = 2024"
        )
    at = run_app(demo_db_path, "lppd.py", actor=PIMPINAN)
    check_clean(at)
    warning = " ".join(w.value for w in at.warning)
    assert "Kabupaten Bangka Tengah (diajukan)" in warning and "belum diverifikasi" in warning
    at = run_app(demo_db_path, "peta.py", actor=PIMPINAN)
    check_clean(at)
    # #46 (Kabupaten Bangka Selatan) is still diajukan: its value carries the asterisk on
    # the map and in the table beside it, and no other region's does.
    table = at.dataframe[0].value.set_index("Wilayah")
    marked = {name for name, value in table["IP-SPM"].items() if value.endswith("*")}
    assert marked == {"Kabupaten Bangka Selatan"}
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    labels = {
        f["nama"]: f["nilai_teks"]
        for values in spec.get("datasets", {}).values()
        for f in values
        if isinstance(f, dict) and "nilai_teks" in f
    }
    assert {name for name, text in labels.items() if text.endswith("*")} == marked
    assert "* = data belum diverifikasi" in texts(at)
