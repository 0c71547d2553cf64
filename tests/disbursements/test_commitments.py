"""commitment_create_for_application: the entry point the reviews app calls when finance approves the list."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import Role
from applications.workflow import Status
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from disbursements.models import Commitment, PaymentRule
from disbursements.services import commitment_create_for_application, due_date_for, payment_rule_set
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import application_in

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
APPROVED = datetime(2021, 1, 8, 10, 0, tzinfo=SHANGHAI)


def test_creates_one_commitment_with_payee_county_year_and_due_date(appr):
    application = f.budget_listed_application()
    commitment = commitment_create_for_application(actor=appr, application=application, amount=Decimal("850000.00"),
                                                   approved_at=APPROVED)
    assert commitment.payee == application.enterprise and commitment.county == application.county
    assert commitment.fund_year == application.round.year
    assert commitment.approved_amount == Decimal("850000.00") and commitment.approved_by == appr
    assert commitment.due_date == date(2021, 3, 9)  # default: 60 calendar days after the approval
    assert AuditLog.objects.filter(action="commitment.create", object_id=str(commitment.pk)).count() == 1


def test_same_call_again_returns_the_same_commitment(appr):
    application = f.budget_listed_application()
    first = commitment_create_for_application(actor=appr, application=application, amount="100.00",
                                              approved_at=APPROVED)
    again = commitment_create_for_application(actor=appr, application=application, amount="100.00",
                                              approved_at=APPROVED)
    assert again.pk == first.pk and Commitment.objects.count() == 1
    with pytest.raises(ValidationError) as info:
        commitment_create_for_application(actor=appr, application=application, amount="200.00", approved_at=APPROVED)
    assert info.value.code == "exists"
    assert Commitment.objects.get().approved_amount == Decimal("100.00")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.QUALIFIED, Status.PAID])
def test_only_approved_applications(appr, status):
    with pytest.raises(TransitionNotAllowed):
        commitment_create_for_application(actor=appr, application=application_in(status), amount="1.00",
                                          approved_at=APPROVED)
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.COUNTY, Role.EXPERT, Role.AUDITOR, Role.OFFICIAL])
def test_roles_that_may_not_commit(role):
    with pytest.raises(TransitionNotAllowed):
        commitment_create_for_application(actor=UserFactory.for_role(role), application=f.budget_listed_application(),
                                          amount="1.00", approved_at=APPROVED)


@pytest.mark.parametrize("amount", ["-1", "0", "0.005"])
def test_bad_amount(appr, amount):
    with pytest.raises(ValidationError):
        commitment_create_for_application(actor=appr, application=f.budget_listed_application(), amount=amount,
                                          approved_at=APPROVED)


def test_naive_time_is_refused(appr):
    with pytest.raises(ValidationError):
        commitment_create_for_application(actor=appr, application=f.budget_listed_application(), amount="1.00",
                                          approved_at=datetime(2021, 1, 8, 10))


def test_database_allows_exactly_one_source(appr):
    commitment = f.commitment("10.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(application=None)


def test_due_date_rule_working_days_and_recompute(appr):
    commitment = f.commitment("10.00", approved_at=APPROVED)
    year = commitment.fund_year
    rule, changed = payment_rule_set(actor=appr, fund_year=year, days=10, basis=PaymentRule.Basis.WORKING)
    commitment.refresh_from_db()
    # 2021-01-08 (Fri) + 10 working days: 11-15, 18-22 January
    assert commitment.due_date == date(2021, 1, 22) and changed == 1
    assert due_date_for(year, APPROVED, rule=PaymentRule(fund_year=year, days=30)) == date(2021, 2, 7)
    _rule, changed = payment_rule_set(actor=appr, fund_year=year, days=10, basis=PaymentRule.Basis.WORKING)
    assert changed == 0
    assert AuditLog.objects.filter(action="payment_rule.set").count() == 2
