"""The scoring engine: worked examples and properties (hypothesis)."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from evaluation import scoring
from evaluation.computed import adapters
from evaluation.constants import Direction, Grade
from evaluation.results import year_results
from evaluation.scoring import score, score_change

D = Decimal
weights = st.decimals(min_value=D("0.5"), max_value=D("20"), places=2)
targets = st.decimals(min_value=D("0.01"), max_value=D("1000"), places=2)
actuals = st.decimals(min_value=D("-500"), max_value=D("5000"), places=2)
changes = st.decimals(min_value=D("-100"), max_value=D("100"), places=2)


def test_budget_execution_of_the_seed_is_proportional():
    result = scoring.score(Direction.EQ, D("10"), target=D("100"), actual=D("89.68"))
    assert result.points == D("8.97")
    assert result.met is False
    assert result.reason_required is True
    assert "10.00 × 89.68 ÷ 100.00 = 8.97" in result.formula
    assert [value for _label, value in result.inputs] == ["100.00", "89.68", "10.00"]


def test_at_least_met_gives_full_weight_and_large_excess_needs_a_reason():
    met = scoring.score(Direction.GTE, D("5"), target=D("200"), actual=D("210"))
    assert (met.points, met.met, met.reason_required) == (D("5.00"), True, False)
    far = scoring.score(Direction.GTE, D("4"), target=D("3"), actual=D("11.8"))
    assert far.points == D("4.00")
    assert far.deviation == D("293.33")
    assert far.reason_required is True


def test_deviation_of_exactly_thirty_percent_needs_a_reason():
    assert scoring.score(Direction.GTE, D("5"), target=D("100"), actual=D("130")).reason_required is True
    assert scoring.score(Direction.GTE, D("5"), target=D("100"), actual=D("129.99")).reason_required is False


def test_at_most_falls_linearly_to_zero_at_twice_the_target():
    assert scoring.score(Direction.LTE, D("10"), target=D("50"), actual=D("50")).points == D("10.00")
    assert scoring.score(Direction.LTE, D("10"), target=D("50"), actual=D("75")).points == D("5.00")
    assert scoring.score(Direction.LTE, D("10"), target=D("50"), actual=D("100")).points == D("0.00")
    assert scoring.score(Direction.LTE, D("10"), target=D("50"), actual=D("130")).points == D("0.00")
    better = scoring.score(Direction.LTE, D("10"), target=D("50"), actual=D("30"))
    assert better.points == D("10.00") and better.reason_required is True  # 40 % better than target


def test_increase_and_decrease_are_met_or_not_and_show_the_change():
    up = scoring.score(Direction.INCREASE, D("3"), actual=D("8.5"))
    assert (up.points, up.met) == (D("3.00"), True)
    assert "8.50%" in up.formula
    flat = scoring.score(Direction.INCREASE, D("3"), actual=D("0"))
    assert (flat.points, flat.met, flat.reason_required) == (D("0.00"), False, True)
    down = scoring.score(Direction.DECREASE, D("3"), actual=D("-11.78"))
    assert (down.points, down.met) == (D("3.00"), True)
    assert "-11.78%" in down.formula


@pytest.mark.parametrize(("grade", "points", "ok"), [
    (Grade.ACHIEVED, "4", True), (Grade.ACHIEVED, "3.2", True), (Grade.ACHIEVED, "3.19", False),
    (Grade.PARTLY, "3.2", False), (Grade.PARTLY, "2.4", True), (Grade.PARTLY, "3.19", True),
    (Grade.NOT_ACHIEVED, "2.4", False), (Grade.NOT_ACHIEVED, "0", True), (Grade.ACHIEVED, "4.01", False),
])
def test_judged_points_must_lie_in_the_national_band(grade, points, ok):
    if ok:
        assert scoring.score(Direction.QUALITATIVE, D("4"), grade=grade, points=D(points)).points == D(points)
    else:
        with pytest.raises(ValueError):
            scoring.score(Direction.QUALITATIVE, D("4"), grade=grade, points=D(points))


def test_missing_data_is_unscored_never_a_guess():
    result = scoring.score(Direction.GTE, D("5"), target=D("200"), actual=None)
    assert result.points is None and not result.scored
    assert scoring.score(Direction.QUALITATIVE, D("3")).points is None


def test_total_and_grade():
    scores = [scoring.score(Direction.EQ, D("10"), target=D("100"), actual=D("89.68")),
              scoring.score(Direction.GTE, D("90"), target=D("1"), actual=D("1"))]
    result = scoring.total(scores)
    assert result.points == D("98.97") and result.complete
    assert scoring.grade_for(result.points) == "excellent"
    assert [scoring.grade_for(D(p)) for p in ("90", "89.99", "80", "79.99", "60", "59.99")] == [
        "excellent", "good", "good", "fair", "fair", "poor"]
    partial = scoring.total([*scores, scoring.score(Direction.GTE, D("5"), target=D("1"))])
    assert (partial.complete, partial.missing_count, partial.missing_weight) == (False, 1, D("5.00"))
    assert partial.ceiling == D("103.97")


# --- properties ---------------------------------------------------------------------------------------


@given(direction=st.sampled_from([Direction.GTE, Direction.EQ, Direction.LTE]), weight=weights, target=targets,
       actual=actuals)
def test_numeric_scores_stay_between_zero_and_the_weight(direction, weight, target, actual):
    points = scoring.score(direction, weight, target=target, actual=actual).points
    assert D("0") <= points <= weight


@given(direction=st.sampled_from([Direction.INCREASE, Direction.DECREASE]), weight=weights, change=changes)
def test_change_scores_are_zero_or_the_weight(direction, weight, change):
    assert scoring.score(direction, weight, actual=change).points in (D("0"), weight)


@given(direction=st.sampled_from([Direction.GTE, Direction.EQ, Direction.INCREASE]), weight=weights,
       target=targets, a=actuals, b=actuals)
def test_higher_is_never_worse_for_at_least_and_increase(direction, weight, target, a, b):
    low, high = sorted((a, b))
    assert (scoring.score(direction, weight, target=target, actual=low).points
            <= scoring.score(direction, weight, target=target, actual=high).points)


@given(direction=st.sampled_from([Direction.LTE, Direction.DECREASE]), weight=weights, target=targets,
       a=actuals, b=actuals)
def test_lower_is_never_worse_for_at_most_and_decrease(direction, weight, target, a, b):
    low, high = sorted((a, b))
    assert (scoring.score(direction, weight, target=target, actual=low).points
            >= scoring.score(direction, weight, target=target, actual=high).points)


@given(weight=weights, grade=st.sampled_from(list(Grade)), fraction=st.decimals(min_value=0, max_value=1, places=4))
def test_judged_scores_inside_a_band_are_accepted_and_bounded(weight, grade, fraction):
    lower, upper, inclusive = scoring.band(weight, grade)
    points = scoring.q2(lower + (upper - lower) * fraction)
    if not inclusive and points >= upper:
        points = upper - D("0.01")
    if points < lower:
        return
    result = scoring.score(Direction.QUALITATIVE, weight, grade=grade, points=points)
    assert D("0") <= result.points <= weight


@given(weight=weights, target=targets, actual=actuals)
def test_a_reason_is_required_exactly_when_missed_or_far_off(weight, target, actual):
    result = scoring.score(Direction.GTE, weight, target=target, actual=actual)
    assert result.reason_required == (actual < target or scoring.q2(abs(actual - target) / target * 100) >= 30)


def test_the_change_of_a_growth_indicator_is_still_labelled_in_chinese():
    with translation.override("zh-hans"):
        score = score_change(4, D("-3.2"), increase=False)
        assert dict(score.inputs)["变化幅度"] == "-3.20%"


def test_a_count_indicator_scores_with_whole_numbers(monkeypatch, year2021):
    monkeypatch.setattr(adapters, "supported_enterprises", lambda year, as_of=None: adapters.Count(148, "/list/"))
    with translation.override("zh-hans"):
        row = next(r for r in year_results(year2021).rows if r.indicator.source_key == "supported_enterprises")
    assert row.indicator.unit == "家"
    assert "实际值 148 < 目标值 200" in row.score.formula and "148.00" not in row.score.formula
    assert dict(row.score.inputs)["实际值"] == "148" and dict(row.score.inputs)["分值"] == "5.00"
    # a percentage keeps its two decimals
    with translation.override("zh-hans"):
        assert "目标值 100.00" in score("gte", 10, target=D("100"), actual=D("89.68")).formula
