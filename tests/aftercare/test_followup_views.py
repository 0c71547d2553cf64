"""The follow-up report pages: scope (a foreign report 404s), the role that may not act 403s, the enterprise's form
keeping what was typed with Chinese errors, the county's verification, tabs, search and the XLSX export."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import County
from accounts.roles import Role
from aftercare.followup_models import FollowupReport
from aftercare.followup_services import followup_schedule
from aftercare.followup_workflow import FollowupStatus
from core import clock
from tests.factories.accounts import UserFactory
from tests.factories.applications import enterprise_user
from tests.helpers import login, xlsx_cells

from .conftest import paid_project

pytestmark = pytest.mark.django_db

FIRST = {"revenue": "6,000", "taxes": "240", "jobs": "220", "energy": "1100", "output": "1400",
         "base_revenue": "5000", "base_taxes": "200", "base_jobs": "200", "base_energy": "1000",
         "base_output": "1000", "explanation": ""}


@pytest.fixture
def report(project):
    followup_schedule(commitment_id=project.pk)
    return FollowupReport.objects.get(commitment=project, year=2022)


def post(**kw):
    return {**FIRST, "version": "1", **kw}


def test_the_enterprise_sees_its_own_reports_only_and_submits_in_wan(client, project, owner, report):
    other = paid_project()
    followup_schedule(commitment_id=other.pk)
    foreign = FollowupReport.objects.filter(commitment=other).first()
    login(client, owner)
    page = client.get(reverse("aftercare:followup_list")).content.decode()
    assert project.application.project_name in page and other.application.project_name not in page
    assert client.get(reverse("aftercare:followup_detail", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("aftercare:followup_submit", args=[foreign.pk]), post()).status_code == 404
    detail = client.get(reverse("aftercare:followup_detail", args=[report.pk])).content.decode()
    assert "填报 2022 年度绩效情况" in detail and "基期 2020 年" in detail and "2023-03-31" in detail
    response = client.post(reverse("aftercare:followup_submit", args=[report.pk]), post())
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FollowupStatus.SUBMITTED and str(report.revenue) == "60000000.00"
    assert report.jobs == 220 and str(report.energy) == "1100.00"


def test_bad_figures_are_refused_in_chinese_keeping_what_was_typed(client, owner, report):
    login(client, owner)
    response = client.post(reverse("aftercare:followup_submit", args=[report.pk]),
                           post(revenue="12ab", taxes="-5", base_jobs=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="12ab"' in page and 'value="-5"' in page and "is-invalid" in page and "负" in page
    response = client.post(reverse("aftercare:followup_submit", args=[report.pk]),
                           post(revenue="9000", explanation=""))  # +80 % on the base year
    page = response.content.decode()
    assert response.status_code == 400 and "变动说明" in page and 'value="9000"' in page
    report.refresh_from_db()
    assert report.status == FollowupStatus.DUE and report.revenue is None


def test_the_county_verifies_its_own_county_only_and_the_enterprise_may_not(client, project, owner, county_user,
                                                                            report):
    login(client, owner)
    client.post(reverse("aftercare:followup_submit", args=[report.pk]), post())
    assert client.post(reverse("aftercare:followup_verify", args=[report.pk]),
                       {"version": "2"}).status_code == 403
    outsider = UserFactory(role=Role.COUNTY, county=County.objects.exclude(pk=project.county_id).first())
    login(client, outsider)
    assert client.get(reverse("aftercare:followup_detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("aftercare:followup_verify", args=[report.pk]), {"version": "2"}).status_code == 404
    login(client, county_user)
    page = client.get(reverse("aftercare:followup_detail", args=[report.pk])).content.decode()
    assert "核实无误" in page and "6,000.00" in page
    response = client.post(reverse("aftercare:followup_return", args=[report.pk]), {"version": "2", "reason": ""})
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    assert client.post(reverse("aftercare:followup_verify", args=[report.pk]), {"version": "2"}).status_code == 302
    report.refresh_from_db()
    assert report.status == FollowupStatus.VERIFIED and report.verified_by == county_user


def test_tabs_search_and_overdue(client, project, county_user, city, report):
    login(client, city)
    with clock.at(datetime.date(2023, 4, 5)):
        page = client.get(reverse("aftercare:followup_list"), {"status": "overdue"}).content.decode()
    assert project.application.project_name in page and "已逾期" in page
    page = client.get(reverse("aftercare:followup_list"), {"status": "overdue"}).content.decode()
    assert project.application.project_name in page  # today is long after 2023-03-31
    page = client.get(reverse("aftercare:followup_list"), {"status": "verified"}).content.decode()
    assert project.application.project_name not in page
    receipt = project.application.receipt_no
    page = client.get(reverse("aftercare:followup_list"), {"q": receipt[:6].lower(), "year": "2022"}).content.decode()
    assert project.application.project_name in page and f'value="{receipt[:6].lower()}"' in page
    page = client.get(reverse("aftercare:followup_list"), {"q": "<b>无此企业</b>"}).content.decode()
    assert "没有符合条件的绩效跟踪报告" in page and "&lt;b&gt;无此企业" in page
    assert client.get(reverse("aftercare:followup_list"), {"year": "２０２２"}).status_code == 400


def test_the_export_lists_the_county_rows_only(client, project, county_user, report):
    other = paid_project(county=County.objects.exclude(pk=project.county_id).first())
    followup_schedule(commitment_id=other.pk)
    login(client, county_user)
    response = client.get(reverse("aftercare:followup_export"), {"year": "2022"})
    assert response.status_code == 200
    texts = [str(cell.value) for cell in xlsx_cells(response, filled=True)]
    assert project.application.project_name in texts and other.application.project_name not in texts
    assert any(project.county.name in t for t in texts) and "2022" in " ".join(texts)


def test_other_roles_are_refused(client, project, report):
    login(client, UserFactory(role=Role.EXPERT))
    assert client.get(reverse("aftercare:followup_list")).status_code == 403
    login(client, enterprise_user(project.application))
    assert client.get(reverse("aftercare:followup_export")).status_code == 403
    login(client, UserFactory(role=Role.CITY))
    assert client.post(reverse("aftercare:followup_submit", args=[report.pk]), post()).status_code == 403
