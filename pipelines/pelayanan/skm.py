"""Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017): the nine unsur, the answer template
per unit, and what the page shows beside the IKM (the weakest unsur, units without a
survey this year).

The IKM itself is computed in SQL (``v_skm_unit`` in ``pipelines/db/sql/090_skm.sql``)
and read through :func:`pipelines.capaian.query.skm_hasil`; answers come in through
:mod:`pipelines.pelayanan.skm_unggah`.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from pipelines.auth.access import Actor
from pipelines.capaian import query
from pipelines.core import reference, settings
from pipelines.core.safe_text import keep_as_text
from pipelines.db.store import Database
from pipelines.pelayanan import unit as units

FORM = "skm"
TEMPLATE_ROWS = 1000
HEADER_ROW = 3  # keys; labels on the row above
# The nine unsur (PermenPAN-RB 14/2017, Lampiran): key, name, question, answers 1-4.
UNSUR: list[tuple[str, str, str, tuple[str, str, str, str]]] = [
    (
        "u1",
        "Persyaratan",
        "Kesesuaian persyaratan pelayanan dengan jenis pelayanannya",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    (
        "u2",
        "Sistem, mekanisme dan prosedur",
        "Kemudahan prosedur pelayanan di unit ini",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    (
        "u3",
        "Waktu penyelesaian",
        "Kecepatan waktu dalam memberikan pelayanan",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    (
        "u4",
        "Biaya/tarif",
        "Kewajaran biaya/tarif dalam pelayanan",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    (
        "u5",
        "Produk spesifikasi jenis pelayanan",
        "Kesesuaian produk pelayanan dalam standar pelayanan dengan hasil yang diberikan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    (
        "u6",
        "Kompetensi pelaksana",
        "Kompetensi/kemampuan petugas dalam pelayanan",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    (
        "u7",
        "Perilaku pelaksana",
        "Kesopanan dan keramahan petugas dalam memberikan pelayanan",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    (
        "u8",
        "Penanganan pengaduan, saran dan masukan",
        "Penanganan pengaduan pengguna layanan",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    (
        "u9",
        "Sarana dan prasarana",
        "Kualitas sarana dan prasarana",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
]
UNSUR_KEYS = [k for k, *_ in UNSUR]
NAMA_UNSUR = {i: name for i, (_, name, _, _) in enumerate(UNSUR, start=1)}
OPTIONAL = {
    "layanan": "Layanan yang diterima",
    "jenis_kelamin": "Jenis kelamin (L/P)",
    "umur": "Umur (tahun)",
    "pendidikan": "Pendidikan terakhir",
    "pekerjaan": "Pekerjaan",
}
COLUMNS = {
    "kode_unit": "Kode unit",
    "tanggal": "Tanggal survei",
    **{k: f"{k.upper()} {name}" for k, name, _, _ in UNSUR},
    **OPTIONAL,
}
PENDIDIKAN = ["SD", "SMP", "SMA/SMK", "D1-D3", "D4/S1", "S2", "S3"]


def units_in_province(db: Database, actor: Actor | None = None) -> pd.DataFrame:
    """The active units of the province served (its OPD and the units of the province or
    its kabupaten/kota) that ``actor`` may see: the units expected to run a survey."""
    prov = settings.served_province(db)
    units_seen = units.visible(db, actor)
    region = units_seen["kode_wilayah"].fillna(prov)
    own = (region == prov) | region.str.startswith(prov + ".")
    return units_seen[own].reset_index(drop=True)


def without_survey(db: Database, tahun: int, *, actor: Actor | None = None) -> pd.DataFrame:
    """The units of the province (that ``actor`` may see) with no survey answers in
    ``tahun``, with the year of their latest survey (``survei_terakhir``, empty: never)."""
    return units_without_survey(
        units_in_province(db, actor), query.skm_hasil(db, actor=actor), tahun
    )


def units_without_survey(expected: pd.DataFrame, results: pd.DataFrame, tahun: int) -> pd.DataFrame:
    """:func:`without_survey` from the units expected to survey (:func:`units_in_province`)
    and the results of every year (:func:`pipelines.capaian.query.skm_hasil`), for a
    caller that has both already."""
    done = set(results.loc[results["tahun"] == tahun, "kode_unit"])
    latest = results.groupby("kode_unit")["tahun"].max() if len(results) else pd.Series()
    out = expected[~expected["kode"].isin(done)][["kode", "nama", "kode_wilayah", "sumber"]]
    out = out.assign(survei_terakhir=out["kode"].map(latest).astype("Int64"))
    return out.reset_index(drop=True)


def weakest(unsur: pd.DataFrame) -> pd.DataFrame:
    """Per unit and year the unsur with the lowest NRR (ties: the first): ``kode_unit,
    tahun, nomor_unsur, nama_unsur, nrr`` (from :func:`pipelines.capaian.query.skm_unsur`)."""
    cols = ["kode_unit", "tahun", "nomor_unsur", "nama_unsur", "nrr"]
    if unsur.empty:
        return pd.DataFrame(columns=cols)
    ordered = unsur.sort_values(["kode_unit", "tahun", "nrr", "nomor_unsur"], kind="mergesort")
    first = ordered.groupby(["kode_unit", "tahun"], sort=False).head(1)
    return first.assign(nama_unsur=first["nomor_unsur"].map(NAMA_UNSUR))[cols].reset_index(
        drop=True
    )


# -- the template ------------------------------------------------------------------------
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
KEY_FONT = Font(color="808080", size=8)


def template(db: Database, kode_unit: str, tahun: int, *, actor: Actor) -> bytes:
    """The answer workbook of one unit and year: ``Petunjuk`` (the nine questions and
    what 1-4 mean), ``Jawaban`` (one row per respondent, cells validated) and a hidden
    ``_meta`` sheet naming the unit and year."""
    unit = units.check_handles(db, actor, kode_unit, "mengunduh templat SKM")
    wb = Workbook()
    guide = wb.active
    guide.title = "Petunjuk"
    guide.append([f"Survei Kepuasan Masyarakat {tahun} — {unit['nama']} ({unit['kode']})"])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        "Isi lembar Jawaban: satu baris per responden. Kolom U1-U9 diisi angka 1 sampai 4 "
        "(kosongkan bila responden tidak menjawab unsur itu).",
        "Tanggal survei ditulis sebagai tanggal (mis. 15/03/" + str(tahun) + "); semua "
        f"tanggal harus di tahun {tahun}.",
        "Unggah berkas ini di halaman Survei Kepuasan atau dengan 'spm skm ingest BERKAS'. "
        "Mengunggah lagi untuk unit dan tahun yang sama mengganti seluruh jawaban tahun itu.",
        "",
    ):
        guide.append([line])
    guide.append(["Unsur", "Pertanyaan", "1", "2", "3", "4"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for key, name, question, answers in UNSUR:
        guide.append([f"{key.upper()} {name}", question, *answers])
    for letter, width in zip("ABCDEF", (38, 60, 18, 22, 22, 24), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    ws = wb.create_sheet("Jawaban")
    keys = list(COLUMNS)
    ws.append([f"Jawaban SKM {unit['nama']} tahun {tahun}"])
    ws["A1"].font = Font(bold=True)
    ws.append([COLUMNS[k] for k in keys])
    ws.append(keys)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[HEADER_ROW]:
        cell.font = KEY_FONT
    for i, (_key, _name, question, answers) in enumerate(UNSUR, start=3):
        note = f"{question}\n" + "\n".join(f"{n} = {a}" for n, a in enumerate(answers, start=1))
        ws.cell(row=2, column=i).comment = Comment(note, "SKM", width=300, height=140)
    last = HEADER_ROW + TEMPLATE_ROWS
    first_data = HEADER_ROW + 1
    scores = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2="4",
        showErrorMessage=True,
        errorTitle="Nilai 1-4",
        error="Isi angka bulat 1 sampai 4, atau kosongkan bila tidak dijawab.",
    )
    scores.add(f"C{first_data}:K{last}")
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({tahun},1,1)",
        formula2=f"DATE({tahun},12,31)",
        showErrorMessage=True,
        error=f"Isi tanggal di tahun {tahun}.",
    )
    dates.add(f"B{first_data}:B{last}")
    unit_list = DataValidation(type="list", formula1=f'"{unit["kode"]}"', allow_blank=True)
    unit_list.add(f"A{first_data}:A{last}")
    sex = DataValidation(type="list", formula1='"L,P"', allow_blank=True)
    sex.add(f"M{first_data}:M{last}")
    school = DataValidation(
        type="list", formula1='"' + ",".join(PENDIDIKAN) + '"', allow_blank=True
    )
    school.add(f"O{first_data}:O{last}")
    for validation in (scores, dates, unit_list, sex, school):
        ws.add_data_validation(validation)
    for row in range(first_data, last + 1):
        ws.cell(row=row, column=2).number_format = "DD/MM/YYYY"
    for i, width in enumerate([16, 14, *[12] * 9, 30, 14, 10, 16, 20], start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    ws.freeze_panes = f"C{first_data}"

    meta = wb.create_sheet("_meta")
    for key, value in (("form", FORM), ("kode_unit", unit["kode"]), ("tahun", str(tahun))):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    wb.active = 1
    keep_as_text(wb)  # a unit's name is text an administrator typed
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_name(kode_unit: str, tahun: int) -> str:
    return f"skm_{kode_unit}_{tahun}.xlsx"


def unit_names(db: Database) -> dict[str, str]:
    """Unit code -> name (every unit, inactive ones too)."""
    frame = reference.unit_layanan(db, semua=True)
    return dict(zip(frame["kode"], frame["nama"], strict=True))
