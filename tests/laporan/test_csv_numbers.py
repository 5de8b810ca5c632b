"""The report's CSV (also inside the ZIP for the Pusat): numbers stay numbers in every
row, negative values included; only text a user typed gets the formula guard."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from pipelines.capaian import materi
from pipelines.laporan import bundle, records
from pipelines.laporan.data import collect

YEAR, TW = 2025, 4
NUMERIC = [
    "tahun",
    "triwulan",
    "jumlah_sasaran",
    "jumlah_terlayani",
    "kurang_terlayani",
    "capaian_penerima",
    "capaian_mutu",
    "nilai",
    "nilai_tahun_lalu",
    "selisih_tahun_lalu",
    "anggaran_rencana",
    "anggaran_realisasi",
    "submission_id",
]


def _rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _data_csv(files) -> bytes:
    return next(f.isi for f in files if f.nama_berkas.startswith("data-spm_"))


def test_every_numeric_column_parses_as_a_number_in_every_row(demo_db):
    risky = "-kurang tenaga di pulau terluar"
    with demo_db.transaction():
        demo_db.execute(
            "UPDATE spm_data SET permasalahan = ? WHERE kode_wilayah = '19' AND tahun = ? "
            "AND triwulan = ? AND kode_layanan = 'PU-P-01'",
            [risky, YEAR, TW],
        )
        materi.ubah(demo_db, [("19", YEAR)])
    rows = _rows(_data_csv(records.build_files(collect(demo_db, YEAR, TW))))
    assert rows
    negatives = 0
    for row in rows:
        for column in NUMERIC:
            text = row[column]
            if text == "":
                continue  # missing stays missing
            assert not text.startswith("'"), (column, text)
            number = float(text)  # raises on text such as "'-1.27"
            negatives += number < 0
    assert negatives > 0, "the demo has falls against last year: negative numbers expected"
    # User text that could start a formula is still guarded.
    own = {r["kode_layanan"]: r for r in rows if r["kode_wilayah"] == "19"}
    assert own["PU-P-01"]["permasalahan"] == "'" + risky


def test_the_csv_in_the_export_bundle_keeps_its_numbers(demo_db):
    hasil = records.generate(demo_db, YEAR, TW, by="analis")
    records.finalise(demo_db, hasil.laporan["id"], by="analis", paksa=True)
    _, content, _ = bundle.bundle_bytes(demo_db, hasil.laporan["id"])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        name = next(n for n in archive.namelist() if n.startswith("data-spm_"))
        rows = _rows(archive.read(name))
        manifest = json.loads(archive.read("manifest.json"))
    selisih = [float(r["selisih_tahun_lalu"]) for r in rows if r["selisih_tahun_lalu"]]
    assert min(selisih) < 0
    assert manifest["berkas"]
