"""Factories for the evaluation app."""

from decimal import Decimal

import factory

from accounts.roles import Role
from evaluation import catalogue
from evaluation.constants import Direction, Level, Section, Source
from evaluation.models import EvaluationYear, Indicator, NarrativeSection

from .accounts import UserFactory


class EvaluationYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationYear
        django_get_or_create = ("year",)

    year = 2021


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    year = factory.SubFactory(EvaluationYearFactory)
    number = factory.Sequence(lambda n: n % 99 + 1)
    name = factory.Sequence(lambda n: f"测试指标{n}")
    level = Level.OUTPUT
    direction = Direction.GTE
    target_value = Decimal("100")
    unit = "%"
    weight = Decimal("10")
    source = Source.JUDGED


def year_with_catalogue(year=2021, **fields):
    """A year with the 26 catalogue indicators and empty narrative sections (no service, no actor)."""
    evaluation_year = EvaluationYearFactory(year=year, **fields)
    Indicator.objects.bulk_create(Indicator(year=evaluation_year, **row) for row in catalogue.indicator_rows())
    NarrativeSection.objects.bulk_create(NarrativeSection(year=evaluation_year, key=k) for k in Section.values)
    return evaluation_year


def city_user(**kwargs):
    return UserFactory.for_role(Role.CITY, **kwargs)


def cycle_year(year, **figures):
    """An evaluation year with the catalogue and a cycle of its own (``cycle_of``)."""
    evaluation_year = year_with_catalogue(year)
    cycle_of(year, **figures)
    return evaluation_year


def cycle_of(year, *, applied, awarded, paid, budget=None, county_name="中原区"):
    """Records of fund year ``year``'s cycle (added to its call when it has one): ``applied`` applications in
    ``county_name`` of which ``awarded`` were budget-listed and committed (1,000,000 yuan each), ``paid`` paid on
    the first commitment, and an original budget of ``budget`` (yuan; None: none recorded)."""
    import datetime

    from applications.models import Round
    from applications.workflow import Status
    from disbursements.models import BudgetEntry

    from .accounts import county
    from .applications import RoundFactory, application_in, category_with_rules
    from .disbursements import commitment, paid_commitment

    call = Round.objects.filter(year=year).first() or RoundFactory(year=year)
    where = {"category": category_with_rules(round=call), "county": county(county_name)}
    if awarded:
        paid_commitment(paid=paid, paid_on=datetime.date(year, 6, 30), **where)
    for _ in range(awarded - 1):
        commitment(application=application_in(Status.BUDGET_LISTED, **where))
    for _ in range(applied - awarded):
        application_in(Status.SUBMITTED, **where)
    if budget is not None:
        BudgetEntry.objects.create(fund_year=year, kind=BudgetEntry.Kind.ORIGINAL, amount=Decimal(budget),
                                   date=datetime.date(year, 1, 20), created_by=city_user())
