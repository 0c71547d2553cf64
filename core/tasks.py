import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@shared_task(name="core.send_pending_emails", acks_late=True)
def send_pending_emails(limit=200):
    """Send the outbox. Idempotent: each row is locked, sent once and marked.

    A row whose e-mail fails (a refused address, a mail server hiccup) is counted and skipped, so it never
    holds up the others; after MAX_ATTEMPTS it is left for a person to look at (in-app it was delivered).
    """
    sent = 0
    ids = list(
        Notification.objects.filter(email_wanted=True, emailed_at__isnull=True, email_attempts__lt=MAX_ATTEMPTS)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for pk in ids:
        try:
            with transaction.atomic():
                row = (
                    Notification.objects.select_for_update(skip_locked=True)
                    .select_related("recipient")
                    .filter(pk=pk, emailed_at__isnull=True)
                    .first()
                )
                if row is None:
                    continue
                if row.recipient.email:
                    send_mail(row.subject, f"{row.body}\n\n{row.link}".strip(), settings.DEFAULT_FROM_EMAIL,
                              [row.recipient.email])
                row.email_attempts += 1
                row.emailed_at = timezone.now()
                row.save(update_fields=["emailed_at", "email_attempts"])
                sent += 1
        except Exception:
            log.warning("Notification %s: e-mail failed; counted and skipped", pk, exc_info=True)
            Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(email_attempts=F("email_attempts") + 1)
    return sent


@shared_task(name="core.send_daily_digest", acks_late=True)
def send_daily_digest(days=7):
    """Daily (beat): one e-mail per user listing the notifications sent without their own e-mail (``email=False``:
    the work arriving in a staff member's queue) that the user has not read in-app yet.

    Each such notification goes into one digest at most (``emailed_at`` marks it, read or not), so a retried task
    sends nothing twice; notifications older than ``days`` are left out. A failing e-mail is logged and its rows
    wait for the next day's digest."""
    since = timezone.now() - datetime.timedelta(days=days)
    pending = Notification.objects.filter(email_wanted=False, emailed_at__isnull=True, created_at__gte=since)
    sent = 0
    for user_id in list(pending.order_by().values_list("recipient_id", flat=True).distinct()):
        try:
            with transaction.atomic():
                rows = list(pending.filter(recipient_id=user_id).select_for_update(skip_locked=True)
                            .select_related("recipient").order_by("created_at", "id"))
                if not rows:
                    continue
                user, unread = rows[0].recipient, [row for row in rows if row.read_at is None]
                if unread and user.email and user.is_active:
                    send_mail(*digest_email(unread), settings.DEFAULT_FROM_EMAIL, [user.email])
                    sent += 1
                Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=timezone.now())
        except Exception:
            log.warning("Daily digest for user %s failed; its notifications wait for the next one", user_id,
                        exc_info=True)
    return sent


def digest_email(notifications):
    """(subject, body) of a digest e-mail, in the platform language."""
    with translation.override(settings.LANGUAGE_CODE):
        count = len(notifications)
        subject = ngettext("%(n)d new notification on the platform", "%(n)d new notifications on the platform",
                           count) % {"n": count}
        lines = [f"{timezone.localtime(n.created_at):%Y-%m-%d %H:%M}  {n.subject}" for n in notifications]
        footer = _("Read them and act on the platform's notifications page: %(link)s") % {
            "link": reverse("core:notifications")}
    return subject, "\n".join([*lines, "", footer])
