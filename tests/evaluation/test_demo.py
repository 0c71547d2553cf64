"""The demo years: 2021 with the seed's figures, scored from data, visibly short of the seed's 100; 2022 copied
from it with figures of its own."""

from decimal import Decimal

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from evaluation import demo
from evaluation.models import EvaluationYear, StatisticFigure, SurveyResponse
from evaluation.results import year_results

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_scores_from_data():
    accounts_demo.seed()
    year = demo.seed()
    demo.seed()
    assert list(EvaluationYear.objects.order_by("year").values_list("year", flat=True)) == [2021, 2022]
    assert StatisticFigure.objects.filter(year=year).count() == 7
    assert SurveyResponse.objects.filter(survey__year=year).count() == 7
    result = year_results(year)
    rows = {row.indicator.number: row for row in result.rows}
    assert (rows[1].actual, rows[1].score.points) == (Decimal("89.68"), Decimal("8.97"))
    assert rows[23].actual == Decimal("92.86")
    assert rows[14].actual == Decimal("11.8") and rows[22].score.met
    assert rows[20].score.points == Decimal("2.10")
    assert result.grade is None and result.total.points < 100
    assert sum(row.score.weight for row in result.rows) == Decimal("100")


def test_the_second_year_is_copied_and_has_its_own_figures():
    accounts_demo.seed()
    first = demo.seed()
    second = EvaluationYear.objects.get(year=2022)
    assert list(second.indicators.values_list("number", "weight")) == list(
        first.indicators.values_list("number", "weight"))
    figures = dict(StatisticFigure.objects.filter(year=second).values_list("key", "value"))
    assert figures["mfg_value_added_growth"] == Decimal("7.9") and figures["energy_intensity_change"] == Decimal("-5.3")
    assert figures["revenue_growth"] == Decimal("6.2") and figures["tax_growth"] == Decimal("4.1")
    # every invited enterprise answered, the demo enterprise included
    responses = SurveyResponse.objects.filter(survey__year=second)
    demo_enterprise = User.objects.get(username="demo_enterprise").organisation
    assert responses.count() == 8 and responses.filter(organisation=demo_enterprise).exists()
    rows = {row.indicator.number: row for row in year_results(second).rows}
    assert rows[23].actual == Decimal("93.75") and rows[14].actual == Decimal("7.9")
    assert rows[20].score.points == Decimal("2.30") and rows[6].score.points == Decimal("3.00")
    goals = second.sections.get(key="goals").body
    assert "2022年专项资金预算" in goals and "2020年" not in goals
