"""The daily reminder for drafts in calls that close soon."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from applications.tasks import remind_drafts
from applications.workflow import Status
from core.models import Notification
from tests.factories import RoundFactory, application_in, category_with_rules
from tests.factories.applications import enterprise_user

pytestmark = pytest.mark.django_db


def test_drafts_in_a_call_closing_soon_get_one_reminder_a_day():
    closing = category_with_rules(round=RoundFactory(closes_at=timezone.now() + datetime.timedelta(days=2)))
    later = category_with_rules(round=RoundFactory(closes_at=timezone.now() + datetime.timedelta(days=20)))
    draft = application_in(Status.DRAFT, category=closing)
    user = enterprise_user(draft)
    submitted = application_in(Status.SUBMITTED, category=closing)
    submitted_user = enterprise_user(submitted)
    far = application_in(Status.DRAFT, category=later)
    far_user = enterprise_user(far)
    assert remind_drafts() == 1
    assert remind_drafts() == 0  # retried the same day: nothing twice
    note = Notification.objects.get(recipient=user)
    assert "草稿尚未提交" in note.subject and "服务器时间" in note.body
    assert not Notification.objects.filter(recipient__in=[submitted_user, far_user]).exists()


def test_the_reminder_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["applications-remind-drafts"]
    assert entry["task"] == "applications.remind_drafts"
