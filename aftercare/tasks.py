"""Periodic jobs of the aftercare app (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .followup_services import followup_schedule_all


@shared_task(name="aftercare.schedule_followups")
def schedule_followups_task():
    """Daily: the follow-up reports of every funded project (a paid payment schedules its own at once; this run
    catches projects paid before the reports existed and calls whose follow-up period was lengthened)."""
    return followup_schedule_all()
