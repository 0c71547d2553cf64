from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviews.aggregation import Method, aggregate, mean, median, outliers, trimmed_mean
from reviews.awards import compute_award, scale_to_budget

scores = st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=1, max_size=9)
money = st.decimals(min_value=0, max_value=10_000_000, places=2)


@given(scores)
def test_every_aggregate_lies_between_min_and_max(values):
    for method in Method:
        result = aggregate(values, method)
        assert min(values) - Decimal("0.01") <= result <= max(values) + Decimal("0.01")


@given(scores)
def test_trimmed_mean_ignores_one_extreme_on_each_side(values):
    if len(values) >= 5:
        ordered = sorted(values)
        assert trimmed_mean(values) == mean(ordered[1:-1])
    else:
        assert trimmed_mean(values) == mean(values)


@given(scores, st.decimals(min_value=0, max_value=100, places=1))
def test_mean_moves_with_a_raised_score(values, bump):
    raised = [values[0] + bump, *values[1:]]
    assert mean(raised) >= mean(values)


def test_known_values():
    assert aggregate([80, 90, 70, 60, 100], Method.MEAN) == Decimal("80.00")
    assert aggregate([80, 90, 70, 60, 100], Method.TRIMMED_MEAN) == Decimal("80.00")
    assert aggregate([80, 90, 70, 10, 100], Method.TRIMMED_MEAN) == Decimal("80.00")
    assert aggregate([80, 90, 70, 10, 100], Method.MEAN) == Decimal("70.00")
    assert median([1, 3, 2, 4]) == Decimal("2.5")
    assert aggregate([85, 86], Method.MEDIAN) == Decimal("85.50")
    assert outliers([80, 82, 81, 40], 15) == [3]


def test_no_scores_is_an_error():
    with pytest.raises(ValueError):
        aggregate([], Method.MEAN)


@given(money, st.decimals(min_value=0, max_value=1, places=4), st.one_of(st.none(), money))
def test_award_never_exceeds_cap_or_rate_times_base(base, rate, cap):
    result = compute_award(base=base, rate=rate, cap=cap)
    # the award is rounded half up to the fen: never more than half a fen above rate × base
    assert result.amount <= base * rate + Decimal("0.005")
    if cap is not None:
        assert result.amount <= cap
    assert result.amount >= 0


def test_award_formula_shows_inputs_and_cap():
    result = compute_award(base=Decimal("50000000"), rate=Decimal("0.08"), cap=Decimal("3000000"))
    assert result.uncapped == Decimal("4000000.00")
    assert result.amount == Decimal("3000000")
    assert result.capped
    assert "50,000,000.00 × 8.00%" in result.formula and "上限" in result.formula


@given(st.lists(money, min_size=1, max_size=30), money)
def test_scaling_fits_the_budget_and_never_raises_an_award(amounts, budget):
    scaled = scale_to_budget(amounts, budget)
    assert len(scaled) == len(amounts)
    assert sum(scaled) <= max(budget, sum(amounts))
    assert all(s <= a for s, a in zip(scaled, amounts, strict=True))
    assert all(s >= 0 for s in scaled)
    if sum(amounts) > budget:
        # every fen of the budget is handed out (up to the fen rounding of the budget itself)
        assert budget - sum(scaled) < Decimal("0.01")


def test_scaling_known_case():
    assert scale_to_budget([Decimal("100"), Decimal("200"), Decimal("300")], Decimal("300")) == [
        Decimal("50.00"), Decimal("100.00"), Decimal("150.00")]
    # a third each of one yuan: the fen left over goes to one award, the total is exact
    assert sum(scale_to_budget([1, 1, 1], Decimal("1"))) == Decimal("1.00")
