"""core.events: audit_record hands each change to its subscribers in the same transaction; core.clock dates
rows for a seeded past."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from core import clock
from core.audit import audit_record
from core.events import _SUBSCRIBERS, object_key, subscribe
from core.models import AuditLog, Notification
from core.notifications import announce_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    seen = []

    def record(event):
        seen.append(event)

    subscribe("test.event")(record)
    yield seen
    _SUBSCRIBERS.pop("test.event", None)


def test_subscriber_receives_the_event_with_its_data(listener, django_user_model):
    user = django_user_model.objects.create_user("evt_actor", password="x")
    entry = audit_record(actor=user, action="test.event", obj=user, data={"count": 3, "amount_yuan": "10.00"})
    assert len(listener) == 1
    event = listener[0]
    assert event.entry == entry and event.actor == user and event.obj == user
    assert event.data == {"count": 3, "amount_yuan": "10.00"}
    assert event.object_key == f"accounts.user:{user.pk}" == object_key(user)
    assert AuditLog.objects.get(pk=entry.pk).data == {"count": 3, "amount_yuan": "10.00"}


def test_a_failing_subscriber_rolls_the_change_back(django_user_model):
    user = django_user_model.objects.create_user("evt_fail", password="x")

    @subscribe("test.failing")
    def boom(event):
        raise RuntimeError("subscriber failed")

    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_record(actor=user, action="test.failing", obj=user)
        assert not AuditLog.objects.filter(action="test.failing").exists()
    finally:
        _SUBSCRIBERS.pop("test.failing", None)


def test_announce_event_records_kind_and_item(django_user_model):
    user = django_user_model.objects.create_user("evt_target", password="x")

    @subscribe("test.notify")
    def tell(event):
        announce_event(event, [user], "主题", "正文")

    try:
        audit_record(actor=None, action="test.notify", obj=user)
    finally:
        _SUBSCRIBERS.pop("test.notify", None)
    row = Notification.objects.get(recipient=user)
    assert (row.kind, row.object_key, row.subject) == ("test.notify", f"accounts.user:{user.pk}", "主题")


def test_clock_dates_rows_inside_at_and_only_there(django_user_model):
    user = django_user_model.objects.create_user("evt_clock", password="x")
    with clock.at(datetime.date(2020, 9, 15)) as moment:
        past = audit_record(actor=user, action="test.clock", obj=user)
        assert clock.today() == datetime.date(2020, 9, 15)
    present = audit_record(actor=user, action="test.clock", obj=user)
    assert past.created_at == moment
    assert timezone.localtime(past.created_at).date() == datetime.date(2020, 9, 15)
    assert abs((present.created_at - timezone.now()).total_seconds()) < 60
