"""The Kualitas data page (AppTest on the demo): the demo's typing errors listed with
their reasons, a mark saved through the form, and only the Biro let in."""

from __future__ import annotations

import pytest

from pipelines.auth.access import Actor
from pipelines.capaian import pencilan
from pipelines.db.store import Database
from tests.apptest import check_clean, run_app, texts

ANALIS = Actor("analis", "analis")


def test_analyst_sees_the_demo_outliers_and_marks_one(demo_db_path):
    at = run_app(demo_db_path, "kualitas.py", actor=ANALIS)
    check_clean(at)
    at.selectbox(key="_w_tahun").set_value(2025).run()
    at.selectbox(key="_w_triwulan").set_value(3).run()
    check_clean(at)
    table = at.dataframe[0].value
    assert set(table["Wilayah"]) == {"Kabupaten Bangka Tengah", "Kabupaten Bangka Barat"}
    assert "325.600" in list(table["Nilai"])  # the sasaran typed with an extra zero
    assert any(a.startswith("Pertumbuhannya dari Triwulan III 2024") for a in table["Alasan"])
    assert list(at.dataframe[1].value["Status"]) == [pencilan.PERLU]  # the demo's mark

    labels = at.selectbox(key="kualitas_nilai").options
    target = next(i for i, label in enumerate(labels) if "Bangka Barat" in label)
    at.selectbox(key="kualitas_nilai").set_value(target)  # values are the list's rows
    at.text_area(key="kualitas_komentar").input("Terlayani tiga kali sasaran; konfirmasi.")
    at.button[0].click().run()
    check_clean(at)
    assert any("Tanda tersimpan" in s for s in texts(at).splitlines())
    with Database.open(demo_db_path, read_only=True) as db:
        marks = pencilan.tindak_lanjut(db, ANALIS, 2025)
    assert set(marks["kode_wilayah"]) == {"19.04", "19.05"}


def test_a_comment_is_required(demo_db_path):
    at = run_app(demo_db_path, "kualitas.py", actor=ANALIS)
    at.selectbox(key="_w_triwulan").set_value(3).run()
    at.button[0].click().run()
    assert [e.value for e in at.error] == [
        "Komentar tindak lanjut wajib diisi: tulis apa yang perlu diperiksa."
    ]


@pytest.mark.parametrize(
    "actor",
    [
        Actor("pimpinan", "pimpinan"),
        Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01"),
        Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes"),
    ],
)
def test_only_the_biro_opens_the_page(demo_db_path, actor):
    at = run_app(demo_db_path, "kualitas.py", actor=actor)
    assert "Pencilan" not in texts(at)
