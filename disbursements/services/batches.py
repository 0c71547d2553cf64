"""Payment batches: build, submit, return, approve (four eyes, exactly once), send with the bank file."""

import hashlib
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import check_version, locked_for_edit
from core.permissions import require
from core.workflow import TransitionNotAllowed, transition

from ..exports import write_bank_file
from ..models import Payment, PaymentBatch
from ..workflow import (
    BATCH_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    BatchAction,
    BatchStatus,
    PaymentAction,
    PaymentStatus,
)
from .common import check_four_eyes, run_once
from .payments import payment_prepare, payment_retry


def _messages(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]

# Payments a new batch may take: pending ones not in a batch. A failed payment chosen for a batch is never sent
# again: its new attempt (``payment_retry``) goes into the batch and is approved like any payment.
BATCHABLE = Q(status=PaymentStatus.PENDING, batch__isnull=True)


def _batch_link(batch):
    return reverse("disbursements:batch_detail", args=[batch.pk])


def _move(batch, action, *, actor, note="", extra_updates=None, data=None):
    return transition(batch, action, actor=actor, table=BATCH_TRANSITIONS, note=note, extra_updates=extra_updates,
                      audit_action=f"batch.{action}", data=data)


def batch_create(*, actor, payments=(), commitments=(), note=""):
    """A draft batch of the chosen pending payments, a new attempt of each chosen failed payment, plus one new
    tranche (the whole remainder) for each chosen commitment. All or nothing: if one commitment or new attempt
    cannot be prepared, nothing is saved."""
    require(actor, "disbursements.prepare_payments")
    failed = sorted({p.pk for p in payments if p.status == PaymentStatus.FAILED})
    payment_ids = sorted({p.pk for p in payments} - set(failed))
    if not payment_ids and not commitments and not failed:
        raise ValidationError(_("Choose at least one payment or commitment for the batch."), code="empty")
    with transaction.atomic():
        batch = PaymentBatch.objects.create(created_by=actor, note=note)
        batch.reference = f"PC{timezone.localdate():%Y%m%d}-{batch.pk:04d}"
        batch.save(update_fields=["reference"])
        locked = list(Payment.objects.select_for_update().filter(pk__in=payment_ids).filter(BATCHABLE))
        if len(locked) != len(payment_ids):
            raise ValidationError(_("Some of the chosen payments were batched or changed meanwhile. Reload the page."),
                                  code="stale")
        old_batches = {p.batch_id for p in locked if p.batch_id}
        Payment.objects.filter(pk__in=payment_ids).update(batch=batch, updated_at=timezone.now())
        for payment in Payment.objects.filter(pk__in=failed).order_by("pk"):
            try:
                retry = payment_retry(actor=actor, payment=payment)
            except (ValidationError, TransitionNotAllowed) as exc:
                raise ValidationError(_("%(payment)s: %(error)s") % {
                    "payment": payment.reference, "error": " ".join(_messages(exc))}, code="retry")
            Payment.objects.filter(pk=retry.pk).update(batch=batch)
        for commitment in sorted(commitments, key=lambda c: c.pk):
            try:
                payment = payment_prepare(actor=actor, commitment=commitment)
            except ValidationError as exc:
                raise ValidationError(_("%(commitment)s: %(error)s") % {
                    "commitment": commitment, "error": " ".join(exc.messages)}, code=exc.code)
            Payment.objects.filter(pk=payment.pk).update(batch=batch)
        audit_record(actor=actor, action="batch.create", obj=batch, to_state=batch.status,
                     data={"payments": batch.payments.count(), "retries": len(failed)})
        for old in PaymentBatch.objects.filter(pk__in=old_batches):
            close_if_done(old, actor)
    return batch


def batch_submit(*, actor, batch, version=None):
    with transaction.atomic():
        batch = locked_for_edit(batch, version)
        if not batch.payments.exists():
            raise ValidationError(_("The batch has no payments."), code="empty")
        batch = _move(batch, BatchAction.SUBMIT, actor=actor, extra_updates={"submitted_at": timezone.now()},
                      data={"payments": batch.payments.count()})
    return batch


def batch_return(*, actor, batch, reason, version=None):
    if not reason.strip():
        raise ValidationError(_("Give the reason for returning the batch."), code="reason")
    with transaction.atomic():
        batch = locked_for_edit(batch, version)
        batch = _move(batch, BatchAction.RETURN, actor=actor, note=reason, extra_updates={"note": reason})
    return batch


def batch_discard(*, actor, batch, version=None):
    with transaction.atomic():
        batch = locked_for_edit(batch, version)
        batch = _move(batch, BatchAction.DISCARD, actor=actor)
        batch.payments.filter(status=PaymentStatus.PENDING).update(batch=None)
    return batch


def _locked_for(batch, status, already_message, version):
    """The batch locked; "already done" when it moved on, StaleEdit when it changed since the page was opened
    (e.g. a payment was cancelled out of it): an approval always concerns the batch the approver saw."""
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != status:
        done = {BatchStatus.SUBMITTED: (BatchStatus.APPROVED, BatchStatus.SENT, BatchStatus.RECONCILED),
                BatchStatus.APPROVED: (BatchStatus.SENT, BatchStatus.RECONCILED)}[status]
        raise TransitionNotAllowed(already_message if locked.status in done else None)
    check_version(locked, version)
    return locked


def batch_approve(*, actor, batch, idempotency_key=None, version=None):
    """Approve the batch and every pending payment in it, exactly once.

    Locks the batch, then its payments (ordered by id); refuses if the approver prepared the batch or any
    payment in it (four eyes, also a database constraint). A replayed idempotency key returns the first
    result; a second approval with another key finds the batch approved and changes nothing.
    Returns ``(result, replayed)`` with result = {"batch": id, "approved": [payment ids]}.
    """

    def perform():
        locked = _locked_for(batch, BatchStatus.SUBMITTED,
                             _("This batch was already approved; nothing was changed."), version)
        check_four_eyes(locked.created_by_id, actor, what=_("batch"))
        payments = list(Payment.objects.select_for_update().filter(batch=locked).order_by("pk"))
        if not payments:
            raise ValidationError(_("The batch has no payments."), code="empty")
        for payment in payments:
            if payment.status == PaymentStatus.PENDING:
                check_four_eyes(payment.prepared_by_id, actor, what=_("payment"))
        now = timezone.now()
        approved = []
        for payment in payments:
            if payment.status == PaymentStatus.PENDING:
                transition(payment, PaymentAction.APPROVE, actor=actor, table=PAYMENT_TRANSITIONS,
                           extra_updates={"approved_by": actor, "approved_at": now},
                           audit_action="payment.approve",
                           data={"batch_reference": locked.reference, "amount_yuan": str(payment.amount)})
                approved.append(payment.pk)
        if not approved:
            raise ValidationError(_("The batch has no payment awaiting approval."), code="empty")
        _move(locked, BatchAction.APPROVE, actor=actor, extra_updates={"approved_by": actor, "approved_at": now},
              data={"payments": len(approved), "total_yuan": str(sum(p.amount for p in payments
                                                                       if p.pk in approved))})
        return {"batch": locked.pk, "approved": approved}

    require(actor, "disbursements.approve_payments")
    with transaction.atomic():
        return run_once(key=idempotency_key, actor=actor, action="batch.approve", obj=batch, perform=perform)


def batch_send(*, actor, batch, idempotency_key=None, version=None, sent_at=None):
    """Mark the approved batch sent, with its approved payments, and keep
    the bank file exactly as generated (SHA-256 recorded). Exactly once, like ``batch_approve``.

    ``sent_at``: the time of sending (and of the bank file); now when not given. Only the demo passes an
    earlier one, so that its stored bank files carry the dates of its backdated batches."""

    def perform():
        locked = _locked_for(batch, BatchStatus.APPROVED, _("This batch was already sent; nothing was changed."),
                             version)
        payments = list(Payment.objects.select_for_update().filter(batch=locked).order_by("pk"))
        now = sent_at or timezone.now()
        sent = []
        for payment in payments:
            if payment.status == PaymentStatus.APPROVED:
                transition(payment, PaymentAction.SEND, actor=actor, table=PAYMENT_TRANSITIONS,
                           extra_updates={"sent_at": now}, audit_action="payment.send",
                           data={"batch_reference": locked.reference, "amount_yuan": str(payment.amount)})
                sent.append(payment.pk)
        if not sent:
            raise ValidationError(_("The batch has no payments to send."), code="empty")
        digest = _store_bank_file(locked, [p for p in payments if p.pk in sent], generated=now)
        _move(locked, BatchAction.SEND, actor=actor,
              data={"payments": len(sent), "total_yuan": str(sum(p.amount for p in payments if p.pk in sent)),
                    "tech_sha256": digest},
              extra_updates={"sent_by": actor, "sent_at": now, "bank_file": locked.bank_file,
                             "bank_file_sha256": digest})
        return {"batch": locked.pk, "sent": sent, "sha256": digest}

    require(actor, "disbursements.prepare_payments")
    with transaction.atomic():
        return run_once(key=idempotency_key, actor=actor, action="batch.send", obj=batch, perform=perform)


def _store_bank_file(batch, payments, generated):
    with tempfile.TemporaryFile() as handle:
        write_bank_file(handle, batch, payments, generated=generated)
        handle.seek(0)
        digest = hashlib.sha256(handle.read()).hexdigest()
        handle.seek(0)
        batch.bank_file.save(f"{batch.reference}.xlsx", File(handle), save=False)
    return digest


def close_if_done(batch, actor):
    """A sent batch for whose payments the bank has answered (paid or failed: a failure is paid again in another
    batch) is reconciled."""
    if batch.status != BatchStatus.SENT:
        return batch
    if batch.payments.filter(status=PaymentStatus.SENT).exists():
        return batch
    counts = {status: batch.payments.filter(status=status).count()
              for status in (PaymentStatus.PAID, PaymentStatus.FAILED)}
    return _move(batch, BatchAction.RECONCILE, actor=actor,
                 data={"paid": counts[PaymentStatus.PAID], "failed": counts[PaymentStatus.FAILED]})
