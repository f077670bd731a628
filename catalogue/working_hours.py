"""Working time in Vietnam: office hours Monday to Friday, Vietnamese public holidays off.

Reply times are counted in it, so a producer is not held to answer on a Sunday or during
Tết: a question sent on Friday evening and answered on Monday at nine waited one working
hour. Public holidays come from the `holidays` package (pinned), which follows the Labour
Code's list (Tết, Hùng Kings, 30/4, 1/5, National Day) and its observed days.
"""

import datetime
import zoneinfo
from functools import lru_cache

import holidays

TIMEZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Office hours of Vietnamese administration and most businesses, with the lunch break.
SHIFTS = ((datetime.time(8), datetime.time(12)), (datetime.time(13), datetime.time(17)))
DAY_MINUTES = 480  # one working day: the two shifts above


@lru_cache(maxsize=32)
def _holidays(year):
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays(day.year)


def minutes_between(start, end):
    """Working minutes from `start` to `end` (aware datetimes); 0 if `end` is not later."""
    if end <= start:
        return 0
    start, end = start.astimezone(TIMEZONE), end.astimezone(TIMEZONE)
    seconds = 0.0
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            for opens, closes in SHIFTS:
                low = max(start, datetime.datetime.combine(day, opens, TIMEZONE))
                high = min(end, datetime.datetime.combine(day, closes, TIMEZONE))
                if high > low:
                    seconds += (high - low).total_seconds()
        day += datetime.timedelta(days=1)
    return int(seconds // 60)


def days_between(start, end):
    """Whole working days from `start` to `end` (8 working hours each)."""
    return minutes_between(start, end) // DAY_MINUTES
