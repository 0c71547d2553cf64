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
