"""SKM and IKM (PermenPAN-RB 14/2017): a case computed by hand against `spm skm hasil`,
bad files refused cell by cell with nothing changed, idempotent and replacing uploads,
who may upload, settings, and the template round trip."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from pipelines.auth import users
from pipelines.auth.access import Actor
from pipelines.capaian import query
from pipelines.cli.root import cli
from pipelines.core import settings
from pipelines.db.store import Database
from pipelines.pelayanan import skm, skm_unggah

ADMIN = Actor("admin", "admin")
TODAY = dt.date(2026, 11, 30)
_ = None  # an answer left empty
# Hand-made answers (u1 ... u9) per unit, one list per respondent.
ANSWERS = {
    "disdik": [
        [4, 4, 4, 4, 4, 4, 4, 4, 4],
        [4, 3, 4, 4, 4, 4, 4, 4, 4],
        [3, 4, _, 4, 4, 3, 4, 4, 3],
    ],
    "dinkes": [
        [3, 3, 3, 4, 3, 3, 4, 3, 3],
        [4, 3, 3, 4, 3, 4, 4, _, 3],
    ],
    "pupr": [
        [3, 2, 2, 3, 3, 3, 3, 2, 3],
        [3, 3, 2, 3, 2, 3, 3, _, 2],
    ],
    "satpolpp": [
        [2, 2, 1, 3, 2, 2, 2, 1, 2],
        [2, _, 2, 2, 2, 3, 2, 2, 1],
    ],
    "damkar": [[4, 4, 4, 4, 4, 4, 4, 4, _]],  # nobody answered U9: no IKM
}
# Computed by hand: NRR = mean of the answers given; IKM = sum(NRR) / 9 * 25.
#   disdik:   11/3, 11/3, 4, 4, 4, 11/3, 4, 4, 11/3 -> 104/3 -> 96,30 (A)
#   dinkes:   3,5 3 3 4 3 3,5 4 3 3 -> 30 -> 83,33 (B)
#   pupr:     3 2,5 2 3 2,5 3 3 2 2,5 -> 23,5 -> 65,28 (C)
#   satpolpp: 2 2 1,5 2,5 2 2,5 2 1,5 1,5 -> 17,5 -> 48,61 (D)
EXPECTED_CSV = """\
kode_unit,nama_unit,tahun,jumlah_responden,nrr_u1,nrr_u2,nrr_u3,nrr_u4,nrr_u5,nrr_u6,nrr_u7,nrr_u8,nrr_u9,ikm,mutu,kinerja
damkar,Dinas Pemadam Kebakaran,2026,1,4.00,4.00,4.00,4.00,4.00,4.00,4.00,4.00,,,,
dinkes,Dinas Kesehatan,2026,2,3.50,3.00,3.00,4.00,3.00,3.50,4.00,3.00,3.00,83.33,B,Baik
disdik,Dinas Pendidikan,2026,3,3.67,3.67,4.00,4.00,4.00,3.67,4.00,4.00,3.67,96.30,A,Sangat Baik
pupr,Dinas Pekerjaan Umum dan Penataan Ruang,2026,2,3.00,2.50,2.00,3.00,2.50,3.00,3.00,2.00,2.50,65.28,C,Kurang Baik
satpolpp,Satuan Polisi Pamong Praja,2026,2,2.00,2.00,1.50,2.50,2.00,2.50,2.00,1.50,1.50,48.61,D,Tidak Baik
"""


def xlsx_from_template(db, unit, tahun, rows, path):
    """Fill the unit's template as a person would (row 4 onwards of 'Jawaban')."""
    path.write_bytes(skm.template(db, unit, tahun, actor=ADMIN))
    wb = openpyxl.load_workbook(path)
    ws = wb["Jawaban"]
    for i, answers in enumerate(rows, start=4):
        ws.cell(row=i, column=2, value=dt.date(tahun, 3, 1) + dt.timedelta(days=i))
        for j, value in enumerate(answers, start=3):
            ws.cell(row=i, column=j, value=value)
    wb.save(path)
    return path


def csv_file(path, rows, header=None):
    header = header or ["kode_unit", "tanggal", *skm.UNSUR_KEYS, "jenis_kelamin", "umur"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def spm(db_path, *args, code=0, as_user=None):
    prefix = ["--as", as_user] if as_user else []
    result = CliRunner().invoke(cli, [*prefix, *args, "--db", str(db_path)])
    assert result.exit_code == code, result.output
    return result.output


def counts(db):
    return db.scalar("SELECT count(*) FROM skm_unggah"), db.scalar(
        "SELECT count(*) FROM skm_respon"
    )


@pytest.fixture
def skm_db(db, tmp_path):
    """The hand-made answers loaded: xlsx templates for some units, CSV for the others."""
    for unit, rows in ANSWERS.items():
        if unit in ("disdik", "pupr", "damkar"):
            path = xlsx_from_template(db, unit, 2026, rows, tmp_path / f"{unit}.xlsx")
        else:
            path = csv_file(
                tmp_path / f"{unit}.csv",
                [
                    [unit, f"{10 + i}/04/2026", *("" if v is None else v for v in r), "P", 40]
                    for i, r in enumerate(rows)
                ],
            )
        result = skm_unggah.ingest_file(db, path, ADMIN, today=TODAY)
        assert result.committed, [p.text() for p in result.problems]
    return db


def test_hand_computed_ikm_equals_spm_skm_hasil(skm_db, db_path):
    skm_db.close()
    assert spm(db_path, "skm", "hasil", "--year", "2026", "--format", "csv") == EXPECTED_CSV


def test_ikm_per_unit_weakest_unsur_and_units_without_a_survey(skm_db):
    results = query.skm_hasil(skm_db, 2026).set_index("kode_unit")
    assert results.loc["disdik", "ikm"] == pytest.approx(104 / 3 / 9 * 25)
    assert results.loc["dinkes", "jumlah_jawaban"] == 17  # one answer left empty
    weakest = skm.weakest(query.skm_unsur(skm_db, 2026)).set_index("kode_unit")
    assert weakest.loc["pupr", "nomor_unsur"] == 3  # 2,00 (U3 and U8 tie: the first)
    assert weakest.loc["dinkes", "nama_unsur"] == "Sistem, mekanisme dan prosedur"
    missing = skm.without_survey(skm_db, 2026)
    assert sorted(missing["kode"]) == ["bpbd", "dinsos", "perkim"]
    assert len(skm.without_survey(skm_db, 2027)) == 8  # every OPD of the catalog


def test_bands_and_weight_are_settings(skm_db):
    settings.save(
        skm_db,
        {
            "skm_mutu": [
                {"mutu": "A", "kinerja": "Sangat Baik", "min": 80},
                {"mutu": "B", "kinerja": "Baik", "min": 60},
                {"mutu": "C", "kinerja": "Kurang", "min": 25},
            ]
        },
        by="test",
    )
    mutu = query.skm_hasil(skm_db, 2026).set_index("kode_unit")["mutu"]
    assert (mutu["dinkes"], mutu["pupr"], mutu["satpolpp"]) == ("A", "B", "C")
    settings.save(skm_db, {"skm_bobot_unsur": 0.11}, by="test")  # the rounded weight some use
    ikm = query.skm_hasil(skm_db, 2026).set_index("kode_unit")["ikm"]
    assert ikm["dinkes"] == pytest.approx(30 * 0.11 * 25)
    with pytest.raises(settings.SettingsError, match="paling besar 1/9"):
        settings.save(skm_db, {"skm_bobot_unsur": 0.2}, by="test")


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("E", 5, "nilai 5 di luar 1-4"),
        ("D", "baik", "'baik' bukan angka"),
        ("F", 0, "nilai 0 di luar 1-4"),
        ("C", 2.5, "bukan bilangan bulat"),
    ],
)
def test_a_bad_score_refuses_the_file_naming_sheet_row_and_column(
    skm_db, tmp_path, cell, value, message
):
    before = counts(skm_db)
    path = xlsx_from_template(skm_db, "disdik", 2026, ANSWERS["disdik"] * 2, tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Jawaban"][f"{cell}6"] = value
    wb.save(path)
    result = skm_unggah.ingest_file(skm_db, path, ADMIN, today=TODAY)
    assert not result.accepted and not result.committed
    [problem] = result.errors
    assert (problem.sheet, problem.row, problem.cell) == ("Jawaban", 6, f"{cell}6")
    key = {"C": "u1", "D": "u2", "E": "u3", "F": "u4"}[cell]
    assert problem.column == f"{key} ({cell})" and message in problem.message
    assert counts(skm_db) == before
    assert (
        query.skm_hasil(skm_db, 2026).set_index("kode_unit").loc["disdik", "jumlah_responden"] == 3
    )


def test_unknown_unit_and_text_scores_in_a_csv_are_refused_by_the_cli(skm_db, db_path, tmp_path):
    before = counts(skm_db)
    skm_db.close()
    path = csv_file(
        tmp_path / "salah.csv",
        [
            ["dinas-x", "01/05/2026", 4, 4, 4, 4, 4, 4, 4, 4, 4, "L", 30],
            ["dinas-x", "02/05/2026", 4, "puas", 4, 4, 4, 4, 4, 4, 4, "L", 30],
        ],
    )
    out = spm(
        db_path, "skm", "ingest", str(path), "--error-reports", str(tmp_path / "galat"), code=1
    )
    assert "DITOLAK" in out
    assert (
        "lembar CSV, baris 2, kolom kode_unit (A)" in out and "Unit 'dinas-x' tidak dikenal" in out
    )
    assert "lembar CSV, baris 3, kolom u2 (D)" in out and "'puas' bukan angka" in out
    report = openpyxl.load_workbook(tmp_path / "galat" / "salah_laporan_galat.xlsx")
    assert report.sheetnames[0] == "Daftar Masalah" and report["CSV"]["D3"].comment is not None
    with Database.open(db_path, read_only=True) as db:
        assert counts(db) == before


def test_more_file_problems_each_named(db, tmp_path):
    cases = {
        "future": (["dinkes", "01/12/2026", *[3] * 9], "belum terjadi"),
        "no date": (["dinkes", "", *[3] * 9], "Tanggal survei kosong"),
        "bad date": (["dinkes", "31/02/2026", *[3] * 9], "bukan tanggal"),
        "no answers": (["dinkes", "02/03/2026", *[""] * 9], "tidak berisi satu pun jawaban"),
    }
    for name, (row, message) in cases.items():
        path = csv_file(
            tmp_path / f"{name}.csv", [row], header=["kode_unit", "tanggal", *skm.UNSUR_KEYS]
        )
        result = skm_unggah.prepare(db, path, ADMIN, today=TODAY).result
        assert not result.accepted and any(message in p.message for p in result.errors), name
    mixed = csv_file(
        tmp_path / "mixed.csv",
        [
            ["dinkes", "02/03/2026", *[3] * 9],
            ["disdik", "02/03/2026", *[3] * 9],
            ["dinkes", "02/03/2025", *[3] * 9],
        ],
        header=["kode_unit", "tanggal", *skm.UNSUR_KEYS],
    )
    messages = [p.message for p in skm_unggah.prepare(db, mixed, ADMIN, today=TODAY).result.errors]
    assert any("hanya untuk satu unit" in m for m in messages)
    assert any("hanya untuk satu tahun" in m for m in messages)
    missing_col = csv_file(
        tmp_path / "kolom.csv",
        [["dinkes", "02/03/2026", *[3] * 8]],
        header=["kode_unit", "tanggal", *skm.UNSUR_KEYS[:8]],
    )
    result = skm_unggah.prepare(db, missing_col, ADMIN, today=TODAY).result
    assert "Kolom u9 tidak ditemukan" in result.errors[0].message
    assert db.scalar("SELECT count(*) FROM skm_respon") == 0


def test_the_same_answers_again_change_nothing_and_a_new_file_replaces_the_year(skm_db, tmp_path):
    before = counts(skm_db)
    again = xlsx_from_template(skm_db, "pupr", 2026, ANSWERS["pupr"], tmp_path / "lagi.xlsx")
    result = skm_unggah.ingest_file(skm_db, again, ADMIN, today=TODAY)
    assert result.accepted and result.unchanged and "tidak ada perubahan" in result.summary()
    assert counts(skm_db) == before
    better = [[4] * 9, [4] * 9, [3] * 9]
    path = xlsx_from_template(skm_db, "pupr", 2026, better, tmp_path / "baru.xlsx")
    result = skm_unggah.ingest_file(skm_db, path, ADMIN, today=TODAY)
    assert result.committed and result.sebelumnya == 2
    row = query.skm_hasil(skm_db, 2026).set_index("kode_unit").loc["pupr"]
    assert row["jumlah_responden"] == 3 and row["mutu"] == "A"
    statuses = skm_db.rows("SELECT status FROM skm_unggah WHERE kode_unit = 'pupr' ORDER BY id")
    assert [s for (s,) in statuses] == ["diganti", "berlaku"]
    audit = skm_db.scalar("SELECT count(*) FROM audit_log WHERE aksi = 'unggah_skm'")
    assert audit == len(ANSWERS) + 1


def test_uploaders_upload_only_their_own_units(db, tmp_path):
    dinkes = Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes")
    path = csv_file(tmp_path / "disdik.csv", [["disdik", "02/03/2026", *[3] * 9, "L", 30]])
    result = skm_unggah.ingest_file(db, path, dinkes, today=TODAY)
    assert (
        not result.accepted
        and "tidak dapat mengunggah hasil SKM untuk unit Dinas Pendidikan"
        in result.errors[0].message
    )
    own = csv_file(tmp_path / "dinkes.csv", [["dinkes", "02/03/2026", *[3] * 9, "L", 30]])
    assert skm_unggah.ingest_file(db, own, dinkes, today=TODAY).committed
    pimpinan = Actor("p", "pimpinan")
    assert not skm_unggah.ingest_file(db, own, pimpinan, today=TODAY).accepted
    # What an uploader reads is its own unit only.
    assert query.skm_hasil(db, 2026, actor=dinkes)["kode_unit"].tolist() == ["dinkes"]
    assert query.skm_hasil(db, 2026, actor=pimpinan)["kode_unit"].tolist() == ["dinkes"]


def test_cli_template_and_as_user(db, db_path, tmp_path):
    users.create_account(
        db,
        "test",
        "opd-dinkes",
        "pengunggah_opd",
        users.hash_password("rahasia-panjang"),
        kode_opd="dinkes",
    )
    db.close()
    out = tmp_path / "t.xlsx"
    spm(
        db_path,
        "skm",
        "template",
        "--unit",
        "dinkes",
        "--year",
        "2026",
        "--out",
        str(out),
        as_user="opd-dinkes",
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Petunjuk", "Jawaban", "_meta"]
    assert [c.value for c in wb["Jawaban"][3]][:11] == ["kode_unit", "tanggal", *skm.UNSUR_KEYS]
    refused = spm(
        db_path,
        "skm",
        "template",
        "--unit",
        "disdik",
        "--year",
        "2026",
        "--out",
        str(out),
        as_user="opd-dinkes",
        code=1,
    )
    assert "tidak dapat mengunduh templat SKM" in refused
    listed = spm(db_path, "skm", "belum-survei", "--year", "2026", as_user="opd-dinkes")
    assert "dinkes" in listed and "disdik" not in listed
    json_out = spm(db_path, "skm", "hasil", "--year", "2026", "--format", "json")
    assert json_out.strip() == "[]"


def test_answers_in_text_are_kept_as_text_never_formulas(db, tmp_path):
    path = csv_file(
        tmp_path / "f.csv",
        [["dinkes", "02/03/2026", *[3] * 9, '=HYPERLINK("x")']],
        header=["kode_unit", "tanggal", *skm.UNSUR_KEYS, "layanan"],
    )
    assert skm_unggah.ingest_file(db, path, ADMIN, today=TODAY).committed
    assert db.scalar("SELECT layanan FROM skm_respon") == '=HYPERLINK("x")'
