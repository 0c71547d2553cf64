"""Failed payments: the failure's reason and date, the enterprise told, a new attempt approved again (four eyes),
never into an account that already failed unless a corrected account was verified since, paid exactly once."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.models import AuditLog, Notification
from core.workflow import TransitionNotAllowed
from disbursements.models import Payment, PaymentBatch
from disbursements.services import (
    batch_approve,
    batch_create,
    batch_send,
    batch_submit,
    payment_cancel,
    payment_prepare,
    payment_record_failure,
    payment_retry,
    reconciliation_import,
)
from disbursements.workflow import BatchStatus, PaymentStatus
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import enterprise_user
from tests.race import race

pytestmark = pytest.mark.django_db


def test_finance_records_a_failure_by_hand_with_reason_and_date(prep, appr):
    batch = f.sent_batch(prep, appr, [f.commitment("800.00")])
    payment = batch.payments.get()
    user = enterprise_user(payment.commitment.payee)
    with pytest.raises(ValidationError):  # "other" needs the bank's words
        payment_record_failure(actor=prep, payment=payment, code="other", reason=" ")
    with pytest.raises(ValidationError):
        payment_record_failure(actor=prep, payment=payment, code="account_closed",
                               failed_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError):
        payment_record_failure(actor=prep, payment=payment, code="no-such-reason")
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError):  # before it was sent
        payment_record_failure(actor=prep, payment=payment, code="account_closed", failed_on=yesterday)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SENT
    failed = payment_record_failure(actor=prep, payment=payment, code="account_closed", reason="对方账户已销户",
                                    version=payment.version)
    assert (failed.status, failed.failure_code, failed.failed_on) == (
        PaymentStatus.FAILED, "account_closed", timezone.localdate())
    entry = AuditLog.objects.get(action="payment.mark_failed")
    assert entry.data == {"amount_yuan": "800.00", "failure_code": "account_closed", "failure_reason": "对方账户已销户",
                          "failed_on": timezone.localdate().isoformat()}
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.RECONCILED
    # the enterprise is told why and what to do
    note = Notification.objects.get(recipient=user, kind="payment.mark_failed")
    assert "付款失败" in note.subject and "账户已销户" in note.body and "企业信息" in note.body
    assert note.link == reverse("accounts:company") and note.object_key == f"disbursements.payment:{payment.pk}"


def test_the_enterprise_hears_of_sent_and_paid_payments(prep, appr):
    commitment = f.commitment("1200.00")
    user = enterprise_user(commitment.payee)
    batch = f.sent_batch(prep, appr, [commitment])
    payment = batch.payments.get()
    sent = Notification.objects.get(recipient=user, kind="payment.send")
    assert payment.reference in sent.subject and payment.payee_account in sent.body and "已发送银行" in sent.subject
    reconciliation_import(actor=prep, upload=f.return_file([f.return_row(payment)]))
    paid = Notification.objects.get(recipient=user, kind="payment.mark_paid")
    assert "资金已拨付" in paid.subject
    # finance hears of batches: approvers of a submitted batch, the preparer of an approved one
    assert Notification.objects.filter(recipient=appr, kind="batch.submit").count() == 1
    assert Notification.objects.filter(recipient=prep, kind="batch.approve").count() == 1


def test_a_new_attempt_needs_a_verified_corrected_account(prep, appr):
    failed = f.failed_payment(prep, appr, reason="账户已销户")
    assert failed.failure_code == "account_closed"
    payee = failed.commitment.payee
    with pytest.raises(ValidationError) as refused:
        payment_retry(actor=prep, payment=failed)
    assert refused.value.code == "failed_account" and failed.reference in refused.value.messages[0]
    # a change requested but not verified does not count
    from accounts.selectors import pending_bank_change
    from accounts.services.enterprises import enterprise_update_profile

    clerk = enterprise_user(payee)
    payee.refresh_from_db()
    enterprise_update_profile(actor=clerk, org=payee, expected_version=payee.version,
                              bank_account_no="6217000011112222")
    assert pending_bank_change(payee) is not None
    with pytest.raises(ValidationError):
        payment_retry(actor=prep, payment=failed)
    # nor does a new tranche of the commitment while the failure waits
    with pytest.raises(ValidationError) as blocked:
        payment_prepare(actor=prep, commitment=failed.commitment, amount="1.00")
    assert blocked.value.code == "open_failure"
    from accounts.services.bank_accounts import bank_change_approve

    bank_change_approve(actor=UserFactory(role=Role.CITY), change=pending_bank_change(payee))
    retry = payment_retry(actor=prep, payment=failed)
    assert (retry.status, retry.attempt, retry.tranche, retry.retry_of_id) == (
        PaymentStatus.PENDING, 2, failed.tranche, failed.pk)
    assert retry.payee_account == "6217000011112222" and retry.amount == failed.amount
    assert retry.failure_code == "" and retry.failed_on is None  # the reason belongs to the failed attempt only
    entry = AuditLog.objects.get(action="payment.retry")
    assert entry.data["retry_of_reference"] == failed.reference and entry.data["amount_yuan"] == "1000.00"
    with pytest.raises(TransitionNotAllowed):  # one live attempt at a time
        payment_retry(actor=prep, payment=failed)
    with pytest.raises(TransitionNotAllowed):  # the failed attempt stays on record
        payment_cancel(actor=prep, payment=Payment.objects.get(pk=failed.pk), reason="重复")
    assert Payment.objects.get(pk=failed.pk).status == PaymentStatus.FAILED


def test_a_corrected_name_on_the_same_account_is_enough_once_verified(prep, appr):
    failed = f.failed_payment(prep, appr, reason="户名不符")
    f.verified_bank_change(failed.commitment.payee, account_name="郑州正确户名有限公司")
    retry = payment_retry(actor=prep, payment=failed)
    assert retry.payee_account == failed.payee_account and retry.payee_name == "郑州正确户名有限公司"


def test_cancelling_a_new_attempt_lets_the_failure_be_paid_again(prep, appr):
    failed = f.failed_payment(prep, appr)
    f.verified_bank_change(failed.commitment.payee, account_no="6217000033334444")
    first = payment_retry(actor=prep, payment=failed)
    payment_cancel(actor=prep, payment=first, reason="金额待核")
    second = payment_retry(actor=prep, payment=failed)
    assert second.attempt == 3 and second.reference.endswith("-3")


def test_the_new_attempt_is_approved_by_a_different_finance_user(prep, appr):
    failed = f.failed_payment(prep, appr)
    f.verified_bank_change(failed.commitment.payee, account_no="6217000055556666")
    other_prep = f.preparer()
    batch = batch_create(actor=other_prep, payments=[failed])
    retry = batch.payments.get()
    assert retry.prepared_by == other_prep and retry.retry_of == failed
    batch_submit(actor=other_prep, batch=batch)
    # the database refuses an approval by whoever prepared the new attempt
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=retry.pk).update(status=PaymentStatus.APPROVED, approved_by=other_prep)
    result, _replayed = batch_approve(actor=appr, batch=batch)
    assert result["approved"] == [retry.pk]
    batch.refresh_from_db()
    batch_send(actor=other_prep, batch=batch)
    assert AuditLog.objects.filter(action="batch.approve", data__payments=1).exists()
    assert Payment.objects.get(pk=retry.pk).status == PaymentStatus.SENT
    assert not AuditLog.objects.filter(action="payment.resend").exists()


def test_a_commitment_is_never_paid_more_than_its_amount(prep, appr):
    failed = f.failed_payment(prep, appr, amount="500.00")
    commitment = failed.commitment
    f.verified_bank_change(commitment.payee, account_no="6217000077778888")
    again = batch_create(actor=prep, payments=[failed])
    batch_submit(actor=prep, batch=again)
    batch_approve(actor=appr, batch=again)
    batch_send(actor=prep, batch=again)
    retry = again.payments.get()
    reconciliation_import(actor=prep, upload=f.return_file([f.return_row(Payment.objects.get(pk=retry.pk))]))
    from disbursements.selectors import commitment_totals

    scheduled, paid = commitment_totals(commitment.pk)
    assert paid == commitment.approved_amount == scheduled
    with pytest.raises(TransitionNotAllowed):
        payment_retry(actor=prep, payment=failed)
    with pytest.raises(ValidationError):
        payment_prepare(actor=prep, commitment=commitment)
    assert Payment.objects.filter(commitment=commitment, status=PaymentStatus.PAID).count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_preparers_retrying_at_once_make_one_attempt_paid_once(postgres, counties):
    prep, appr, appr2 = f.preparer(), f.approver(), f.approver()
    failed = f.failed_payment(prep, appr)
    f.verified_bank_change(failed.commitment.payee, account_no="6217000099990000")
    preparers = [f.preparer() for _ in range(3)]

    outcomes = race(lambda actor: payment_retry(actor=actor, payment=Payment.objects.get(pk=failed.pk)),
                    [(p,) for p in preparers])
    assert len([1 for kind, _v in outcomes if kind == "ok"]) == 1, outcomes
    assert all(isinstance(v, TransitionNotAllowed) for kind, v in outcomes if kind == "error")
    retry = Payment.objects.get(retry_of=failed)
    batch = batch_create(actor=prep, payments=[retry])
    batch_submit(actor=prep, batch=batch)

    def approve(actor):
        return batch_approve(actor=actor, batch=PaymentBatch.objects.get(pk=batch.pk), idempotency_key=uuid.uuid4())

    outcomes = race(approve, [(appr,), (appr2,), (appr,)])
    assert len([1 for kind, _v in outcomes if kind == "ok"]) == 1, outcomes
    assert AuditLog.objects.filter(action="payment.approve", object_id=str(retry.pk)).count() == 1
    batch_send(actor=prep, batch=PaymentBatch.objects.get(pk=batch.pk))
    row = f.return_row(Payment.objects.get(pk=retry.pk))
    first = reconciliation_import(actor=prep, upload=f.return_file([row]))
    second = reconciliation_import(actor=prep, upload=f.return_file([row]))
    assert (first.rows_paid, second.rows_paid, second.rows_unchanged) == (1, 0, 1)
    assert Payment.objects.filter(commitment=failed.commitment, status=PaymentStatus.PAID).count() == 1
    assert Payment.objects.get(pk=failed.pk).status == PaymentStatus.FAILED
