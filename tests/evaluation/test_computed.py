"""Computed indicators: each function on a small hand-built data set with a known answer."""

from decimal import Decimal

import pytest
from django.utils import translation

from evaluation import catalogue
from evaluation.computed import REGISTRY, adapters, compute
from evaluation.constants import Source
from evaluation.results import year_results

pytestmark = pytest.mark.django_db
D = Decimal

RATIO_CASES = [
    # key, adapter, numerator, denominator, expected rate, input labels
    ("information_disclosure", "information_disclosure", 5, 6, "83.33", ("按时公开数", "应公开数")),
    ("qualification_review_compliance", "qualification_decisions", 199, 200, "99.50",
     ("规范的审核决定数", "资格审核决定")),
    ("award_plan_completion", "award_plan", D("495000000"), D("520130000"), "95.17",
     ("已拨付（万元）", "计划奖补（万元）")),
    ("beneficiary_eligibility", "beneficiary_eligibility", 230, 230, "100.00", ("资质符合的对象数", "获奖补的申报")),
    ("review_timeliness", "review_steps", 5, 6, "83.33", ("按期完成的环节数", "应完成环节数")),
    ("payment_timeliness", "payment_timeliness", 410, 432, "94.91", ("按期拨付笔数", "应拨付笔数")),
    ("archive_completeness", "archive_completeness", 228, 230, "99.13", ("材料齐全数", "获奖补的申报")),
    ("policy_publicity_rate", "policy_publicity", 4, 4, "100.00", ("已发布数", "应发布数")),
]
COUNT_CASES = [
    ("supported_enterprises", "supported_enterprises", 213, "支持企业数"),
    ("three_transformations_projects", "three_transformations_projects", 48, "奖补项目数"),
    ("green_manufacturing", "green_manufacturing", 12, "获奖补企业数"),
]


def test_the_registry_covers_the_14_computed_indicators_of_the_catalogue():
    computed = {row["number"]: row["source_key"] for row in catalogue.indicator_rows()
                if row["source"] == Source.COMPUTED}
    assert sorted(computed) == [1, 3, 7, 9, 10, 11, 12, 13, 15, 16, 19, 23, 24, 26]
    assert {REGISTRY[key].indicator for key in computed.values()} == set(computed)


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_without_a_source_every_computed_indicator_says_no_data(year2021, key):
    result = compute(key, year2021)
    assert result.actual is None
    assert result.missing_reason.startswith("尚无")


@pytest.mark.parametrize(("key", "adapter", "num", "den", "expected", "labels"), RATIO_CASES)
def test_ratio_indicators(monkeypatch, year2021, key, adapter, num, den, expected, labels):
    monkeypatch.setattr(adapters, adapter, lambda year, as_of=None: adapters.Ratio(D(num), D(den), "/records/"))
    result = compute(key, year2021)
    assert result.actual == D(expected)
    assert tuple(label for label, _v in result.inputs) == labels
    assert [link.url for link in result.evidence] == ["/records/"]


@pytest.mark.parametrize(("key", "adapter", "value", "label"), COUNT_CASES)
def test_count_indicators(monkeypatch, year2021, key, adapter, value, label):
    monkeypatch.setattr(adapters, adapter, lambda year, as_of=None: adapters.Count(value, "/list/"))
    result = compute(key, year2021)
    assert result.actual == D(value) and result.inputs == ((label, str(value)),)


def test_a_rate_with_nothing_due_is_no_data(monkeypatch, year2021):
    monkeypatch.setattr(adapters, "payment_timeliness", lambda year, as_of=None: adapters.Ratio(D(0), D(0)))
    assert compute("payment_timeliness", year2021).missing_reason == "尚无应计事项，无法计算比率。"


def test_budget_execution_from_the_interim_figures_is_labelled(year2021):
    year2021.manual_budget_original, year2021.manual_spent = D("580000000"), D("520130000")
    year2021.save()
    result = compute("budget_execution_rate", year2021)
    assert result.actual == D("89.68") and result.note == "手工录入（资金拨付模块尚无本年度预算）"
    assert dict(result.inputs) == {"预算口径": "年初预算", "预算数（万元）": "58,000.00",
                                   "实际支出（万元）": "52,013.00"}
    row = year_results(year2021).rows[0]
    assert row.score.points == D("8.97") and row.note == "手工录入（资金拨付模块尚无本年度预算）"
    # the rate always divides by the original budget (年初预算), whatever else was entered
    year2021.manual_budget_adjusted = D("540000000")
    assert compute("budget_execution_rate", year2021).actual == D("89.68")
    year2021.manual_budget_original = None
    assert compute("budget_execution_rate", year2021).actual is None  # a missing figure is no data, not a guess
    # the interim figures are year totals: mid-year monitoring does not use them
    assert compute("budget_execution_rate", year2021, as_of="2021-06-30").actual is None


def test_budget_figures_from_the_disbursements_adapter_win_over_interim_ones(monkeypatch, year2021):
    year2021.manual_budget_original, year2021.manual_spent = D("1"), D("1")
    monkeypatch.setattr(adapters, "budget_figures", lambda year, as_of=None: adapters.BudgetFigures(
        D("580000000"), None, D("560000000"), D("520130000"), "/disbursements/budget/"))
    result = compute("budget_execution_rate", year2021)
    assert (result.actual, result.note) == (D("89.68"), "")
    in_place = compute("budget_funds_in_place", year2021)
    assert in_place.actual == D("96.55") and in_place.evidence[0].url == "/disbursements/budget/"


def test_funds_in_place_uses_the_adjusted_budget_when_there_is_one(year2021):
    year2021.manual_budget_original, year2021.manual_budget_received = D("580000000"), D("580000000")
    assert compute("budget_funds_in_place", year2021).actual == D("100.00")
    year2021.manual_budget_adjusted = D("600000000")
    assert compute("budget_funds_in_place", year2021).actual == D("96.67")


def test_a_full_hand_built_year_scores_below_100_because_of_budget_execution(monkeypatch, year2021, city):
    """All adapters connected with perfect records, every judgement full: the total is still 98.97."""
    from evaluation.constants import Grade, StatisticKey
    from evaluation.models import Judgement, StatisticFigure, StatisticsImport

    for _key, adapter, *_rest in RATIO_CASES:
        monkeypatch.setattr(adapters, adapter, lambda year, as_of=None: adapters.Ratio(D(1), D(1)))
    for _key, adapter, *_rest in COUNT_CASES:
        monkeypatch.setattr(adapters, adapter, lambda year, as_of=None: adapters.Count(500))
    year2021.manual_budget_original = year2021.manual_budget_received = D("580000000")
    year2021.manual_spent = D("520130000")
    year2021.save()
    record = StatisticsImport.objects.create(year=year2021, filename="x", sha256="0", rows=1, uploaded_by=city)
    for key, value in [(StatisticKey.MFG_VALUE_ADDED_GROWTH, 11.8), (StatisticKey.REVENUE_GROWTH, 6),
                       (StatisticKey.STRATEGIC_EMERGING_SHARE, 27), (StatisticKey.TAX_GROWTH, 3),
                       (StatisticKey.ENERGY_INTENSITY_CHANGE, -11.78)]:
        StatisticFigure.objects.create(year=year2021, key=key, value=D(str(value)), source_import=record)
    for ind in year2021.indicators.filter(source=Source.JUDGED):
        Judgement.objects.create(indicator=ind, grade=Grade.ACHIEVED, points=ind.weight, basis="x", judged_by=city)
    from evaluation.computed import Computed, Spec

    monkeypatch.setitem(REGISTRY, "satisfaction", Spec("satisfaction", 23, "满意度",
                                                       lambda year, as_of=None: Computed(D("95"))))
    result = year_results(year2021)
    assert result.total.complete and result.weights_ok
    assert result.total.points == D("98.97")
    assert result.grade == "excellent" and result.grade_label == "优"


def test_the_hand_entry_note_is_translated(year2021):
    year2021.manual_budget_original, year2021.manual_spent = D("580000000"), D("520130000")
    with translation.override("en"):
        note = compute("budget_execution_rate", year2021).note
    assert note == "Entered by hand: the disbursements module has no budget for this fund year"
    with translation.override("zh-hans"):
        assert compute("budget_execution_rate", year2021).note == "手工录入（资金拨付模块尚无本年度预算）"


def test_every_computation_of_the_catalogue_has_a_description():
    keys = {row["source_key"] for row in catalogue.indicator_rows() if row["source"] == Source.COMPUTED}
    with translation.override("zh-hans"):
        described = {key: str(REGISTRY[key].description) for key in keys}
    assert all(described.values()), described
    assert not any(text.isascii() for text in described.values()), described


@pytest.mark.parametrize(("key", "adapter", "num", "den", "inputs"), [
    ("information_disclosure", "information_disclosure", D("1"), D("2"), ("1", "2")),
    ("qualification_review_compliance", "qualification_decisions", D("231"), D("231"), ("231", "231")),
    ("beneficiary_eligibility", "beneficiary_eligibility", D("166"), D("166"), ("166", "166")),
    ("award_plan_completion", "award_plan", D("514130000.00"), D("550817699.56"), ("51,413.00", "55,081.77")),
])
def test_ratio_inputs_print_as_counts_or_wan(monkeypatch, year2021, key, adapter, num, den, inputs):
    monkeypatch.setattr(adapters, adapter, lambda year, as_of=None: adapters.Ratio(num, den, "/records/"))
    with translation.override("zh-hans"):
        result = compute(key, year2021)
    assert tuple(value for _label, value in result.inputs) == inputs
    if key == "award_plan_completion":
        assert [label for label, _v in result.inputs] == ["已拨付（万元）", "计划奖补（万元）"]
