"""The one working-day calendar: Indonesian holidays from the holidays package, cuti
bersama as a setting, libur_nasional as additions and removals; used by the SOP plan
and by the upload deadlines."""

from __future__ import annotations

import csv
import datetime as dt
import io

import holidays
import pytest
from click.testing import CliRunner

from pipelines.auth import deadlines
from pipelines.cli.root import cli
from pipelines.core import settings, workdays
from pipelines.core.settings import SettingsError

D = dt.date


def test_spm_siklus_start_2027_plans_no_step_on_a_holiday(db_path, db):
    db.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["siklus", "start", "--db", str(db_path), "--year", "2027"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["siklus", "show", "--db", str(db_path), "--year", "2027", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 15
    # The package's own list, public holidays and cuti bersama, independent of our code.
    off = holidays.Indonesia(years=range(2026, 2030), categories=("public", "government"))
    assert D(2027, 1, 1) in off and D(2027, 3, 10) in off  # New Year, Idul Fitri
    planned = [
        (r["fase"] + r["nomor"], D.fromisoformat(r[col]))
        for r in rows
        for col in ("rencana_mulai", "rencana_selesai")
    ]
    on_days_off = [(k, d) for k, d in planned if d in off or d.weekday() >= 5]
    assert on_days_off == []
    a1 = next(r for r in rows if (r["fase"], r["nomor"]) == ("A", "1"))
    # 1 January 2027 is a Friday and New Year: A1 is Monday 4 January.
    assert a1["rencana_mulai"] == "2027-01-04" == a1["rencana_selesai"]


def test_package_holidays_cuti_bersama_and_the_settings_additions_and_removals():
    base = {"libur_nasional": []}
    days = workdays.holidays_for(base, [2027])
    assert D(2027, 3, 10) in days  # Idul Fitri (public)
    assert D(2027, 3, 9) in days  # cuti bersama Idul Fitri (default: a day off)
    assert "Idul Fitri" in days[D(2027, 3, 10)]  # Indonesian names
    without = workdays.holidays_for({**base, "cuti_bersama": False}, [2027])
    assert D(2027, 3, 10) in without and D(2027, 3, 9) not in without
    changed = workdays.holidays_for(
        {
            "libur_nasional": [
                "2027-04-14",
                {"tanggal": "2027-11-27", "nama": "Pilkada serentak"},
                {"tanggal": "2027-03-09", "libur": False},
            ]
        },
        [2027],
    )
    assert changed[D(2027, 11, 27)] == "Pilkada serentak"
    assert D(2027, 4, 14) in changed
    assert D(2027, 3, 9) not in changed and D(2027, 3, 10) in changed
    only_settings = workdays.holidays_for(
        {"libur_resmi_otomatis": False, "libur_nasional": ["2027-04-14"]}, [2027]
    )
    assert list(only_settings) == [D(2027, 4, 14)]
    cal = workdays.calendar_for(base, [2027])
    assert cal.next_working_day(D(2027, 3, 8)) == D(2027, 3, 16)  # Nyepi to cuti bersama


def test_deadlines_move_to_the_next_working_day(db):
    # TW2 2025 closes on 20 July 2025, a Sunday: Monday 21 July.
    assert deadlines.deadline(db, 2025, 2, "spm-kabkota") == D(2025, 7, 21)
    # TW3 2025: Monday 20 October 2025 stays.
    assert deadlines.deadline(db, 2025, 3, "spm-kabkota") == D(2025, 10, 20)
    # LPPD 2026: 31 March 2027 is a Wednesday; LPPD 2025: 31 March 2026 a Tuesday.
    assert deadlines.deadline(db, 2026, None, "lppd-ikk") == D(2027, 3, 31)
    settings.save(db, {"hari_batas_triwulan": 17}, by="test")
    # TW3 2026 closes 17 October 2026, a Saturday: Monday 19 October.
    assert deadlines.deadline(db, 2026, 3, "spm-kabkota") == D(2026, 10, 19)
    settings.save(db, {"batas_geser_hari_kerja": False}, by="test")
    assert deadlines.deadline(db, 2026, 3, "spm-kabkota") == D(2026, 10, 17)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"libur_nasional": ["31-12-2027"]}, "tidak sah; tulis sebagai YYYY-MM-DD"),
        ({"libur_nasional": "2027-12-31"}, "harus berupa daftar tanggal"),
        ({"cuti_bersama": "ya"}, "cuti_bersama harus true atau false"),
    ],
)
def test_bad_calendar_settings_are_refused(db, change, message):
    with pytest.raises(SettingsError, match=message):
        settings.save(db, change, by="test")
