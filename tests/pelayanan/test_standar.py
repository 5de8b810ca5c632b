"""The standar pelayanan registry: seed 002's six services as the sample, loading a file
with errors per row (all or nothing), the printable page, and the measured cycle time
of a service whose procedure the tracker holds."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from pipelines.auth.access import Actor
from pipelines.cli.root import cli
from pipelines.errors import AccessDenied
from pipelines.pelayanan import standar, standar_cetak
from pipelines.pelayanan import unit as units
from pipelines.pelayanan.standar_komponen import COMPONENT_KEYS, parse_duration, window_end
from pipelines.sop import cycle, transitions
from pipelines.sop.definition import Calendar
from pipelines.sop.step import Ref

ADMIN = Actor("admin", "admin")
D = dt.date


def sample_rows() -> list[dict]:
    with standar.SAMPLE_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        names = list(dict.fromkeys(k for row in rows for k in row))
        writer = csv.DictWriter(fh, fieldnames=names, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_sample_is_seed_002s_six_bagian_pemerintahan_services(db):
    result = standar.load_sample(db)
    assert result.accepted and (result.baru, result.unit_baru) == (6, ["bagpem-balangan"])
    # What the seed leaves empty is reported, not invented.
    assert [(p.row, p.column) for p in result.warnings] == [
        (5, "jangka_waktu (H)"),
        (7, "evaluasi_kinerja (S)"),
    ]
    frame = standar.listing(db).set_index("kode_layanan")
    assert list(frame["nama_layanan"]) == [
        "Fasilitasi Penegasan Batas Kecamatan",
        "Fasilitasi Perapatan Pilar Batas Daerah",
        "Fasilitasi Pembakuan Nama Rupa Bumi Unsur Alami, Unsur Buatan dan Unsur Budaya",
        "Fasilitasi Kerja Sama Daerah",
        "Fasilitasi Penyusunan Laporan Penyelenggaraan Pemerintahan Daerah (LPPD)",
        "Fasilitasi Penyusunan Laporan Keterangan Pertanggungjawaban (LKPj) Bupati Balangan",
    ]
    lppd = frame.loc["balangan-pem-05"]
    assert lppd["jangka_waktu"] == "3 bulan" and lppd["kode_sop"] == "lppd-kabkota"
    assert (lppd["jangka_waktu_nilai"], lppd["jangka_waktu_satuan"]) == (3, "bulan")
    assert lppd["jumlah_pelaksana"] == "3 orang"
    assert lppd["sistem_mekanisme_prosedur"].count("\n") == 9  # ten steps, one per line
    assert frame.loc["balangan-pem-03", "jangka_waktu_satuan"] == "tahun"
    assert frame.loc["balangan-pem-06", "jangka_waktu_nilai"] == 3  # "paling lambat 3 bulan ..."
    assert all(frame.loc["balangan-pem-01", k] for k in COMPONENT_KEYS)
    assert units.get(db, "bagpem-balangan")["kode_wilayah"] == "63.11"
    again = standar.load_sample(db)
    assert (again.baru, again.berubah, again.sama) == (0, 0, 6)


def test_a_file_with_bad_rows_is_refused_row_by_row_and_nothing_is_written(db, tmp_path):
    rows = sample_rows()
    rows[0]["kode_unit"] = "unit-baru"
    rows[0]["nama_unit"] = ""  # unknown unit without a name
    rows[1]["kode_sop"] = "lppd-provinsi"  # no such procedure
    rows[2]["kode_layanan"] = rows[3]["kode_layanan"]  # the same code twice
    rows[4]["nama_layanan"] = ""
    extra = dict(rows[5], jangka_waktu_nilai="tiga", jangka_waktu_satuan="bulan")
    path = write_csv(tmp_path / "standar.csv", [*rows, extra])
    result = standar.load(db, path, actor=ADMIN)
    assert not result.accepted
    found = {(p.row, p.column.split(" ")[0]) for p in result.errors}
    assert found == {
        (2, "kode_unit"),
        (3, "kode_sop"),
        (5, "kode_layanan"),
        (6, "nama_layanan"),
        (8, "jangka_waktu_nilai"),
    }
    assert all(p.sheet == "CSV" for p in result.errors)
    assert "isi nama_unit untuk menambahkannya" in result.errors[0].message
    assert db.scalar("SELECT count(*) FROM standar_pelayanan") == 0
    assert db.scalar("SELECT count(*) FROM unit_layanan") == 0


def test_an_xlsx_with_labels_as_headers_loads_and_updates(db, tmp_path):
    standar.load_sample(db)
    rows = sample_rows()[:2]
    rows[1]["jumlah_pelaksana"] = "5 orang"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Standar"
    ws.append(["Standar pelayanan Bagian Pemerintahan"])  # a title above the header
    labels = {
        "sistem_mekanisme_prosedur": "Sistem, Mekanisme dan Prosedur",
        "jaminan_keamanan": "Jaminan Keamanan dan Keselamatan Pelayanan",
    }
    ws.append([labels.get(k, k) for k in rows[0]])
    for row in rows:
        ws.append(list(row.values()))
    wb.save(tmp_path / "s.xlsx")
    result = standar.load(db, tmp_path / "s.xlsx", actor=ADMIN)
    assert result.accepted and (result.baru, result.berubah, result.sama) == (0, 1, 1)
    assert standar.get(db, "balangan-pem-02")["jumlah_pelaksana"] == "5 orang"


def test_only_the_biro_loads_standards(db):
    with pytest.raises(AccessDenied):
        standar.load(db, standar.SAMPLE_FILE, actor=Actor("p", "pimpinan"))
    with pytest.raises(AccessDenied):
        standar.load(db, standar.SAMPLE_FILE, actor=Actor("o", "pengunggah_opd", kode_opd="dinkes"))


def test_the_printable_page_holds_every_component_and_the_maklumat_escaped(db):
    standar.load_sample(db)
    std = standar.get(db, "balangan-pem-05")
    std["persyaratan"] = "<script>alert(1)</script>\n=SUM(A1)"
    page = standar_cetak.html_page(std, None)
    assert "<script>" not in page and "&lt;script&gt;" in page and "=SUM(A1)" in page
    for label in (
        "Persyaratan",
        "Sistem, Mekanisme dan Prosedur",
        "Jangka Waktu Pelayanan",
        "Evaluasi Kinerja Pelaksana",
        "MAKLUMAT PELAYANAN",
    ):
        assert label in page
    assert "KAMI SIAP MENERIMA SANKSI" in page
    assert "SEKRETARIS DAERAH KABUPATEN BALANGAN" in page
    assert "@page { size: A4 portrait" in page


def test_jangka_waktu_parsing_and_windows():
    assert parse_duration("3 bulan") == (3, "bulan")
    assert parse_duration("1 (satu) hari kerja") == (1, "hari kerja")
    assert parse_duration("Disusun dan disampaikan paling lambat 3 bulan setelah akhir") == (
        3,
        "bulan",
    )
    assert parse_duration("Setiap Hari Kerja") is None
    cal = Calendar([D(2026, 3, 19), D(2026, 3, 20)])
    assert window_end(D(2026, 1, 2), 3, "bulan", cal) == D(2026, 4, 1)
    assert window_end(D(2026, 3, 18), 3, "hari kerja", cal) == D(2026, 3, 24)
    assert window_end(D(2026, 3, 18), 1, "minggu", cal) == D(2026, 3, 24)


def test_measured_cycle_time_against_the_jangka_waktu(db, tmp_path):
    standar.load_sample(db)
    units.add(
        db,
        "bagpem-19.01",
        "Bagian Pemerintahan Setda Kabupaten Bangka",
        actor=ADMIN,
        kode_wilayah="19.01",
    )
    row = {k: v for k, v in sample_rows()[4].items()}
    row.update(
        kode_unit="bagpem-19.01", nama_unit="", kode_wilayah_unit="", kode_layanan="bangka-pem-05"
    )
    assert standar.load(db, write_csv(tmp_path / "b.csv", [row]), actor=ADMIN).accepted
    admin = Actor("a", "admin")
    for tahun, finish in ((2025, D(2025, 3, 20)), (2026, D(2026, 4, 10))):
        ref = Ref("lppd-kabkota", "19.01", tahun)
        steps = cycle.start(db, ref, actor=admin, mulai=D(tahun, 1, 2))
        for r in steps.itertuples():
            transitions.start_step(
                db, ref, r.kode, actor=admin, tanggal=D(tahun, 1, 2), today=D(2026, 11, 30)
            )
            transitions.finish_step(
                db, ref, r.kode, actor=admin, tanggal=finish, today=D(2026, 11, 30)
            )
    measured = standar.measured(db, "bangka-pem-05")
    cycles = measured["siklus"].set_index("tahun")
    assert (measured["nilai"], measured["satuan"], measured["wilayah"]) == (3, "bulan", "19.01")
    assert cycles.loc[2025, "hari_kalender"] == (D(2025, 3, 20) - D(2025, 1, 2)).days + 1
    assert cycles.loc[2025, "dalam_jangka_waktu"] and not cycles.loc[2026, "dalam_jangka_waktu"]
    text = " ".join(standar_cetak.measured_text(measured))
    assert "2 siklus wilayah 19.01 selesai" in text and "1 dari 2 siklus" in text
    # The Balangan sample has no cycles of its region in this province's tracker.
    assert standar.measured(db, "balangan-pem-05")["siklus"].empty
    assert standar.measured(db, "balangan-pem-01") is None  # no procedure in the tracker


def test_spm_standar_commands(db, db_path, tmp_path):
    db.close()
    runner = CliRunner()
    bad = write_csv(tmp_path / "bad.csv", [dict(sample_rows()[0], kode_layanan="")])
    out = runner.invoke(cli, ["standar", "load", str(bad), "--db", str(db_path)])
    assert out.exit_code == 1 and "DITOLAK" in out.output and "baris 2" in out.output
    out = runner.invoke(cli, ["standar", "load", str(standar.SAMPLE_FILE), "--db", str(db_path)])
    assert out.exit_code == 0 and "6 layanan baru" in out.output
    out = runner.invoke(cli, ["standar", "show", "balangan-pem-05", "--db", str(db_path)])
    assert " 3. Jangka Waktu Pelayanan:" in out.output and "3 bulan" in out.output
    page = tmp_path / "cetak.html"
    out = runner.invoke(
        cli,
        [
            "standar",
            "show",
            "balangan-pem-05",
            "--format",
            "html",
            "--out",
            str(page),
            "--db",
            str(db_path),
        ],
    )
    assert out.exit_code == 0 and "MAKLUMAT PELAYANAN" in page.read_text(encoding="utf-8")
    out = runner.invoke(cli, ["init", "--db", str(db_path)])
    assert "Contoh standar pelayanan" not in out.output  # the registry is not empty: unchanged
