"""Marking notifications read: only the reader's own, one or all, through core.services."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditLog, Notification
from core.services import notification_mark_read, notifications_mark_all_read

pytestmark = pytest.mark.django_db


def _notes(user, n=2):
    return [Notification.objects.create(recipient=user, subject=f"事项 {i}") for i in range(n)]


def test_mark_one_read_touches_only_that_notification(user_for):
    user = user_for(Role.ENTERPRISE)
    first, second = _notes(user)
    assert notification_mark_read(actor=user, notification_id=first.pk) is True
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert notification_mark_read(actor=user, notification_id=str(first.pk)) is False  # already read
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize("bad", ["", "abc", "1.5", None, True, "-1"])
def test_mark_one_read_refuses_garbage_ids(user_for, bad):
    user = user_for(Role.ENTERPRISE)
    _notes(user, 1)
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(actor=user, notification_id=bad)
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_another_users_notification_is_unknown(user_for):
    me, other = user_for(Role.ENTERPRISE), user_for(Role.COUNTY)
    (theirs,) = _notes(other, 1)
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(actor=me, notification_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_only_marks_the_actors(user_for):
    me, other = user_for(Role.ENTERPRISE), user_for(Role.COUNTY)
    _notes(me, 3)
    _notes(other, 2)
    assert notifications_mark_all_read(actor=me) == 3
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2
    assert notifications_mark_all_read(actor=me) == 0


def test_the_pages_mark_one_and_all(client_for, user_for):
    me = user_for(Role.ENTERPRISE)
    client = client_for(me)
    first, second = _notes(me)
    (theirs,) = _notes(user_for(Role.COUNTY), 1)
    page = client.get(reverse("core:notifications")).content.decode()
    assert reverse("core:notification_mark_read", args=[first.pk]) in page

    response = client.post(reverse("core:notification_mark_read", args=[first.pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Notification.objects.get(pk=second.pk).read_at is None
    assert client.post(reverse("core:notification_mark_read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None

    assert client.post(reverse("core:notifications_mark_read")).status_code == 302
    assert Notification.objects.get(pk=second.pk).read_at is not None
