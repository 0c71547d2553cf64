"""The evaluation pages: who sees what, editing indicators and weights, finalising."""

from datetime import date
from decimal import Decimal
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from evaluation.constants import Source, StatisticKey, YearStatus
from evaluation.models import EvaluationYear, Indicator

pytestmark = pytest.mark.django_db

VIEW_PAGES = ["year_detail", "indicator_list", "statistics", "survey_list", "monitoring_list", "report"]
EDIT_PAGES = ["narrative", "year_settings", "weights", "indicator_create"]


def section_versions(year):
    return {f"v_{s.key}": s.version for s in year.sections.all()}


def urls(year, names):
    return [reverse(f"evaluation:{name}", args=[year.year]) for name in names]


@pytest.mark.parametrize("role", [Role.CITY, Role.OFFICIAL])
def test_staff_and_officials_see_the_evaluation(client_for, year2021, role):
    client = client_for(role)
    assert client.get(reverse("evaluation:index")).status_code == 200
    for url in urls(year2021, VIEW_PAGES):
        assert client.get(url).status_code == 200, url
    detail = client.get(reverse("evaluation:indicator_detail", args=[2021, 1]))
    assert detail.status_code == 200
    assert "预算执行率" in detail.content.decode()


def test_officials_read_but_do_not_edit(client_for, year2021):
    client = client_for(Role.OFFICIAL)
    for url in urls(year2021, EDIT_PAGES):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("evaluation:year_transition", args=[2021, "finalise"]))
    assert response.status_code == 403
    assert EvaluationYear.objects.get(year=2021).status == YearStatus.DRAFT


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.COUNTY, Role.EXPERT, Role.AUDITOR, Role.FINANCE_PREPARER,
                                  Role.ADMIN])
def test_others_see_nothing_of_the_evaluation(client_for, year2021, role):
    client = client_for(role)
    for url in [reverse("evaluation:index"), *urls(year2021, VIEW_PAGES + EDIT_PAGES),
                reverse("evaluation:indicator_detail", args=[2021, 1])]:
        assert client.get(url).status_code == 403, url
    body = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("evaluation:index")}"' not in body


def test_anonymous_users_are_sent_to_the_login(client, year2021):
    response = client.get(reverse("evaluation:year_detail", args=[2021]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_navigation_and_dashboard_cards(client_for, year2021):
    body = client_for(Role.CITY).get(reverse("core:dashboard"))
    assert reverse("evaluation:index") in body.content.decode()
    board = body.context["board"]
    assert {str(f.title): f.value for f in board.figures}["2021年度绩效评价"] == "编制中"
    assert {str(q.label): q.count for q in board.queue}["尚未评判的定性指标"] == 7


def test_unknown_year_is_404(client_for, year2021):
    assert client_for(Role.CITY).get(reverse("evaluation:year_detail", args=[2031])).status_code == 404


def test_overview_shows_scores_and_no_data_honestly(client_for, year2021):
    response = client_for(Role.OFFICIAL).get(reverse("evaluation:year_detail", args=[2021]))
    body = response.content.decode()
    result = response.context["result"]
    assert len(result.rows) == 26
    assert result.grade is None  # nothing is scored yet
    assert "尚无数据" in body and "暂不评级" in body
    assert "<svg" in body and 'style="' not in body.split("<main", 1)[1]  # CSP: no inline styles


def test_city_creates_a_year_from_the_catalogue_and_copies_it(client_for):
    client = client_for(Role.CITY)
    response = client.post(reverse("evaluation:year_create"), {"year": 2021})
    assert response.status_code == 302
    first = EvaluationYear.objects.get(year=2021)
    response = client.post(reverse("evaluation:year_create"), {"year": 2022, "copy_from": first.pk})
    assert response.status_code == 302
    assert Indicator.objects.filter(year__year=2022).count() == 26
    again = client.post(reverse("evaluation:year_create"), {"year": 2022})
    assert again.status_code == 400 and "已存在" in again.content.decode()


def test_weights_page_refuses_a_total_other_than_100(client_for, year2021):
    client = client_for(Role.CITY)
    indicators = list(year2021.indicators.all())
    data = {f"w{ind.pk}": str(ind.weight) for ind in indicators} | {f"v{ind.pk}": ind.version for ind in indicators}
    data[f"w{indicators[0].pk}"] = "11"
    response = client.post(reverse("evaluation:weights", args=[2021]), data)
    assert response.status_code == 200
    assert "101.00" in response.content.decode() and "须正好为 100 分" in response.content.decode()
    assert Indicator.objects.get(pk=indicators[0].pk).weight == Decimal("10")
    data[f"w{indicators[1].pk}"] = "3"  # 4 -> 3 keeps the total at 100
    response = client.post(reverse("evaluation:weights", args=[2021]), data)
    assert response.status_code == 302
    assert Indicator.objects.get(pk=indicators[0].pk).weight == Decimal("11")


def test_indicator_form_validates_direction_source_and_number(client_for, year2021):
    client = client_for(Role.CITY)
    data = {"number": 5, "name": "新指标", "level": "output", "direction": "gte", "target_value": "",
            "target_text": "", "unit": "个", "weight": "0", "source": "judged", "source_key": "", "scoring_rule": ""}
    response = client.post(reverse("evaluation:indicator_create", args=[2021]), data)
    form = response.context["form"]
    assert set(form.errors) == {"number", "target_value", "source"}
    data.update(number=27, target_value="5", source="computed", source_key="satisfaction")
    response = client.post(reverse("evaluation:indicator_create", args=[2021]), data)
    assert response.status_code == 302
    created = Indicator.objects.get(year=year2021, number=27)
    assert (created.weight, created.source_key) == (Decimal("0"), "satisfaction")


def test_editing_an_indicator_keeps_its_weight(client_for, year2021):
    client = client_for(Role.CITY)
    ind = year2021.indicators.get(number=11)
    data = {"number": 11, "name": ind.name, "level": ind.level, "direction": "gte", "target_value": "220",
            "target_text": "≥220家", "unit": "家", "weight": "50", "source": "computed",
            "source_key": "supported_enterprises", "scoring_rule": "按支持名单计数", "version": ind.version}
    assert client.post(reverse("evaluation:indicator_edit", args=[2021, 11]), data).status_code == 302
    ind.refresh_from_db()
    assert (ind.target_value, ind.weight) == (Decimal("220"), Decimal("5"))  # the weight field is disabled


def test_finalised_year_refuses_edits_and_can_be_reopened(client_for, year2021):
    client = client_for(Role.CITY)
    assert client.post(reverse("evaluation:year_transition", args=[2021, "finalise"]),
                       {"version": 0}).status_code == 302
    assert EvaluationYear.objects.get(year=2021).status == YearStatus.FINAL
    client.post(reverse("evaluation:narrative", args=[2021]), {"unit": "改动"} | section_versions(year2021))
    assert year2021.sections.get(key="unit").body == ""
    body = client.get(reverse("evaluation:year_detail", args=[2021])).content.decode()
    assert "已定稿" in body and "重新打开修改" in body
    client.post(reverse("evaluation:year_transition", args=[2021, "reopen"]), {"version": 1})
    assert EvaluationYear.objects.get(year=2021).status == YearStatus.DRAFT


def test_narrative_and_settings_save(client_for, year2021):
    client = client_for(Role.CITY)
    client.post(reverse("evaluation:narrative", args=[2021]),
                {"unit": "市工信局……", "other": "无"} | section_versions(year2021))
    assert year2021.sections.get(key="unit").body == "市工信局……"
    response = client.post(reverse("evaluation:year_settings", args=[2021]), {
        "unit_name": "郑州市工业和信息化局", "fund_name": "郑州市制造业高质量发展专项资金", "budget_basis": "original",
        "manual_budget_original": "58000", "manual_spent": "52013", "version": 0})
    assert response.status_code == 302
    year2021.refresh_from_db()
    assert year2021.manual_budget_original == Decimal("580000000.00")
    assert year2021.manual_spent == Decimal("520130000.00")
    page = client.get(reverse("evaluation:year_settings", args=[2021])).content.decode()
    assert 'value="58000"' in page and "手工录入" in page and "待与资金拨付模块对接" not in page


def test_deviation_reason_is_required_and_can_be_written(client_for, year2021):
    year2021.manual_budget_original, year2021.manual_spent = Decimal("580000000"), Decimal("520130000")
    year2021.save()
    client = client_for(Role.CITY)
    overview = client.get(reverse("evaluation:year_detail", args=[2021]))
    assert [r.indicator.number for r in overview.context["result"].reasons_missing] == [1]
    client.post(reverse("evaluation:deviation_reason", args=[2021, 1]), {"reason": "部分项目未完成验收", "version": 0})
    overview = client.get(reverse("evaluation:year_detail", args=[2021]))
    assert overview.context["result"].reasons_missing == []


def test_copy_to_next_year_is_offered_to_city_staff_only(client_for, year2021):
    url = reverse("evaluation:year_detail", args=[2021])
    assert "复制为2022年度" in client_for(Role.CITY).get(url).content.decode()
    assert "复制为2022年度" not in client_for(Role.OFFICIAL).get(url).content.decode()


def _budget(user, year=2021):
    from disbursements.models import BudgetEntry

    BudgetEntry.objects.create(fund_year=year, kind="original", amount=D("580000000"), date=date(year, 1, 15),
                               created_by=user)
    BudgetEntry.objects.create(fund_year=year, kind="received", amount=D("200000000"), date=date(year, 3, 1),
                               created_by=user)


def test_settings_say_the_budget_comes_from_disbursements_and_keep_the_hand_figures(client_for, user_for,
                                                                                      year2021):
    _budget(user_for(Role.FINANCE_PREPARER))
    year2021.manual_budget_original = D("1000000")
    year2021.save()
    client = client_for(Role.CITY)
    url = reverse("evaluation:year_settings", args=[2021])
    page = client.get(url).content.decode()
    assert "由资金拨付模块自动计算" in page and "58,000.00" in page and "20,000.00" in page
    assert "待与资金拨付模块对接" not in page and "手工录入" not in page
    assert 'name="manual_budget_original"' not in page
    response = client.post(url, {"unit_name": "郑州市工业和信息化局", "fund_name": "专项资金",
                                 "budget_basis": "original", "manual_budget_original": "99", "manual_spent": "88",
                                 "version": year2021.version})
    assert response.status_code == 302
    year2021.refresh_from_db()
    assert (year2021.manual_budget_original, year2021.manual_spent) == (D("1000000"), None)
    assert year2021.fund_name == "专项资金"


def test_settings_save_with_hidden_hand_figures_of_a_real_size(client_for, user_for, year2021):
    """With the budget from disbursements, the hidden (disabled) hand-entered totals of the
    demo's size (58,000 万元) were cleaned as if typed in 万元 again, overflowed, and the page came back with
    nothing saved and no visible message."""
    _budget(user_for(Role.FINANCE_PREPARER))
    year2021.manual_budget_original, year2021.manual_spent = D("580000000"), D("520130000")
    year2021.save()
    response = client_for(Role.CITY).post(reverse("evaluation:year_settings", args=[2021]), {
        "unit_name": "郑州市工业和信息化局", "fund_name": "郑州市制造业高质量发展专项资金", "budget_basis": "original",
        "version": year2021.version})
    assert response.status_code == 302, response.content.decode()[:2000]
    year2021.refresh_from_db()
    assert year2021.fund_name == "郑州市制造业高质量发展专项资金"
    assert (year2021.manual_budget_original, year2021.manual_spent) == (D("580000000"), D("520130000"))


def test_settings_without_a_budget_in_disbursements_ask_for_the_totals(client_for, year2021):
    page = client_for(Role.CITY).get(reverse("evaluation:year_settings", args=[2021])).content.decode()
    assert "手工录入" in page and "资金拨付模块尚无2021资金年度的预算记录" in page
    assert 'name="manual_budget_original"' in page and "由资金拨付模块自动计算" not in page
    assert "待与资金拨付模块对接" not in page


def test_indicator_page_describes_the_source_instead_of_the_key(client_for, year2021):
    client = client_for(Role.OFFICIAL)
    page = client.get(reverse("evaluation:indicator_detail", args=[2021, 1])).content.decode()
    assert "budget_execution_rate" not in page and "<code>" not in page
    assert "实际支出 ÷ 年初预算，取自资金拨付模块的预算记录和已拨付记录" in page
    statistic = year2021.indicators.filter(source=Source.STATISTICS).first()
    page = client.get(reverse("evaluation:indicator_detail", args=[2021, statistic.number])).content.decode()
    assert statistic.source_key not in page
    with translation.override("zh-hans"):
        assert str(StatisticKey(statistic.source_key).label) in page
