"""Writes of the core app that a view asks for: marking the user's own notifications read."""

from django.db import transaction
from django.utils import timezone

from .models import Notification
from .selectors import notifications_for


def notification_mark_read(*, actor, notification_id):
    """Mark one of ``actor``'s notifications read. Another user's id, or no id at all, is unknown
    (Notification.DoesNotExist). Returns True when it was unread. Reading changes no record: no audit row."""
    if isinstance(notification_id, bool) or not str(notification_id).isdecimal():
        raise Notification.DoesNotExist
    with transaction.atomic(durable=True):
        notification = notifications_for(user=actor).select_for_update().filter(pk=int(notification_id)).first()
        if notification is None:
            raise Notification.DoesNotExist
        if notification.read_at is not None:
            return False
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return True


def notifications_mark_all_read(*, actor, ids=None):
    """Mark every unread notification of ``actor`` read, or only those of ``ids`` (a digest group; others'
    ids are ignored); returns how many."""
    with transaction.atomic(durable=True):
        qs = notifications_for(user=actor).filter(read_at__isnull=True)
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        return qs.update(read_at=timezone.now())
