import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

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
