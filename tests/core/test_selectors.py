"""The notifications digest (core.selectors): grouped per item and per local day, unread counts, the navbar's
number of items with unread notifications, and the items' names."""

import datetime
import zoneinfo

import pytest

from accounts.roles import Role
from core import clock
from core.models import Notification
from core.notifications import notify
from core.selectors import notification_groups, notifications_in_groups, object_labels, unread_group_count
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db
ZHENGZHOU = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2021, 10, 11, 9, 0, tzinfo=ZHENGZHOU)
TUESDAY = datetime.datetime(2021, 10, 12, 0, 30, tzinfo=ZHENGZHOU)  # Monday 16:30 UTC: Tuesday in Zhengzhou


@pytest.fixture
def inbox():
    """A city user told three times about one application on Monday, once on Tuesday (just after midnight, still
    Monday in UTC), once about another application and once about nothing in particular."""
    user = UserFactory(role=Role.CITY)
    first, second = ApplicationFactory(), ApplicationFactory()
    with clock.at(MONDAY):
        for n in range(3):
            notify([user], subject=f"通知{n}", kind="application.forward", obj=first, email=False)
        notify([user], subject="另一个项目", kind="application.forward", obj=second, email=False)
        notify([user], subject="系统维护", email=False)
    with clock.at(TUESDAY):
        notify([user], subject="次日通知", kind="application.qualify", obj=first, email=False)
    return user, first, second


def test_groups_per_item_and_day_newest_first(inbox):
    user, first, second = inbox
    groups = list(notification_groups(user=user))
    key = f"applications.application:{first.pk}"
    assert [(g["group"], g["day"], g["total"], g["unread"]) for g in groups][0] == (
        key, TUESDAY.date(), 1, 1)
    summary = {(g["group"], g["day"]): g["total"] for g in groups}
    assert summary[(key, MONDAY.date())] == 3
    assert summary[(f"applications.application:{second.pk}", MONDAY.date())] == 1
    assert len(groups) == 4  # the notice about nothing is a group of its own
    assert unread_group_count(user=user) == 4
    items = notifications_in_groups(user=user, groups=[g for g in groups if g["group"] == key])
    assert sorted(n.subject for n in items) == ["次日通知", "通知0", "通知1", "通知2"]


def test_unread_only_and_the_badge_follow_reading(inbox):
    user, first, _second = inbox
    Notification.objects.filter(recipient=user, subject__in=["通知0", "通知1"]).update(read_at=clock.now())
    monday = next(g for g in notification_groups(user=user)
                  if g["group"] == f"applications.application:{first.pk}" and g["day"] == MONDAY.date())
    assert (monday["total"], monday["unread"]) == (3, 1)
    Notification.objects.filter(recipient=user, subject="通知2").update(read_at=clock.now())
    assert unread_group_count(user=user) == 3
    assert all(g["group"] != f"applications.application:{first.pk}" or g["day"] != MONDAY.date()
               for g in notification_groups(user=user, unread_only=True))
    assert unread_group_count(user=UserFactory(role=Role.CITY)) == 0


def test_items_are_named_and_vanished_ones_are_skipped(inbox):
    _user, first, _second = inbox
    labels = object_labels([f"applications.application:{first.pk}", "applications.application:999999",
                            "nosuch.model:1", "#12", ""])
    assert labels == {f"applications.application:{first.pk}": str(first)}
