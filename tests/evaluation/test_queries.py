"""The main pages make a fixed number of queries whatever the number of answers, attachments and rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from evaluation.constants import Grade, Source
from evaluation.models import Evidence, Judgement, Survey
from evaluation.services import surveys as svc
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def grow(year, city, n):
    users = [UserFactory.for_role(Role.ENTERPRISE, organisation=EnterpriseFactory()) for _ in range(n)]
    survey = svc.survey_create(actor=city, year=year, title=f"调查{n}", intro="", scope=Survey.Scope.SELECTED,
                               questions=["一", "二", "三"], organisations=[u.organisation for u in users])
    svc.survey_open(actor=city, survey=survey)
    survey.refresh_from_db()
    questions = list(survey.questions.all())
    for user in users:
        svc.response_submit(actor=user, survey=survey, ratings={q.pk: 4 for q in questions})
    for ind in year.indicators.filter(source=Source.JUDGED):
        Judgement.objects.get_or_create(indicator=ind, defaults={"grade": Grade.ACHIEVED, "points": ind.weight,
                                                                 "basis": "x", "judged_by": city})
        for i in range(n // 5):
            Evidence.objects.create(indicator=ind, file=f"evaluation/evidence/x{i}.pdf", original_name=f"{i}.pdf",
                                    content_type="application/pdf", size=1, sha256="0", uploaded_by=city)
    return survey


def count(client, url):
    client.get(url)  # once first: what a connection does once (preparing a statement) is not the page's
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["year_detail", "indicator_list", "report", "survey_detail"])
def test_query_count_does_not_grow_with_the_data(client_for, year2021, city, page):
    client = client_for(city)
    small = grow(year2021, city, 2)
    args = [2021, small.pk] if page == "survey_detail" else [2021]
    before = count(client, reverse(f"evaluation:{page}", args=args))
    large = grow(year2021, city, 20)
    args = [2021, large.pk] if page == "survey_detail" else [2021]
    after = count(client, reverse(f"evaluation:{page}", args=args))
    assert after == before
    assert before < 40


def test_satisfaction_follows_all_opened_surveys(year2021, city):
    grow(year2021, city, 3)
    from evaluation.computed import compute

    assert compute("satisfaction", year2021).actual == Decimal("100.00")
