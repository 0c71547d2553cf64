from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


@shared_task(name="core.send_pending_emails", acks_late=True)
def send_pending_emails(limit=200):
    """Send the outbox. Idempotent: each row is locked, sent once and marked."""
    sent = 0
    ids = list(
        Notification.objects.filter(email_wanted=True, emailed_at__isnull=True, email_attempts__lt=5)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if row is None:
                continue
            row.email_attempts += 1
            if row.recipient.email:
                send_mail(row.subject, f"{row.body}\n\n{row.link}".strip(), settings.DEFAULT_FROM_EMAIL,
                          [row.recipient.email])
            row.emailed_at = timezone.now()
            row.save(update_fields=["emailed_at", "email_attempts"])
            sent += 1
    return sent
