"""The satisfaction survey: staff open it, enterprises answer once, results feed indicator 23."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from core.models import Notification
from evaluation.computed import compute
from evaluation.constants import SurveyStatus
from evaluation.models import Survey, SurveyResponse
from evaluation.services import surveys as svc
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def enterprise_user():
    return UserFactory.for_role(Role.ENTERPRISE, organisation=EnterpriseFactory())


@pytest.fixture
def survey(year2021, city):
    users = [enterprise_user() for _ in range(3)]
    survey = svc.survey_create(actor=city, year=year2021, title="满意度调查", intro="", scope=Survey.Scope.SELECTED,
                               questions=["问题一", "问题二"], organisations=[u.organisation for u in users])
    survey = svc.survey_open(actor=city, survey=survey)
    survey.users = users
    return survey


def answer(survey, user, ratings, comment=""):
    questions = list(survey.questions.all())
    return svc.response_submit(actor=user, survey=survey, comment=comment,
                               ratings={q.pk: r for q, r in zip(questions, ratings, strict=True)})


def test_opening_notifies_the_invited_enterprises(survey):
    assert survey.status == SurveyStatus.OPEN
    notes = Notification.objects.filter(recipient__in=survey.users)
    assert notes.count() == 3
    assert notes.first().link == reverse("evaluation:survey_answer", args=[survey.pk])


def test_each_enterprise_answers_once_and_the_results_feed_indicator_23(survey, year2021):
    assert not compute("satisfaction", year2021).available
    answer(survey, survey.users[0], [5, 4])
    answer(survey, survey.users[1], [3, 5])
    with pytest.raises(ValidationError):
        answer(survey, survey.users[0], [1, 1])
    colleague = UserFactory.for_role(Role.ENTERPRISE, organisation=survey.users[0].organisation)
    with pytest.raises(ValidationError):
        answer(survey, colleague, [1, 1])
    result = compute("satisfaction", year2021)
    assert result.actual == Decimal("75.00")  # 3 of 4 ratings satisfied or better
    assert dict(result.inputs) == {"有效问卷数": "2", "调查企业数": "3", "评价数": "4", "满意及非常满意数": "3"}
    assert result.evidence[0].url == reverse("evaluation:survey_detail", args=[2021, survey.pk])


def test_uninvited_enterprises_and_other_roles_cannot_answer(survey):
    with pytest.raises(PermissionDenied):
        answer(survey, enterprise_user(), [5, 5])
    with pytest.raises(PermissionDenied):
        answer(survey, UserFactory.for_role(Role.CITY), [5, 5])
    assert not SurveyResponse.objects.exists()


def test_closed_survey_takes_no_answers(survey, city):
    svc.survey_close(actor=city, survey=survey)
    survey.refresh_from_db()
    with pytest.raises(ValidationError):
        answer(survey, survey.users[0], [5, 5])


def test_every_question_needs_a_rating(survey):
    with pytest.raises(ValidationError):
        svc.response_submit(actor=survey.users[0], survey=survey, ratings={})
    q = survey.questions.first()
    with pytest.raises(ValidationError):
        svc.response_submit(actor=survey.users[0], survey=survey, ratings={q.pk: 6, q.pk + 1: 5})


def test_enterprise_answers_in_the_browser_once(client_for, survey):
    user = survey.users[0]
    client = client_for(user)
    listing = client.get(reverse("evaluation:my_surveys")).content.decode()
    assert "满意度调查" in listing and "请作答" in listing
    url = reverse("evaluation:survey_answer", args=[survey.pk])
    page = client.get(url)
    assert page.status_code == 200 and "非常满意" in page.content.decode()
    q1, q2 = survey.questions.all()
    incomplete = client.post(url, {f"q{q1.pk}": "5"})
    assert incomplete.status_code == 400 and not SurveyResponse.objects.exists()
    client.post(url, {f"q{q1.pk}": "5", f"q{q2.pk}": "4", "comment": "<b>好</b>"})
    response = SurveyResponse.objects.get()
    assert (response.organisation, response.comment) == (user.organisation, "<b>好</b>")
    again = client.get(url).content.decode()
    assert "贵企业已于" in again and "&lt;b&gt;好&lt;/b&gt;" in again
    client.post(url, {f"q{q1.pk}": "1", f"q{q2.pk}": "1"})
    assert SurveyResponse.objects.count() == 1


def test_foreign_and_draft_surveys_answer_404(client_for, survey, year2021, city):
    outsider = client_for(enterprise_user())
    assert outsider.get(reverse("evaluation:survey_answer", args=[survey.pk])).status_code == 404
    draft = svc.survey_create(actor=city, year=year2021, title="草稿", intro="", scope=Survey.Scope.SELECTED,
                              questions=["问题"], organisations=[survey.users[0].organisation])
    insider = client_for(survey.users[0])
    assert insider.get(reverse("evaluation:survey_answer", args=[draft.pk])).status_code == 404
    assert client_for(Role.CITY).get(reverse("evaluation:survey_answer", args=[survey.pk])).status_code == 403


def test_enterprise_cannot_see_results(client_for, survey):
    client = client_for(survey.users[0])
    assert client.get(reverse("evaluation:survey_detail", args=[2021, survey.pk])).status_code == 403


def test_staff_create_survey_in_the_browser(client_for, year2021):
    users = [enterprise_user() for _ in range(2)]
    client = client_for(Role.CITY)
    url = reverse("evaluation:survey_create", args=[2021])
    form = client.get(url)
    assert "对奖补资金拨付的及时性是否满意？" in form.content.decode()
    # the funded enterprises come from the approved support lists (evaluation.computed.adapters)
    funded = client.post(url, {"title": "调查", "scope": "funded", "questions": "问题"})
    assert funded.status_code == 302 and Survey.objects.filter(scope="funded").count() == 1
    client.post(url, {"title": "调查", "scope": "all_with_users", "questions": "问题一\n问题二\n"})
    survey = Survey.objects.get(scope="all_with_users")
    assert survey.questions.count() == 2 and survey.invitations.count() == 0
    client.post(reverse("evaluation:survey_transition", args=[2021, survey.pk, "open"]), {"version": 0})
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    assert set(survey.invitations.values_list("organisation", flat=True)) == {u.organisation_id for u in users}
    results = client.get(reverse("evaluation:survey_detail", args=[2021, survey.pk]))
    assert results.status_code == 200 and "尚未作答" in results.content.decode()


def test_phone_page_has_no_inline_styles_and_big_targets(client_for, survey):
    body = client_for(survey.users[0]).get(reverse("evaluation:survey_answer", args=[survey.pk])).content.decode()
    assert 'style="' not in body and "<script>" not in body
    assert body.count('class="form-check survey-option"') == 10


@pytest.mark.django_db
def test_enterprise_user_without_an_organisation_has_no_pending_survey_and_a_working_dashboard(client_for):
    from evaluation.selectors import pending_survey_count
    from tests.factories import UserFactory

    user = UserFactory(role="enterprise", organisation=None)
    assert pending_survey_count(user) == 0
    assert client_for(user).get("/dashboard/").status_code == 200
