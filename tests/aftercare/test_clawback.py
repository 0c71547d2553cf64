"""Clawback after a failed acceptance: amount rules, four eyes, partial refunds booked as returned funds, overdue."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aftercare import selectors, services
from aftercare.models import Clawback
from aftercare.workflow import ClawbackStatus
from core import clock
from core.models import AuditLog, Notification
from core.workflow import TransitionNotAllowed
from disbursements.figures import budget_figures
from disbursements.models import BudgetEntry
from tests.factories import disbursements as f

from .test_services import submit

pytestmark = pytest.mark.django_db


def propose(city, acceptance, amount="300000.00", due=None):
    return services.clawback_propose(actor=city, acceptance_id=acceptance.pk, amount=Decimal(amount),
                                     reason="设备未购置", legal_basis="《专项资金管理办法》第二十条",
                                     refund_due=due or clock.today() + datetime.timedelta(days=30))


def test_the_amount_is_at_most_what_was_paid(opened, city):
    with pytest.raises(ValidationError) as caught:
        propose(city, opened, amount="400000.01")  # 400,000.00 paid
    assert "amount" in caught.value.error_dict
    with pytest.raises(ValidationError):
        services.clawback_propose(actor=city, acceptance_id=opened.pk, amount=Decimal("1"), reason=" ",
                                  legal_basis="", refund_due=clock.today())
    assert propose(city, opened, amount="400000.00").status == ClawbackStatus.PROPOSED


def test_no_clawback_without_the_citys_decision(project, owner, city):
    acceptance = submit(owner, project)
    with pytest.raises(TransitionNotAllowed):
        propose(city, acceptance)


def test_the_proposer_cannot_confirm_and_the_enterprise_hears_of_the_second_officers_decision(
        opened, city, city2, owner):
    clawback = propose(city, opened)
    assert Notification.objects.filter(recipient=city2, kind="clawback.propose").exists()
    with pytest.raises(TransitionNotAllowed):
        services.clawback_confirm(actor=city, clawback_id=clawback.pk)
    assert Clawback.objects.get().status == ClawbackStatus.PROPOSED
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        Clawback.objects.filter(pk=clawback.pk).update(confirmed_by=city)
    confirmed = services.clawback_confirm(actor=city2, clawback_id=clawback.pk, expected_version=clawback.version)
    assert confirmed.status == ClawbackStatus.CONFIRMED and confirmed.confirmed_by == city2
    told = Notification.objects.get(recipient=owner, kind="clawback.confirm")
    assert clawback.refund_due.strftime("%Y-%m-%d") in told.subject + told.body
    assert "30.00 万元" in told.body


def test_partial_refunds_are_returned_funds_of_the_year_and_never_more_than_the_clawback(opened, city, city2):
    clawback = propose(city, opened)
    services.clawback_confirm(actor=city2, clawback_id=clawback.pk)
    year = opened.commitment.fund_year
    paid_before = budget_figures(year).paid
    preparer = f.preparer()
    services.refund_record(actor=preparer, clawback_id=clawback.pk, received_on=clock.today(),
                           bank_reference="TK001", amount=Decimal("100000.00"))
    with pytest.raises(ValidationError) as caught:
        services.refund_record(actor=city, clawback_id=clawback.pk, received_on=clock.today(),
                               bank_reference="TK002", amount=Decimal("200000.01"))
    assert "amount" in caught.value.error_dict
    with pytest.raises(ValidationError):
        services.refund_record(actor=city, clawback_id=clawback.pk, received_on=clock.today(),
                               bank_reference="TK001", amount=Decimal("1.00"))
    figures = budget_figures(year)
    assert figures.returned == Decimal("100000.00") and figures.paid == paid_before  # not netted
    assert Clawback.objects.get().status == ClawbackStatus.CONFIRMED
    services.refund_record(actor=city, clawback_id=clawback.pk, received_on=clock.today(),
                           bank_reference="TK002", amount=Decimal("200000.00"))
    assert Clawback.objects.get().status == ClawbackStatus.REFUNDED
    assert list(BudgetEntry.objects.filter(kind=BudgetEntry.Kind.RETURNED).values_list("amount", flat=True)
                .order_by("amount")) == [Decimal("100000.00"), Decimal("200000.00")]
    assert AuditLog.objects.filter(action="clawback.refund").count() == 2
    assert AuditLog.objects.filter(action="clawback.settle").count() == 1
    totals = selectors.clawback_figures(year)
    assert (totals.count, totals.decided, totals.refunded, totals.outstanding) == (
        1, Decimal("300000.00"), Decimal("300000.00"), Decimal("0.00"))


def test_refunds_need_the_second_officers_decision_first(opened, city):
    clawback = propose(city, opened)
    with pytest.raises(TransitionNotAllowed):
        services.refund_record(actor=city, clawback_id=clawback.pk, received_on=clock.today(),
                               bank_reference="TK1", amount=Decimal("1.00"))


def test_overdue_clawbacks_are_listed_until_refunded(opened, city, city2):
    clawback = propose(city, opened, due=clock.today() + datetime.timedelta(days=5))
    services.clawback_confirm(actor=city2, clawback_id=clawback.pk)
    assert list(selectors.overdue_clawbacks(city)) == []
    later = clock.today() + datetime.timedelta(days=6)
    assert [c.pk for c in selectors.overdue_clawbacks(city, today=later)] == [clawback.pk]
    services.refund_record(actor=city, clawback_id=clawback.pk, received_on=clock.today(), bank_reference="R1",
                           amount=Decimal("299999.00"))
    assert selectors.overdue_clawbacks(city, today=later).get().refunded == Decimal("299999.00")
    services.refund_record(actor=city, clawback_id=clawback.pk, received_on=clock.today(), bank_reference="R2",
                           amount=Decimal("1.00"))
    assert list(selectors.overdue_clawbacks(city, today=later)) == []
    totals = selectors.clawback_figures(opened.commitment.fund_year)
    assert totals.outstanding == Decimal("0.00")


def test_the_city_dashboard_queues_clawbacks_to_confirm_and_overdue_refunds(opened, city, city2):
    from aftercare.dashboard import aftercare_dashboard

    clawback = propose(city, opened, due=clock.today() + datetime.timedelta(days=1))
    counts = {item.label: item.count for item in aftercare_dashboard(city2)}
    assert counts["待复核的资金追回"] == 1 and counts["逾期未退款"] == 0
    services.clawback_confirm(actor=city2, clawback_id=clawback.pk)
    Clawback.objects.filter(pk=clawback.pk).update(refund_due=clock.today() - datetime.timedelta(days=1))
    items = {item.label: item for item in aftercare_dashboard(city)}
    assert items["逾期未退款"].count == 1 and items["待复核的资金追回"].count == 0


def test_the_evaluation_report_states_the_clawbacks(opened, city, city2):
    from evaluation.report.context import build
    from tests.factories.evaluation import year_with_catalogue

    clawback = propose(city, opened)
    services.clawback_confirm(actor=city2, clawback_id=clawback.pk)
    year = year_with_catalogue(opened.commitment.fund_year)
    assert build(year)["clawbacks"].decided == Decimal("300000.00")
