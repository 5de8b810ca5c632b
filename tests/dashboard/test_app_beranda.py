from pipelines.core import fmt
from pipelines.db.store import Database
from tests.apptest import run_app, texts


def test_beranda_shows_demo_figures(demo_db_path):
    at = run_app(demo_db_path)
    assert not at.exception and not at.error
    shown = texts(at)
    assert "Kepulauan Bangka Belitung" in shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kabupaten/kota"] == "7"
    assert metrics["Jenis pelayanan dasar"] == "43"
    with Database.open(demo_db_path, read_only=True) as db:
        nilai = db.scalar(
            "SELECT nilai FROM v_spm_wilayah WHERE kode_wilayah = '19.02' "
            "ORDER BY tahun DESC, triwulan DESC LIMIT 1"
        )
    table = at.table[0].value
    assert table.loc["19.02", "IP-SPM"] == fmt.angka(nilai, 2)


def test_beranda_on_empty_database_says_how_to_load(db, db_path):
    db.close()
    at = run_app(db_path)
    assert not at.exception
    assert "Belum ada data" in texts(at)
    assert len(at.table) == 0
