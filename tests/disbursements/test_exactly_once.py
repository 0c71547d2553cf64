"""Exactly once: idempotency keys return the first result; concurrent approvals on PostgreSQL approve once."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from disbursements.models import IdempotencyKey, Payment, PaymentBatch
from disbursements.services import batch_approve, batch_create, batch_send, batch_submit
from disbursements.workflow import BatchStatus, PaymentStatus
from tests.factories import disbursements as f
from tests.race import race


@pytest.mark.django_db
def test_replayed_key_returns_first_result_and_changes_nothing(prep, appr, commitment):
    batch = batch_create(actor=prep, commitments=[commitment])
    batch_submit(actor=prep, batch=batch)
    key = uuid.uuid4()
    first, replayed_first = batch_approve(actor=appr, batch=batch, idempotency_key=key)
    audit_count = AuditLog.objects.count()
    again, replayed = batch_approve(actor=appr, batch=batch, idempotency_key=key)
    assert (replayed_first, replayed) == (False, True)
    assert again == first and first["approved"] == list(batch.payments.values_list("pk", flat=True))
    assert AuditLog.objects.count() == audit_count
    batch.refresh_from_db()
    assert batch.version == 3  # created 1, submitted 2, approved 3: the replay did not bump it


@pytest.mark.django_db
def test_second_tab_with_another_key_is_refused(prep, appr, commitment):
    batch = batch_create(actor=prep, commitments=[commitment])
    batch_submit(actor=prep, batch=batch)
    batch_approve(actor=appr, batch=batch, idempotency_key=uuid.uuid4())
    with pytest.raises(TransitionNotAllowed) as info:
        batch_approve(actor=appr, batch=batch, idempotency_key=uuid.uuid4())
    assert "already approved" in str(info.value.message) or "已审核" in str(info.value.message)
    assert IdempotencyKey.objects.count() == 1  # the refused attempt left no key behind


@pytest.mark.django_db
def test_send_twice_sends_once(prep, appr, commitment):
    batch = f.approved_batch(prep, appr, [commitment])
    key = uuid.uuid4()
    first, _ = batch_send(actor=prep, batch=batch, idempotency_key=key)
    second, replayed = batch_send(actor=prep, batch=batch, idempotency_key=key)
    assert replayed and second == first
    with pytest.raises(TransitionNotAllowed):
        batch_send(actor=prep, batch=batch, idempotency_key=uuid.uuid4())
    assert AuditLog.objects.filter(action="payment.send").count() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SENT and batch.bank_file_sha256 == first["sha256"]


@pytest.mark.django_db
def test_key_reused_for_another_action_is_refused(prep, appr, commitment):
    batch = f.approved_batch(prep, appr, [commitment])
    other = f.approved_batch(prep, appr, [f.commitment("10.00")])
    key = uuid.uuid4()
    batch_send(actor=prep, batch=batch, idempotency_key=key)
    with pytest.raises(ValidationError):
        batch_send(actor=prep, batch=other, idempotency_key=key)
    other.refresh_from_db()
    assert other.status == BatchStatus.APPROVED


@pytest.mark.django_db
def test_malformed_key_is_refused(prep, appr, commitment):
    batch = batch_create(actor=prep, commitments=[commitment])
    batch_submit(actor=prep, batch=batch)
    with pytest.raises(ValidationError):
        batch_approve(actor=appr, batch=batch, idempotency_key="not-a-uuid")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_approve_exactly_once(postgres, counties):
    prep, appr, appr2 = f.preparer(), f.approver(), f.approver()
    commitments = [f.commitment("1000.00"), f.commitment("2000.00")]
    batch = batch_create(actor=prep, commitments=commitments)
    batch_submit(actor=prep, batch=batch)
    same_key = uuid.uuid4()

    def approve(actor, key):
        return batch_approve(actor=actor, batch=PaymentBatch.objects.get(pk=batch.pk), idempotency_key=key)

    # double clicks (same key), two tabs (own keys) and a second approver, all at once
    outcomes = race(approve, [(appr, same_key), (appr, same_key), (appr, same_key), (appr, uuid.uuid4()),
                               (appr, uuid.uuid4()), (appr2, uuid.uuid4())])
    oks = [value for kind, value in outcomes if kind == "ok"]
    errors = [value for kind, value in outcomes if kind == "error"]
    assert len(outcomes) == 6
    assert all(isinstance(e, TransitionNotAllowed) for e in errors), errors
    first_runs = [result for result, replayed in oks if not replayed]
    assert len(first_runs) == 1
    assert all(result == first_runs[0] for result, _replayed in oks)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    assert Payment.objects.filter(batch=batch, status=PaymentStatus.APPROVED).count() == 2
    assert AuditLog.objects.filter(action="batch.approve").count() == 1
    assert AuditLog.objects.filter(action="payment.approve").count() == 2


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_send_exactly_once(postgres, counties):
    prep, appr = f.preparer(), f.approver()
    batch = f.approved_batch(prep, appr, [f.commitment("1000.00")])

    def send(key):
        return batch_send(actor=prep, batch=PaymentBatch.objects.get(pk=batch.pk), idempotency_key=key)

    key = uuid.uuid4()
    outcomes = race(send, [(key,), (key,), (uuid.uuid4(),), (uuid.uuid4(),)])
    oks = [value for kind, value in outcomes if kind == "ok"]
    assert len([1 for _result, replayed in oks if not replayed]) == 1
    assert AuditLog.objects.filter(action="payment.send").count() == 1
    assert AuditLog.objects.filter(action="batch.send").count() == 1
    assert Payment.objects.get(batch=batch).status == PaymentStatus.SENT


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_preparation_never_exceeds_the_approved_amount(postgres, counties):
    preparers = [f.preparer() for _ in range(4)]
    commitment = f.commitment("1000.00")
    from disbursements.services import payment_prepare

    outcomes = race(lambda actor: payment_prepare(actor=actor, commitment=commitment, amount="600.00"),
                     [(p,) for p in preparers])
    assert len([1 for kind, _v in outcomes if kind == "ok"]) == 1
    assert [v.code for kind, v in outcomes if kind == "error"] == ["exceeds"] * 3
    assert Payment.objects.filter(commitment=commitment).count() == 1
