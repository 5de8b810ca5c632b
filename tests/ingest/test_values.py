"""What people type into cells, parsed into values (or a clear reason why not)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.core import fmt
from pipelines.ingest.values import (
    parse_bool,
    parse_code,
    parse_count,
    parse_money,
    parse_number,
    parse_quarter,
)


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.234", 1234),
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("Rp 1.500.000", 1500000),
        ("Rp. 1.500.000", 1500000),
        ("rp1.500.000,25", 1500000.25),
        ("  42 ", 42),
        ("'250", 250),
        ("12.5", 12.5),
        ("85%", 85),
        (1234.0, 1234),
        (7, 7),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_numbers(text, value):
    assert parse_number(text) == (value, None)


@pytest.mark.parametrize("text", ["banyak", "1,2,3", "12 orang", dt.date(2025, 1, 1), True])
def test_not_numbers(text):
    value, error = parse_number(text)
    assert value is None and error


@pytest.mark.parametrize(
    "text, value",
    [("Ya", True), ("ya", True), ("YA ", True), ("y", True), ("1", True), ("true", True), (1, True),
     ("Tidak", False), ("tidak", False), ("t", False), ("0", False), ("false", False), (0, False),
     ("", None), ("-", None)],
)  # fmt: skip
def test_yes_no(text, value):
    assert parse_bool(text) == (value, None)


def test_counts_and_money_refuse_negative_and_fractions():
    assert parse_count("-3")[1].startswith("bernilai negatif")
    assert "bukan bilangan bulat" in parse_count("2,5")[1]
    assert parse_money("-1")[1].startswith("bernilai negatif")
    assert parse_money("Rp 1.000,254") == (1000.25, None)


@pytest.mark.parametrize(
    "text, value", [(4, 4), ("2", 2), ("TW 3", 3), ("IV", 4), ("Triwulan II", 2), ("tw1", 1)]
)
def test_quarters(text, value):
    assert parse_quarter(text) == (value, None)


def test_codes_lose_stray_spaces():
    assert parse_code(" 19. 01 ") == ("19.01", None)
    assert parse_code(19.1) == ("19.10", None)
    assert parse_code(" kes-k-01", upper=True) == ("KES-K-01", None)


@given(st.integers(min_value=0, max_value=10**12))
def test_indonesian_formatted_integers_round_trip(n):
    assert parse_number(fmt.angka(n)) == (n, None)
    assert parse_number(fmt.rupiah(n)) == (n, None)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=9))
def test_indonesian_decimals_round_trip(n, tenth):
    value = n + tenth / 10
    assert parse_number(fmt.angka(value, 1))[0] == pytest.approx(value)
