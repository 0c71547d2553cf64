"""The application views read numbers strictly: a malformed id or number is a 400 or a form error in Chinese,
never a 500, and nothing is saved before all input is valid."""


import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import Application, ApplicationVersion
from applications.workflow import Status
from core.models import AuditLog
from tests.factories import ApplicationFactory, MaterialFactory, RoundFactory, UserFactory, application_in
from tests.factories.applications import (
    category_with_rules,
    enterprise_user,
)

pytestmark = pytest.mark.django_db
BAD = ["²", "１", "١", "1e3", "-1", "9" * 10_000]


def versions(app, n):
    for number in range(1, n + 1):
        ApplicationVersion.objects.create(application=app, number=number, data={"project_name": app.project_name},
                                          submitted_at=timezone.now())


@pytest.mark.parametrize("value", BAD)
def test_the_draft_edit_with_a_malformed_removal_saves_nothing(client_for, value):
    draft = ApplicationFactory()
    MaterialFactory(category=draft.category)
    client = client_for(enterprise_user(draft))
    audit_rows, version, name = AuditLog.objects.count(), draft.version, draft.project_name
    response = client.post(reverse("applications:edit", args=[draft.pk]),
                           {"project_name": "不应保存的名称", "version": draft.version, "remove": value})
    assert response.status_code == 400
    assert "不是有效的" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.project_name, draft.version) == (name, version)
    assert AuditLog.objects.count() == audit_rows


@pytest.mark.parametrize("value", ["²", "１", "0", "abc"])
def test_a_malformed_rank_forwards_nothing_and_says_why(client_for, value):
    app = application_in(Status.COUNTY_ACCEPTED)
    client = client_for(UserFactory(role=Role.COUNTY, county=app.county))
    response = client.post(reverse("applications:batch"),
                           {"selected": [app.pk], f"rank_{app.pk}": value, "opinion": "同意"}, follow=True)
    app.refresh_from_db()
    assert app.status == Status.COUNTY_ACCEPTED
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert any("排序须为从1开始的整数" in text for text in errors), errors


@pytest.mark.parametrize("value", BAD)
def test_malformed_selected_ids_are_a_400(client_for, value):
    app = application_in(Status.COUNTY_ACCEPTED)
    client = client_for(UserFactory(role=Role.COUNTY, county=app.county))
    response = client.post(reverse("applications:batch"), {"selected": [app.pk, value], "opinion": "同意"})
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == Status.COUNTY_ACCEPTED


@pytest.mark.parametrize("value", BAD)
def test_the_pdf_and_compare_refuse_malformed_versions(client_for, value):
    app = application_in(Status.SUBMITTED)
    client = client_for(enterprise_user(app))
    assert client.get(reverse("applications:pdf", args=[app.pk]), {"v": value}).status_code == 400
    versions(app, 2)
    assert client.get(reverse("applications:compare", args=[app.pk]), {"a": "1"}).status_code == 200
    assert client.get(reverse("applications:compare", args=[app.pk]), {"a": value}).status_code == 400


def test_a_valid_version_number_still_picks_that_version(client_for):
    app = application_in(Status.SUBMITTED)
    client = client_for(enterprise_user(app))
    versions(app, 1)
    response = client.get(reverse("applications:pdf", args=[app.pk]), {"v": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Application.objects.filter(pk=app.pk).exists()


def test_checklist_names_money_fields_in_wan_like_the_form(client_for):
    app = ApplicationFactory(total_investment=None, eligible_investment=None, requested_amount=None)
    body = client_for(enterprise_user(app)).get(reverse("applications:edit", args=[app.pk])).content.decode()
    checklist, form = body.split("data-warn-unsaved", 1)
    checklist = checklist.split("提交前还需要", 1)[1]
    for label in ("项目总投资（万元）", "符合条件投资（万元）", "申请奖补金额（万元）"):
        assert f"请填写“{label}”" in checklist
        assert f">{label}" in form  # the field right below carries the same name
    assert "（元）" not in checklist


def test_empty_amount_shows_a_dash_alone(client_for):
    app = ApplicationFactory(equipment_investment=None)
    client = client_for(enterprise_user(app))
    for name in ("detail", "submit"):
        body = client.get(reverse(f"applications:{name}", args=[app.pk])).content.decode()
        assert "— 万元" not in body and "—\n 万元" not in body
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "设备投资</dt><dd class=\"col-sm-8\">—</dd>" in body
    assert "3,000.00 万元" in body  # a filled amount keeps its unit


def test_apply_page_links_to_the_company_profile_when_the_size_blocks(client_for):
    category = category_with_rules(above_scale_only=True)
    category.round.is_published = True
    category.round.save()
    app = ApplicationFactory(category=category, round=category.round)
    app.enterprise.is_above_scale = False
    app.enterprise.save()
    body = client_for(enterprise_user(app)).get(reverse("applications:apply")).content.decode()
    assert "如情况已变化，请更新企业信息" in body
    assert f'href="{reverse("accounts:company")}?edit=1"' in body and "更新企业信息</a>" in body


def test_public_pages_and_login_link_to_the_publicity(client):
    round_ = RoundFactory(is_published=True)
    target = f'href="{reverse("publicity:index")}"'
    for url in (reverse("public:calls"), reverse("public:call", args=[round_.year]), reverse("accounts:login")):
        body = client.get(url).content.decode()
        assert target in body, url
        assert "拟支持项目名单公示" in body.split(target, 1)[1].split("</a>", 1)[0], url
    assert client.get(reverse("publicity:index")).status_code == 200


def test_the_reason_label_warns_staff_not_the_enterprise(client_for):
    """Staff are told the enterprise reads their reasons; the enterprise's own re-review request just asks for its
    reasons (it once read 理由（企业可见） on its own form)."""
    app = application_in(Status.DISQUALIFIED)
    own = client_for(enterprise_user(app)).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "申请复审" in own and "理由" in own and "企业可见" not in own
    page = client_for(enterprise_user(app)).get(reverse("applications:re_review", args=[app.pk])).content.decode()
    assert "申请复审的理由" in page and "企业可见" not in page
    accepted = application_in(Status.CITY_ACCEPTED)
    city = client_for(Role.CITY).get(reverse("applications:detail", args=[accepted.pk])).content.decode()
    assert "理由（企业可见）" in city


def test_required_at_submission_is_said_only_on_the_enterprise_draft_form(client_for):
    """（提交时必填） means "needed before you submit": only the enterprise's draft form says it; a staff form's
    required fields are simply 必填."""
    draft = ApplicationFactory()
    own = client_for(enterprise_user(draft)).get(reverse("applications:edit", args=[draft.pk])).content.decode()
    assert "（提交时必填）" in own
    city = client_for(Role.CITY)
    for url in (reverse("applications:call_new"), reverse("applications:call_edit", args=[draft.round.pk]),
                reverse("applications:category_edit", args=[draft.round.pk, draft.category.pk])):
        page = city.get(url)
        assert page.status_code == 200, url
        body = page.content.decode()
        assert "提交时必填" not in body and "（必填）" in body, url
