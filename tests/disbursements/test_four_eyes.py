"""Four eyes: whoever prepared a payment or batch can never approve it — in the service and in the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from disbursements.models import Payment, PaymentBatch
from disbursements.services import FourEyesViolation, batch_approve, batch_create, batch_submit, payment_prepare
from disbursements.workflow import BatchStatus, PaymentStatus
from tests.factories import disbursements as f

pytestmark = pytest.mark.django_db


def test_preparer_role_cannot_approve(prep, commitment):
    batch = batch_create(actor=prep, commitments=[commitment])
    batch_submit(actor=prep, batch=batch)
    with pytest.raises(TransitionNotAllowed):
        batch_approve(actor=prep, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED
    assert not Payment.objects.filter(status=PaymentStatus.APPROVED).exists()


def test_same_person_after_role_change_is_refused_with_a_clear_message(prep, commitment):
    batch = batch_create(actor=prep, commitments=[commitment])
    batch_submit(actor=prep, batch=batch)
    prep.role = Role.FINANCE_APPROVER  # promoted: still the same person
    prep.save()
    with pytest.raises(FourEyesViolation) as info:
        batch_approve(actor=prep, batch=batch)
    assert "four-eyes" in str(info.value.message) or "四眼" in str(info.value.message)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED and batch.approved_by is None
    assert not AuditLog.objects.filter(action__in=["batch.approve", "payment.approve"]).exists()


def test_payment_prepared_by_the_approver_in_someone_elses_batch_is_refused(prep, appr, commitment):
    other = f.commitment("500.00")
    # the approver prepared a payment while still a preparer ...
    appr.role = Role.FINANCE_PREPARER
    appr.save()
    own = payment_prepare(actor=appr, commitment=other)
    appr.role = Role.FINANCE_APPROVER
    appr.save()
    # ... and a colleague put it into a batch
    batch = batch_create(actor=prep, payments=[own], commitments=[commitment])
    batch_submit(actor=prep, batch=batch)
    with pytest.raises(FourEyesViolation):
        batch_approve(actor=appr, batch=batch)
    assert set(Payment.objects.values_list("status", flat=True)) == {PaymentStatus.PENDING}


def test_different_people_can_approve(prep, appr, commitment):
    batch = f.approved_batch(prep, appr, [commitment])
    payment = batch.payments.get()
    assert batch.status == BatchStatus.APPROVED and batch.approved_by == appr
    assert payment.status == PaymentStatus.APPROVED
    assert payment.prepared_by == prep and payment.approved_by == appr
    rows = AuditLog.objects.filter(action="payment.approve", object_id=str(payment.pk))
    assert [(r.actor_id, r.from_state, r.to_state) for r in rows] == [(appr.pk, "pending", "approved")]


def test_database_refuses_payment_approved_by_its_preparer(prep, commitment):
    payment = payment_prepare(actor=prep, commitment=commitment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(approved_by=prep, approved_at=timezone.now(),
                                                     status=PaymentStatus.APPROVED)
    payment.refresh_from_db()
    assert payment.approved_by is None


def test_database_refuses_batch_approved_by_its_creator(prep, commitment):
    batch = batch_create(actor=prep, commitments=[commitment])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(approved_by=prep)


def test_database_refuses_sending_without_approval(prep, commitment):
    payment = payment_prepare(actor=prep, commitment=commitment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.SENT)


def test_database_refuses_a_second_row_for_the_same_tranche(prep, commitment):
    payment = payment_prepare(actor=prep, commitment=commitment, amount=Decimal("100.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(commitment=commitment, tranche=payment.tranche, reference="X-1", amount=1,
                               purpose="x", payee_name="x", payee_bank="x", payee_account="123456789",
                               prepared_by=prep)
