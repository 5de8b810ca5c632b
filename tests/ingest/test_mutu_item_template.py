"""Templates with one row per mutu item under its service, filled and ingested: the
figures by both methods equal the hand-computed ones; bad item rows are told by sheet,
row and column and change nothing; today's layout stays accepted where a service has
one item per kelompok."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipelines.core import mutu_item, settings
from pipelines.ingest import templates
from pipelines.ingest.commit import ingest_file
from tests.ingest_helpers import ADMIN, ON_TIME, fill, make_template

ITEMS = {
    ("KES-K-08", "B1.01"): {"mutu_barang_jasa_kebutuhan": 10, "mutu_barang_jasa_tersedia": 8},
    ("KES-K-08", "B1.02"): {"mutu_barang_jasa_kebutuhan": 4, "mutu_barang_jasa_tersedia": 6},
    ("KES-K-08", "B1.03"): {"mutu_barang_jasa_kebutuhan": 0, "mutu_barang_jasa_tersedia": 5},
    ("KES-K-08", "B1.04"): {"mutu_barang_jasa_kebutuhan": 2, "mutu_barang_jasa_tersedia": 0},
    ("KES-K-08", "B2.01"): {"mutu_sdm_kebutuhan": 3, "mutu_sdm_tersedia": 3},
    ("KES-K-08", "B2.02"): {"mutu_sdm_kebutuhan": 5, "mutu_sdm_tersedia": 1},
}
SERVICES = {
    "KES-K-08": {"jumlah_sasaran": 100, "jumlah_terlayani": 90},
    "KES-K-02": {
        "jumlah_sasaran": 50,
        "jumlah_terlayani": 50,
        "mutu_barang_jasa_kebutuhan": 4,
        "mutu_barang_jasa_tersedia": 2,
        "mutu_sdm_kebutuhan": 0,
        "mutu_sdm_tersedia": 0,
    },
}


@pytest.fixture
def items_db(db):
    mutu_item.load(db, mutu_item.SAMPLE_FILE, by="uji")
    return db


def figure(db, code):
    return db.dicts(
        "SELECT capaian_mutu, nilai FROM v_spm_layanan WHERE kode_wilayah = '19.01' "
        "AND tahun = 2025 AND triwulan = 2 AND kode_layanan = ?",
        [code],
    )[0]


def data_rows(path: Path) -> list[dict]:
    ws = load_workbook(path)["Data"]
    keys = [c.value for c in ws[templates.KEY_ROW]]
    return [
        {
            "row": r,
            **{k: ws.cell(row=r, column=j + 1) for j, k in enumerate(keys)},
        }
        for r in range(templates.FIRST_DATA_ROW, ws.max_row + 1)
    ]


def test_template_has_a_row_per_item_under_its_service(items_db, tmp_path):
    path = make_template(items_db, tmp_path / "t.xlsx")
    rows = data_rows(path)
    codes = [(r["kode_layanan"].value, r["kode_item"].value) for r in rows]
    at = codes.index(("KES-K-08", None))
    assert [c[1] for c in codes[at + 1 : at + 13]] == [
        *(f"B1.0{i}" for i in range(1, 6)),
        *(f"B2.0{i}" for i in range(1, 8)),
    ]
    service, tensimeter = rows[at], rows[at + 2]
    assert service["mutu_barang_jasa_kebutuhan"].protection.locked
    assert not service["jumlah_sasaran"].protection.locked
    assert tensimeter["nama_layanan"].value == "Barang/jasa (B.1): Tensimeter (unit)"
    assert not tensimeter["mutu_barang_jasa_kebutuhan"].protection.locked
    assert tensimeter["mutu_sdm_kebutuhan"].protection.locked
    assert tensimeter["jumlah_sasaran"].protection.locked
    assert tensimeter["kode_item"].protection.locked
    # a service the catalog does not detail keeps its pair and no item rows
    other = codes.index(("KES-K-02", None))
    assert codes[other + 1][1] is None
    assert not rows[other]["mutu_sdm_tersedia"].protection.locked


def test_filled_template_gives_the_hand_computed_figures_by_both_methods(items_db, tmp_path):
    filled = fill(
        make_template(items_db, tmp_path / "t.xlsx"), tmp_path / "f.xlsx", {**SERVICES, **ITEMS}
    )
    result = ingest_file(items_db, filled, ADMIN, today=ON_TIME)
    assert result.accepted, result.problems
    assert result.counts["baru"] == 2 + 6
    # per kelompok: barang/jasa 12/16 = 75, SDM 4/8 = 50 -> 62,5; nilai 0,8 x 90 + 0,2 x 62,5
    assert figure(items_db, "KES-K-08") == {
        "capaian_mutu": pytest.approx(62.5),
        "nilai": pytest.approx(84.5),
    }
    assert figure(items_db, "KES-K-02")["capaian_mutu"] == pytest.approx(50.0)
    settings.save(items_db, {"metode_mutu": "per_item"}, by="uji")
    # per item: (80 + 100 + 0 + 100 + 20) / 5 = 60
    assert figure(items_db, "KES-K-08") == {
        "capaian_mutu": pytest.approx(60.0),
        "nilai": pytest.approx(84.0),
    }
    # the template of the period now comes back with the stored item values
    again = data_rows(make_template(items_db, tmp_path / "t2.xlsx"))
    tensimeter = next(
        r for r in again if (r["kode_layanan"].value, r["kode_item"].value) == ("KES-K-08", "B1.02")
    )
    assert tensimeter["mutu_barang_jasa_tersedia"].value == 6
    # the same file again changes nothing
    assert ingest_file(items_db, filled, ADMIN, today=ON_TIME).unchanged


@pytest.mark.parametrize(
    "item, cells, column, text",
    [
        (
            "B1.01",
            {"kode_item": "B1.99"},
            "Kode item mutu",
            "Item mutu 'B1.99' tidak ada dalam katalog item mutu layanan KES-K-08",
        ),
        (
            "B2.01",
            {"mutu_barang_jasa_kebutuhan": 3},
            "Mutu barang/jasa: kebutuhan",
            "Baris item mutu B2.01 (SDM (B.2)) hanya berisi kebutuhan dan tersedia",
        ),
        (
            "B1.01",
            {"jumlah_sasaran": 3},
            "Jumlah sasaran (penerima)",
            "kosongkan sel Jumlah sasaran (penerima)",
        ),
    ],
)
def test_bad_item_rows_are_told_by_sheet_row_and_column(
    items_db, tmp_path, item, cells, column, text
):
    template = make_template(items_db, tmp_path / "t.xlsx")
    filled = fill(template, tmp_path / "f.xlsx", {**SERVICES, **ITEMS})
    # typed over the sheet's protection (or in a copy of the sheet without it)
    book = load_workbook(filled)
    rows = data_rows(filled)
    row = next(
        r["row"]
        for r in rows
        if (r["kode_layanan"].value, r["kode_item"].value) == ("KES-K-08", item)
    )
    keys = list(rows[0])[1:]
    for key, value in cells.items():
        book["Data"].cell(row=row, column=keys.index(key) + 1).value = value
    book.save(filled)
    result = ingest_file(items_db, filled, ADMIN, today=ON_TIME)
    assert not result.accepted
    found = [p for p in result.errors if text in p.message]
    assert found, [p.message for p in result.errors]
    assert (found[0].sheet, found[0].row) == ("Data", row)
    assert found[0].column.startswith(column), found[0].column
    assert items_db.scalar("SELECT count(*) FROM submission") == 0
    assert items_db.scalar("SELECT count(*) FROM spm_mutu") == 0


def test_todays_layout_stays_accepted_where_a_service_has_one_item_per_kelompok(items_db, tmp_path):
    header = (
        "kode_wilayah,tahun,triwulan,kode_layanan,jumlah_sasaran,jumlah_terlayani,"
        "mutu_barang_jasa_kebutuhan,mutu_barang_jasa_tersedia,mutu_sdm_kebutuhan,mutu_sdm_tersedia\n"
    )
    good = tmp_path / "lama.csv"
    good.write_text(header + "19.01,2025,2,KES-K-02,50,50,4,2,0,0\n")
    result = ingest_file(items_db, good, ADMIN, today=ON_TIME)
    assert result.accepted, result.problems
    assert figure(items_db, "KES-K-02")["capaian_mutu"] == pytest.approx(50.0)
    # a service whose kelompok the catalog details: its pair is refused, by row and column
    bad = tmp_path / "lama-rinci.csv"
    bad.write_text(header + "19.01,2025,2,KES-K-08,100,90,4,2,0,0\n")
    refused = ingest_file(items_db, bad, ADMIN, today=ON_TIME)
    assert not refused.accepted
    problem = next(
        p for p in refused.errors if "merinci mutu Barang/jasa (B.1) per item" in p.message
    )
    assert problem.row == 2
    assert items_db.scalar("SELECT count(*) FROM submission") == 1
