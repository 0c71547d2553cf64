"""Finance on the dashboard: the preparer and the approver have different queues and no intake; the budget
execution figure names its denominator and charts the paid total month by month."""

import pytest

from core.dashboard import dashboard_for
from disbursements.services import batch_create, batch_submit
from tests.factories import disbursements as f

pytestmark = pytest.mark.django_db


def labels(user):
    return {str(item.label): item.count for item in dashboard_for(user).queue}


def test_preparer_and_approver_queues_differ():
    prep, appr = f.preparer(), f.approver()
    waiting = f.commitment()
    batch = batch_create(actor=prep, commitments=[f.commitment()])
    batch_submit(actor=prep, batch=batch)
    prepared = labels(prep)
    assert prepared["尚未安排拨付的核定项目"] == 1 and waiting.pk
    assert "待您审核的付款批次" not in prepared
    approving = labels(appr)
    assert approving["待您审核的付款批次"] == 1 and "尚未安排拨付的核定项目" not in approving
    for queue in (prepared, approving):
        assert not set(queue) & {"待受理", "县区已推荐", "待资格审核", "申请复审"}


def test_the_budget_figure_names_its_denominator_and_draws_the_months(client_for):
    from datetime import date
    from decimal import Decimal

    from disbursements.services import budget_entry_add

    year = f.commitment().fund_year
    budget_entry_add(actor=f.approver(), fund_year=year, kind="original", amount=Decimal("100000000"),
                     date=date(year, 1, 5), note="")
    figure = next(p for p in dashboard_for(f.preparer()).figures if "预算执行率" in str(p.title))
    assert "年初预算" in figure.title and "年初预算 10,000.00 万元" in figure.basis
    assert "1月" in figure.chart and "12月" in figure.chart
    assert "年初预算 10,000.00 万元" in figure.chart


def test_the_months_add_up_and_leave_the_future_empty():
    from datetime import date
    from decimal import Decimal

    from disbursements.dashboard import _months

    paid = [(date(2020, 12, 1), Decimal("10000")), (date(2021, 3, 1), Decimal("20000")),
            (date(2021, 5, 1), Decimal("30000"))]
    columns = _months(2021, paid, date(2021, 6, 15))
    values = [value for _label, value in columns]
    assert values[:6] == [Decimal("1.00"), Decimal("1.00"), Decimal("3.00"), Decimal("3.00"), Decimal("6.00"),
                          Decimal("6.00")]
    assert values[6:] == [None] * 6 and str(columns[0][0]) == "1月"
