"""Calendar reminders (applications/reminders.py): who is reminded of which deadline, N days ahead, once."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import ReminderSent
from applications.reminders import send_reminders
from applications.workflow import Status
from core.models import Notification
from tests.factories import RoundFactory, UserFactory, application_in, category_with_rules
from tests.factories.applications import enterprise_user, round_post

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 3, 1)


def a_call(**dates):
    """A published call whose application window closes ``closes_in`` days after TODAY (at 17:30)."""
    closes_in = dates.pop("closes_in", 60)
    closes = timezone.make_aware(datetime.datetime.combine(TODAY + datetime.timedelta(days=closes_in),
                                                           datetime.time(17, 30)))
    dates.setdefault("county_deadline", None)
    return RoundFactory(opens_at=closes - datetime.timedelta(days=90), closes_at=closes, **dates)


def reminders_of(user):
    return list(Notification.objects.filter(recipient=user, kind__startswith="reminder.").order_by("id"))


def test_enterprises_with_a_draft_are_reminded_on_each_configured_day_before_the_deadline_once():
    call = a_call(closes_in=7, reminder_days="7,3,1")
    category = category_with_rules(round=call)
    draft = application_in(Status.DRAFT, category=category)
    owner, colleague = enterprise_user(draft), enterprise_user(draft)
    submitted_owner = enterprise_user(application_in(Status.SUBMITTED, category=category))

    assert send_reminders(TODAY) == 2  # 7 days before: both users of the enterprise with the draft
    assert send_reminders(TODAY) == 0  # a second run the same day sends nothing twice
    note = reminders_of(owner)[0]
    assert note.kind == "reminder.closes_at" and note.object_key.endswith(f":{call.pk}")
    assert "申报截止" in note.subject and "还有 7 天" in note.subject and call.title in note.subject
    assert "草稿不视为正式申报" in note.body
    assert note.link == reverse("applications:detail", args=[draft.pk])
    assert len(reminders_of(colleague)) == 1 and reminders_of(submitted_owner) == []

    for day, expected in ((1, 0), (2, 0), (4, 2), (5, 0), (6, 2), (7, 0)):  # N = 6, 5, 3, 2, 1, 0 days ahead
        assert send_reminders(TODAY + datetime.timedelta(days=day)) == expected, day
    assert len(reminders_of(owner)) == 3
    assert ReminderSent.objects.filter(user=owner, deadline="closes_at").count() == 3


def test_a_submitted_application_stops_the_reminders():
    call = a_call(closes_in=3, reminder_days="3")
    draft = application_in(Status.DRAFT, category=category_with_rules(round=call))
    owner = enterprise_user(draft)
    draft.status = Status.SUBMITTED
    draft.save()
    assert send_reminders(TODAY) == 0 and reminders_of(owner) == []


def test_county_staff_with_applications_still_to_forward_are_reminded():
    call = a_call(closes_in=-10, county_deadline=TODAY + datetime.timedelta(days=3), reminder_days="3")
    category = category_with_rules(round=call)
    waiting = application_in(Status.COUNTY_ACCEPTED, category=category)
    done = application_in(Status.FORWARDED, category=category)
    staff = UserFactory(role=Role.COUNTY, county=waiting.county)
    other_county = UserFactory(role=Role.COUNTY, county=done.county) if done.county_id != waiting.county_id \
        else None
    send_reminders(TODAY)
    [note] = reminders_of(staff)
    assert note.kind == "reminder.county_deadline" and "县区推荐上报截止" in note.subject
    if other_county is not None:
        assert reminders_of(other_county) == []


def test_experts_with_unfinished_scores_are_reminded_and_those_who_finished_are_not():
    from reviews.models import Assignment
    from reviews.services.scoring import score_save
    from tests.factories.reviews import open_panel, panel_with, points_for

    city = UserFactory(role=Role.CITY)
    call = a_call(closes_in=-30, expert_review_date=TODAY + datetime.timedelta(days=1), reminder_days="1")
    panel, members, _apps = panel_with(experts=2, applications=1, round_=call)
    panel = open_panel(city, panel, per_application=2)
    finished = Assignment.objects.filter(panel=panel).select_related("expert__user").first()
    score_save(actor=finished.expert.user, assignment=finished, points=points_for(panel), submit=True)
    late = next(m.user for m in members if m.pk != finished.expert_id)
    assert send_reminders(TODAY) == 1
    [note] = reminders_of(late)
    assert note.kind == "reminder.expert_review_date" and note.link == reverse("reviews:my_assignments")
    assert reminders_of(finished.expert.user) == []


def test_finance_is_reminded_of_unpaid_awards_before_the_payment_deadline():
    from tests.factories.disbursements import budget_listed_application, commitment

    call = a_call(closes_in=-200, payment_deadline=TODAY + datetime.timedelta(days=7), reminder_days="7")
    commitment(application=budget_listed_application(category=category_with_rules(round=call)))
    preparer = UserFactory(role=Role.FINANCE_PREPARER)
    assert send_reminders(TODAY) >= 1
    [note] = reminders_of(preparer)
    assert note.kind == "reminder.payment_deadline" and "资金拨付完成" in note.subject


def test_unpublished_calls_and_days_not_configured_send_nothing():
    hidden = a_call(closes_in=7, reminder_days="7", is_published=False)
    shown = a_call(closes_in=5, reminder_days="7,3")
    for call in (hidden, shown):
        enterprise_user(application_in(Status.DRAFT, category=category_with_rules(round=call)))
    assert send_reminders(TODAY) == 0


def test_the_command_runs_for_a_given_date_and_the_beat_runs_the_task_daily():
    call = a_call(closes_in=10, reminder_days="10")
    owner = enterprise_user(application_in(Status.DRAFT, category=category_with_rules(round=call)))
    out = io.StringIO()
    call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert "1 reminder(s) sent" in out.getvalue() and len(reminders_of(owner)) == 1
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert entry["task"] == "applications.send_reminders"
    from applications.tasks import send_reminders_task

    assert send_reminders_task.delay(TODAY.isoformat()).get() == 0  # already sent


@pytest.mark.parametrize(("typed", "stored"), [("7,3,1", "7,3,1"), ("1，7， 3", "7,3,1"), ("0", "0"),
                                               ("3、3", "3"), ("", "")])
def test_the_call_form_keeps_the_reminder_setting_normalised(client_for, typed, stored):
    call = RoundFactory()
    response = client_for(Role.CITY).post(reverse("applications:call_edit", args=[call.pk]),
                                          round_post(call, reminder_days=typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    call.refresh_from_db()
    assert call.reminder_days == stored


@pytest.mark.parametrize(("typed", "message"), [("7;3", "用逗号分隔"), ("-1", "用逗号分隔"), ("７", "用逗号分隔"),
                                                ("400", "截止日期前 366 天"),
                                                (",".join(str(n) for n in range(11)), "最多设置 10 次")])
def test_a_bad_reminder_setting_is_refused_with_what_to_type(client_for, typed, message):
    call = RoundFactory()
    response = client_for(Role.CITY).post(reverse("applications:call_edit", args=[call.pk]),
                                          round_post(call, reminder_days=typed))
    page = response.content.decode()
    assert response.status_code == 200 and message in page and f'value="{typed}"' in page
    call.refresh_from_db()
    assert call.reminder_days == "7,3,1"
