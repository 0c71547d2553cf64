"""Defects a QA engineer found in the review pages (QA findings 4b, 7, 9, 11, 14, 17, 20), fixed and kept fixed:

- the auditor typed the audited figures in yuan next to comparison figures in 万元 (a 10,000× error waiting to
  happen): the inputs are now in 万元 like the application form, stored as exact yuan;
- an expert could not save a partial score sheet as a draft;
- the public publicity list called a closed publicity "结束时间" (the field name, not the state);
- the official saw a "第三方审计" button that led to a 403 page;
- the award history printed raw yuan ("2000000.00") on a page in 万元;
- "（审定）" was hard-coded Chinese in the English UI;
- the expert's contact phone accepted "abc"."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.audit import audit_record
from reviews.forms import ExpertForm
from reviews.models import Assignment, Audit, ExpertProfile, Publicity, Score
from reviews.services.audits import audit_save, audit_submit
from reviews.services.panels import panel_close
from reviews.services.scoring import score_save
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF, category_with_rules
from tests.factories.reviews import (
    ExpertFactory,
    audit_given,
    auditor_user,
    logged_in,
    opened_panel,
    points_for,
    published_publicity,
)

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def input_value(body, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


# --- 4(b): one unit on the auditor's page -----------------------------------------------------------------

def test_the_auditor_types_the_figures_in_wan_and_they_are_stored_as_exact_yuan():
    audit = audit_given(UserFactory(role=Role.CITY))
    client = logged_in(auditor_user(audit.firm))
    url = reverse("reviews:audit_detail", args=[audit.pk])
    body = client.get(url).content.decode()
    assert "审定投资额（万元）" in body and "审定金额（万元）" in body
    assert "（元）" not in body  # no yuan label next to the 万元 comparison figures
    proposal = audit.application.award_proposal
    if proposal.rule_cap is not None:  # the cap of the rule carries its unit
        assert re.search(r"上限 [\d,]+\.\d\d 万元", body), "the cap has no unit"

    response = client.post(url, {"audited_investment": "1,850.5", "audited_amount": "185.000001", "opinion": "",
                                 "save": "1", "version": audit.version})
    assert response.status_code == 302, response.content.decode()[:2000]
    audit.refresh_from_db()
    assert audit.audited_investment == Decimal("18505000.00")
    assert audit.audited_amount == Decimal("1850000.01")  # 6 decimals of 万元: exact to the fen
    body = client.get(url).content.decode()
    assert input_value(body, "audited_investment") == "1850.5"  # shown back in 万元, not 18505000
    assert input_value(body, "audited_amount") == "185.000001"
    assert "1,850.50" in body  # the comparison table, same unit


def test_a_wan_figure_with_too_many_digits_is_refused_and_kept():
    audit = audit_given(UserFactory(role=Role.CITY))
    client = logged_in(auditor_user(audit.firm))
    url = reverse("reviews:audit_detail", args=[audit.pk])
    version = audit.version
    response = client.post(url, {"audited_investment": "123456789", "audited_amount": "1.0000001", "opinion": "x",
                                 "save": "1", "version": version})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"audited_investment", "audited_amount"}
    body = response.content.decode()
    assert input_value(body, "audited_investment") == "123456789"
    audit.refresh_from_db()
    assert audit.audited_investment is None and audit.version == version


# --- 7: a partial draft score sheet ----------------------------------------------------------------------

@pytest.fixture
def scoring():
    city = UserFactory(role=Role.CITY)
    panel, _members, _apps = opened_panel(city, experts=2, applications=1, per_application=1)
    assignment = Assignment.objects.select_related("expert__user").get(panel=panel)
    criteria = list(panel.category.rubric.criteria.all())
    return assignment, criteria, panel


def test_an_expert_saves_a_partial_draft_and_must_complete_it_to_submit(scoring):
    assignment, criteria, panel = scoring
    client = logged_in(assignment.expert.user)
    url = reverse("reviews:score", args=[assignment.pk])
    body = client.get(url).content.decode()
    draft_button = re.search(r'<button[^>]*name="save"[^>]*>', body).group(0)
    assert "formnovalidate" in draft_button  # the browser does not block a partial draft

    first = criteria[0]
    assert input_value(body, "version") == "0"  # no score yet
    response = client.post(url, {f"crit_{first.pk}": "20", "comment": "先打一项", "save": "1", "version": "0"})
    assert response.status_code == 302, response.context["form"].errors
    score = Score.objects.get(assignment=assignment)
    assert score.status == "draft" and score.total == Decimal("20.0") and score.comment == "先打一项"
    assert {i.criterion_id: i.points for i in score.items.all()} == {first.pk: Decimal("20.0")}
    body = client.get(url).content.decode()
    assert input_value(body, f"crit_{first.pk}") == "20.0"

    # submitting the partial sheet is refused, every empty criterion named, nothing changes
    data = {f"crit_{first.pk}": "20", f"crit_{criteria[1].pk}": "10", "comment": "先打一项", "submit": "1",
            "version": input_value(body, "version")}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {f"crit_{c.pk}" for c in criteria[2:]}
    assert response.content.decode().count("请填写该项得分。") == len(criteria) - 2
    score.refresh_from_db()
    assert score.status == "draft" and score.total == Decimal("20.0") and score.items.count() == 1
    assert input_value(response.content.decode(), f"crit_{criteria[1].pk}") == "10"  # typed input kept

    # a criterion emptied in a later draft is no longer counted
    response = client.post(url, {f"crit_{criteria[1].pk}": "10", "save": "1", "version": score.version})
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.total == Decimal("10.0") and list(score.items.values_list("criterion_id", flat=True)) == [
        criteria[1].pk]

    complete = {f"crit_{c}": str(v) for c, v in points_for(panel).items()}
    response = client.post(url, {**complete, "comment": "", "submit": "1", "version": score.version})
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.status == "submitted" and score.items.count() == len(criteria)


def test_a_draft_still_refuses_points_out_of_range(scoring):
    assignment, criteria, _panel = scoring
    with pytest.raises(Exception) as refused:
        score_save(actor=assignment.expert.user, assignment=assignment,
                   points={criteria[0].pk: criteria[0].max_points + 1})
    assert criteria[0].pk in refused.value.error_dict
    assert not Score.objects.filter(assignment=assignment).exists()


# --- 9: states are not field names -----------------------------------------------------------------------

def test_the_public_list_calls_a_closed_publicity_ended(client):
    publicity = published_publicity(UserFactory(role=Role.CITY))
    Publicity.objects.filter(pk=publicity.pk).update(status="closed", closed_at=timezone.now())
    body = client.get(reverse("publicity:index")).content.decode()
    badge = re.search(r'<span class="badge[^"]*">([^<]*)</span>', body)
    assert badge and badge.group(1) == "已结束"
    assert "结束时间" not in body


def test_the_panel_summary_says_when_the_review_closed():
    city = UserFactory(role=Role.CITY)
    panel, _members, _apps = opened_panel(city, experts=2, applications=1, per_application=1)
    for a in Assignment.objects.filter(panel=panel).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel), submit=True)
    panel_close(actor=city, panel=panel)
    body = logged_in(city).get(reverse("reviews:panel_summary", args=[panel.pk])).content.decode()
    assert "评审结束于 " in body and "结束时间" not in body


# --- 11: buttons only for the roles that may use them -----------------------------------------------------

@pytest.mark.parametrize("role", [Role.CITY, Role.OFFICIAL, Role.ADMIN])
def test_every_button_of_the_review_overview_opens_for_the_role(role):
    category = category_with_rules()
    client = logged_in(role=role)
    body = client.get(reverse("reviews:round", args=[category.round_id])).content.decode()
    bar = body[body.index('<div class="d-flex flex-wrap gap-2 mb-3">'):]
    bar = bar[:bar.index("</div>")]
    links = re.findall(r'href="([^"]+)"', bar)
    assert len(links) == 5
    for url in links:
        assert client.get(url).status_code == 200, (role, url)
    audit_links = [u for u in links if "/audits/" in u]
    expected = (reverse("reviews:audit_assign", args=[category.round_id]) if role == Role.CITY
                else reverse("reviews:audit_list"))
    assert audit_links == [expected]


# --- 14: amounts in the award history in 万元 -------------------------------------------------------------

def test_the_award_history_shows_wan_with_separators():
    city = UserFactory(role=Role.CITY)
    audit = audit_given(city)
    auditor = auditor_user(audit.firm)
    audit_save(actor=auditor, audit=audit, audited_investment=Decimal("185430000.00"),
               audited_amount=Decimal("2000000.00"),
               report=SimpleUploadedFile("审计报告.pdf", MINIMAL_PDF, content_type="application/pdf"))
    audit_submit(actor=auditor, audit=Audit.objects.get(pk=audit.pk))
    body = logged_in(city).get(reverse("reviews:award", args=[audit.application_id])).content.decode()
    history = body[body.index('id="hist-h"'):]
    history = history[:history.index("</ul>")]
    assert "审定投资额 18,543.00 万元" in history and "审定金额 200.00 万元" in history
    assert re.search(r"测算奖补金额 → [\d,]+\.\d\d 万元", history), history
    assert not re.search(r"\d{5,}\.\d\d", history), history  # no raw yuan left


def test_history_rows_recorded_in_yuan_before_the_fix_are_shown_in_wan():
    city = UserFactory(role=Role.CITY)
    audit = audit_given(city)
    app = audit.application
    audit_record(actor=city, action="award.computed", obj=app, to_state="2000000.00",
                 note="185,430,000.00 × 1.08% = 2,002,644.00，超过上限 2,000,000.00，按上限 2,000,000.00")
    audit_record(actor=city, action="application.submit_audit", obj=app, to_state="audited",
                 note="审定投资额 185430000.00，审定金额 2000000.00；重算奖补 2000000.00")
    audit_record(actor=city, action="application.close_review", obj=app, to_state="reviewed",
                 note="评审得分 86.17，排名第 18")
    body = logged_in(city).get(reverse("reviews:award", args=[app.pk])).content.decode()
    history = body[body.index('id="hist-h"'):]
    history = history[:history.index("</ul>")]
    assert ("测算奖补金额 → 200.00 万元 · 18,543.00 万元 × 1.08% = 200.26 万元，超过上限 200.00 万元，按上限 "
            "200.00 万元") in history
    assert "审定投资额 18,543.00 万元，审定金额 200.00 万元；重算奖补 200.00 万元" in history
    assert "评审得分 86.17，排名第 18" in history  # a score is not an amount


# --- 17: no Chinese fragment in the English UI ------------------------------------------------------------

def test_the_audit_headings_are_translated():
    audit = audit_given(UserFactory(role=Role.CITY))
    city = english(logged_in(role=Role.CITY))
    for url in (reverse("reviews:audit_list"), reverse("reviews:audit_assign", args=[audit.application.round_id])):
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", city.get(url).content.decode(), re.S).group(1)
        assert "Third-party audit (verification)" in heading and "审定" not in heading, heading
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", logged_in(role=Role.CITY).get(reverse("reviews:audit_list"))
                        .content.decode(), re.S).group(1)
    assert "第三方审计（审定）" in heading


# --- 20: the expert's phone ------------------------------------------------------------------------------

@pytest.mark.parametrize("phone", ["abc", "123", "1380013800a"])
def test_the_expert_form_refuses_a_phone_that_is_not_one(phone):
    expert = ExpertFactory()
    client = logged_in(role=Role.CITY)
    url = reverse("reviews:expert_edit", args=[expert.pk])
    data = {"name": expert.name, "title": expert.title, "specialties": expert.specialties,
            "employer_name": expert.employer_name, "employer_credit_code": expert.employer_credit_code,
            "county": expert.county_id, "contact_phone": phone, "is_active": "on", "version": expert.version}
    response = client.post(url, data)
    assert response.status_code == 200 and "contact_phone" in response.context["form"].errors
    assert input_value(response.content.decode(), "contact_phone") == phone
    expert.refresh_from_db()
    assert expert.contact_phone == "13800000000"
    response = client.post(url, {**data, "contact_phone": "0371-12345678"})
    assert response.status_code == 302
    assert ExpertProfile.objects.get(pk=expert.pk).contact_phone == "0371-12345678"


def test_the_expert_form_accepts_a_mobile_with_spaces():
    expert = ExpertFactory()
    form = ExpertForm({"name": "李四", "title": "", "specialties": "", "employer_name": "郑州大学",
                       "employer_credit_code": expert.employer_credit_code, "county": expert.county_id,
                       "contact_phone": "138 0013 8000", "is_active": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contact_phone"] == "13800138000"
