"""Fixes from the QA pass in the browser (findings 10, 13, 18, 24 and the f-string gettext)."""

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.roles import Role
from core.money import format_wan as wan
from evaluation import catalogue
from evaluation.computed import REGISTRY, adapters, compute
from evaluation.constants import Source, StatisticKey
from evaluation.results import year_results
from evaluation.scoring import score, score_change
from tests.core.test_i18n_gaps import _gettext_inside_fstrings

TRANSLATIONS = Path(settings.BASE_DIR) / "locale" / "translations"


def _django_catalogues():
    """msgid -> {Chinese} from Django's own catalogue and those of the installed apps (admin, auth ...)."""
    import django

    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    found = {}
    for directory in dirs:
        mo = directory / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        if mo.exists() and not mo.is_relative_to(Path(settings.BASE_DIR) / "locale"):
            for entry in polib.mofile(str(mo)):
                if entry.msgstr and not entry.msgctxt:
                    found.setdefault(entry.msgid, set()).add(entry.msgstr)
    return found


def _evaluation_json():
    return json.loads((TRANSLATIONS / "evaluation.json").read_text(encoding="utf-8"))


# -- finding 10: evaluation's msgids must not re-translate Django's or another app's strings ------------------

def test_admin_change_link_reads_xiugai_again():
    with translation.override("zh-hans"):
        assert gettext("Change") == "修改"
    assert "Change" not in _evaluation_json()


def test_evaluation_translations_do_not_shadow_djangos_own_in_another_sense():
    django_zh = _django_catalogues()
    assert django_zh["Change"] == {"修改"}  # the scan reads the catalogues at all
    ours = _evaluation_json()
    shadowing = {msgid: (zh, django_zh[msgid]) for msgid, zh in ours.items()
                 if msgid in django_zh and zh not in django_zh[msgid]}
    assert shadowing == {}


def test_evaluation_translations_do_not_override_another_apps_file():
    ours = _evaluation_json()
    clashes = {}
    for path in sorted(TRANSLATIONS.glob("*.json")):
        if path.name != "evaluation.json":
            theirs = json.loads(path.read_text(encoding="utf-8"))
            clashes |= {f"{path.name}: {k}": (theirs[k], ours[k]) for k in set(ours) & set(theirs)
                        if theirs[k] != ours[k]}
    assert clashes == {}
    # the generic words evaluation used in its own sense now have their own msgids
    for generic in ("Decision", "Enterprises", "By", "required", "Budget (10,000 yuan)"):
        assert generic not in ours, generic


def test_the_change_of_a_growth_indicator_is_still_labelled_in_chinese():
    with translation.override("zh-hans"):
        score = score_change(4, D("-3.2"), increase=False)
        assert dict(score.inputs)["变化幅度"] == "-3.20%"


# -- finding 13: the budget figures say where they come from -----------------------------------------------------

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
    """The second QA pass: with the budget from disbursements, the hidden (disabled) hand-entered totals of the
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


def test_the_hand_entry_note_is_translated(year2021):
    year2021.manual_budget_original, year2021.manual_spent = D("580000000"), D("520130000")
    with translation.override("en"):
        note = compute("budget_execution_rate", year2021).note
    assert note == "Entered by hand: the disbursements module has no budget for this fund year"
    with translation.override("zh-hans"):
        assert compute("budget_execution_rate", year2021).note == "手工录入（资金拨付模块尚无本年度预算）"


# -- finding 18: the data source in words, not the internal key --------------------------------------------------

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


def test_every_computation_of_the_catalogue_has_a_description():
    keys = {row["source_key"] for row in catalogue.indicator_rows() if row["source"] == Source.COMPUTED}
    with translation.override("zh-hans"):
        described = {key: str(REGISTRY[key].description) for key in keys}
    assert all(described.values()), described
    assert not any(text.isascii() for text in described.values()), described


# -- finding 24: counts as whole numbers, money in 万元 with separators --------------------------------------------

def test_counts_print_as_whole_numbers_and_money_in_wan():
    from evaluation.formatting import count

    assert count(D("231.00")) == "231" and count(2) == "2" and count(D("2.5")) == "2.50"
    assert wan(D("514130000.00")) == "51,413.00" and wan(D("550817699.56")) == "55,081.77"
    assert wan(D("1234.5")) == "0.12" and wan(None) == "—"


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


# -- gettext inside an f-string is never extracted -------------------------------------------------------------------

def test_no_gettext_hides_inside_an_fstring_in_evaluation():
    root = Path(settings.BASE_DIR) / "evaluation"
    offenders = [f"{path.relative_to(root)}:{line}" for path in sorted(root.rglob("*.py"))
                 for line, _name in _gettext_inside_fstrings(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_statistics_choices_are_translated():
    from evaluation.forms import source_key_choices

    with translation.override("zh-hans"):
        labels = dict(source_key_choices())
    assert labels["revenue"] == "统计数据：规上工业企业营业收入（亿元）"


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
