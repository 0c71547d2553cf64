"""Mass assignment on every form of evaluation/forms.py that a view accepts by POST: each case posts the normal
data plus fields the form does not offer (status, year, version, weight or score of another indicator, who created
or answered it, the respondent enterprise, sizes and hashes of a file ...). The post succeeds and the extra fields
are ignored: asserted on the stored rows. A form added to evaluation/forms.py without a case here fails the suite.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from evaluation import forms as evaluation_forms
from evaluation.constants import Grade, StatisticKey, SurveyStatus, YearStatus
from evaluation.models import (
    EvaluationYear,
    Evidence,
    Indicator,
    Judgement,
    MonitoringSnapshot,
    StatisticFigure,
    StatisticsImport,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from evaluation.services import monitoring, surveys
from tests.factories.applications import MINIMAL_PDF
from tests.factories.evaluation import year_with_catalogue
from tests.security.test_evaluation_uploads import template_with

pytestmark = pytest.mark.django_db
JUDGED = 2  # a judged indicator of the catalogue (weight 4)
LONG_AGO = "2001-01-01T00:00:00+08:00"


@dataclass
class World:
    year: EvaluationYear
    other_year: EvaluationYear
    city: object
    other_city: object
    enterprise: object
    other_enterprise: object


@pytest.fixture
def world(user_for):
    return World(year=year_with_catalogue(2021), other_year=year_with_catalogue(2022), city=user_for(Role.CITY),
                 other_city=user_for(Role.CITY), enterprise=user_for(Role.ENTERPRISE),
                 other_enterprise=user_for(Role.ENTERPRISE))


def hostile(w, **more):
    """Fields no evaluation form offers; each case adds what concerns its record."""
    return {"status": YearStatus.FINAL, "is_locked": "on", "finalised": "on", "score": "100", "computed_score": "100",
            "points": "100", "total_points": "100", "created_by": w.other_city.pk, "updated_by": w.other_city.pk,
            "uploaded_by": w.other_city.pk, "judged_by": w.other_city.pk, "submitted_by": w.other_enterprise.pk,
            "organisation": w.other_enterprise.organisation_id, "respondent": w.other_enterprise.organisation_id,
            "enterprise": w.other_enterprise.organisation_id, "created_at": LONG_AGO, "updated_at": LONG_AGO,
            "id": 999999, "pk": 999999, **more}


def indicator(w, number=JUDGED, year=None):
    return (year or w.year).indicators.get(number=number)


def other_indicator(w):
    return indicator(w, 1, w.other_year)


# --- the cases: (form class, who posts, url, normal data, extra fields, what must hold afterwards) -----------


def year_create(w):
    def check():
        new = EvaluationYear.objects.get(year=2023)
        assert (new.status, new.version, new.unit_name) == (YearStatus.DRAFT, 0, "郑州市工业和信息化局")
        assert new.manual_spent is None and new.pk != 999999

    return (w.city, reverse("evaluation:year_create"), {"year": 2023},
            hostile(w, version=77, unit_name="改名单位", manual_spent="1"), check)


def year_settings(w):
    def check():
        w.year.refresh_from_db()
        assert (w.year.year, w.year.status, w.year.version, w.year.fund_name) == (
            2021, YearStatus.DRAFT, 1, "改过的资金名称")

    data = {"unit_name": "郑州市工业和信息化局", "fund_name": "改过的资金名称", "budget_basis": "original",
            "version": 0}
    return w.city, reverse("evaluation:year_settings", args=[2021]), data, hostile(w, year=2030), check


def indicator_create(w):
    foreign = other_indicator(w)

    def check():
        new = w.year.indicators.get(number=30)
        assert (new.version, new.deviation_reason, new.year_id) == (1, "", w.year.pk)
        assert Indicator.objects.get(pk=foreign.pk).weight == foreign.weight
        assert not w.other_year.indicators.filter(number=30).exists()

    data = {"number": 30, "name": "新增指标", "level": "output", "direction": "gte", "target_value": "5",
            "target_text": "", "unit": "个", "weight": "0", "source": "computed", "source_key": "satisfaction",
            "scoring_rule": ""}
    extra = hostile(w, year=w.other_year.pk, version=40, deviation_reason="塞进来的理由",
                    **{f"w{foreign.pk}": "99", "indicator": foreign.pk})
    return w.city, reverse("evaluation:indicator_create", args=[2021]), data, extra, check


def indicator_edit(w):
    ind = indicator(w, 11)

    def check():
        fresh = Indicator.objects.get(pk=ind.pk)
        assert (fresh.target_value, fresh.weight, fresh.year_id, fresh.deviation_reason, fresh.version) == (
            Decimal("220"), ind.weight, w.year.pk, "", ind.version + 1)

    data = {"number": 11, "name": ind.name, "level": ind.level, "direction": "gte", "target_value": "220",
            "target_text": "≥220家", "unit": "家", "source": "computed", "source_key": "supported_enterprises",
            "scoring_rule": "按支持名单计数", "version": ind.version}
    extra = hostile(w, weight="50", year=w.other_year.pk, deviation_reason="塞进来的理由")
    return w.city, reverse("evaluation:indicator_edit", args=[2021, 11]), data, extra, check


def weights(w):
    indicators = list(w.year.indicators.all())
    foreign = other_indicator(w)

    def check():
        assert Indicator.objects.get(pk=foreign.pk).weight == foreign.weight
        assert Indicator.objects.get(pk=indicators[0].pk).weight == indicators[0].weight + 1
        assert w.year.indicators.get(pk=indicators[0].pk).name == indicators[0].name

    data = {f"w{i.pk}": str(i.weight) for i in indicators} | {f"v{i.pk}": i.version for i in indicators}
    data[f"w{indicators[0].pk}"] = str(indicators[0].weight + 1)
    data[f"w{indicators[1].pk}"] = str(indicators[1].weight - 1)
    extra = hostile(w, **{f"w{foreign.pk}": "99", f"v{foreign.pk}": foreign.version, "weight": "100",
                          f"name{indicators[0].pk}": "改名"})
    return w.city, reverse("evaluation:weights", args=[2021]), data, extra, check


def deviation_reason(w):
    ind = indicator(w, 1)

    def check():
        fresh = Indicator.objects.get(pk=ind.pk)
        assert fresh.deviation_reason == "部分项目未验收"
        assert (fresh.weight, fresh.name, fresh.target_value, fresh.source) == (
            ind.weight, ind.name, ind.target_value, ind.source)

    extra = hostile(w, weight="50", name="改名", target_value="1", source="judged", number=99)
    return (w.city, reverse("evaluation:deviation_reason", args=[2021, 1]),
            {"reason": "部分项目未验收", "version": ind.version}, extra, check)


def narrative(w):
    def check():
        section = w.year.sections.get(key="unit")
        assert (section.body, section.updated_by_id, section.year_id) == ("市工信局……", w.city.pk, w.year.pk)
        assert not w.other_year.sections.exclude(body="").exists()

    data = {"unit": "市工信局……"} | {f"v_{s.key}": s.version for s in w.year.sections.all()}
    return w.city, reverse("evaluation:narrative", args=[2021]), data, hostile(w, year=w.other_year.pk), check


def judgement(w):
    ind, foreign = indicator(w), other_indicator(w)

    def check():
        saved = Judgement.objects.get()
        assert (saved.indicator_id, saved.judged_by_id, saved.points, saved.version) == (
            ind.pk, w.city.pk, Decimal("3.60"), 1)
        assert Indicator.objects.get(pk=ind.pk).weight == ind.weight

    data = {"grade": Grade.ACHIEVED, "points": "3.6", "basis": "预算依据郑政〔2020〕20号编制", "version": 0}
    extra = hostile(w, indicator=foreign.pk, weight="100", judged_at=LONG_AGO)
    extra.pop("points")  # a real field of the form
    return w.city, reverse("evaluation:judgement", args=[2021, JUDGED]), data, extra, check


def evidence(w):
    def check():
        saved = Evidence.objects.get()
        assert (saved.indicator_id, saved.uploaded_by_id, saved.size, saved.content_type) == (
            indicator(w).pk, w.city.pk, len(MINIMAL_PDF), "application/pdf")
        assert saved.original_name == "批复.pdf" and saved.sha256 != "0" * 64

    extra = hostile(w, indicator=other_indicator(w).pk, size="1", sha256="0" * 64, content_type="text/html",
                    original_name="evil.html", file_name="../../x.html")
    return (w.city, reverse("evaluation:evidence_upload", args=[2021, JUDGED]),
            {"file": SimpleUploadedFile("批复.pdf", MINIMAL_PDF), "description": "预算批复"}, extra, check)


def statistics_upload(w):
    def check():
        record = StatisticsImport.objects.get()
        assert (record.year_id, record.uploaded_by_id, record.rows) == (w.year.pk, w.city.pk, 1)
        assert not StatisticFigure.objects.filter(year=w.other_year).exists()

    data = {"file": SimpleUploadedFile("统计.xlsx", template_with(w.year, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8}))}
    extra = hostile(w, year=w.other_year.pk, rows="100", sha256="0" * 64, period="half")
    return w.city, reverse("evaluation:statistics", args=[2021]), data, extra, check


def survey_create(w):
    def check():
        survey = Survey.objects.get()
        assert (survey.status, survey.version, survey.created_by_id, survey.year_id) == (
            SurveyStatus.DRAFT, 0, w.city.pk, w.year.pk)
        assert list(survey.invitations.values_list("organisation_id", flat=True)) == [w.enterprise.organisation_id]

    data = {"title": "调查", "intro": "", "scope": "selected", "questions": "问题一",
            "organisations": [w.enterprise.organisation_id]}
    extra = hostile(w, status=SurveyStatus.OPEN, version=9, year=w.other_year.pk)
    return w.city, reverse("evaluation:survey_create", args=[2021]), data, extra, check


def open_survey(w, year):
    survey = surveys.survey_create(actor=w.city, year=year, title=f"{year.year}调查", intro="", scope="selected",
                                   questions=["问题一"], organisations=[w.enterprise.organisation])
    return surveys.survey_open(actor=w.city, survey=survey)


def survey_answer(w):
    survey, foreign = open_survey(w, w.year), open_survey(w, w.other_year)
    question, foreign_question = survey.questions.get(), foreign.questions.get()

    def check():
        response = SurveyResponse.objects.get()
        assert (response.survey_id, response.organisation_id, response.submitted_by_id) == (
            survey.pk, w.enterprise.organisation_id, w.enterprise.pk)
        assert list(SurveyAnswer.objects.values_list("question_id", "rating")) == [(question.pk, 5)]
        assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.OPEN

    extra = hostile(w, survey=foreign.pk, **{f"q{foreign_question.pk}": "1", "rating": "1",
                                             "status": SurveyStatus.CLOSED})
    return (w.enterprise, reverse("evaluation:survey_answer", args=[survey.pk]),
            {f"q{question.pk}": "5", "comment": "很好"}, extra, check)


def monitoring_create(w):
    def check():
        snapshot = MonitoringSnapshot.objects.get()
        assert (snapshot.year_id, snapshot.created_by_id, snapshot.version, snapshot.taken_on) == (
            w.year.pk, w.city.pk, 0, date(2021, 6, 30))
        assert snapshot.entries.count() == 26 and not snapshot.entries.filter(state="on_track", points=100).exists()

    extra = hostile(w, year=w.other_year.pk, version=9, state="on_track", warning="")
    return (w.city, reverse("evaluation:monitoring_list", args=[2021]),
            {"taken_on": "2021-06-30", "second_half_plan": "下半年计划"}, extra, check)


def monitoring_plan(w):
    snapshot = monitoring.snapshot_create(actor=w.city, year=w.year, taken_on=date(2021, 6, 30))

    def check():
        fresh = MonitoringSnapshot.objects.get(pk=snapshot.pk)
        assert (fresh.second_half_plan, fresh.taken_on, fresh.year_id, fresh.created_by_id, fresh.version) == (
            "加快拨付", date(2021, 6, 30), w.year.pk, w.city.pk, 1)

    extra = hostile(w, taken_on="2021-01-01", year=w.other_year.pk)
    return (w.city, reverse("evaluation:monitoring_detail", args=[2021, snapshot.pk]),
            {"second_half_plan": "加快拨付", "version": 0}, extra, check)


def year_transition(w):
    def check():
        fresh = EvaluationYear.objects.get(pk=w.year.pk)
        assert (fresh.status, fresh.version, fresh.year, fresh.unit_name) == (
            YearStatus.FINAL, 1, 2021, "郑州市工业和信息化局")

    extra = hostile(w, status=YearStatus.DRAFT, year=2030, unit_name="改名单位")
    return (w.city, reverse("evaluation:year_transition", args=[2021, "finalise"]), {"version": 0}, extra, check)


CASES = {
    "YearCreateForm": year_create,
    "YearSettingsForm": year_settings,
    "IndicatorForm (new)": indicator_create,
    "IndicatorForm": indicator_edit,
    "WeightsForm": weights,
    "DeviationReasonForm": deviation_reason,
    "NarrativeForm": narrative,
    "JudgementForm": judgement,
    "EvidenceForm": evidence,
    "StatisticsUploadForm": statistics_upload,
    "SurveyForm": survey_create,
    "SurveyAnswerForm": survey_answer,
    "MonitoringForm": monitoring_create,
    "MonitoringPlanForm": monitoring_plan,
    "TransitionForm": year_transition,
}


@pytest.mark.parametrize("case", CASES)
def test_extra_fields_are_ignored(world, client_for, case):
    user, url, data, extra, check = CASES[case](world)
    client = client_for(user)
    response = client.post(url, {**extra, **data})
    assert response.status_code == 302, response.content.decode()[:3000]
    check()


def test_every_form_that_a_view_accepts_has_a_case():
    names = {name for name, cls in vars(evaluation_forms).items()
             if isinstance(cls, type) and issubclass(cls, django_forms.BaseForm)
             and cls.__module__ == "evaluation.forms"}
    covered = {case.split(" ")[0] for case in CASES}
    assert names == covered, f"forms without a mass-assignment case: {names - covered}"


def test_the_time_stamp_and_id_are_not_taken_from_the_post(world, client_for):
    """The created_at sent by the post is not the stored one (auto_now_add ignores it whatever the form does)."""
    client = client_for(world.city)
    client.post(reverse("evaluation:year_create"), {"year": 2024, "created_at": LONG_AGO, "id": 4242})
    new = EvaluationYear.objects.get(year=2024)
    assert new.created_at > timezone.now() - timezone.timedelta(minutes=5) and new.pk != 4242
