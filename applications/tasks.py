"""Periodic jobs of the applications app (Celery beat, see CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task

from .reminders import send_reminders


@shared_task(name="applications.send_reminders")
def send_reminders_task(today=None):
    """Daily: the calendar reminders of every call (applications/reminders.py). ``today``: YYYY-MM-DD."""
    return send_reminders(datetime.date.fromisoformat(today) if today else None)
