"""Tests generated from the transition tables: every allowed move works, every other move is refused."""

import pytest

from accounts.roles import Role
from core.models import AuditLog
from core.workflow import TransitionNotAllowed, moves, transition
from disbursements.models import Payment, PaymentBatch
from disbursements.workflow import BATCH_TRANSITIONS, PAYMENT_TRANSITIONS, BatchStatus, PaymentStatus
from tests.factories import UserFactory
from tests.factories import disbursements as f

pytestmark = pytest.mark.django_db


def _payment(status, prep, appr):
    commitment = f.commitment("100.00")
    payment = Payment.objects.create(
        commitment=commitment, tranche=1, reference=f"T-{commitment.pk}", amount=100, purpose="p", payee_name="n",
        payee_bank="b", payee_account="12345678", prepared_by=prep, status=status,
        approved_by=None if status in (PaymentStatus.PENDING, PaymentStatus.CANCELLED) else appr,
        paid_on="2021-06-30" if status == PaymentStatus.PAID else None,
        bank_reference="BK1" if status == PaymentStatus.PAID else "",
        failure_code="account_closed" if status == PaymentStatus.FAILED else "",
        failed_on="2021-06-30" if status == PaymentStatus.FAILED else None)
    return payment


@pytest.mark.parametrize("move", moves(PAYMENT_TRANSITIONS), ids=lambda m: f"{m.source}-{m.action}")
def test_every_allowed_payment_move_works(move, prep, appr):
    actor = UserFactory.for_role(next(iter(move.roles)))
    payment = _payment(move.source, prep, appr)
    extra = {"approved_by": appr} if move.action == "approve" else {}
    if move.target == PaymentStatus.PAID:
        extra = {"paid_on": "2021-07-01", "bank_reference": "BK2"}
    if move.target == PaymentStatus.FAILED:
        extra = {"failure_code": "name_mismatch", "failed_on": "2021-07-01"}
    transition(payment, move.action, actor=actor, table=PAYMENT_TRANSITIONS, extra_updates=extra)
    payment.refresh_from_db()
    assert payment.status == move.target
    assert AuditLog.objects.filter(object_id=str(payment.pk), action=move.action, to_state=move.target).exists()


@pytest.mark.parametrize("status", PaymentStatus.values)
def test_every_other_payment_move_is_refused(status, prep, appr):
    payment = _payment(status, prep, appr)
    for role in Role:
        actor = UserFactory.for_role(role)
        for action in {m.action for m in moves(PAYMENT_TRANSITIONS)}:
            entry = PAYMENT_TRANSITIONS.get((status, action))
            if entry and role in entry[1]:
                continue
            with pytest.raises(TransitionNotAllowed):
                transition(payment, action, actor=actor, table=PAYMENT_TRANSITIONS)
            payment.refresh_from_db()
            assert payment.status == status


@pytest.mark.parametrize("move", moves(BATCH_TRANSITIONS), ids=lambda m: f"{m.source}-{m.action}")
def test_every_allowed_batch_move_and_nothing_else(move, prep, appr):
    batch = PaymentBatch.objects.create(created_by=prep, status=move.source)
    for role in Role:
        if role in move.roles:
            continue
        with pytest.raises(TransitionNotAllowed):
            transition(batch, move.action, actor=UserFactory.for_role(role), table=BATCH_TRANSITIONS)
    transition(batch, move.action, actor=UserFactory.for_role(next(iter(move.roles))), table=BATCH_TRANSITIONS)
    batch.refresh_from_db()
    assert batch.status == move.target
    for status in set(BatchStatus.values) - {move.source}:
        batch.status = status
        batch.save()
        if (status, move.action) not in BATCH_TRANSITIONS:
            with pytest.raises(TransitionNotAllowed):
                transition(batch, move.action, actor=UserFactory.for_role(next(iter(move.roles))),
                           table=BATCH_TRANSITIONS)


def test_a_failed_payment_is_never_sent_again_by_a_transition():
    """A failure is final for its attempt: the only way out of FAILED is cancelling it (a retry is a new row)."""
    assert {(s, a) for (s, a) in PAYMENT_TRANSITIONS if s == PaymentStatus.FAILED} == {
        (PaymentStatus.FAILED, "cancel")}
    assert all(target != PaymentStatus.SENT for (source, _a), (target, _r) in PAYMENT_TRANSITIONS.items()
               if source != PaymentStatus.APPROVED)


def test_the_database_refuses_a_failure_without_its_reason_and_date(prep, appr):
    from django.db import IntegrityError, transaction

    payment = _payment(PaymentStatus.SENT, prep, appr)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)
