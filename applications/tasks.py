"""Periodic jobs of the applications app (Celery beat, see CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from core.models import Notification

from .models import Application
from .services.common import LazyFormat, enterprise_users, tell
from .workflow import Status

REMINDER = gettext_lazy("The call closes soon: your draft is not submitted yet")


@shared_task(name="applications.remind_drafts")
def remind_drafts(days=3):
    """Remind the users of enterprises with an unsubmitted draft in a call that closes within ``days`` days.

    Runs daily; sends at most one reminder per draft and day (idempotent when the task is retried)."""
    now = timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    drafts = (Application.objects.filter(status=Status.DRAFT, round__is_published=True, round__closes_at__gt=now,
                                         round__closes_at__lte=now + datetime.timedelta(days=days))
              .select_related("round"))
    with translation.override(settings.LANGUAGE_CODE):
        already = set(Notification.objects.filter(created_at__gte=start_of_day, subject__startswith=str(REMINDER))
                      .values_list("link", flat=True))
    sent = 0
    for application in drafts:
        if reverse("applications:detail", args=[application.pk]) in already:
            continue
        closes = timezone.localtime(application.round.closes_at)
        tell(enterprise_users(application), application, REMINDER,
             LazyFormat(gettext_lazy("Submission closes on %(time)s (server time). Drafts are not applications: "
                                     "check and submit it before then."), time=f"{closes:%Y-%m-%d %H:%M}"),
             kind="reminder.draft_closing")
        sent += 1
    return sent
