"""One budget execution rate: the official's dashboard, indicator 1, the report and the indicator table (XLSX) show
the same figure, each labelled with the same denominator (年初预算); the dashboard's second rate names its own."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from disbursements.figures import BudgetBasis, budget_figures
from disbursements.models import Payment
from disbursements.services import budget_entry_add, payment_prepare
from disbursements.workflow import PaymentStatus
from evaluation import exports
from evaluation.computed import compute
from evaluation.report import context as report_context
from evaluation.report.render import report_html
from tests.factories import disbursements as f
from tests.factories.evaluation import year_with_catalogue

pytestmark = pytest.mark.django_db
D = Decimal

INDICATOR_LABEL = "预算执行率（实际支出 ÷ 年初预算）"
ADJUSTED_LABEL = "预算执行率（实际支出 ÷ 调整预算）"


@pytest.fixture
def fund_year():
    """The 2021 figures: 年初预算 58000万元 less a 1000万元 adjustment, 52013万元 paid (89.68 % / 91.25 %)."""
    prep, appr = f.preparer(), f.approver()
    commitment = f.commitment("530000000.00")
    year = commitment.fund_year
    budget_entry_add(actor=prep, fund_year=year, kind="original", amount="580000000.00", date=date(year, 1, 15))
    budget_entry_add(actor=appr, fund_year=year, kind="adjustment", amount="-10000000.00", date=date(year, 7, 1))
    budget_entry_add(actor=prep, fund_year=year, kind="received", amount="580000000.00", date=date(year, 3, 1))
    payment = payment_prepare(actor=prep, commitment=commitment, amount="520130000.00")
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.PAID, approved_by=appr,
                                                 paid_on=date(year, 8, 1), bank_reference="B-1")
    return year


def test_one_definition_two_named_denominators(fund_year):
    figures = budget_figures(fund_year)
    indicator, adjusted = figures.execution(), figures.execution(BudgetBasis.ADJUSTED)
    assert (indicator.budget, indicator.paid, indicator.percent) == (D("580000000.00"), D("520130000.00"), D("89.68"))
    assert (adjusted.budget, adjusted.percent) == (D("570000000.00"), D("91.25"))
    with translation.override("zh-hans"):
        assert (indicator.label, adjusted.label) == (INDICATOR_LABEL, ADJUSTED_LABEL)


def test_dashboard_indicator_report_and_xlsx_agree(fund_year, client_for):
    year = year_with_catalogue(fund_year)

    page = client_for(Role.OFFICIAL).get(reverse("core:dashboard")).content.decode()
    assert f"{fund_year}年{INDICATOR_LABEL}" in page
    assert "89.68%" in page
    assert f"{ADJUSTED_LABEL}：91.25%" in page  # the other rate, labelled with its own denominator

    with translation.override("zh-hans"):
        result = compute("budget_execution_rate", year)
        context = report_context.build(year)
        html = report_html(context)
        money = context["money"]
        xlsx = exports.self_evaluation_xlsx(year, context["result"], (money["figures"], money["note"]))
    assert result.actual == D("89.68")
    assert dict(result.inputs)["预算口径"] == "年初预算"
    assert dict(result.inputs)["预算数（万元）"] == "58,000.00"

    assert f"{INDICATOR_LABEL}为89.68%" in html
    assert "91.25" not in html

    sheet = load_workbook(BytesIO(xlsx)).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    funds = next(row for row in rows if row and row[0] == "项目资金（万元）")
    assert funds[funds.index(INDICATOR_LABEL) + 1] == "89.68%"
    indicator_row = next(row for row in rows if row and row[0] == 1)
    assert "预算执行率" in indicator_row and any("89.68" in str(cell) for cell in indicator_row)
