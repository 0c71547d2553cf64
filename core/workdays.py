"""Working days with the Chinese holiday calendar (statutory holidays and the weekend days swapped to work).

Uses the `chinesecalendar` package, which follows the State Council's annual notice. For a year the package
does not know yet, Monday to Friday count as working days (and the caller can see it via ``is_known_year``).
"""

from datetime import date, timedelta

import chinese_calendar


def is_known_year(year):
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


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
    """Working days in (start, end], i.e. counted after ``start`` up to and including ``end``."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_workday(current):
            count += 1
    return count
