"""In-app notifications with a transactional e-mail outbox.

``notify`` writes Notification rows inside the caller's transaction. After commit it asks Celery to
send the e-mails; if the broker is down the rows simply wait, and the periodic ``send_pending_emails``
(beat) sends them once it is back. Sending marks each row, so a retried task sends nothing twice.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .events import object_key
from .models import Notification

log = logging.getLogger(__name__)


def notify(recipients, *, subject, body="", link="", email=True, kind="", obj=None):
    """``kind`` names the event (an audit action or reminder code), ``obj`` the item it concerns."""
    key = object_key(obj)
    rows = [
        Notification(recipient=user, subject=str(subject)[:200], body=str(body), link=link, email_wanted=email,
                     kind=kind[:64], object_key=key[:100])
        for user in recipients
        if user is not None
    ]
    created = Notification.objects.bulk_create(rows)
    if email and created:
        transaction.on_commit(kick_outbox)
    return created


def kick_outbox():
    from .tasks import send_pending_emails

    try:
        send_pending_emails.delay()
    except Exception:  # broker unreachable: the beat sweep sends them later
        log.warning("Broker unreachable; notification e-mails stay in the outbox", exc_info=True)


class LazyFormat:
    """``str()`` formats a lazy text with its values in whatever language is active at that moment."""

    def __init__(self, text, **values):
        self.text, self.values = text, values

    def __str__(self):
        return str(self.text) % self.values


def announce(users, subject, body="", link="", *, kind="", obj=None, email=True):
    """Notify ``users`` in the platform language (Chinese), whatever language the actor uses: lazy texts and
    LazyFormat values are rendered here."""
    with translation.override(settings.LANGUAGE_CODE):
        return notify(list(users), subject=str(subject)[:200], body=str(body), link=link, kind=kind, obj=obj,
                      email=email)


def announce_event(event, users, subject, body="", link="", email=True):
    """``announce`` for a subscriber of core.events: the notification carries the event's kind and item."""
    return announce(users, subject, body, link, kind=event.action, obj=event.obj, email=email)
