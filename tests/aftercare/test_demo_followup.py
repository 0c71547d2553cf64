"""The demo's follow-up reports: the 2021 awards report on 2022 in February–April 2023 (most verified, one returned
and resubmitted, one waiting for the county, three not reported), nothing dated after LAST_DAY, idempotent."""

import datetime

import pytest
from django.utils import timezone

from aftercare import demo_followup
from aftercare.followup_models import FollowupReport
from aftercare.followup_services import followup_schedule
from core.models import AuditLog, Notification
from disbursements.models import Commitment

from .conftest import paid_project

pytestmark = pytest.mark.django_db


def test_the_demo_reports_verifies_returns_and_leaves_some_due_never_after_its_last_day():
    projects = [paid_project() for _ in range(7)]
    Commitment.objects.filter(pk__in=[p.pk for p in projects]).update(fund_year=2021)
    for project in projects:
        followup_schedule(commitment_id=project.pk)
    demo_followup.seed()
    on_2022 = FollowupReport.objects.filter(year=2022)
    assert sorted(on_2022.values_list("status", flat=True)) == ["due"] * 3 + ["submitted"] + ["verified"] * 3
    assert AuditLog.objects.filter(action="followup.return").count() == 1
    assert AuditLog.objects.filter(action="followup.submit").count() == 5  # four reports, one of them twice
    last = timezone.make_aware(datetime.datetime.combine(demo_followup.LAST_DAY, datetime.time.max))
    first = timezone.make_aware(datetime.datetime(2023, 1, 1))
    rows = AuditLog.objects.filter(action__in=["followup.submit", "followup.return", "followup.verify"])
    assert rows.count() == 9 and not rows.filter(created_at__gt=last).exists()
    assert not rows.filter(created_at__lt=first).exists()
    notes = Notification.objects.filter(kind__startswith="followup.")
    assert notes.exists() and not notes.filter(created_at__gt=last).exists()
    assert all(r.submitted_at < last for r in on_2022.exclude(status="due"))
    demo_followup.seed()  # again: nothing more
    assert AuditLog.objects.filter(action__startswith="followup.").exclude(action="followup.schedule").count() == 9
