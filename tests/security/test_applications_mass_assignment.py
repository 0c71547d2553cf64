"""Mass assignment on the applications forms: the draft form, starting a draft, the submit form, and the city's
call and category pages (award rule and materials formset included).

Each post carries the form's real fields plus hostile extras naming workflow fields (status, receipt number,
dates), another county / enterprise / round / category, amounts nobody types in the draft and the author fields.
They are ignored: a fresh read of every column shows exactly the intended change. (The action form and the finance
batch form are covered by test_workflow_skips.py.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import County
from accounts.roles import Role
from applications.models import Application, AwardRule, Category, Material, Round
from applications.workflow import Status
from tests.factories import ProfiledEnterpriseFactory, RoundFactory, UserFactory, category_with_rules
from tests.factories.applications import (
    application_in,
    attach_required,
    browser,
    category_post,
    changed_columns,
    db_row,
    enterprise_user,
    round_post,
)

pytestmark = pytest.mark.django_db
WAN = 10000


@pytest.fixture
def other():
    """Another enterprise (金水区) with a submitted application in a closed call: the targets of the extras."""
    closed = RoundFactory(opens_at=timezone.now() - datetime.timedelta(days=400),
                          closes_at=timezone.now() - datetime.timedelta(days=300))
    category = category_with_rules(round=closed)
    enterprise = ProfiledEnterpriseFactory(county=County.objects.get(name="金水区"))
    app = application_in(Status.SUBMITTED, category=category, enterprise=enterprise)
    app.user = enterprise_user(enterprise)
    return app


def workflow_extras(other):
    """What only the workflow, the county, the city or the finance side may set, pointing at ``other``."""
    return {
        "status": Status.QUALIFIED, "county": other.county_id, "county_id": other.county_id,
        "enterprise": other.enterprise_id, "enterprise_id": other.enterprise_id, "round": other.round_id,
        "round_id": other.round_id, "category": other.category_id, "category_id": other.category_id,
        "receipt_no": "2021-JS-9999", "created_by": other.user.pk, "created_at": "2000-01-01 00:00",
        "first_submitted_at": "2020-01-01 00:00", "submitted_at": "2020-01-01 00:00", "forwarded_at": "2020-01-01",
        "qualified_at": "2020-01-01", "city_accepted_at": "2020-01-01", "county_decided_at": "2020-01-01",
        "declaration_accepted": "on", "declaration_accepted_at": "2020-01-01", "return_reason": "伪造的退回理由",
        "county_opinion": "同意推荐（伪造）", "county_rank": "1", "re_review_reason": "x", "approved_amount": "99999",
        "award_amount": "99999", "proposed_amount": "99999", "amount": "99999", "id": other.pk, "pk": other.pk,
        "is_published": "on",
    }


def wan(value):
    return "" if value is None else format((value / WAN).normalize(), "f")


def draft_post(app, **overrides):
    """The draft form exactly as the page posts it, unchanged, with the version the page was opened with."""
    data = {name: getattr(app, name) or "" for name in (
        "project_name", "construction_type", "location", "description", "expected_outcomes", "other_subsidy_detail")}
    data.update({name: wan(getattr(app, name)) for name in (
        "total_investment", "eligible_investment", "equipment_investment", "requested_amount")})
    data.update(start_date=app.start_date.isoformat(), end_date=app.end_date.isoformat(), version=app.version)
    if app.other_subsidy:
        data["other_subsidy"] = "on"
    data.update(overrides)
    return data


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_draft_form_writes_only_the_draft_fields(client_for, other, status):
    app = application_in(status)
    other_before = db_row(other)
    response = client_for(enterprise_user(app)).post(
        reverse("applications:edit", args=[app.pk]),
        {**workflow_extras(other), **draft_post(app, project_name="改过名称的项目", requested_amount="150")})
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.project_name, app.requested_amount, app.status) == ("改过名称的项目", 150 * WAN, status)
    assert db_row(other) == other_before


def test_draft_form_changes_no_column_beyond_the_typed_ones(client_for, other):
    app = application_in(Status.DRAFT)
    before = db_row(app)
    client_for(enterprise_user(app)).post(reverse("applications:edit", args=[app.pk]),
                                          {**workflow_extras(other), **draft_post(app, location="郑州市金水区")})
    assert changed_columns(before, app) == {"location", "version", "updated_at"}


def test_starting_a_draft_ignores_enterprise_county_status_and_amounts(client_for, other):
    category = category_with_rules()
    me = enterprise_user(ProfiledEnterpriseFactory(county=County.objects.get(name="中原区")))
    response = client_for(me).post(reverse("applications:start", args=[category.pk]),
                                   {**workflow_extras(other), "project_name": "新项目", "requested_amount": "9999"})
    assert response.status_code == 302
    app = Application.objects.get(project_name="新项目")
    assert (app.enterprise_id, app.county.name, app.status, app.round_id, app.category_id) == (
        me.organisation_id, "中原区", Status.DRAFT, category.round_id, category.pk)
    assert (app.receipt_no, app.requested_amount, app.first_submitted_at, app.version) == ("", None, None, 1)
    assert app.created_by == me and app.return_reason == "" and app.county_rank is None


def test_a_category_of_a_closed_call_cannot_be_started(client_for, other):
    me = enterprise_user(ProfiledEnterpriseFactory())
    count = Application.objects.count()
    response = client_for(me).post(reverse("applications:start", args=[other.category_id]),
                                   {"project_name": "迟到的项目"}, follow=True)
    assert Application.objects.count() == count
    assert "未开放申报" in response.content.decode() or "不在申报期" in response.content.decode() \
        or "未开放" in response.content.decode()


def test_a_category_of_an_unpublished_call_answers_404(client_for):
    category = category_with_rules(round=RoundFactory(is_published=False))
    me = enterprise_user(ProfiledEnterpriseFactory())
    assert client_for(me).post(reverse("applications:start", args=[category.pk]),
                               {"project_name": "x"}).status_code == 404
    assert not Application.objects.filter(category=category).exists()


def test_submit_form_takes_receipt_county_and_status_from_the_workflow(client_for, other):
    app = application_in(Status.DRAFT)
    me = enterprise_user(app)
    attach_required(app, me)
    before, other_before = db_row(app), db_row(other)
    response = client_for(me).post(reverse("applications:submit", args=[app.pk]),
                                   {**workflow_extras(other), "declaration": "on", "version": app.version})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert app.receipt_no == f"{app.round.year}-{app.enterprise.county.abbreviation}-0001"
    assert app.county_id == app.enterprise.county_id == before["county_id"]
    assert changed_columns(before, app) <= {"status", "version", "receipt_no", "submitted_at", "first_submitted_at",
                                            "declaration_accepted", "declaration_accepted_at", "updated_at"}
    assert (app.requested_amount, app.enterprise_id, app.return_reason, app.county_rank) == (
        before["requested_amount"], before["enterprise_id"], "", None)
    assert db_row(other) == other_before


# --- the city's call pages ---

def test_a_new_call_is_never_published_by_the_form(client_for, other):
    existing = db_row(other.round)
    response = client_for(Role.CITY).post(reverse("applications:call_new"), {
        **workflow_extras(other), "version": "99", "updated_at": "2000-01-01", "programme": "1",
        "year": 2041, "title": "2041年度专项资金", "opens_at": "2040-10-08T09:00", "closes_at": "2040-10-31T17:30",
        "total_budget": "100"})
    assert response.status_code == 302
    created = Round.objects.get(year=2041)
    assert (created.is_published, created.version, created.programme_id) == (False, 1, None)
    assert db_row(other.round) == existing


def test_editing_a_call_writes_only_its_form_fields(client_for, other):
    now = timezone.now().replace(second=0, microsecond=0)  # the form has minutes
    round_ = RoundFactory(is_published=False, opens_at=now - datetime.timedelta(days=1),
                          closes_at=now + datetime.timedelta(days=9))
    before, other_before = db_row(round_), db_row(other.round)
    response = client_for(Role.CITY).post(reverse("applications:call_edit", args=[round_.pk]), {
        **workflow_extras(other), "created_at": "2000-01-01 00:00", **round_post(round_, title="改过的标题")})
    assert response.status_code == 302
    assert changed_columns(before, round_) == {"title", "version", "updated_at"}  # is_published stays False
    assert db_row(other.round) == other_before


def category_extras(other):
    """Point the category, its rule and its materials at another call's category."""
    material = other.category.materials.first()
    return {"round": other.round_id, "round_id": other.round_id, "rule-category": other.category_id,
            "rule-rate": "0.9999", "rule-id": other.category.award_rule.pk,
            "category": other.category_id, "id": other.category_id, "material": material.pk}


def other_call_rows(other):
    category = other.category
    return (db_row(category), db_row(category.award_rule), [db_row(m) for m in category.materials.all()])


def test_a_new_category_stays_in_the_call_of_the_url(client_for, other):
    round_ = RoundFactory()
    before = other_call_rows(other)
    response = client_for(Role.CITY).post(reverse("applications:category_new", args=[round_.pk]), {
        **category_extras(other), "name": "新类别", "sort_order": "1", "version": "42",
        "rule-rate_percent": "10", "rule-base": "equipment", "rule-payment": "one_off",
        "materials-TOTAL_FORMS": "1", "materials-INITIAL_FORMS": "0", "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000", "materials-0-name": "备案文件", "materials-0-allowed_types": ["pdf"],
        "materials-0-required": "on", "materials-0-sort_order": "0"})
    assert response.status_code == 302
    category = Category.objects.get(name="新类别")
    assert (category.round_id, category.version) == (round_.pk, 1)
    assert AwardRule.objects.get(category=category).rate == AwardRule._meta.get_field("rate").to_python("0.1")
    assert list(Material.objects.filter(name="备案文件").values_list("category_id", flat=True)) == [category.pk]
    assert other_call_rows(other) == before


def test_editing_a_category_writes_only_its_fields_rule_and_own_materials(client_for, other):
    category = category_with_rules()
    rule, material = category.award_rule, category.materials.get()
    before = (db_row(category), db_row(rule), db_row(material))
    other_before = other_call_rows(other)
    response = client_for(Role.CITY).post(
        reverse("applications:category_edit", args=[category.round_id, category.pk]),
        {**category_extras(other), **category_post(category, name="改名类别", **{"materials-0-name": "改名材料"})})
    assert response.status_code == 302
    assert changed_columns(before[0], category) == {"name", "version"}
    assert changed_columns(before[1], rule) == set()
    assert changed_columns(before[2], material) == {"name"}
    assert other_call_rows(other) == other_before


@pytest.mark.parametrize("attack", [
    {"materials-0-name": "偷改的材料"},                                 # rename another call's material
    {"materials-0-name": "偷删的材料", "materials-0-DELETE": "on"},     # delete it
])
def test_a_material_of_another_category_cannot_be_edited_through_the_formset(client_for, other, attack):
    category = category_with_rules()
    own = category.materials.get()
    foreign = other.category.materials.get()
    own_before, other_before = db_row(own), other_call_rows(other)
    response = client_for(Role.CITY).post(
        reverse("applications:category_edit", args=[category.round_id, category.pk]),
        category_post(category, **{"materials-0-id": foreign.pk, **attack}))
    assert response.status_code in (200, 302)  # refused as an invalid choice, or the foreign row is skipped
    assert other_call_rows(other) == other_before
    assert db_row(own) == own_before


def test_a_material_form_pointing_at_another_category_is_refused(client_for, other):
    category = category_with_rules()
    before, other_before = db_row(category), other_call_rows(other)
    response = client_for(Role.CITY).post(
        reverse("applications:category_edit", args=[category.round_id, category.pk]),
        category_post(category, name="改名", **{"materials-0-category": other.category_id}))
    assert response.status_code == 200 and response.context["materials"].errors
    assert db_row(category) == before and other_call_rows(other) == other_before


def test_a_category_of_another_call_answers_404_under_this_calls_url(client_for, other):
    round_ = RoundFactory()
    before = other_call_rows(other)
    response = client_for(Role.CITY).post(
        reverse("applications:category_edit", args=[round_.pk, other.category_id]),
        category_post(other.category, name="改名"))
    assert response.status_code == 404
    assert other_call_rows(other) == before


def test_the_enterprise_cannot_post_to_the_call_pages(client_for, other):
    before = other_call_rows(other), db_row(other.round)
    client = client_for(other.user)
    assert client.post(reverse("applications:call_edit", args=[other.round_id]),
                       round_post(other.round, title="x")).status_code == 403
    assert client.post(reverse("applications:category_edit", args=[other.round_id, other.category_id]),
                       category_post(other.category, name="x")).status_code == 403
    assert (other_call_rows(other), db_row(other.round)) == before


# --- the list page's batch form (county forwarding, city central acceptance) ---

def test_county_batch_forward_ignores_extras_and_refuses_foreign_ids_whole(other):
    zhongyuan = County.objects.get(name="中原区")
    category = category_with_rules()
    mine = [application_in(Status.COUNTY_ACCEPTED, category=category,
                           enterprise=ProfiledEnterpriseFactory(county=zhongyuan)) for _ in range(2)]
    foreign = application_in(Status.COUNTY_ACCEPTED, category=category, enterprise=other.enterprise)  # 金水区
    county = browser(UserFactory.for_role(Role.COUNTY, county=zhongyuan))
    extras = {**workflow_extras(other), f"county_opinion_{mine[0].pk}": "x", f"status_{mine[0].pk}": "paid"}
    rows_before = [db_row(a) for a in (*mine, foreign)]
    county.post(reverse("applications:batch"), {**extras, "selected": [mine[0].pk, mine[1].pk, foreign.pk],
                                                "opinion": "同意推荐", f"rank_{mine[0].pk}": "1"})
    assert [db_row(a) for a in (*mine, foreign)] == rows_before  # one foreign id: nothing moves
    before = db_row(mine[0])
    county.post(reverse("applications:batch"), {**extras, "selected": [mine[0].pk, mine[1].pk], "opinion": "同意推荐",
                                                f"rank_{mine[0].pk}": "1", f"rank_{mine[1].pk}": "2"})
    assert changed_columns(before, mine[0]) == {"status", "version", "county_opinion", "county_rank",
                                                "forwarded_at", "updated_at"}
    mine[0].refresh_from_db()
    assert (mine[0].status, mine[0].county_opinion, mine[0].county_rank, mine[0].enterprise_id) == (
        Status.FORWARDED, "同意推荐", 1, before["enterprise_id"])


def test_city_batch_accept_ignores_extras(other):
    app = application_in(Status.FORWARDED)
    before, other_before = db_row(app), db_row(other)
    browser(Role.CITY).post(reverse("applications:batch"), {**workflow_extras(other), "selected": [app.pk]})
    assert changed_columns(before, app) <= {"status", "version", "city_accepted_at", "updated_at"}
    app.refresh_from_db()
    assert app.status == Status.CITY_ACCEPTED and db_row(other) == other_before
