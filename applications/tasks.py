"""Periodic jobs of the applications app (Celery beat, see CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task

from .duplicates import refresh_all
from .reminders import send_reminders
from .tally import compact


@shared_task(name="applications.send_reminders")
def send_reminders_task(today=None):
    """Daily: the calendar reminders of every call (applications/reminders.py). ``today``: YYYY-MM-DD."""
    return send_reminders(datetime.date.fromisoformat(today) if today else None)


@shared_task(name="applications.compact_tally")
def compact_tally_task():
    """Every ten minutes: the kept counts' rows of changes folded together (applications/tally.py); -> rows
    removed."""
    return compact()


@shared_task(name="applications.refresh_duplicates")
def refresh_duplicates_task():
    """Nightly: every application's duplicate flag recomputed set-wise (applications/duplicates.py); -> the
    number of flags that were wrong."""
    return refresh_all()
