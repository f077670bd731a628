"""Numbers and text as they arrive in a URL, a form or a spreadsheet cell, read strictly.

Python's `int()` takes "٣" and "1_000" and refuses "²" although `"²".isdigit()` is True,
refuses strings of more than 4,300 digits, and SQLite and PostgreSQL hold integers of 64
bits at most; PostgreSQL refuses NUL in any text; `datetime.date` ends on 9999-12-31, so the
month after 9999-12 or the day after the last one is an OverflowError. Pages, the API, admin
views and the importer read numbers, dates and free text through here, so none of that
reaches a query.
"""

import calendar
import datetime
import re

from django.core.validators import slug_re

# The largest id any table here can hold (a 64-bit signed integer).
MAX_ID = 2**63 - 1

_DIGITS = re.compile(r"[0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def whole_number(value, maximum, minimum=0):
    """`value` (text of ASCII digits, or an int) as an int from minimum to maximum; None otherwise.

    "3", " 3 " and "003" are 3; "²", "٣", "3.0", "+3", "1_000", "-1" and a number longer
    than `maximum` are None, without ever converting a string of thousands of digits.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if minimum <= value <= maximum else None
    if not isinstance(value, str):
        return None
    text = value.strip().lstrip("0") or ("0" if value.strip() else "")
    if not _DIGITS.fullmatch(text) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def record_id(value):
    """A primary key from a URL or form: a whole number from 1 to MAX_ID, or None."""
    return whole_number(value, MAX_ID, minimum=1)


def plain_text(value, limit=None):
    """Free text with control characters (NUL among them) turned into spaces, trimmed, at most `limit` long."""
    text = value if isinstance(value, str) else ""
    text = _CONTROL.sub(" ", text).strip()
    return text[:limit].strip() if limit is not None else text


def is_slug(value):
    """Whether `value` could be a slug at all (letters, digits, hyphens, underscores); no lookup needed otherwise."""
    return isinstance(value, str) and bool(slug_re.fullmatch(value))


def month(value):
    """'2026-12' as (its first day, its last day); None for anything else.

    Four ASCII digits of year from 0001, two of month from 01 to 12: "0000-00", "2026-13",
    "２０２６-12", "2026-1" and "+2026-12" are None. The last day comes from the calendar,
    not from the first day of the following month, so 9999-12 is a month like any other.
    """
    match = _MONTH.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    year, number = int(match[1]), int(match[2])
    if year < datetime.MINYEAR or not 1 <= number <= 12:
        return None
    return datetime.date(year, number, 1), datetime.date(year, number, calendar.monthrange(year, number)[1])


def day(value):
    """'2026-12-31' (ISO, ASCII digits) as a date; None for anything else, 0000-00-00 and 2026-02-30 among them."""
    match = _DAY.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
