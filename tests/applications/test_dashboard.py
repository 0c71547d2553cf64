"""The applications app's dashboard: each role's own queue (scoped like its lists, oldest first, overdue against
the call's dates), the stepper of the current calls, applications and awards by county."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import Application
from applications.workflow import Status
from core import clock
from tests.factories import UserFactory, application_in
from tests.factories.accounts import county
from tests.factories.applications import enterprise_user

pytestmark = pytest.mark.django_db


def board(client):
    return client.get(reverse("core:dashboard")).context["board"]


def queue(client):
    return {str(item.label): item for item in board(client).queue}


def test_county_queue_is_its_own_county_with_the_oldest_and_the_overdue(client_for):
    waiting = application_in(Status.SUBMITTED)
    second = application_in(Status.SUBMITTED, category=waiting.category)
    application_in(Status.COUNTY_ACCEPTED, category=waiting.category)
    elsewhere = application_in(Status.SUBMITTED, category=waiting.category, county=county("二七区"))
    assert elsewhere.county != waiting.county
    Application.objects.filter(pk=waiting.pk).update(
        submitted_at=datetime.datetime(2024, 9, 27, 9, tzinfo=datetime.UTC))
    Application.objects.filter(pk=second.pk).update(
        submitted_at=datetime.datetime(2024, 10, 8, 9, tzinfo=datetime.UTC))
    waiting.round.county_deadline = datetime.date(2024, 10, 8)
    waiting.round.save()
    client = client_for(UserFactory(role=Role.COUNTY, county=waiting.county))
    with clock.at(datetime.date(2024, 10, 9)):
        items = queue(client)
        intake = items["待受理"]
        assert (intake.count, intake.overdue) == (2, 2)
        # after 27 Sep (Fri) up to 9 Oct: 29 Sep (a Sunday worked), 30 Sep, 8 and 9 Oct; 1–7 Oct is the holiday
        assert intake.age_days == 4 and intake.age_text == "最久的已等待 4 个工作日"
        assert intake.url == f"{reverse('applications:list')}?status=submitted&sort=submitted"
        assert items["已受理待推荐"].count == 1
        body = client.get(reverse("core:dashboard")).content.decode()
    assert "逾期 2 件" in body and "县区已推荐" not in body


def test_enterprise_queue_returned_drafts_and_re_review(client_for):
    app = application_in(Status.RETURNED)
    application_in(Status.DISQUALIFIED, enterprise=app.enterprise, category=app.category)
    used = application_in(Status.DISQUALIFIED, enterprise=app.enterprise, category=app.category)
    Application.objects.filter(pk=used.pk).update(re_review_reason="已申请过复审")
    client = client_for(enterprise_user(app))
    items = queue(client)
    assert items["退回补正"].count == 1
    assert items["资格审核未通过，可申请复审"].count == 1
    assert items["尚未提交的申报书"].count == 0
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "正在申报" in body and reverse("applications:apply") in body
    assert "年度工作进度" not in body  # the enterprise has no cycle stepper


def test_city_queue_and_finance_roles_see_no_intake(client_for):
    application_in(Status.FORWARDED)
    application_in(Status.CITY_ACCEPTED)
    items = queue(client_for(Role.CITY))
    assert items["县区已推荐"].count == 1 and items["待资格审核"].count == 1
    for role in (Role.FINANCE_PREPARER, Role.FINANCE_APPROVER, Role.OFFICIAL, Role.EXPERT):
        labels = set(queue(client_for(role)))
        assert not labels & {"县区已推荐", "待资格审核", "申请复审", "待受理"}, role


def test_the_stepper_counts_each_stage_of_the_current_call(client_for):
    first = application_in(Status.FORWARDED)
    category = first.category
    for status in (Status.SUBMITTED, Status.QUALIFIED, Status.PAID, Status.DECLINED):
        application_in(status, category=category)
    call = first.round
    call.opens_at = timezone.now() - datetime.timedelta(days=30)
    call.closes_at = timezone.now() - datetime.timedelta(days=2)
    call.county_deadline = clock.today() - datetime.timedelta(days=1)
    call.save()
    client = client_for(Role.OFFICIAL)
    cycles = board(client).cycles
    assert [c.key for c in cycles] == [call.year]
    stages = {str(s.label): s for s in cycles[0].stages}
    county_stage = stages["县区审核转报"]
    assert (county_stage.done, county_stage.total, county_stage.state) == (3, 5, "late")
    assert county_stage.count_text == "已转报 3/5"
    assert stages["申报时间"].state == "done" and stages["申报时间"].count_text == "已提交 5 件"
    assert (stages["市级资格审核"].done, stages["市级资格审核"].total) == (2, 3)
    assert (stages["拨付"].done, stages["拨付"].total, stages["拨付"].state) == (1, 1, "done")
    assert [s.order for s in cycles[0].stages] == sorted(s.order for s in cycles[0].stages)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "已逾期" in body and "已转报 3/5" in body


def test_applications_and_awards_by_county(client_for):
    first = application_in(Status.PAID)
    application_in(Status.SUBMITTED, category=first.category)
    application_in(Status.WITHDRAWN, category=first.category)
    figure = next(f for f in board(client_for(Role.CITY)).figures if "申报与获奖补" in str(f.title))
    assert figure.value == "申报 2 件，获奖补 1 件"
    assert first.county.name in figure.chart and "2 / 1" in figure.chart
