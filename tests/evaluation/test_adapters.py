"""The evaluation adapters on a small hand-built cycle with known answers (applications, reviews and
disbursements records created directly: the services' own tests cover how they get there)."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from applications.models import QualificationDecision
from applications.workflow import Status
from disbursements.models import BudgetEntry, Commitment, Payment
from disbursements.workflow import PaymentStatus
from evaluation.computed import adapters
from reviews.models import Panel, Publicity, SupportList, SupportListEntry
from reviews.workflow import PublicityStatus, SupportListStatus
from tests.factories import UserFactory
from tests.factories.applications import (
    ApplicationFactory,
    ProfiledEnterpriseFactory,
    RoundFactory,
    attach_required,
    category_with_rules,
    enterprise_user,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2031


def at(day):
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)


@pytest.fixture
def cycle():
    city = UserFactory(role="city")
    prep, appr = UserFactory(role="finance_preparer"), UserFactory(role="finance_approver")
    round_ = RoundFactory(year=YEAR, notice_date=date(2030, 9, 10), opens_at=at(date(2030, 10, 1)),
                          closes_at=at(date(2030, 10, 31)), county_deadline=date(2030, 11, 10),
                          expert_review_date=date(2030, 11, 20), audit_date=date(2030, 11, 30),
                          publicity_date=date(2030, 12, 10), budget_listing_date=date(2030, 12, 31))
    smart = category_with_rules(round=round_, name="智能化改造", is_three_upgrades=True)
    green = category_with_rules(round=round_, name="绿色制造体系", is_three_upgrades=False,
                                is_green_manufacturing=True)
    e1, e2 = ProfiledEnterpriseFactory(), ProfiledEnterpriseFactory()
    a1 = ApplicationFactory(category=smart, round=round_, enterprise=e1, forwarded_at=at(date(2030, 11, 5)))
    attach_required(a1, enterprise_user(a1))  # files go in while it is a draft
    type(a1).objects.filter(pk=a1.pk).update(status=Status.BUDGET_LISTED)
    a2 = ApplicationFactory(category=smart, round=round_, enterprise=e2, status=Status.BUDGET_LISTED,
                            forwarded_at=at(date(2030, 11, 12)))  # forwarded after the county deadline
    a3 = ApplicationFactory(category=green, round=round_, enterprise=e1, status=Status.BUDGET_LISTED)
    a4 = ApplicationFactory(category=smart, round=round_, enterprise=e2, status=Status.DISQUALIFIED)
    decide = QualificationDecision.objects.create
    Decision = QualificationDecision.Decision
    decide(application=a1, decision=Decision.QUALIFIED, actor=city)
    decide(application=a2, decision=Decision.QUALIFIED, actor=city)
    decide(application=a2, decision=Decision.DISQUALIFIED, reasons="重复申报", actor=city)
    decide(application=a3, decision=Decision.DISQUALIFIED, reasons="材料不全", actor=city)
    decide(application=a3, decision=Decision.QUALIFIED, reasons="复审补正后符合条件", is_re_review=True, actor=city)
    decide(application=a4, decision=Decision.DISQUALIFIED, reasons="", actor=city)  # no reason: not compliant
    Panel.objects.create(round=round_, category=smart, name="智能化改造组", closed_at=at(date(2030, 11, 18)))
    Publicity.objects.create(round=round_, title="公示", starts_on=date(2030, 12, 8), working_days=5,
                             ends_on=date(2030, 12, 15), status=PublicityStatus.CLOSED,
                             published_at=at(date(2030, 12, 8)))
    support = SupportList.objects.create(round=round_, fund_year=YEAR, title="支持名单", approved_by=appr,
                                         status=SupportListStatus.APPROVED, approved_at=at(date(2031, 1, 5)))
    for app, amount in ((a1, "1000000"), (a2, "2000000"), (a3, "3000000")):
        SupportListEntry.objects.create(support_list=support, application=app, amount=D(amount),
                                        enterprise_name=app.enterprise.name, project_name=app.project_name,
                                        category_name=app.category.name)
    BudgetEntry.objects.create(fund_year=YEAR, kind=BudgetEntry.Kind.ORIGINAL, amount=D("10000000"),
                               date=date(2031, 1, 1), created_by=city)
    BudgetEntry.objects.create(fund_year=YEAR, kind=BudgetEntry.Kind.ADJUSTMENT, amount=D("-2000000"),
                               date=date(2031, 6, 1), created_by=city)
    BudgetEntry.objects.create(fund_year=YEAR, kind=BudgetEntry.Kind.RECEIVED, amount=D("6000000"),
                               date=date(2031, 3, 1), created_by=city)

    def pay(app, amount, paid_on, due):
        c = Commitment.objects.create(application=app, payee=app.enterprise, purpose="奖补", approved_by=appr,
                                      approved_amount=D(amount), fund_year=YEAR, approved_at=at(date(2031, 1, 5)),
                                      due_date=due)
        Payment.objects.create(commitment=c, tranche=1, reference=f"P{app.pk}", amount=D(amount), purpose="奖补",
                               status=PaymentStatus.PAID, payee_name=app.enterprise.name, payee_bank="工行",
                               payee_account="1", prepared_by=prep, approved_by=appr, paid_on=paid_on,
                               bank_reference=f"B{app.pk}")

    pay(a1, "1000000", date(2031, 3, 1), due=date(2031, 4, 1))  # on time
    pay(a3, "3000000", date(2031, 8, 1), due=date(2031, 4, 1))  # late
    return {"round": round_, "apps": (a1, a2, a3, a4), "e1": e1, "e2": e2}


def test_budget_figures(cycle):
    figures = adapters.budget_figures(YEAR)
    assert (figures.original, figures.adjusted, figures.received, figures.spent) == (
        D("10000000"), D("8000000"), D("6000000"), D("4000000"))
    mid_year = adapters.budget_figures(YEAR, as_of=date(2031, 5, 1))
    assert (mid_year.adjusted, mid_year.spent) == (D("10000000"), D("1000000"))


def test_payment_timeliness_and_award_plan(cycle):
    assert adapters.payment_timeliness(YEAR) == adapters.Ratio(D(1), D(2), adapters.payment_timeliness(YEAR).url)
    plan = adapters.award_plan(YEAR)
    assert (plan.numerator, plan.denominator) == (D("4000000"), D("6000000"))


def test_counts(cycle):
    assert adapters.supported_enterprises(YEAR).value == 1  # e1 was paid twice, e2 not at all
    assert adapters.three_transformations_projects(YEAR).value == 2  # a1, a2
    assert adapters.green_manufacturing(YEAR).value == 1  # e1 through a3


def test_qualification_and_eligibility(cycle):
    decisions = adapters.qualification_decisions(YEAR)
    assert (decisions.numerator, decisions.denominator) == (D(5), D(6))
    eligible = adapters.beneficiary_eligibility(YEAR)
    assert (eligible.numerator, eligible.denominator) == (D(2), D(3))  # a2's latest decision is a refusal


def test_archive_completeness(cycle):
    archive = adapters.archive_completeness(YEAR)
    assert (archive.numerator, archive.denominator) == (D(1), D(3))


def test_review_steps(cycle):
    steps = adapters.review_steps(YEAR, as_of=date(2031, 12, 31))
    # due: county (late: a2 forwarded on 12 Nov), review (on time), audit (never done), publicity (on time),
    # budget listing (approved 5 Jan, after 31 Dec: late)
    assert (steps.numerator, steps.denominator) == (D(2), D(5))
    early = adapters.review_steps(YEAR, as_of=date(2030, 11, 15))
    assert (early.numerator, early.denominator) == (D(0), D(1))


def test_disclosure_and_publicity(cycle):
    disclosure = adapters.information_disclosure(YEAR)
    assert (disclosure.numerator, disclosure.denominator) == (D(2), D(2))
    publicity = adapters.policy_publicity(YEAR)
    assert (publicity.numerator, publicity.denominator) == (D(2), D(2))
    Publicity.objects.update(status=PublicityStatus.DRAFT, published_at=None)
    assert adapters.policy_publicity(YEAR).numerator == D(1)
    assert adapters.information_disclosure(YEAR).numerator == D(1)


def test_funded_enterprises(cycle):
    assert set(adapters.funded_enterprises(YEAR)) == {cycle["e1"], cycle["e2"]}


def test_no_data_for_a_year_without_records(cycle):
    for name in ("budget_figures", "information_disclosure", "qualification_decisions", "award_plan",
                 "supported_enterprises", "three_transformations_projects", "beneficiary_eligibility",
                 "review_steps", "payment_timeliness", "green_manufacturing", "archive_completeness",
                 "policy_publicity"):
        assert isinstance(getattr(adapters, name)(1999), adapters.NoData), name


def test_evaluation_year_objects_are_accepted(cycle):
    class Year:
        year = YEAR

    assert adapters.supported_enterprises(Year()).value == 1
