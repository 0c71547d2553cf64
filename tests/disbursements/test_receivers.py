"""disbursements.receivers: the finance approver's approval of a support list makes its entries payable
through the reviews signal, in the approval's transaction (all or nothing)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from applications.workflow import Status
from core.models import AuditLog
from disbursements import receivers
from disbursements.models import Commitment
from reviews.models import SupportListEntry
from reviews.services.support import support_list_approve, support_list_submit
from reviews.signals import support_entry_approved
from tests.factories import UserFactory
from tests.factories.reviews import draft_support_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_list():
    city = UserFactory(role=Role.CITY)
    support_list = draft_support_list(city, entries=2)
    return support_list_submit(actor=city, support_list=support_list)


def test_disbursements_connects_its_receiver_at_start_up():
    assert support_entry_approved.has_listeners(SupportListEntry)
    connected = [r() if callable(r) else r for _key, r, *_rest in support_entry_approved.receivers]
    assert receivers.commit_approved_entry in connected


def test_approval_creates_one_commitment_per_entry(submitted_list):
    approver = UserFactory(role=Role.FINANCE_APPROVER)
    support_list_approve(actor=approver, support_list=submitted_list)
    entries = list(submitted_list.entries.select_related("application"))
    commitments = {c.application_id: c for c in Commitment.objects.all()}
    assert set(commitments) == {e.application_id for e in entries}
    for entry in entries:
        commitment = commitments[entry.application_id]
        assert (commitment.approved_amount, commitment.approved_by, commitment.payee_id) == (
            entry.amount, approver, entry.application.enterprise_id)
        entry.application.refresh_from_db()
        assert entry.application.status == Status.BUDGET_LISTED
    assert AuditLog.objects.filter(action="commitment.create").count() == 2


def test_a_failing_receiver_rolls_the_whole_approval_back(submitted_list, monkeypatch):
    calls = []

    def fail_on_second(**kwargs):  # the first entry's commitment is written, then the second one fails
        calls.append(kwargs["application"].pk)
        if len(calls) == 2:
            raise ValidationError("银行账户核验失败", code="bank")
        return real(**kwargs)

    real = receivers.commitment_create_for_application
    monkeypatch.setattr(receivers, "commitment_create_for_application", fail_on_second)
    with pytest.raises(ValidationError, match="银行账户核验失败"):
        support_list_approve(actor=UserFactory(role=Role.FINANCE_APPROVER), support_list=submitted_list)
    assert len(calls) == 2
    submitted_list.refresh_from_db()
    assert (submitted_list.status, submitted_list.approved_by) == ("submitted", None)
    assert not Commitment.objects.exists()
    assert not AuditLog.objects.filter(action__in=("support_list.approve", "commitment.create")).exists()
    statuses = {e.application.status for e in submitted_list.entries.select_related("application")}
    assert statuses == {Status.PUBLICITY_PASSED}
