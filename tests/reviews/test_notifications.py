"""Who hears of the review stage (reviews/notifications.py) beyond the cycle walked in
tests/test_notification_cycle.py: an expert assigned while the panel is open, a declared conflict and its
replacement, an upheld objection and the project taken off the list."""

import datetime

import pytest

from applications.workflow import Status
from core.models import Notification
from reviews.models import Assignment
from reviews.services.assignment import declare
from reviews.services.publicity import objection_handle, publicity_close
from reviews.workflow import AssignmentStatus
from tests.factories import UserFactory
from tests.factories.applications import enterprise_user
from tests.factories.reviews import panel_with, published_publicity

pytestmark = pytest.mark.django_db


def kinds(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


def test_replacement_after_a_declared_conflict_is_told_to_the_city_and_the_new_expert(city, opened):
    panel, members, apps = panel_with(experts=3, applications=1)
    panel = opened(panel, per_application=1, declare_all=False)
    assignment = Assignment.objects.select_related("expert__user").get(panel=panel)
    first_expert = assignment.expert.user
    assert kinds(first_expert) == ["panel.open"]  # assigned before the opening: told once, by the opening
    replacement = declare(actor=first_expert, assignment=assignment, has_conflict=True, reason="亲属在该企业任职")
    assert replacement.status == AssignmentStatus.ASSIGNED
    new_expert = replacement.expert.user
    assert kinds(new_expert) == ["assignment.created"]
    note = Notification.objects.get(recipient=new_expert)
    assert note.subject == f"新的评审任务：{apps[0].project_name}" and note.link == "/reviews/my/"
    assert note.object_key == f"reviews.panel:{panel.pk}"  # an expert's tasks group under the panel
    told = city.notifications.get(kind="assignment.created")
    assert assignment.expert.name in told.subject and replacement.expert.name in told.subject
    assert apps[0].receipt_no in told.subject
    idle = next(m.user for m in members if m.user not in (first_expert, new_expert))
    assert kinds(idle) == []


def test_an_upheld_objection_and_the_removal_reach_the_enterprise(city):
    publicity = published_publicity(city)
    entry = publicity.entries.select_related("application").get()
    owner, outsider = enterprise_user(entry.application), UserFactory(role="enterprise")
    objection = publicity.objections.get()
    objection_handle(actor=city, objection=objection, upheld=True, note="经核实该设备已获省级补助")
    publicity_close(actor=city, publicity=publicity, today=publicity.ends_on + datetime.timedelta(days=1))
    entry.application.refresh_from_db()
    assert entry.application.status == Status.DISQUALIFIED
    notes = list(Notification.objects.filter(recipient=owner).order_by("id"))
    assert [n.kind for n in notes] == ["objection.uphold", "application.disqualify"]
    assert notes[0].subject.startswith("针对您项目的异议经核查成立") and "已获省级补助" in notes[0].body
    assert notes[1].subject.startswith("您的项目未获支持") and "已获省级补助" in notes[1].body
    assert all(n.email_wanted for n in notes)
    assert kinds(outsider) == []
