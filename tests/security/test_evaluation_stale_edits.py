"""Stale edits in the evaluation (optimistic locking, core/locking.py). Every record two city staff can edit
carries the version its page was opened with. A saves first; B, posting what B typed on the page opened before
A's save, is refused with the Chinese message, what B typed is still on the page (or, for the status buttons,
nothing was typed), the record keeps A's values and version, and no audit row is written. The same post with the
current version goes through. A post without any version is refused the same way (nobody can opt out).

Records: year settings, year status (finalise / reopen), indicator definition (and its deletion), weights,
deviation reason, narrative sections, judgement (also two first judgements racing), monitoring plan, survey
status (open / close / reopen). Monitoring entries are frozen when the snapshot is taken (no form edits them);
survey answers are the enterprise's own, once (a unique constraint)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditLog
from evaluation.constants import Grade, SurveyStatus, YearStatus
from evaluation.models import EvaluationYear, Indicator, Judgement, NarrativeSection, Survey
from evaluation.services import monitoring, surveys
from tests.factories.applications import db_row
from tests.factories.evaluation import year_with_catalogue
from tests.factories.reviews import logged_in

pytestmark = pytest.mark.django_db
STALE = "已被他人修改"
JUDGED = 2


@pytest.fixture
def year():
    return year_with_catalogue(2021)


@pytest.fixture
def two_city():
    return logged_in(role=Role.CITY), logged_in(role=Role.CITY)


def rows(records):
    return [db_row(record) for record in records]


def refused_stale(client, url, data, records, typed=()):
    """``client`` posts ``data`` with an old version: refused, records and audit log untouched, typed text kept."""
    before, audits = rows(records), AuditLog.objects.count()
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert STALE in page, "no stale-edit message"
    assert rows(records) == before, "the stale post changed the record"
    assert AuditLog.objects.count() == audits, "the stale post wrote an audit row"
    for text in typed:
        assert text in page, f"what was typed is lost: {text}"
    return page


def accepted(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def without_version(data):
    return {k: v for k, v in data.items() if k != "version" and not k.startswith("v")}


def test_year_settings(year, two_city):
    a, b = two_city
    url = reverse("evaluation:year_settings", args=[2021])

    def post(fund, version):
        return {"unit_name": "郑州市工业和信息化局", "fund_name": fund, "budget_basis": "original",
                "manual_spent": "52013", "version": version}

    accepted(a, url, post("甲改的资金名称", 0))
    refused_stale(b, url, post("乙改的资金名称", 0), [year], typed=["乙改的资金名称"])
    refused_stale(b, url, without_version(post("乙改的资金名称", 0)), [year], typed=["乙改的资金名称"])
    year.refresh_from_db()
    assert (year.fund_name, year.version) == ("甲改的资金名称", 1)
    accepted(b, url, post("乙改的资金名称", 1))
    assert EvaluationYear.objects.get(pk=year.pk).fund_name == "乙改的资金名称"


def test_year_status_buttons(year, two_city):
    a, b = two_city
    finalise = reverse("evaluation:year_transition", args=[2021, "finalise"])
    reopen = reverse("evaluation:year_transition", args=[2021, "reopen"])
    accepted(a, finalise, {"version": 0})
    accepted(a, reopen, {"version": 1})
    # B's page still shows the draft of version 0: finalising from it is refused although the status matches
    refused_stale(b, finalise, {"version": 0}, [year])
    refused_stale(b, finalise, {}, [year])
    assert EvaluationYear.objects.get(pk=year.pk).status == YearStatus.DRAFT
    accepted(b, finalise, {"version": 2})
    assert EvaluationYear.objects.get(pk=year.pk).status == YearStatus.FINAL


def test_settings_opened_before_the_year_was_finalised_are_refused(year, two_city):
    a, b = two_city
    accepted(a, reverse("evaluation:year_transition", args=[2021, "finalise"]), {"version": 0})
    refused_stale(b, reverse("evaluation:year_settings", args=[2021]),
                  {"unit_name": "乙的单位", "fund_name": "x", "budget_basis": "original", "version": 0}, [year],
                  typed=["乙的单位"])


def test_indicator_definition(year, two_city):
    a, b = two_city
    ind = year.indicators.get(number=11)
    url = reverse("evaluation:indicator_edit", args=[2021, 11])

    def post(name, target, version):
        return {"number": 11, "name": name, "level": ind.level, "direction": "gte", "target_value": target,
                "target_text": "", "unit": "家", "source": "computed", "source_key": "supported_enterprises",
                "scoring_rule": "", "version": version}

    opened = ind.version
    accepted(a, url, post("甲改的指标名", "220", opened))
    page = refused_stale(b, url, post("乙改的指标名", "300", opened), [ind], typed=["乙改的指标名"])
    assert "<title>甲改的指标名" in page  # the heading shows the stored indicator, the form what B typed
    refused_stale(b, url, without_version(post("乙改的指标名", "300", opened)), [ind], typed=["乙改的指标名"])
    ind.refresh_from_db()
    assert (ind.name, ind.target_value, ind.version) == ("甲改的指标名", Decimal("220"), opened + 1)


def test_weights(year, two_city):
    a, b = two_city
    indicators = list(year.indicators.all())
    url = reverse("evaluation:weights", args=[2021])
    opened = {f"v{i.pk}": i.version for i in indicators}

    def post(shift):
        data = {f"w{i.pk}": str(i.weight) for i in indicators} | opened
        data[f"w{indicators[0].pk}"] = str(indicators[0].weight + shift)
        data[f"w{indicators[1].pk}"] = str(indicators[1].weight - shift)
        return data

    accepted(a, url, post(1))
    refused_stale(b, url, post(2), indicators, typed=[f'value="{indicators[0].weight + 2}'])
    refused_stale(b, url, without_version(post(2)), indicators)
    assert Indicator.objects.get(pk=indicators[0].pk).weight == indicators[0].weight + 1


def test_weights_page_opened_before_an_indicator_edit_is_refused(year, two_city):
    a, b = two_city
    indicators = list(year.indicators.all())
    data = {f"w{i.pk}": str(i.weight) for i in indicators} | {f"v{i.pk}": i.version for i in indicators}
    accepted(a, reverse("evaluation:deviation_reason", args=[2021, 1]), {"reason": "甲写的理由", "version": 0})
    data[f"w{indicators[0].pk}"] = str(indicators[0].weight + 1)
    data[f"w{indicators[1].pk}"] = str(indicators[1].weight - 1)
    refused_stale(b, reverse("evaluation:weights", args=[2021]), data, indicators)


def test_deviation_reason(year, two_city):
    a, b = two_city
    ind = year.indicators.get(number=1)
    url = reverse("evaluation:deviation_reason", args=[2021, 1])
    accepted(a, url, {"reason": "甲写的偏差原因", "version": 0})
    refused_stale(b, url, {"reason": "乙写的偏差原因", "version": 0}, [ind], typed=["乙写的偏差原因"])
    refused_stale(b, url, {"reason": "乙写的偏差原因"}, [ind], typed=["乙写的偏差原因"])
    ind.refresh_from_db()
    assert (ind.deviation_reason, ind.version) == ("甲写的偏差原因", 1)
    accepted(b, url, {"reason": "乙写的偏差原因", "version": 1})


def test_narrative_sections(year, two_city):
    a, b = two_city
    url = reverse("evaluation:narrative", args=[2021])
    sections = list(NarrativeSection.objects.filter(year=year))
    opened = {f"v_{s.key}": s.version for s in sections}
    accepted(a, url, {"unit": "甲写的单位情况"} | opened)
    # B changed another section only, but B's page still holds the old text of "unit": all of B's post is refused
    refused_stale(b, url, {"unit": "", "other": "乙写的其他说明"} | opened, sections, typed=["乙写的其他说明"])
    refused_stale(b, url, {"unit": "", "other": "乙写的其他说明"}, sections, typed=["乙写的其他说明"])
    assert NarrativeSection.objects.get(year=year, key="unit").body == "甲写的单位情况"
    assert NarrativeSection.objects.get(year=year, key="other").body == ""


def test_judgement(year, two_city):
    a, b = two_city
    url = reverse("evaluation:judgement", args=[2021, JUDGED])

    def post(points, basis, version):
        return {"grade": Grade.ACHIEVED, "points": points, "basis": basis, "version": version}

    # both opened the indicator before anybody judged it: the second first judgement is refused
    accepted(a, url, post("3.6", "甲的评判依据", 0))
    judgement = Judgement.objects.get()
    refused_stale(b, url, post("3.8", "乙的评判依据", 0), [judgement], typed=["乙的评判依据"])
    accepted(a, url, post("3.7", "甲的第二次依据", 1))
    refused_stale(b, url, post("3.8", "乙的评判依据", 1), [judgement], typed=["乙的评判依据"])
    refused_stale(b, url, without_version(post("3.8", "乙的评判依据", 1)), [judgement], typed=["乙的评判依据"])
    judgement.refresh_from_db()
    assert (judgement.points, judgement.basis, judgement.version) == (Decimal("3.70"), "甲的第二次依据", 2)


def test_monitoring_plan(year, two_city):
    a, b = two_city
    snapshot = monitoring.snapshot_create(actor=a.user, year=year, taken_on=date(2021, 6, 30))
    url = reverse("evaluation:monitoring_detail", args=[2021, snapshot.pk])
    accepted(a, url, {"second_half_plan": "甲的下半年计划", "version": 0})
    refused_stale(b, url, {"second_half_plan": "乙的下半年计划", "version": 0}, [snapshot], typed=["乙的下半年计划"])
    refused_stale(b, url, {"second_half_plan": "乙的下半年计划"}, [snapshot], typed=["乙的下半年计划"])
    snapshot.refresh_from_db()
    assert (snapshot.second_half_plan, snapshot.version) == ("甲的下半年计划", 1)


def test_survey_status_buttons(year, two_city, user_for):
    a, b = two_city
    survey = surveys.survey_create(actor=a.user, year=year, title="调查", intro="", scope="selected",
                                   questions=["问题"], organisations=[user_for(Role.ENTERPRISE).organisation])

    def url(action):
        return reverse("evaluation:survey_transition", args=[2021, survey.pk, action])

    accepted(a, url("open"), {"version": 0})
    accepted(a, url("close"), {"version": 1})
    # B opened the page while it was open (version 1): B's "close" must not act on the closed, reopened survey
    accepted(a, url("reopen"), {"version": 2})
    refused_stale(b, url("close"), {"version": 1}, [survey])
    refused_stale(b, url("close"), {}, [survey])
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.OPEN
    accepted(b, url("close"), {"version": 3})
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.CLOSED


def test_every_record_two_staff_edit_has_a_version():
    from evaluation import models

    locked = {m.__name__ for m in (models.EvaluationYear, models.Indicator, models.NarrativeSection,
                                   models.Judgement, models.MonitoringSnapshot, models.Survey)}
    assert all(hasattr(getattr(models, name), "version") for name in locked)
    assert {f.name for f in models.Indicator._meta.get_fields()} >= {"version", "weight", "deviation_reason"}


def test_every_edit_page_sends_the_version_it_was_opened_with(year, two_city, user_for):
    a, _b = two_city
    first = year.indicators.order_by("number").first()
    snapshot = monitoring.snapshot_create(actor=a.user, year=year, taken_on=date(2021, 6, 30))
    survey = surveys.survey_create(actor=a.user, year=year, title="调查", intro="", scope="selected",
                                   questions=["问题"], organisations=[user_for(Role.ENTERPRISE).organisation])
    pages = {
        reverse("evaluation:year_settings", args=[2021]): ['name="version" value="0"'],
        reverse("evaluation:year_detail", args=[2021]): ['name="version" value="0"'],
        reverse("evaluation:indicator_edit", args=[2021, 11]): ['name="version" value="0"'],
        reverse("evaluation:weights", args=[2021]): [f'name="v{first.pk}" value="0"'],
        reverse("evaluation:narrative", args=[2021]): ['name="v_unit" value="0"'],
        reverse("evaluation:indicator_detail", args=[2021, JUDGED]): ['name="version" value="0"'],
        reverse("evaluation:monitoring_detail", args=[2021, snapshot.pk]): ['name="version" value="0"'],
        reverse("evaluation:survey_detail", args=[2021, survey.pk]): ['name="version" value="0"'],
    }
    for url, needles in pages.items():
        page = a.get(url).content.decode()
        for needle in needles:
            assert needle in page, (url, needle)
    detail = a.get(reverse("evaluation:indicator_detail", args=[2021, JUDGED])).content.decode()
    assert detail.count('name="version"') == 3  # the delete button, the judgement and the deviation reason


def test_a_refused_judgement_is_not_shown_as_the_current_one(year, two_city):
    a, b = two_city
    url = reverse("evaluation:judgement", args=[2021, JUDGED])
    accepted(a, url, {"grade": Grade.ACHIEVED, "points": "3.6", "basis": "甲的评判依据", "version": 0})
    page = b.post(url, {"grade": Grade.ACHIEVED, "points": "3.8", "basis": "乙的评判依据", "version": 0})
    body = page.content.decode()
    current = body[:body.index('action="/evaluation/2021/indicators/2/judgement/"')]
    assert "甲的评判依据" in current and "乙的评判依据" not in current  # the stored one above the form
    assert "乙的评判依据" in body[len(current):]  # B's text is kept in the form


def test_deleting_an_indicator_changed_since_the_page_was_opened_is_refused(year, two_city):
    a, b = two_city
    ind = year.indicators.get(number=26)
    url = reverse("evaluation:indicator_delete", args=[2021, 26])
    accepted(a, reverse("evaluation:deviation_reason", args=[2021, 26]), {"reason": "甲刚写的原因", "version": 0})
    refused_stale(b, url, {"version": 0}, [ind])
    refused_stale(b, url, {}, [ind])
    assert Indicator.objects.filter(pk=ind.pk).exists()
    accepted(b, url, {"version": 1})
    assert not Indicator.objects.filter(pk=ind.pk).exists()
