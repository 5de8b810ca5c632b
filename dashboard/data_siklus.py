"""Data for the "Siklus SOP" page: cached reads and short writes through ``pipelines.siklus``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.data import CACHE_SECONDS, read
from pipelines.auth.access import Actor
from pipelines.db import writer
from pipelines.db.store import Database, default_db_path
from pipelines.sop import cycle, evidence, transitions
from pipelines.sop import definition as sop
from pipelines.sop.performance import across_cycles

T = TypeVar("T")


def actor() -> Actor:
    """The logged-in user (the page is only reachable after logging in)."""
    return auth.require_actor()


def write(func: Callable[[Database], T]) -> T:
    """Run ``func`` on a short-lived writable connection, then drop cached reads."""
    # Through the app's single writer (pipelines/writer.py); func has its own transactions.
    result = writer.write(func, default_db_path(), atomic=False, wait_seconds=10)
    st.cache_data.clear()
    return result


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def years(path: str) -> list[int]:
    del path
    return read(cycle.years)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def steps(path: str, tahun: int, today: dt.date) -> pd.DataFrame:
    del path
    return read(lambda db: cycle.steps(db, tahun, today=today))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def performance(path: str, today: dt.date) -> pd.DataFrame:
    del path
    return read(lambda db: across_cycles(db, today=today))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def sop_title(path: str) -> str:
    del path
    return read(lambda db: sop.current(db).judul)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def sop_versions(path: str) -> pd.DataFrame:
    del path
    return read(lambda db: pd.DataFrame(sop.versions(db)))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def sop_steps(path: str) -> pd.DataFrame:
    del path
    current = read(sop.current)
    return pd.DataFrame(
        {
            "Langkah": [s.kode for s in current.steps],
            "Aktivitas": [s.aktivitas for s in current.steps],
            "Pelaku": [
                s.pelaku + (" (disimpulkan)" if s.pelaku_disimpulkan else "") for s in current.steps
            ],
            "Masukan": [s.masukan or "–" for s in current.steps],
            "Keluaran": [s.keluaran or "–" for s in current.steps],
            "Waktu baku": [s.waktu_baku for s in current.steps],
        }
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def step_extras(path: str, tahun: int, kode: str) -> dict[str, pd.DataFrame]:
    del path
    return read(
        lambda db: {
            "bukti": evidence.listing(db, tahun, kode),
            "catatan": transitions.notes(db, tahun, kode),
            "perbaikan": transitions.revisions(db, tahun, kode),
        }
    )


def evidence_file(bukti_id: int) -> tuple[str, bytes]:
    return read(lambda db: evidence.read(db, bukti_id))
