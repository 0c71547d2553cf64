"""Reminders before a project's completion deadline and before a rectification deadline (per project dates)."""

import datetime

import pytest

from aftercare import services
from aftercare.workflow import Action
from applications.reminders import send_reminders
from core.models import Notification

from .test_services import inspect, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(project):
    call = project.application.round
    call.is_published, call.reminder_days = True, "7,1"
    call.save()
    return call


def test_the_enterprise_is_reminded_before_its_completion_deadline_until_it_reports(call, project, owner):
    assert send_reminders(datetime.date(2022, 3, 23)) == 0  # 8 days before 2022-03-31
    send_reminders(datetime.date(2022, 3, 24))
    reminder = Notification.objects.get(recipient=owner, kind="reminder.completion")
    assert "2022-03-31" in reminder.subject and reminder.link.endswith(f"/aftercare/{project.pk}/")
    send_reminders(datetime.date(2022, 3, 24))  # a rerun sends nothing twice
    assert Notification.objects.filter(kind="reminder.completion").count() == 1
    submit(owner, project)
    send_reminders(datetime.date(2022, 3, 30))
    assert Notification.objects.filter(kind="reminder.completion").count() == 1


def test_a_rectification_deadline_is_reminded(call, project, owner, county_user, city):
    acceptance = inspect(county_user, submit(owner, project), recommendation="rectify")
    due = datetime.date.today() + datetime.timedelta(days=40)
    services.decide(actor=city, acceptance_id=acceptance.pk, action=Action.RECTIFY, note="补齐发票", rectify_by=due)
    send_reminders(due - datetime.timedelta(days=1))
    assert Notification.objects.filter(recipient=owner, kind="reminder.rectification").count() == 1


def test_the_enterprise_is_reminded_before_its_follow_up_report_is_due_until_it_reports(call, project, owner,
                                                                                      county_user):
    from aftercare.followup_models import FollowupReport
    from aftercare.followup_services import followup_return, followup_schedule

    from .test_followup_services import submit

    followup_schedule(commitment_id=project.pk)
    report = FollowupReport.objects.get(commitment=project, year=2022)
    send_reminders(datetime.date(2023, 3, 24))  # 7 days before 2023-03-31
    reminder = Notification.objects.get(recipient=owner, kind="reminder.followup")
    assert "2023-03-31" in reminder.subject and reminder.link.endswith(f"/aftercare/followup/{report.pk}/")
    assert not Notification.objects.filter(recipient=county_user, kind="reminder.followup").exists()
    submit(owner, report)
    send_reminders(datetime.date(2023, 3, 30))
    assert Notification.objects.filter(kind="reminder.followup").count() == 1
    followup_return(actor=county_user, report_id=report.pk, reason="请补充完税证明")
    send_reminders(datetime.date(2023, 3, 30))  # returned: to report again, reminded again
    assert Notification.objects.filter(kind="reminder.followup").count() == 2
