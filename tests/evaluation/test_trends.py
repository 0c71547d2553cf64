"""Year on year: each indicator and the cycle figures per year, the change from the year before, and the cost."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import trends
from evaluation.constants import Direction, Grade
from evaluation.models import Judgement
from evaluation.trends import Change, change_text, year_trends
from tests.factories.evaluation import city_user, cycle_of, cycle_year

pytestmark = pytest.mark.django_db


def test_change_rises_falls_stays_or_is_missing():
    assert Change(Decimal("60"), Decimal("85")).direction == "rise"
    assert Change(Decimal("85"), Decimal("60.5")).delta == Decimal("-24.5")
    assert Change(Decimal("85"), Decimal("60.5")).direction == "fall"
    assert Change(Decimal("3"), Decimal("3")).direction == "same"
    assert Change(None, Decimal("3")).direction is None and Change(Decimal("3"), None).delta is None
    assert change_text(Change(Decimal("60"), Decimal("85")), "%") == "+25.00个百分点"
    assert change_text(Change(Decimal("5"), Decimal("3")), "家", trends.count) == "−2家"
    assert change_text(Change(Decimal("3"), Decimal("3")), "家") == "持平"
    assert change_text(Change(None, Decimal("3")), "家") == "—"


def test_the_figures_of_two_years_come_from_the_owning_selectors(two_years):
    before, after = two_years
    result = year_trends([after, before])  # any order: compared oldest first
    assert result.labels == ["2021", "2022"]
    first, second = result.years
    assert (first.applied, first.awarded, second.applied, second.awarded) == (3, 2, 4, 3)
    assert first.awarded_amount == Decimal("2000000.00") and second.awarded_amount == Decimal("3000000.00")
    assert first.paid == Decimal("6000000.00") and second.paid == Decimal("8500000.00")
    assert first.execution_percent == Decimal("60.00") and second.execution_percent == Decimal("85.00")
    figures = result.figures
    assert figures["execution"].change_texts == ["+25.00个百分点"]
    assert figures["applied"].displays == ["3个", "4个"] and figures["applied"].change_texts == ["+1个"]
    assert figures["paid"].displays == ["600.00", "850.00"] and figures["paid"].change_texts == ["+250.00"]
    assert figures["paid"].chart_values == [Decimal("600.00"), Decimal("850.00")]
    assert figures["clawbacks"].values == [Decimal(0), Decimal(0)]
    assert figures["total"].values == [first.result.total.points, second.result.total.points]
    # indicator 1 (budget execution) is taken from year_results, not recomputed: its values match the figure
    one = next(row for row in result.indicators if row.number == 1)
    assert [cell.value for cell in one.cells] == [Decimal("60.00"), Decimal("85.00")]
    assert one.change_texts == ["+25.00个百分点"] and one.unit == "%"
    assert len(result.indicators) == 26


def test_qualitative_indicators_compare_by_grade(two_years):
    before, after = two_years
    judge = city_user()
    for year, grade, points in ((before, Grade.PARTLY, "1.50"), (after, Grade.ACHIEVED, "3.00")):
        indicator = year.indicators.get(number=2)
        assert indicator.direction == Direction.QUALITATIVE
        Judgement.objects.create(indicator=indicator, grade=grade, points=Decimal(points), basis="依据",
                                 judged_by=judge)
    row = next(row for row in year_trends([before, after]).indicators if row.number == 2)
    assert row.qualitative and [c.grade_label for c in row.cells] == ["部分达成", "达成"]
    assert row.change_texts == ["由部分达成变为达成"]
    unjudged = next(row for row in year_trends([before, after]).indicators if row.number == 4)
    assert unjudged.change_texts == ["—"]


def test_a_year_without_an_indicator_leaves_its_cell_empty(two_years):
    before, after = two_years
    before.indicators.filter(number=26).delete()
    row = next(row for row in year_trends([before, after]).indicators if row.number == 26)
    assert row.cells[0] is None and row.changes[0].direction is None and row.change_texts == ["—"]


def test_no_previous_year_no_comparison(two_years):
    before, after = two_years
    assert trends.comparison(before) is None
    assert trends.comparison(after).labels == ["2021", "2022"]
    assert [y.year for y in trends.recent_years(4)] == [2021, 2022]


def _queries(years):
    year_trends(years)  # the statements are prepared once per connection (core.sqlcache): count a warm call
    with CaptureQueriesContext(connection) as captured:
        year_trends(years)
    return len(captured)


def test_queries_are_constant_per_year_for_two_and_four_years(two_years):
    earlier = [cycle_year(year, applied=2, awarded=1, budget="5000000.00", paid="1000000.00") for year in (2019, 2020)]
    years = [*earlier, *two_years]
    two, four = _queries(two_years), _queries(years)
    assert four == 2 * two, (two, four)  # the same cost for each year, whatever the others hold
    before = two_years[0]
    for _ in range(3):  # more applications, awards and payments in a year read no more
        cycle_of(2021, applied=2, awarded=2, paid="10.00", county_name="二七区")
    assert _queries(years) == four
    assert before.year == 2021
