"""The pages of the other two seeds through the app's entry file (AppTest): Pemantauan
LPPD/LKPj, Siklus SOP for a kabupaten/kota, Standar Pelayanan, Survei Kepuasan and
Pengaduan, each as the roles that use it, on the demo data."""

from __future__ import annotations

import datetime as dt

from pipelines.auth.access import Actor
from pipelines.db.store import Database
from pipelines.pelayanan import pengaduan_baca
from pipelines.sop import cycle
from pipelines.sop.step import Ref
from tests.apptest import check_clean, run_app, texts

ANALIS = Actor("analis", "analis")
PIMPINAN = Actor("pimpinan", "pimpinan")
KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
KAB_TIMUR = Actor("kab-19.06", "pengunggah_kabkota", kode_wilayah="19.06")
DINKES = Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes")
BABEL = [
    "Kabupaten Bangka",
    "Kabupaten Belitung",
    "Kabupaten Bangka Selatan",
    "Kabupaten Bangka Tengah",
    "Kabupaten Bangka Barat",
    "Kabupaten Belitung Timur",
    "Kota Pangkal Pinang",
]


def frame_of(at, index=0):
    return at.dataframe[index].value


def frame_with(at, column):
    """The first table on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_pemantauan_shows_all_seven_kabkota_at_their_steps(demo_db_path):
    at = run_app(demo_db_path, "siklus_kabkota.py", actor=ANALIS)
    check_clean(at)
    shown = texts(at)
    assert "Batas waktu: 31 Maret 2026" in shown
    table = frame_of(at)
    assert table["Kabupaten/kota"].tolist() == BABEL
    # The demo puts them at different steps: finished, running, waiting, not started.
    keadaan = dict(zip(table["Kabupaten/kota"], table["Keadaan"], strict=True))
    assert keadaan["Kabupaten Bangka"] == "Selesai tepat waktu"
    assert keadaan["Kabupaten Belitung"] == "Selesai terlambat"
    assert keadaan["Kota Pangkal Pinang"] in ("Lewat batas waktu", "Belum dimulai")
    assert len(set(table["Langkah selesai"])) >= 4
    assert "A6 · Draf awal LPPD diverifikasi oleh masing-masing OPD" in set(
        table["Langkah sekarang"]
    )
    assert len(at.get("vega_lite_chart")) == 1
    remind = frame_of(at, 1)
    assert "Kota Pangkal Pinang" in set(remind["Kabupaten/kota"])
    assert "Kabupaten Bangka" not in set(remind["Kabupaten/kota"])  # finished on time
    # The LKPj of the same year.
    at.selectbox(key="pantau_sop").set_value("lkpj-kabkota").run()
    check_clean(at)
    assert frame_of(at)["Kabupaten/kota"].tolist() == BABEL


def test_leaders_see_the_same_as_a_chart_without_actions(demo_db_path):
    at = run_app(demo_db_path, "siklus_kabkota.py", actor=PIMPINAN)
    check_clean(at)
    assert len(at.get("vega_lite_chart")) == 1
    assert "Daftar pengingat" not in texts(at)
    assert not [b for b in at.button if b.label.startswith("Mulai siklus")]


def test_the_biro_starts_the_missing_cycles_from_the_page(demo_db_path):
    at = run_app(demo_db_path, "siklus_kabkota.py", actor=ANALIS)
    next(b for b in at.button if b.label.startswith("Mulai siklus 2026 untuk 1")).click().run()
    check_clean(at)
    assert "Siklus 2026 dimulai untuk 1 kabupaten/kota." in texts(at)
    with Database.open(demo_db_path, read_only=True) as db:
        assert cycle.years(db, "lppd-kabkota", "19.71") == [2024, 2025, 2026]


def test_a_kabkota_uploader_runs_its_own_lppd_cycle_on_the_siklus_page(demo_db_path):
    at = run_app(demo_db_path, "siklus.py", actor=KAB_TIMUR)
    check_clean(at)
    # Only its own region's kabupaten/kota procedures.
    assert at.selectbox(key="siklus_sop").options == [
        "Fasilitasi Penyusunan Laporan Penyelenggaraan Pemerintahan Daerah (LPPD) (lppd-kabkota)",
        "Fasilitasi Penyusunan Laporan Keterangan Pertanggungjawaban (LKPj) Kepala Daerah (lkpj-kabkota)",
    ]
    assert at.selectbox(key="siklus_wilayah").options == ["19.06 — Kabupaten Belitung Timur"]
    at.selectbox(key="siklus_sop").set_value("lkpj-kabkota").run()
    labels = {m.label: m.value for m in at.metric}
    assert labels["Batas waktu"] == "31 Maret 2026"
    at.selectbox(key="siklus_langkah").set_value("A3").run()
    next(b for b in at.button if b.label == "Perbaikan diterima, lanjutkan").click().run()
    check_clean(at)
    assert "Langkah A3 berjalan lagi." in texts(at)
    with Database.open(demo_db_path, read_only=True) as db:
        step = cycle.steps(db, Ref("lkpj-kabkota", "19.06", 2026)).set_index("kode").loc["A3"]
        assert step["status"] == "berjalan"


def test_the_biros_analis_reads_a_kabkota_cycle_without_moving_it(demo_db_path):
    at = run_app(demo_db_path, "siklus.py", actor=ANALIS)
    at.selectbox(key="siklus_sop").set_value("lppd-kabkota").run()
    at.selectbox(key="siklus_wilayah").set_value("19.03").run()
    check_clean(at)
    assert "diubah oleh pengunggah Kabupaten Bangka Selatan dan administrator" in texts(at)
    assert not {b.label for b in at.button} & {
        "Mulai langkah",
        "Selesai",
        "Kembalikan untuk perbaikan",
    }


def test_standar_page_shows_the_fourteen_components_maklumat_and_measured_time(demo_db_path):
    at = run_app(demo_db_path, "standar.py", actor=KAB)
    check_clean(at)
    at.selectbox(key="standar_unit").set_value("bagpem-19.01").run()
    at.selectbox(key="standar_layanan").set_value("bagpem-19.01-pem-05").run()
    check_clean(at)
    shown = texts(at)
    for label in (
        "1. Persyaratan",
        "2. Sistem, Mekanisme dan Prosedur",
        "3. Jangka Waktu Pelayanan",
        "10. Pengawasan Internal",
        "14. Evaluasi Kinerja Pelaksana",
    ):
        assert label in shown
    assert "KAMI SIAP MENERIMA SANKSI" in shown
    assert "Waktu siklus terukur dibanding jangka waktu" in shown
    assert "Jangka waktu standar 3 bulan" in shown
    # The finished cycles of Kabupaten Bangka (2026 finished in March, before the deadline).
    assert at.dataframe[0].value["Tahun siklus"].tolist() == [2024, 2025, 2026]
    assert not [e for e in at.expander if e.label == "Muat standar pelayanan dari berkas"]


def test_skm_page_ikm_weakest_unsur_and_units_without_a_survey(demo_db_path):
    at = run_app(demo_db_path, "skm.py", actor=ANALIS)
    check_clean(at)
    assert at.selectbox(key="skm_tahun").value == dt.date.today().year
    at.selectbox(key="skm_tahun").set_value(2026).run()
    results = frame_of(at)
    assert len(results) == 14 and set(results["Mutu"]) == {"A", "B", "C", "D"}
    assert results["Unsur terlemah (yang perlu diperbaiki)"].str.startswith("U").all()
    missing = frame_of(at, 1)
    assert sorted(missing["Kode"]) == ["bagpem-19.05", "bagpem-19.71", "damkar", "perkim"]
    assert len(at.get("vega_lite_chart")) == 2
    assert "Unggah hasil SKM" in texts(at)  # the Biro uploads for any unit


def test_skm_page_for_an_opd_uploader_is_its_own_unit(demo_db_path):
    at = run_app(demo_db_path, "skm.py", actor=DINKES)
    at.selectbox(key="skm_tahun").set_value(2026).run()
    check_clean(at)
    assert frame_of(at)["Unit"].tolist() == ["Dinas Kesehatan"]
    assert at.selectbox(key="skm_tpl_unit").options == ["Dinas Kesehatan"]


def test_pengaduan_page_overdue_list_and_role_scope(demo_db_path):
    at = run_app(demo_db_path, "pengaduan.py", actor=ANALIS)
    check_clean(at)
    overdue = frame_of(at)
    with Database.open(demo_db_path, read_only=True) as db:
        expected = pengaduan_baca.overdue(db, actor=ANALIS)["nomor"].tolist()
    assert overdue["Nomor"].tolist() == expected and expected
    listed = frame_with(at, "Pelapor")
    assert set(listed["Pelapor"]) == {"(dirahasiakan)"}
    kab = run_app(demo_db_path, "pengaduan.py", actor=KAB)
    check_clean(kab)
    own = frame_with(kab, "Pelapor")
    assert set(own["Unit"]) == {"Bagian Pemerintahan Setda Kabupaten Bangka"}
    assert "(dirahasiakan)" not in set(own["Pelapor"])


def test_a_unit_records_and_answers_a_complaint_on_the_page(demo_db_path):
    at = run_app(demo_db_path, "pengaduan.py", actor=DINKES)
    inputs = {w.label: w for w in at.text_input}
    inputs["Pokok pengaduan"].input("Antrean apotek RSUD panjang")
    inputs["Nama pelapor (dirahasiakan)"].input("Yusuf")
    inputs["Kontak pelapor (dirahasiakan)"].input("0819-0000-1111")
    next(b for b in at.button if b.label == "Catat pengaduan").click().run()
    check_clean(at)
    shown = texts(at)
    assert "Pengaduan dicatat dengan nomor ADU-" in shown
    nomor = shown.split("Pengaduan dicatat dengan nomor ")[1].split(".")[0]
    with Database.open(demo_db_path, read_only=True) as db:
        row = pengaduan_baca.detail(db, nomor, actor=Actor("admin", "admin"))[0]
    assert (row["kode_unit"], row["kontak_pelapor"], row["status"]) == (
        "dinkes",
        "0819-0000-1111",
        "diterima",
    )
