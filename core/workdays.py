"""Working days with the Chinese holiday calendar (statutory holidays and the weekend days swapped to work).

Uses the `chinesecalendar` package, which follows the State Council's annual notice. For a year the package
does not know yet, Monday to Friday count as working days (and the caller can see it via ``is_known_year``).

The package's tables are read once: a day is looked up in two sets, and the working days between two dates are
the weekdays between them (counted arithmetically) less the holidays on weekdays plus the weekend days worked, each
found by bisection. A queue waiting since a call of five years ago costs what one of last week does (asking the
package day by day cost 30 microseconds a day: a tenth of a second for a dashboard of such queues).
"""

from bisect import bisect_right
from datetime import timedelta

from chinese_calendar.constants import holidays as _HOLIDAY_TABLE
from chinese_calendar.constants import workdays as _WORKDAY_TABLE

KNOWN_YEARS = range(min(_HOLIDAY_TABLE).year, max(_HOLIDAY_TABLE).year + 1)
WORKED_WEEKENDS = frozenset(d for d in _WORKDAY_TABLE if d.year in KNOWN_YEARS)
HOLIDAYS = frozenset(d for d in _HOLIDAY_TABLE if d.year in KNOWN_YEARS and d not in WORKED_WEEKENDS)
# the exceptions to "Monday to Friday", in date order: ordinals of weekday holidays and of weekend days worked
_WEEKDAYS_OFF = sorted(d.toordinal() for d in HOLIDAYS if d.weekday() < 5)
_WEEKENDS_ON = sorted(d.toordinal() for d in WORKED_WEEKENDS if d.weekday() >= 5)


def is_known_year(year):
    return year in KNOWN_YEARS


def is_workday(day):
    if day in WORKED_WEEKENDS:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS


def _workdays_through(ordinal):
    """Working days from 1 January of year 1 (a Monday) through the day ``ordinal``."""
    weekdays = 5 * (ordinal // 7) + min(ordinal % 7, 5)
    return weekdays - bisect_right(_WEEKDAYS_OFF, ordinal) + bisect_right(_WEEKENDS_ON, ordinal)


def add_working_days(start, days):
    """The date on which a period of ``days`` working days that starts after ``start`` ends.

    A 5-working-day publicity period published on ``start`` ends on the fifth working day after it.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def working_days_between(start, end):
    """Working days in (start, end], i.e. counted after ``start`` up to and including ``end`` (0 when ``end`` is
    not after ``start``)."""
    if end <= start:
        return 0
    return _workdays_through(end.toordinal()) - _workdays_through(start.toordinal())
