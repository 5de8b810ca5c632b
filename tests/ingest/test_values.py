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
    parse_percent,
    parse_quarter,
    parse_year,
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
        ("+12", 12),
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


@pytest.mark.parametrize("text", ["1_000", "50%", "inf", "nan", "1e400", "0x10", "1 000_5"])
def test_counts_refuse_what_python_would_take(text):
    """``float()`` reads '1_000', 'inf', 'nan'; a count of people must not, nor a
    percentage sign outside a percentage column."""
    value, error = parse_count(text)
    assert value is None and error and text.strip() in error
    assert parse_money(text)[0] is None


def test_percent_only_where_the_column_is_a_percentage():
    assert parse_percent("50%") == (50, None)
    assert parse_percent("85,5 %") == (85.5, None)
    assert "persen" in parse_number("50%")[1]


@pytest.mark.parametrize(
    "value, shown",
    [("1e17", "'1e17'"), (1e308, "'1e+308'"), ("9300000000000000000", "'9300000000000000000'"),
     (9300000000000000000, "'9.3e+18'"), ("1.000.000.000.000.001", "'1.000.000.000.000.001'")],
)  # fmt: skip
def test_huge_numbers_are_refused_at_their_cell(value, shown):
    """Beyond what the database stores (BIGINT, DECIMAL(18, 2)): refused with the value
    as typed, never a database conversion error."""
    for parse in (parse_count, parse_money):
        number, error = parse(value)
        assert number is None and error.startswith(shown) and "terlalu besar" in error


def test_largest_real_figures_still_pass():
    assert parse_count("1.000.000.000.000") == (10**12, None)
    assert parse_money("Rp 999.999.999.999.999") == (999_999_999_999_999, None)


def test_whole_numbers_shown_without_decimal_point():
    assert (
        parse_year(1999.0)[1] == "tahun '1999' tidak masuk akal; isi tahun empat angka, mis. 2025"
    )
    assert parse_quarter(5.0)[1] == "triwulan '5' di luar 1-4"
