"""The judged indicators of how the funds were used (5 资金使用规范性, 6 财务监控有效性) show what the platform
recorded after the money: the acceptance rate of the projects due, the clawbacks decided, refunded and outstanding."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from aftercare import services as aftercare
from aftercare.workflow import Action
from core import clock
from evaluation.computed.indicators import funds_use
from tests.factories import disbursements as f
from tests.factories.accounts import UserFactory
from tests.factories.applications import RoundFactory, category_with_rules, enterprise_user
from tests.factories.evaluation import year_with_catalogue

pytestmark = pytest.mark.django_db


def _inspected(project, recommendation):
    acceptance = aftercare.report_submit(actor=enterprise_user(project.application), commitment_id=project.pk,
                                         actual_investment=Decimal(1000), invoice_amount=Decimal(1000),
                                         equipment_list="加工中心 2台")
    county = UserFactory(role=Role.COUNTY, county=project.county)
    return aftercare.inspection_record(actor=county, acceptance_id=acceptance.pk, visit_date=clock.today(),
                                       inspectors="验收组", findings="现场核查", recommendation=recommendation)


@pytest.fixture
def records():
    """Three funded projects of one fund year: one accepted, one clawed back (half refunded), one not yet due."""
    category = category_with_rules(round=RoundFactory(year=2031))
    long_ago = clock.today() - timedelta(days=800)
    accepted, failed = (f.paid_commitment(paid_on=long_ago, category=category) for _ in range(2))
    f.paid_commitment(paid_on=clock.today(), category=category)
    city, city2 = UserFactory.for_role(Role.CITY), UserFactory.for_role(Role.CITY)
    aftercare.decide(actor=city, acceptance_id=_inspected(accepted, "pass").pk, action=Action.ACCEPT)
    acceptance = _inspected(failed, "fail")
    aftercare.decide(actor=city, acceptance_id=acceptance.pk, action=Action.CLAWBACK, note="未按申报内容实施")
    clawback = aftercare.clawback_propose(actor=city, acceptance_id=acceptance.pk, amount=Decimal("200000"),
                                          reason="主体设备未购置", legal_basis="管理办法第二十二条",
                                          refund_due=clock.today() + timedelta(days=30))
    aftercare.clawback_confirm(actor=city2, clawback_id=clawback.pk)
    aftercare.refund_record(actor=city, clawback_id=clawback.pk, received_on=clock.today(),
                            bank_reference="TK001", amount=Decimal("50000"))
    return year_with_catalogue(accepted.fund_year)


def test_the_acceptance_rate_and_the_clawbacks_of_the_year(records):
    with translation.override("zh-hans"):
        result = funds_use(records)
    inputs = dict(result.inputs)
    assert result.actual == Decimal("50.00")  # one of the two projects due was accepted
    assert inputs["获拨付项目 / 应验收 / 已通过验收"] == "3 / 2 / 1"
    assert inputs["决定追回项目数"] == "1"
    assert inputs["追回金额"] == "20.00 万元" and inputs["已退回（收回资金）"] == "5.00 万元"
    assert inputs["尚未退回"] == "15.00 万元"


def test_indicators_5_and_6_show_them_and_the_others_do_not(client_for, records):
    client = client_for(Role.CITY)
    for number in (5, 6):
        page = client.get(reverse("evaluation:indicator_detail", args=[records.year, number])).content.decode()
        assert "资金使用情况：项目验收与资金追回" in page and "50 %" in page and "3 / 2 / 1" in page
        assert reverse("aftercare:overdue") in page
    other = client.get(reverse("evaluation:indicator_detail", args=[records.year, 7])).content.decode()
    assert "资金使用情况" not in other


def test_a_year_with_nothing_due_says_so():
    year = year_with_catalogue(2035)
    with translation.override("zh-hans"):
        result = funds_use(year)
    assert result.actual is None and "2035 年度获拨付项目尚未到验收期限" in result.missing_reason
