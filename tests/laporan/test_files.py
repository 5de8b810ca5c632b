"""The report files: workbooks and DOCX opened with openpyxl / python-docx and checked
against the computation views of the demo data; spreadsheet safety; print setup."""

from __future__ import annotations

import csv
import dataclasses
import io
import math

import docx
import openpyxl
import pandas as pd
import pytest

from pipelines.capaian import awards, materi
from pipelines.capaian.labels import IP_SPM_PEMPROV
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.laporan import docx as laporan_docx
from pipelines.laporan import records as laporan
from pipelines.laporan import xlsx_kit, xlsx_lppd_bab_iv, xlsx_rekap_kabkota
from pipelines.laporan.data import collect

YEAR, TW = 2025, 4
HEADER_ROW = xlsx_kit.HEADER_ROW
PROVINCE_SHEETS = [
    "Ringkasan",
    "SPM Provinsi",
    "Rekap Kab-Kota",
    "Peringkat",
    "Sebaran Kategori",
    "SKM",
    "SPM Awards",
]
BABEL_KABKOTA = ["19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"]


@pytest.fixture(scope="module")
def built(demo_db_template):
    """The province package for 2025 TW4 built from the demo, with the view figures."""
    with Database.open(demo_db_template, read_only=True) as db:
        data = collect(db, YEAR, TW)
        files = {f.nama_berkas: f for f in laporan.build_files(data)}
        views = {
            "layanan": db.df(
                "SELECT * FROM v_spm_layanan WHERE tahun = ? AND triwulan = ?", [YEAR, TW]
            ),
            "urusan": db.df(
                "SELECT * FROM v_spm_urusan WHERE tahun = ? AND triwulan = ?", [YEAR, TW]
            ),
            "wilayah": db.df(
                "SELECT * FROM v_spm_wilayah WHERE tahun = ? AND triwulan = ?", [YEAR, TW]
            ),
            "keterisian": db.df(
                "SELECT * FROM keterisian_wilayah('v', ?, NULL) WHERE triwulan = ?", [[YEAR], TW]
            ),
            "wilayah_lalu": db.df(
                "SELECT * FROM v_spm_wilayah WHERE tahun = ? AND triwulan = ?", [YEAR - 1, TW]
            ),
            "urusan_lalu": db.df(
                "SELECT * FROM v_spm_urusan WHERE tahun = ? AND triwulan = ?", [YEAR - 1, TW]
            ),
        }
    return data, files, views


def open_xlsx(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def table(ws) -> list[dict]:
    """The rows under the header row as dicts keyed by header label."""
    header = [c.value for c in ws[HEADER_ROW]]
    out = []
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[0] is None and all(v is None for v in row[1:]):
            continue
        out.append(dict(zip(header, row, strict=False)))
    return out


def close(a, b) -> bool:
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None) and (b is None or (isinstance(b, float) and math.isnan(b)))
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)


def test_package_has_the_expected_files(built):
    _, files, _ = built
    assert list(files) == [
        "laporan-spm-provinsi_19_2025_TW4.xlsx",
        "rekap-kabkota_19_2025_TW4.xlsx",
        "lppd-bab-iv_19_2025_TW4.xlsx",
        "narasi_19_2025_TW4.docx",
        "data-spm_19_2025_TW4.csv",
        "ringkasan-provinsi_19_2025_TW4.csv",
    ]


def test_provincial_workbook_has_the_spm_awards_of_the_library(built, demo_db_template):
    _, files, _ = built
    wb = open_xlsx(files["laporan-spm-provinsi_19_2025_TW4.xlsx"].isi)
    rows = [r for r in table(wb["SPM Awards"]) if r["Kode"]]
    with Database.open(demo_db_template, read_only=True) as db:
        expected = awards.skor(db, None, YEAR, sampai_triwulan=TW).skor
    assert [r["Kode"] for r in rows] == list(expected["kode_wilayah"])
    for r, e in zip(rows, expected.itertuples(), strict=True):
        assert close(r["Skor"], e.skor) and close(r["IP-SPM (60)"], e.ip_spm)
        assert close(r["Tim (5)"], e.tim) and close(r["Kepatuhan (10)"], e.kepatuhan)
        assert r["Langkah berikut"] == e.langkah_berikut
    # the demo's region whose data is only diajukan is marked, on its row and under the table
    assert {r["Status data"] for r in rows} >= {"terverifikasi", "belum diverifikasi (diajukan)"}
    notes = [c for c in wb["SPM Awards"]["A"] if isinstance(c.value, str)]
    assert any(c.value.startswith("Catatan status data: 1 dari 7") for c in notes)


def test_provincial_workbook_sheets_and_figures_match_the_views(built):
    _, files, views = built
    wb = open_xlsx(files["laporan-spm-provinsi_19_2025_TW4.xlsx"].isi)
    assert wb.sheetnames == PROVINCE_SHEETS
    layanan = views["layanan"]
    own = layanan[layanan["kode_wilayah"] == "19"].set_index("kode_layanan")
    rows = [r for r in table(wb["SPM Provinsi"]) if r["Kode"]]
    assert sorted(r["Kode"] for r in rows) == sorted(own.index)
    for r in rows:
        v = own.loc[r["Kode"]]
        assert r["Jenis Pelayanan Dasar"] == v["nama_layanan"]
        assert r["Sasaran"] == v["jumlah_sasaran"]
        assert r["Terlayani"] == v["jumlah_terlayani"]
        assert close(r["Capaian Penerima (%)"], v["capaian_penerima"])
        assert close(r["Capaian Mutu (%)"], v["capaian_mutu"])
        assert close(r["Nilai"], v["nilai"])
        assert r["Kategori"] == v["kategori"]
        assert close(r["Anggaran Rencana (Rp)"], float(v["anggaran_rencana"]))
        assert close(r["Anggaran Realisasi (Rp)"], float(v["anggaran_realisasi"]))
        assert r["Permasalahan"] == (
            v["permasalahan"] if isinstance(v["permasalahan"], str) else None
        )
    urusan = views["urusan"]
    own_urusan = urusan[urusan["kode_wilayah"] == "19"].set_index("urusan")
    totals = {r["Jenis Pelayanan Dasar"]: r for r in table(wb["SPM Provinsi"]) if not r["Kode"]}
    for name, u in own_urusan.iterrows():
        assert close(totals[f"Nilai urusan {name}"]["Nilai"], u["nilai"])
    ip = views["wilayah"].set_index("kode_wilayah")
    assert close(totals[IP_SPM_PEMPROV.nama]["Nilai"], ip.loc["19", "nilai"])
    ringkasan = table(wb["Ringkasan"])
    assert close(ringkasan[0]["Nilai"], ip.loc["19", "nilai"])
    assert ringkasan[0]["Kategori"] == ip.loc["19", "kategori"]


def test_rekap_and_ranking_match_the_views(built):
    data, files, views = built
    wb = open_xlsx(files["laporan-spm-provinsi_19_2025_TW4.xlsx"].isi)
    ip = views["wilayah"].set_index("kode_wilayah")
    lalu = views["wilayah_lalu"].set_index("kode_wilayah")
    urusan = views["urusan"].set_index(["kode_wilayah", "urusan"])
    rekap = [r for r in table(wb["Rekap Kab-Kota"]) if r["Kode"] and r["Kabupaten/Kota"]]
    assert [r["Kode"] for r in rekap] == BABEL_KABKOTA
    reported = [code for code in ip.index if code != "19"]
    assert reported, "the demo has kabupaten/kota data for 2025 TW4"
    for r in rekap:
        code = r["Kode"]
        if code in reported:
            assert close(r["IP-SPM"], ip.loc[code, "nilai"])
            assert r["Kategori"] == ip.loc[code, "kategori"]
            for u in data.urusan:
                expected = urusan.loc[(code, u), "nilai"] if (code, u) in urusan.index else None
                assert close(r[u], expected), (code, u)
            assert close(r[f"IP-SPM {YEAR - 1}"], lalu.loc[code, "nilai"])
            assert close(r["Perubahan (poin)"], ip.loc[code, "nilai"] - lalu.loc[code, "nilai"])
        else:
            assert r["IP-SPM"] is None and r["Kategori"] == "Belum melapor"
    ranking = [r for r in table(wb["Peringkat"]) if r["Peringkat"] is not None]
    expected_order = ip.drop(index="19").sort_values("nilai", ascending=False).index.tolist()
    assert [r["Kode"] for r in ranking] == expected_order
    assert [r["Peringkat"] for r in ranking] == list(range(1, len(expected_order) + 1))
    for r in ranking:
        filled = views["keterisian"].set_index("kode_wilayah").loc[r["Kode"], "keterisian"]
        assert close(r["Keterisian formulir (%)"], filled), r["Kode"]


def test_rekap_workbook_has_one_sheet_per_region(built):
    _, files, views = built
    wb = open_xlsx(files["rekap-kabkota_19_2025_TW4.xlsx"].isi)
    assert wb.sheetnames == [
        "Daftar",
        "19.01 Kabupaten Bangka",
        "19.02 Kabupaten Belitung",
        "19.03 Kabupaten Bangka Selatan",
        "19.04 Kabupaten Bangka Tengah",
        "19.05 Kabupaten Bangka Barat",
        "19.06 Kabupaten Belitung Timur",
        "19.71 Kota Pangkal Pinang",
    ]
    layanan = views["layanan"].set_index(["kode_wilayah", "kode_layanan"])
    for name in wb.sheetnames[1:]:
        code = name.split()[0]
        rows = [r for r in table(wb[name]) if r.get("Kode")]
        expected = layanan.loc[code] if code in layanan.index.get_level_values(0) else None
        if expected is None:
            assert "belum menyampaikan data SPM" in (wb[name].cell(HEADER_ROW + 1, 1).value or "")
            continue
        assert len(rows) == len(expected) == 29
        for r in rows:
            v = expected.loc[r["Kode"]]
            assert close(r["Nilai"], v["nilai"])
            assert r["Status Data"] == v["status_submission"]


def test_print_setup_of_every_sheet(built):
    _, files, _ = built
    for name, f in files.items():
        if f.jenis_berkas != "xlsx":
            continue
        wb = open_xlsx(f.isi)
        for ws in wb.worksheets:
            assert ws.page_setup.orientation == "landscape", (name, ws.title)
            assert str(ws.page_setup.paperSize) == "9"
            assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
            assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
            assert ws.print_area.startswith(f"'{ws.title}'!$A$1:") or ws.print_area.startswith(
                f"{ws.title}!$A$1:"
            )
            assert ws.oddFooter.center.text == "Halaman &P dari &N"
            assert ws["A1"].font.bold
        wb_props = wb.properties
        assert wb_props.creator == xlsx_kit.CREATOR
    wb = open_xlsx(files["laporan-spm-provinsi_19_2025_TW4.xlsx"].isi)
    ws = wb["SPM Provinsi"]
    first = HEADER_ROW + 1
    header = [c.value for c in ws[HEADER_ROW]]
    fmts = {h: ws.cell(first, i + 1).number_format for i, h in enumerate(header)}
    assert fmts["Sasaran"] == "#,##0"
    assert fmts["Nilai"] == "#,##0.00"
    assert fmts["Anggaran Rencana (Rp)"] == '"Rp" #,##0'
    assert ws.column_dimensions["D"].width == 40


def test_lppd_workbook_bab_iv_and_ikk(demo_db_template):
    with Database.open(demo_db_template, read_only=True) as db:
        data = collect(db, 2024, 4)
        ikk = db.df(
            "SELECT kode_wilayah, kode_ikk, capaian FROM v_lppd_ikk WHERE tahun = 2024 "
            "AND kode_provinsi = '19'"
        )
        lengkap = db.df(
            "SELECT kode_wilayah, ikk_terisi FROM v_lppd_kelengkapan WHERE tahun = 2024 "
            "AND kode_provinsi = '19'"
        )
        own = db.df(
            "SELECT nama_layanan, nilai FROM v_spm_layanan WHERE kode_wilayah = '19' "
            "AND tahun = 2024 AND triwulan = 4"
        )
    wb = open_xlsx(xlsx_lppd_bab_iv.workbook_lppd_bab_iv(data))
    assert wb.sheetnames == ["BAB IV SPM", "SPM Kab-Kota", "IKK Kab-Kota", "Kelengkapan IKK"]
    bab = {r["Jenis Pelayanan Dasar"]: r for r in table(wb["BAB IV SPM"])}
    for r in own.itertuples(index=False):
        assert close(bab[r.nama_layanan]["Nilai"], r.nilai)
    rows = table(wb["IKK Kab-Kota"])
    assert len(rows) == len(ikk) > 0
    got = {(r["Kode"], r["Kode IKK"]): r["Capaian"] for r in rows}
    for r in ikk.itertuples(index=False):
        assert close(got[(r.kode_wilayah, r.kode_ikk)], r.capaian)
    filled = {r["Kode"]: r["IKK Terisi"] for r in table(wb["Kelengkapan IKK"])}
    assert filled == dict(zip(lengkap["kode_wilayah"], lengkap["ikk_terisi"], strict=True))


def test_lppd_workbook_says_when_the_year_has_no_ikk(built):
    _, files, _ = built
    wb = open_xlsx(files["lppd-bab-iv_19_2025_TW4.xlsx"].isi)
    assert wb["IKK Kab-Kota"].cell(HEADER_ROW + 1, 1).value == "Belum ada data IKK LPPD tahun 2025."


def test_docx_chapters_legal_basis_and_generated_sentences(built, demo_db_template):
    data, files, views = built
    document = docx.Document(io.BytesIO(files["narasi_19_2025_TW4.docx"].isi))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == [
        "BAB I PENDAHULUAN",
        "BAB II PENERAPAN DAN PENCAPAIAN SPM",
        "BAB III KENDALA DAN SOLUSI",
        "BAB IV PENUTUP",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    for rule in data.settings["laporan_dasar_hukum"]:
        assert rule in text
    assert "Nomor 59 Tahun 2021" in text
    # One sentence per kabupaten/kota and urusan, figures from the capaian views.
    with Database.open(demo_db_template, read_only=True) as db:
        u = db.df(
            "SELECT nilai, kategori, selisih_tahun_lalu FROM v_capaian_urusan "
            "WHERE kode_wilayah = '19.02' AND urusan = 'Kesehatan' AND tahun = ? "
            "AND triwulan = ?",
            [YEAR, TW],
        ).iloc[0]
    diff = u["selisih_tahun_lalu"]
    expected = (
        f"Capaian SPM urusan Kesehatan Kabupaten Belitung pada Triwulan IV 2025 sebesar "
        f"{fmt.angka(u['nilai'], 2)} ({u['kategori']}), "
        f"{'naik' if diff > 0 else 'turun'} {fmt.angka(abs(diff), 2)} poin dibanding tahun 2024."
    )
    assert expected in text
    # Tables: the province's services and the ranking are there as tables.
    assert len(document.tables) >= 6
    # BAB III gathers the permasalahan written in the submissions.
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert set(views["layanan"]["permasalahan"].dropna()) <= cells
    assert set(views["layanan"]["solusi"].dropna()) <= cells
    assert document.core_properties.author == laporan_docx.CREATOR


def test_sentence_matches_the_issue_example():
    assert (
        laporan_docx.kalimat_capaian(
            "SPM urusan Kesehatan",
            "Kabupaten Bangka",
            "Triwulan IV 2025",
            86.4,
            "Tuntas Madya",
            83.3,
            3.1,
            2024,
        )
        == "Capaian SPM urusan Kesehatan Kabupaten Bangka pada Triwulan IV 2025 sebesar 86,40 "
        "(Tuntas Madya), naik 3,10 poin dibanding tahun 2024."
    )
    assert "turun 1,25 poin" in laporan_docx.kalimat_capaian(
        "X", "Y", "Z", 80, "K", 81.25, -1.25, 2024
    )
    assert "belum ada data pembanding tahun 2024" in laporan_docx.kalimat_capaian(
        "X", "Y", "Z", 80, "K", None, None, 2024
    )
    assert "belum dapat dihitung" in laporan_docx.kalimat_capaian(
        "X", "Y", "Z", None, None, 1, 1, 2024
    )


def test_user_text_starting_with_formula_characters_stays_text(demo_db):
    risky = {
        "PEND-P-01": '=HYPERLINK("http://contoh.invalid","klik")',
        "PEND-P-02": "+62 812 3456",
        "PU-P-01": "-kurang tenaga",
        "PU-P-02": "@SUM(A1:A2)",
    }
    with demo_db.transaction():
        for code, text in risky.items():
            demo_db.execute(
                "UPDATE spm_data SET permasalahan = ?, solusi = ? WHERE kode_wilayah = '19' "
                "AND tahun = ? AND triwulan = ? AND kode_layanan = ?",
                [text, text, YEAR, TW, code],
            )
        materi.ubah(demo_db, [("19", YEAR)])
    data = collect(demo_db, YEAR, TW)
    files = {f.jenis_berkas + f.nama_berkas[:7]: f for f in laporan.build_files(data)}
    wb = open_xlsx(files["xlsxlaporan"].isi)
    ws = wb["SPM Provinsi"]
    header = [c.value for c in ws[HEADER_ROW]]
    col_kode, col_masalah = header.index("Kode") + 1, header.index("Permasalahan") + 1
    seen = {}
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(row, col_kode).value
        if code in risky:
            cell = ws.cell(row, col_masalah)
            seen[code] = cell
    assert set(seen) == set(risky)
    for code, cell in seen.items():
        assert cell.value == risky[code]
        assert cell.data_type == "s", (code, cell.data_type)
        assert cell.quotePrefix
    # The same text in the CSV gets a leading apostrophe.
    reader = csv.DictReader(io.StringIO(files["csvdata-sp"].isi.decode("utf-8-sig")))
    rows = {r["kode_layanan"]: r for r in reader if r["kode_wilayah"] == "19"}
    for code, text in risky.items():
        assert rows[code]["permasalahan"] == "'" + text
        assert rows[code]["solusi"] == "'" + text
    # And the DOCX shows it as written.
    document = docx.Document(io.BytesIO(files["docxnarasi_"].isi))
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert risky["PEND-P-01"] in cells


def test_same_inputs_give_the_same_bytes(demo_db_template, demo_db_path):
    with Database.open(demo_db_template, read_only=True) as db:
        first = laporan.build_files(collect(db, YEAR, TW))
    with Database.open(demo_db_path, read_only=True) as db:  # another copy, another process state
        second = laporan.build_files(collect(db, YEAR, TW))
    assert [f.nama_berkas for f in first] == [f.nama_berkas for f in second]
    for a, b in zip(first, second, strict=True):
        assert a.isi == b.isi, a.nama_berkas


def test_national_rekap_streams_one_sheet_per_region(demo_db_template):
    with Database.open(demo_db_template, read_only=True) as db:
        data = collect(db, YEAR, TW, nasional=True)
    content = xlsx_rekap_kabkota.workbook_rekap_kabkota(data)
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert len(wb.sheetnames) == 1 + 514
    assert len(set(n.lower() for n in wb.sheetnames)) == len(wb.sheetnames)
    assert all(len(n) <= 31 for n in wb.sheetnames)
    wb.close()


def test_the_preview_is_the_report_without_its_own_sheets(demo_db):
    """The Laporan page's preview leaves out the SKM results and the SPM Awards scores
    (it shows neither) and so the exact data version; everything else, the label of the
    data version included, is what the report itself holds."""
    demo_db.execute("DELETE FROM skm_unggah WHERE kode_unit = 'damkar' AND tahun = ?", [YEAR])
    report = collect(demo_db, YEAR, TW)
    preview = collect(demo_db, YEAR, TW, preview=True)
    left_out = ("awards", "awards_catatan", "skm", "skm_tanpa_survei", "versi_data")
    assert not report.awards.empty and report.awards_catatan is not None
    assert not report.skm.empty and not report.skm_tanpa_survei.empty and report.versi_data
    assert preview.awards.empty and preview.awards_catatan is None and preview.skm.empty
    assert preview.skm_tanpa_survei.empty and preview.versi_data == ""
    assert preview.label_versi_data == report.label_versi_data
    assert preview.jumlah_pengiriman == report.jumlah_pengiriman > 0
    names = [f.name for f in dataclasses.fields(report)]
    assert {"kiriman", "scope", "waktu_data", "kabkota_wilayah", *left_out} <= set(names)
    for name in names:
        if name not in left_out:
            _assert_same(getattr(preview, name), getattr(report, name), name)


def _assert_same(ours, theirs, name: str) -> None:
    if isinstance(theirs, pd.DataFrame):
        pd.testing.assert_frame_equal(ours, theirs, obj=name)
    elif dataclasses.is_dataclass(theirs):
        for f in dataclasses.fields(theirs):
            _assert_same(getattr(ours, f.name), getattr(theirs, f.name), f"{name}.{f.name}")
    else:
        assert ours == theirs, name
