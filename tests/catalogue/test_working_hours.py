"""Working time in Vietnam: office hours, weekends and public holidays (from `holidays`) left out."""

import datetime

from catalogue.working_hours import TIMEZONE, days_between, is_working_day, minutes_between


def at(*args):
    return datetime.datetime(*args, tzinfo=TIMEZONE)


def test_a_morning_counts_its_office_minutes_only():
    assert minutes_between(at(2026, 3, 2, 7, 0), at(2026, 3, 2, 9, 30)) == 90
    # The lunch break is not working time.
    assert minutes_between(at(2026, 3, 2, 11, 0), at(2026, 3, 2, 14, 0)) == 120
    assert minutes_between(at(2026, 3, 2, 9, 0), at(2026, 3, 2, 9, 0)) == 0
    assert minutes_between(at(2026, 3, 2, 10, 0), at(2026, 3, 2, 9, 0)) == 0


def test_a_weekend_is_not_working_time():
    # Friday 16:00 to Monday 9:00: one hour on Friday, one on Monday.
    assert minutes_between(at(2026, 3, 6, 16, 0), at(2026, 3, 9, 9, 0)) == 120


def test_tet_is_not_working_time():
    # Tết 2026: 16–20 February are public holidays; Friday 13th 16:00 to Monday 23rd 9:00.
    assert not is_working_day(datetime.date(2026, 2, 17))
    assert is_working_day(datetime.date(2026, 2, 23))
    assert minutes_between(at(2026, 2, 13, 16, 0), at(2026, 2, 23, 9, 0)) == 120
    # National Day (2 September 2026 is a Wednesday) and Reunification Day.
    assert not is_working_day(datetime.date(2026, 9, 2))
    assert not is_working_day(datetime.date(2026, 4, 30))


def test_times_in_utc_are_read_in_vietnam_time():
    # 01:00 UTC is 8:00 in Hà Nội: the first working hour of Monday.
    start = datetime.datetime(2026, 3, 9, 1, 0, tzinfo=datetime.UTC)
    assert minutes_between(start, start + datetime.timedelta(hours=1)) == 60


def test_working_days():
    # Monday 10:00 to Wednesday 10:00 is two working days; to Wednesday 9:59 one.
    assert days_between(at(2026, 3, 9, 10, 0), at(2026, 3, 11, 10, 0)) == 2
    assert days_between(at(2026, 3, 9, 10, 0), at(2026, 3, 11, 9, 59)) == 1
