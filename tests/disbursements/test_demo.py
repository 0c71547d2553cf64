"""The demo: idempotent, budget as dated entries, diagnosis programme, payments that add up to the target."""

from dataclasses import replace
from decimal import Decimal

import pytest

from accounts import demo as accounts_demo
from disbursements import demo
from disbursements.figures import budget_figures
from disbursements.models import BudgetEntry, Commitment, DiagnosisTarget, Payment, PaymentBatch
from disbursements.workflow import BatchStatus, ContractStatus, PaymentStatus
from tests.factories import disbursements as f
from tests.factories.applications import RoundFactory, category_with_rules

pytestmark = pytest.mark.django_db
FEE = demo.PLANS[2021].diagnosis_fee


def pay_until(monkeypatch, target):
    """The 2021 plan with another paid total."""
    monkeypatch.setitem(demo.PLANS, 2021, replace(demo.PLANS[2021], paid=target))


@pytest.fixture
def listed_2021():
    accounts_demo.seed()
    category = category_with_rules(round=RoundFactory(year=2021))
    return [f.budget_listed_application(round=category.round, category=category) for _ in range(8)]


def test_seed_pays_exactly_the_target_and_is_idempotent(listed_2021, monkeypatch):
    target = FEE + Decimal("7500000.00")  # 7.5 of the 8 awards of 1,000,000 (10% of 10M cap)
    pay_until(monkeypatch, target)
    demo.seed()
    figures = budget_figures(2021)
    assert figures.original == Decimal("580000000.00") and figures.received == Decimal("580000000.00")
    assert figures.adjusted == Decimal("580000000.00")
    assert figures.paid == target
    assert Commitment.objects.filter(fund_year=2021, application__isnull=False).count() == 8
    assert figures.committed == FEE + 8 * Commitment.objects.filter(
        application__isnull=False).first().approved_amount
    contract = Commitment.objects.get(contract__isnull=False).contract
    assert contract.status == ContractStatus.PAID
    assert DiagnosisTarget.objects.count() == 9  # every enterprise there is, up to 12
    assert not DiagnosisTarget.objects.filter(report="").exists()
    assert not PaymentBatch.objects.exclude(status=BatchStatus.RECONCILED).exists()
    assert Payment.objects.filter(commitment__due_date__isnull=True).count() == 0
    counts = (BudgetEntry.objects.count(), Commitment.objects.count(), Payment.objects.count(),
              PaymentBatch.objects.count(), DiagnosisTarget.objects.count())
    demo.seed()
    assert counts == (BudgetEntry.objects.count(), Commitment.objects.count(), Payment.objects.count(),
                      PaymentBatch.objects.count(), DiagnosisTarget.objects.count())
    assert budget_figures(2021).paid == target


def test_short_of_the_target_keeps_some_to_try_and_says_so(listed_2021):
    import io

    out = io.StringIO()
    demo.seed(stdout=out)
    assert "short of 52013万元" in out.getvalue()
    unpaid = Commitment.objects.filter(fund_year=2021, payments__isnull=True)
    assert unpaid.count() == 2  # a quarter of the 8 stay for the browser flow
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1 + 6


def test_the_stored_bank_files_agree_with_the_backdated_batches(listed_2021, monkeypatch):
    """The demo backdates its batches (2021): each stored bank file carries the batch's number and sending time
    as the batch page shows them, and the checksum kept with it still matches."""
    import hashlib
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import load_workbook

    pay_until(monkeypatch, FEE + Decimal("3000000.00"))
    demo.seed()
    batches = list(PaymentBatch.objects.order_by("pk"))
    assert len(batches) >= 2
    for batch in batches:
        sent = timezone.localtime(batch.sent_at)
        created = timezone.localtime(batch.created_at)
        assert sent.year == created.year == 2021 and created < sent
        content = batch.bank_file.read()
        assert hashlib.sha256(content).hexdigest() == batch.bank_file_sha256
        summary = dict(load_workbook(BytesIO(content)).worksheets[1].iter_rows(min_row=2, values_only=True))
        assert summary["批次号"] == batch.reference
        assert summary["生成时间"].replace(tzinfo=None) == sent.replace(tzinfo=None)
        assert batch.reference == f"PC{created:%Y%m%d}-{batch.pk:04d}"  # numbered on the day it was built
        assert batch.payments.exclude(sent_at=batch.sent_at).count() == 0


def test_one_payment_fails_and_is_paid_again_into_the_verified_account(listed_2021, monkeypatch):
    from accounts.models import BankAccountChange
    from accounts.roles import Role
    from tests.factories import UserFactory

    clerk = UserFactory(role=Role.ENTERPRISE, organisation=listed_2021[0].enterprise)
    target = FEE + Decimal("7500000.00")
    pay_until(monkeypatch, target)
    demo.seed()
    failed = Payment.objects.get(status=PaymentStatus.FAILED)
    assert failed.failure_code == "account_closed" and failed.failure_reason == "收款账户已销户"
    assert failed.commitment.payee == listed_2021[0].enterprise and str(failed.failed_on) == "2021-03-25"
    retry = Payment.objects.get(retry_of=failed)
    assert retry.status == PaymentStatus.PAID and str(retry.paid_on) == "2021-04-20" and retry.attempt == 2
    assert retry.prepared_at.date() > failed.failed_on
    assert retry.payee_account != failed.payee_account and retry.prepared_by != retry.approved_by
    change = BankAccountChange.objects.get(status="approved")
    assert change.requested_by == clerk and change.decided_by.role == Role.COUNTY
    assert change.decided_by.county_id == listed_2021[0].enterprise.county_id
    assert str(change.decided_at.date()) == "2021-04-01" and change.new_account_no == retry.payee_account
    assert budget_figures(2021).paid == target  # the failure changes nothing in the paid total
    assert not PaymentBatch.objects.exclude(status=BatchStatus.RECONCILED).exists()
