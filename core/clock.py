"""The platform's clock: ``now()`` is ``timezone.now()`` unless a block runs ``at(moment)``.

Records that carry the time something happened (audit rows, notifications, versions) take their default
from here, so that seeding a past cycle (the demo's 2021 year) dates every row by the seed's timeline
instead of the minute the seed ran. Production code never calls ``at``.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_moment = ContextVar("core_clock_moment", default=None)


def now():
    moment = _moment.get()
    return moment if moment is not None else timezone.now()


def today():
    return timezone.localdate(now())


@contextmanager
def at(moment):
    """Run the block as if it were ``moment`` (an aware datetime, or a date: 10:00 local time that day)."""
    if not hasattr(moment, "hour"):
        moment = timezone.make_aware(timezone.datetime(moment.year, moment.month, moment.day, 10, 0))
    token = _moment.set(moment)
    try:
        yield moment
    finally:
        _moment.reset(token)
