"""Periodic jobs of the review stage (the lead adds them to CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Publicity
from .services.common import city_staff, tell
from .workflow import ObjectionStatus, PublicityStatus


@shared_task(name="reviews.remind_publicity_ended")
def remind_publicity_ended():
    """Daily: tell city staff which publicities are past their period and still open (to be closed)."""
    today = timezone.localdate()
    due = list(Publicity.objects.filter(status=PublicityStatus.PUBLISHED, ends_on__lt=today))
    with transaction.atomic():
        for publicity in due:
            pending = publicity.objections.filter(status=ObjectionStatus.RECEIVED).count()
            tell(city_staff(), _("Publicity period over, to be closed: %(title)s (%(n)d objections to handle)"),
                 {"title": publicity.title, "n": pending}, link_name="reviews:publicity_detail", args=[publicity.pk],
                 kind="reminder.publicity_ended", obj=publicity, email=False)
    return len(due)
