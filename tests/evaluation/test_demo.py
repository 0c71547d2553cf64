"""The 2021 demo year: the seed's figures, scored from data, visibly short of the seed's 100."""

from decimal import Decimal

import pytest

from accounts import demo as accounts_demo
from evaluation import demo
from evaluation.models import EvaluationYear, StatisticFigure, SurveyResponse
from evaluation.results import year_results

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_scores_from_data():
    accounts_demo.seed()
    year = demo.seed()
    demo.seed()
    assert EvaluationYear.objects.count() == 1
    assert StatisticFigure.objects.filter(year=year).count() == 7
    assert SurveyResponse.objects.count() == 7
    result = year_results(year)
    rows = {row.indicator.number: row for row in result.rows}
    assert (rows[1].actual, rows[1].score.points) == (Decimal("89.68"), Decimal("8.97"))
    assert rows[23].actual == Decimal("92.86")
    assert rows[14].actual == Decimal("11.8") and rows[22].score.met
    assert rows[20].score.points == Decimal("2.10")
    assert result.grade is None and result.total.points < 100
    assert sum(row.score.weight for row in result.rows) == Decimal("100")
