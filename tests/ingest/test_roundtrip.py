"""Template -> filled by openpyxl -> ingest -> the database holds what was typed."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipelines.auth.access import Actor
from pipelines.ingest import templates
from pipelines.ingest.commit import ingest_file
from tests.ingest_helpers import (
    ADMIN,
    ON_TIME,
    fill,
    kab_codes,
    make_template,
    snapshot,
    spm_values,
)


def test_spm_kabkota_round_trip(db, tmp_path):
    template = make_template(db, tmp_path / "t.xlsx")
    codes = kab_codes(db)
    assert len(codes) == 29
    values = spm_values(codes)
    filled = fill(template, tmp_path / "isi.xlsx", values)

    result = ingest_file(db, filled, ADMIN, today=ON_TIME)

    assert result.accepted, [p.text() for p in result.problems]
    assert result.committed and not result.late and not result.unchanged
    assert (result.form, result.kode_wilayah, result.tahun, result.triwulan) == (
        "spm-kabkota",
        "19.01",
        2025,
        2,
    )
    assert result.counts["baru"] == 29 and result.counts["berubah"] == 0
    stored = db.df(
        "SELECT *, anggaran_rencana::DOUBLE AS ar, anggaran_realisasi::DOUBLE AS aq "
        "FROM spm_data ORDER BY kode_layanan"
    ).set_index("kode_layanan")
    for code, typed in values.items():
        row = stored.loc[code]
        assert row["kode_wilayah"] == "19.01" and row["tahun"] == 2025 and row["triwulan"] == 2
        for key in ("jumlah_sasaran", "jumlah_terlayani", "mutu_barang_jasa_kebutuhan"):
            assert row[key] == typed[key]
        assert row["ar"] == typed["anggaran_rencana"]
        assert row["aq"] == typed["anggaran_realisasi"]
        assert bool(row["tahap_pengumpulan_data"]) is True
        assert bool(row["tahap_penyusunan_rencana"]) is False
        assert row["permasalahan"] == typed["permasalahan"]
        assert row["submission_id"] == result.submission_id
    sub = db.dicts("SELECT * FROM submission")[0]
    data = filled.read_bytes()
    assert sub["sha256"] == hashlib.sha256(data).hexdigest()
    assert sub["nama_berkas"] == "isi.xlsx" and sub["status"] == "diajukan"
    assert (sub["jumlah_baris"], sub["jumlah_baru"]) == (29, 29)
    assert sub["diunggah_oleh"] == ADMIN.username
    kept = db.path.parent / "store" / sub["sha256"][:2] / f"{sub['sha256']}.xlsx"
    assert kept.read_bytes() == data
    log = db.dicts("SELECT * FROM audit_log WHERE aksi = 'unggah'")
    assert len(log) == 1 and json.loads(log[0]["sesudah"])["baru"] == 29


def test_spm_provinsi_round_trip_for_one_opd(db, tmp_path):
    template = make_template(
        db, tmp_path / "t.xlsx", form="spm-provinsi", region="19", opd="dinkes"
    )
    codes = db.df(
        "SELECT kode FROM layanan WHERE tingkat = 'provinsi' AND kode_opd = 'dinkes' ORDER BY urutan"
    )["kode"].tolist()
    assert codes == ["KES-P-01", "KES-P-02"]
    filled = fill(template, tmp_path / "isi.xlsx", spm_values(codes, sasaran=50, terlayani=50))
    result = ingest_file(db, filled, ADMIN, today=ON_TIME)
    assert result.accepted, [p.text() for p in result.problems]
    assert result.form == "spm-provinsi" and result.kode_opd == "dinkes"
    assert db.rows("SELECT kode_layanan, jumlah_sasaran FROM spm_data ORDER BY 1") == [
        ("KES-P-01", 50),
        ("KES-P-02", 51),
    ]
    assert db.scalar("SELECT kode_opd FROM submission") == "dinkes"


def test_lppd_round_trip(db, tmp_path):
    template = make_template(db, tmp_path / "t.xlsx", form="lppd-ikk", region="19.02", year=2024)
    ikk = db.df("SELECT kode_ikk FROM ikk ORDER BY urutan")["kode_ikk"].tolist()
    values = {
        code: {"pembilang": 80 + i, "penyebut": 100, "data_dukung": f"{code}.pdf"}
        for i, code in enumerate(ikk[:5])
    }
    values[ikk[5]] = {"capaian": "87,5", "keterangan": "langsung"}
    filled = fill(template, tmp_path / "isi.xlsx", values)
    result = ingest_file(db, filled, ADMIN, today=ON_TIME)
    assert result.accepted, [p.text() for p in result.problems]
    assert result.counts["baru"] == 6 and result.counts["dilewati"] == len(ikk) - 6
    stored = db.df("SELECT * FROM lppd_data").set_index("kode_ikk")
    assert stored.loc[ikk[0], "pembilang"] == 80 and stored.loc[ikk[0], "penyebut"] == 100
    assert stored.loc[ikk[0], "capaian"] == 80.0  # derived from pembilang / penyebut
    assert stored.loc[ikk[5], "capaian"] == 87.5
    assert stored.loc[ikk[0], "data_dukung"] == f"{ikk[0]}.pdf"
    assert db.scalar("SELECT triwulan FROM submission") is None


def test_same_file_again_changes_nothing(db, tmp_path):
    filled = fill(
        make_template(db, tmp_path / "t.xlsx"), tmp_path / "a.xlsx", spm_values(kab_codes(db))
    )
    first = ingest_file(db, filled, ADMIN, today=ON_TIME)
    before = snapshot(db)
    again = ingest_file(db, filled, ADMIN, today=ON_TIME)
    assert again.accepted and again.unchanged and not again.committed
    assert again.submission_id == first.submission_id
    assert "tidak ada perubahan" in again.summary()
    after = snapshot(db)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


def test_a_correction_is_a_new_version_with_previous_values(db, tmp_path):
    template = make_template(db, tmp_path / "t.xlsx")
    codes = kab_codes(db)
    values = spm_values(codes)
    first = ingest_file(db, fill(template, tmp_path / "a.xlsx", values), ADMIN, today=ON_TIME)
    old_terlayani = values["KES-K-01"]["jumlah_terlayani"]
    values["KES-K-01"]["jumlah_terlayani"] = 999
    values["KES-K-01"]["tahap_pelaksanaan"] = "Tidak"
    second = ingest_file(db, fill(template, tmp_path / "b.xlsx", values), ADMIN, today=ON_TIME)
    assert second.committed and second.counts == {
        "baris": 29,
        "baru": 0,
        "berubah": 1,
        "sama": 28,
        "dilewati": 0,
    }
    assert second.submission_id > first.submission_id
    # The first upload's rows are recorded as new (no earlier value), one mark each.
    assert db.scalar(
        "SELECT count(*) FROM perubahan_nilai WHERE kolom = '(baris baru)' AND submission_id = ?",
        [first.submission_id],
    ) == len(codes)
    changes = db.dicts("SELECT * FROM perubahan_nilai WHERE kolom <> '(baris baru)' ORDER BY kolom")
    assert [(c["kode"], c["kolom"], c["nilai_lama"], c["nilai_baru"]) for c in changes] == [
        ("KES-K-01", "jumlah_terlayani", str(old_terlayani), "999"),
        ("KES-K-01", "tahap_pelaksanaan", "Ya", "Tidak"),
    ]
    assert all(c["submission_id"] == second.submission_id for c in changes)
    assert all(c["submission_lama"] == first.submission_id for c in changes)
    # Every data row of the period points to the newest submission; the old one stays.
    assert db.rows("SELECT DISTINCT submission_id FROM spm_data") == [(second.submission_id,)]
    assert db.scalar("SELECT count(*) FROM submission") == 2


def test_final_submission_is_locked(db, tmp_path):
    template = make_template(db, tmp_path / "t.xlsx")
    values = spm_values(kab_codes(db))
    first = ingest_file(db, fill(template, tmp_path / "a.xlsx", values), ADMIN, today=ON_TIME)
    db.execute("UPDATE submission SET status = 'final' WHERE id = ?", [first.submission_id])
    values["KES-K-01"]["jumlah_terlayani"] = 1
    before = snapshot(db)
    result = ingest_file(db, fill(template, tmp_path / "b.xlsx", values), ADMIN, today=ON_TIME)
    assert not result.accepted
    assert any("sudah final" in p.message and "administrator" in p.message for p in result.errors)
    after = snapshot(db)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


def test_uploader_of_another_region_is_refused(db, tmp_path):
    filled = fill(
        make_template(db, tmp_path / "t.xlsx"), tmp_path / "a.xlsx", spm_values(kab_codes(db))
    )
    other = Actor("kab-19.02", "pengunggah_kabkota", kode_wilayah="19.02")
    result = ingest_file(db, filled, other, today=ON_TIME)
    assert not result.accepted
    assert "hanya dapat mengunggah data wilayah 19.02" in result.errors[0].message
    assert db.scalar("SELECT count(*) FROM spm_data") == 0
    own = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
    assert ingest_file(db, filled, own, today=ON_TIME).committed


def test_admin_backfill_after_deadline_is_recorded_late(db, tmp_path):
    filled = fill(
        make_template(db, tmp_path / "t.xlsx"), tmp_path / "a.xlsx", spm_values(kab_codes(db))
    )
    result = ingest_file(db, filled, ADMIN, today=ON_TIME.replace(year=2026))
    assert result.committed and result.late
    assert db.scalar("SELECT terlambat FROM submission") is True


def test_dry_run_writes_nothing(db, tmp_path):
    filled = fill(
        make_template(db, tmp_path / "t.xlsx"), tmp_path / "a.xlsx", spm_values(kab_codes(db))
    )
    before = snapshot(db)
    result = ingest_file(db, filled, ADMIN, dry_run=True, today=ON_TIME)
    assert result.accepted and not result.committed and result.counts["baru"] == 29
    after = snapshot(db)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    assert not (db.path.parent / "store").exists()


def test_template_prefills_previous_triwulan(db, tmp_path):
    codes = kab_codes(db)
    values = spm_values(codes)
    fill(make_template(db, tmp_path / "t1.xlsx", tw=1), tmp_path / "a.xlsx", values)
    assert ingest_file(db, tmp_path / "a.xlsx", ADMIN, today=ON_TIME).committed
    path = make_template(db, tmp_path / "t2.xlsx", tw=2)
    wb = load_workbook(path)
    ws = wb[templates.DATA_SHEET]
    keys = [c.value for c in ws[templates.KEY_ROW]]
    row = templates.FIRST_DATA_ROW
    assert ws.cell(row=row, column=keys.index("triwulan") + 1).value == 2
    sasaran = ws.cell(row=row, column=keys.index("jumlah_sasaran") + 1)
    assert sasaran.value == values[codes[0]]["jumlah_sasaran"]
    assert sasaran.fill.fgColor.rgb.endswith("FFF2CC")
    assert "triwulan 1" in ws.cell(row=row, column=keys.index("sumber_nilai_awal") + 1).value
    meta = dict(wb[templates.META_SHEET].iter_rows(values_only=True))
    assert meta["form"] == "spm-kabkota" and meta["kode_wilayah"] == "19.01"
    assert meta["triwulan"] == "2" and wb[templates.META_SHEET].sheet_state == "veryHidden"


def test_template_structure(db, tmp_path):
    path = make_template(db, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Petunjuk", "Data"]
    ws = wb["Data"]
    assert ws.protection.sheet
    assert ws.row_dimensions[templates.KEY_ROW].hidden
    keys = [c.value for c in ws[templates.KEY_ROW]]
    row = templates.FIRST_DATA_ROW
    assert ws.cell(row=row, column=keys.index("kode_layanan") + 1).protection.locked
    assert not ws.cell(row=row, column=keys.index("jumlah_sasaran") + 1).protection.locked
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"whole", "decimal", "list"} <= kinds
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists[0].formula1 == '"Ya,Tidak"'


def test_long_lists_go_to_a_hidden_sheet():
    from openpyxl import Workbook

    wb = Workbook()
    values = [f"Pilihan panjang nomor {i}" for i in range(40)]
    dv = templates.list_validation(wb, values, "panjang")
    assert dv.formula1 == "'_daftar'!$A$2:$A$41"
    assert wb[templates.LIST_SHEET].sheet_state == "hidden"
    assert wb[templates.LIST_SHEET]["A41"].value == values[-1]


@pytest.mark.parametrize(
    "form, region, tw, message",
    [
        ("spm-kabkota", "19", 1, "adalah provinsi"),
        ("spm-provinsi", "19.01", 1, "adalah kabupaten/kota"),
        ("spm-kabkota", "99.99", 1, "tidak dikenal"),
        ("spm-kabkota", "19.01", None, "Triwulan wajib"),
    ],
)
def test_template_refuses_bad_requests(db, tmp_path, form, region, tw, message):
    with pytest.raises(templates.TemplateError, match=message):
        templates.write(db, templates.TemplateSpec(form, region, 2025, tw), tmp_path / "x.xlsx")


def test_province_wide_file_overlapping_a_final_opd_submission_is_locked(db, tmp_path):
    opd = make_template(db, tmp_path / "o.xlsx", form="spm-provinsi", region="19", opd="dinkes")
    codes = ["KES-P-01", "KES-P-02"]
    first = ingest_file(db, fill(opd, tmp_path / "a.xlsx", spm_values(codes)), ADMIN, today=ON_TIME)
    db.execute("UPDATE submission SET status = 'final' WHERE id = ?", [first.submission_id])
    whole = make_template(db, tmp_path / "w.xlsx", form="spm-provinsi", region="19")
    values = spm_values(["PEND-P-01", "KES-P-01"], sasaran=7)
    result = ingest_file(db, fill(whole, tmp_path / "b.xlsx", values), ADMIN, today=ON_TIME)
    assert not result.accepted
    assert any("(dinkes)" in p.message and "sudah final" in p.message for p in result.errors)
    assert db.scalar("SELECT count(*) FROM submission") == 1
