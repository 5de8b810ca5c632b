"""Telusuri Angka page and the reusable explain component, through the real entry file."""

from __future__ import annotations

import os
import time

from streamlit.testing.v1 import AppTest

from pipelines.capaian.explain import explain
from pipelines.core import fmt
from pipelines.db.store import Database
from tests.apptest import ADMIN, APP, run_app, texts
from tests.capaian_helpers import kirim, layanan


def test_telusur_explains_the_chosen_service(db, db_path):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 1250, 1000, bj=(40, 30), sdm=(10, 12))])
    kirim(db, "19.01", 2025, 2, [], status="final")  # an empty later file changes nothing
    db.close()
    at = run_app(db_path, "telusur.py")
    assert not at.exception and not at.error
    shown = texts(at)
    assert "Telusuri Angka" in shown
    code = "\n".join(c.value for c in at.code)
    assert "Nilai = 0,80 × 80,00 + 0,20 × 87,50 = 81,50" in code
    assert "Kategori: 80 ≤ 81,50 < 90 → Tuntas Madya" in code
    assert at.metric[0].value == "81,50"
    sources = at.table[1].value
    assert sources.loc["Berkas", "Isi"] == "spm-kabkota_19.01_2025_TW2.xlsx"
    assert sources.loc["Status", "Isi"] == "diajukan"
    assert "versi 1" in sources.loc["Pengaturan", "Isi"]
    assert "dapat berubah" in shown  # not final yet


def test_telusur_picks_follow_the_analyst(demo_db_path):
    at = run_app(demo_db_path, "telusur.py")
    assert not at.exception and not at.error
    at.selectbox[0].select("19.02").run()
    at.selectbox[1].select(2024).run()
    at.selectbox[2].select(4).run()
    at.selectbox[3].select("PU-K-01").run()
    assert not at.exception
    with Database.open(demo_db_path, read_only=True) as db:
        exp = explain(db, "19.02", 2024, 4, "PU-K-01")
    assert at.metric[0].value == fmt.angka(exp.nilai, 2)
    assert exp.judul in texts(at)
    # the table of all services of the period lists 29 kabupaten/kota services at most
    assert 0 < len(at.dataframe[0].value) <= 29


def log_in_as_admin(at) -> None:
    """The session as the login page leaves it (the app shows nothing before login)."""
    at.session_state["actor"] = ADMIN
    at.session_state["terakhir_aktif"] = time.time()


def test_telusur_deep_link_by_query_parameters(demo_db_path):
    os.environ["SPM_DB"] = str(demo_db_path)
    at = AppTest.from_file(APP, default_timeout=60)
    log_in_as_admin(at)
    at.switch_page("app_pages/telusur.py")
    at.query_params.update(wilayah="19.03", tahun="2024", triwulan="3", layanan="SOS-K-01")
    at.run()
    assert not at.exception
    assert (at.selectbox[0].value, at.selectbox[1].value) == ("19.03", 2024)
    assert (at.selectbox[2].value, at.selectbox[3].value) == (3, "SOS-K-01")


def _popover_app() -> None:
    import streamlit as st

    from dashboard.components.explain import explain_expander, explain_popover

    explain_popover("19.01", 2025, 2, "KES-K-01")
    explain_expander("19.01", 2025, 2, "KES-K-02", label="Asal angka KES-K-02")
    st.write("selesai")


def test_explain_component_in_popover_and_expander(db, db_path):
    kirim(db, "19.01", 2025, 2, [layanan("KES-K-01", 1250, 1000, bj=(40, 30), sdm=(10, 12))])
    db.close()
    os.environ["SPM_DB"] = str(db_path)
    at = AppTest.from_function(_popover_app, default_timeout=60)
    log_in_as_admin(at)
    at.run()
    assert not at.exception
    code = "\n".join(c.value for c in at.code)
    assert "= 81,50" in code
    # KES-K-02 was not sent: the component says so instead of showing 0
    assert any("belum dikirim" in i.value for i in at.info)
