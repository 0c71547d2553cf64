"""Budget figures (separate dated entries; committed and paid derived) and the timeliness arithmetic."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.workflow import TransitionNotAllowed
from disbursements.figures import budget_by_category, budget_by_county, budget_figures, payment_timeliness
from disbursements.models import BudgetEntry, Commitment, Payment
from disbursements.services import budget_entry_add, payment_prepare
from disbursements.workflow import PaymentStatus
from tests.factories import UserFactory
from tests.factories import disbursements as f

pytestmark = pytest.mark.django_db
D = Decimal


def _paid(commitment, prep, appr, amount, paid_on, ref):
    payment = payment_prepare(actor=prep, commitment=commitment, amount=amount)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.PAID, approved_by=appr, paid_on=paid_on,
                                                 bank_reference=ref)
    return payment


def test_figures_add_up_from_entries_commitments_and_payments(prep, appr):
    c1 = f.commitment("300000000.00")
    year = c1.fund_year
    budget_entry_add(actor=prep, fund_year=year, kind="original", amount="580000000.00", date=date(year, 1, 15))
    budget_entry_add(actor=appr, fund_year=year, kind="adjustment", amount="-30000000.00", date=date(year, 6, 1))
    budget_entry_add(actor=prep, fund_year=year, kind="adjustment", amount="10000000.00", date=date(year, 9, 1))
    budget_entry_add(actor=prep, fund_year=year, kind="received", amount="200000000.00", date=date(year, 3, 31))
    c2 = f.sibling(c1, "250000000.00")
    _paid(c1, prep, appr, "200000000.00", date(year, 5, 1), "B1")
    _paid(c2, prep, appr, "50000000.00", date(year, 5, 2), "B2")
    payment_prepare(actor=prep, commitment=c2, amount="1000.00")  # pending: committed, not paid
    figures = budget_figures(year)
    assert figures.original == D("580000000.00")
    assert figures.adjustments == D("-20000000.00")
    assert figures.adjusted == D("560000000.00")
    assert figures.received == D("200000000.00")
    assert figures.committed == D("550000000.00")
    assert figures.paid == D("250000000.00")
    assert figures.execution().rate == D("0.4310")  # 250 / 580, the original budget (the indicator's)
    assert figures.execution("adjusted").rate == D("0.4464")  # 250 / 560
    assert figures.uncommitted == D("10000000.00")
    assert BudgetEntry.objects.filter(fund_year=year).count() == 4  # every figure kept, none overwritten
    by_category = budget_by_category(year)
    assert [(r["committed"], r["paid"], r["count"]) for r in by_category] == [
        (D("550000000.00"), D("250000000.00"), 2)]
    assert budget_by_county(year)[0]["label"] == c1.county.name
    assert budget_figures(year + 50).paid == D("0.00") and budget_figures(year + 50).execution().rate is None



def test_todays_figures_and_figures_as_of_a_day_agree(prep, appr):
    """The figures as of today run prepared statements, those as of a day are built afresh: the same sums, the
    same zeros for a year with commitments but no entry, and for a year with nothing."""
    c1 = f.commitment("300000000.00")
    year = c1.fund_year
    budget_entry_add(actor=prep, fund_year=year, kind="original", amount="580000000.00", date=date(year, 1, 15))
    budget_entry_add(actor=prep, fund_year=year, kind="returned", amount="1000.00", date=date(year, 2, 1))
    _paid(c1, prep, appr, "200000000.00", date(year, 5, 1), "B1")
    bare = f.sibling(c1, "1000.00")
    Commitment.objects.filter(pk=bare.pk).update(fund_year=year + 1)  # committed, no budget entry
    for shown in (year, year + 1, year + 7):
        today, dated = budget_figures(shown), budget_figures(shown, as_of=date(shown + 1, 12, 31))
        assert today == dated, shown
    assert budget_figures(year).paid == D("200000000.00") and budget_figures(year).returned == D("1000.00")
    assert budget_figures(year + 1).recorded is False and budget_figures(year + 1).committed == D("1000.00")

def test_2021_seed_arithmetic():
    from disbursements.figures import BudgetFigures

    figures = BudgetFigures(2021, D("580000000.00"), D("0.00"), D("580000000.00"), D("580000000.00"),
                            D("530000000.00"), D("520130000.00"))
    assert figures.execution().rate == D("0.8968")  # 52013 / 58000 = 89.68 %
    assert figures.execution().percent == D("89.68")
    assert figures.received_rate == D("1.0000")


@pytest.mark.parametrize(("kind", "amount"), [("original", "-1.00"), ("received", "-5.00"), ("original", "1.001")])
def test_bad_budget_entries_are_refused(prep, kind, amount):
    with pytest.raises(ValidationError):
        budget_entry_add(actor=prep, fund_year=2021, kind=kind, amount=amount, date=date(2021, 1, 1))
    assert not BudgetEntry.objects.exists()


def test_database_refuses_negative_original(prep):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetEntry.objects.create(fund_year=2021, kind="original", amount=-1, date=date(2021, 1, 1), created_by=prep)


def test_only_finance_records_budget():
    with pytest.raises(TransitionNotAllowed):
        budget_entry_add(actor=UserFactory.for_role("city"), fund_year=2021, kind="original", amount="1.00",
                         date=date(2021, 1, 1))


def test_timeliness_counts_paid_on_or_before_due(prep, appr):
    c1 = f.commitment("100.00")
    c2, c3 = f.sibling(c1, "100.00"), f.sibling(c1, "100.00")
    year = c1.fund_year
    due = c1.due_date
    on_due = _paid(c1, prep, appr, "50.00", due, "R1")                       # on the due date: on time
    early = _paid(c1, prep, appr, "50.00", due - timedelta(days=3), "R2")    # before: on time
    late = _paid(c2, prep, appr, "100.00", c2.due_date + timedelta(days=1), "R3")  # a day late
    payment_prepare(actor=prep, commitment=c3)                                # not paid: not counted
    result = payment_timeliness(year)
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.rate == D("0.6667") and result.percent == D("66.67")
    assert result.on_time_ids == sorted([on_due.pk, early.pk]) and result.late_ids == [late.pk]
    assert result.payment_ids == sorted([on_due.pk, early.pk, late.pk])
    empty = payment_timeliness(year + 40)
    assert (empty.numerator, empty.denominator, empty.rate, empty.payment_ids) == (0, 0, None, [])
