"""The report's comparison with the previous year: the conclusion's sentence with the numbers, the table and the
chart of the analysis; nothing of a comparison for a first year."""

import pytest
from django.utils import translation

from evaluation.report import context as report_context
from evaluation.report.render import REPORT_LANGUAGE, report_html
from evaluation.scoring import fmt

pytestmark = pytest.mark.django_db


def _html(year):
    with translation.override(REPORT_LANGUAGE):
        context = report_context.build(year)
        return context, "".join(report_html(context).split())


def test_the_conclusion_states_the_change_from_the_previous_year(two_years):
    before, after = two_years
    context, html = _html(after)
    years = context["comparison"]["trends"].years
    sentence = (f"与上年相比，总分由上年的{fmt(years[0].total)}分变为{fmt(years[1].total)}分；"
                "预算执行率由60.00%提高到85.00%，提高25.00个百分点；"
                "受理申报项目4个（上年3个），获得奖补3个（上年2个）；"
                "拨付资金850.00万元（上年600.00万元）。")
    assert sentence in html
    conclusion = html.index("四、评价结论")
    assert conclusion < html.index("与上年相比") < html.index("五、主要经验及做法")


def test_the_analysis_has_the_year_on_year_table_and_chart(two_years):
    before, after = two_years
    _context, html = _html(after)
    table = html[html.index("（五）与上年比较"):html.index("四、评价结论")]
    assert "2021年（上年）" in table and "2022年（本年）" in table
    assert "预算执行率" in table and "60.00%" in table and "85.00%" in table and "+25.00个百分点" in table
    assert "申报项目数" in table and "+1个" in table and "850.00" in table
    assert "<svg" in table and "各级指标得分：上年与本年" in table and "2021年" in table


def test_a_falling_rate_reads_as_a_fall(two_years):
    from disbursements.models import BudgetEntry

    before, after = two_years
    entry = BudgetEntry.objects.get(fund_year=2022)
    BudgetEntry.objects.filter(pk=entry.pk).update(amount=entry.amount * 2)  # 850 of 2,000 万元: 42.50%
    _context, html = _html(after)
    assert "预算执行率由60.00%下降到42.50%，下降17.50个百分点" in html


def test_a_first_year_says_nothing_of_a_comparison(two_years):
    before, _after = two_years
    context, html = _html(before)
    assert context["comparison"] is None
    assert "与上年" not in html and "上年" not in html and "（五）" not in html
