"""QA re-check NEW-3 and NEW-7, fixed and kept fixed:

- an expert's score draft saved from a second tab (opened before the first tab's save) silently overwrote the
  first tab's points: the score sheet now carries the score's version and a stale save or submit is refused;
- city staff and the official saw the audit firm's unsubmitted draft figures and opinion as if audited: until the
  firm submits, they see "审计中（未提交）" and no figures, opinion or report; the firm still sees its draft."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditLog
from reviews.models import Assignment, Audit, Score
from reviews.services.audits import audit_save, audit_submit
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF
from tests.factories.reviews import audit_given, auditor_user, logged_in, opened_panel, points_for

pytestmark = pytest.mark.django_db

STALE = "此记录在您打开后已被他人修改"
PENDING = "审计中（未提交）"


def input_value(body, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


# --- NEW-3: the score sheet is locked optimistically ----------------------------------------------------

@pytest.fixture
def sheet():
    city = UserFactory(role=Role.CITY)
    panel, _members, _apps = opened_panel(city, experts=2, applications=1, per_application=1)
    assignment = Assignment.objects.select_related("expert__user").get(panel=panel)
    criteria = list(panel.category.rubric.criteria.all())
    return assignment, criteria, panel, reverse("reviews:score", args=[assignment.pk])


def saved_state(assignment):
    score = Score.objects.get(assignment=assignment)
    items = {i.criterion_id: i.points for i in score.items.all()}
    logged = AuditLog.objects.filter(action__startswith="score.").count()
    return score.status, score.version, score.total, score.comment, items, logged


def test_a_draft_from_a_second_tab_does_not_overwrite_the_first(sheet):
    assignment, criteria, _panel, url = sheet
    tab_a = logged_in(assignment.expert.user)
    tab_b = logged_in(assignment.expert.user)
    version_a = input_value(tab_a.get(url).content.decode(), "version")
    version_b = input_value(tab_b.get(url).content.decode(), "version")
    assert version_a == version_b == "0"

    first, second = criteria[0], criteria[1]
    response = tab_a.post(url, {f"crit_{first.pk}": "20", "comment": "A", "save": "1", "version": version_a})
    assert response.status_code == 302
    before = saved_state(assignment)
    assert before[4] == {first.pk: Decimal("20.0")}

    response = tab_b.post(url, {f"crit_{second.pk}": "10.5", "comment": "B", "save": "1", "version": version_b})
    assert response.status_code == 200
    body = response.content.decode()
    assert STALE in body
    assert input_value(body, f"crit_{second.pk}") == "10.5"  # what tab B typed is kept on the page
    assert ">B</textarea>" in body
    assert saved_state(assignment) == before  # nothing written: points, total, comment, version, audit rows

    # the fresh page saves fine, based on tab A's draft
    fresh = input_value(tab_b.get(url).content.decode(), "version")
    assert input_value(tab_b.get(url).content.decode(), f"crit_{first.pk}") == "20.0"
    response = tab_b.post(url, {f"crit_{first.pk}": "20", f"crit_{second.pk}": "10.5", "save": "1",
                                "version": fresh})
    assert response.status_code == 302
    assert saved_state(assignment)[4] == {first.pk: Decimal("20.0"), second.pk: Decimal("10.5")}


def test_a_stale_submit_is_refused_and_changes_nothing(sheet):
    assignment, _criteria, panel, url = sheet
    tab_a = logged_in(assignment.expert.user)
    tab_b = logged_in(assignment.expert.user)
    complete = {f"crit_{c}": str(v) for c, v in points_for(panel, Decimal("0.8")).items()}
    assert tab_a.post(url, {**complete, "save": "1", "version": "0"}).status_code == 302
    stale = input_value(tab_b.get(url).content.decode(), "version")
    assert tab_a.post(url, {**complete, "comment": "改过", "save": "1", "version": stale}).status_code == 302
    before = saved_state(assignment)

    response = tab_b.post(url, {**complete, "comment": "提交", "submit": "1", "version": stale})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert saved_state(assignment) == before and before[0] == "draft"

    current = str(Score.objects.get(assignment=assignment).version)
    assert tab_b.post(url, {**complete, "submit": "1", "version": current}).status_code == 302
    assert Score.objects.get(assignment=assignment).status == "submitted"


@pytest.mark.parametrize("version", [None, "", "abc", "7"])
def test_a_post_without_the_loaded_version_is_refused(sheet, version):
    assignment, criteria, _panel, url = sheet
    data = {f"crit_{criteria[0].pk}": "12", "save": "1"}
    if version is not None:
        data["version"] = version
    response = logged_in(assignment.expert.user).post(url, data)
    assert response.status_code == 200 and STALE in response.content.decode()
    if version == "7":
        assert not Score.objects.filter(assignment=assignment).exists()  # the created row is rolled back
    assert input_value(response.content.decode(), f"crit_{criteria[0].pk}") == "12"


# --- NEW-7: the firm's draft is not shown to city staff and the official as audited ----------------------

@pytest.fixture
def draft_audit():
    city = UserFactory(role=Role.CITY)
    audit = audit_given(city)
    auditor = auditor_user(audit.firm)
    audit_save(actor=auditor, audit=audit, audited_investment=Decimal("18505000.00"),
               audited_amount=Decimal("987600.00"), opinion="A的意见草稿",
               report=SimpleUploadedFile("草稿报告.pdf", MINIMAL_PDF, content_type="application/pdf"))
    return city, auditor, Audit.objects.get(pk=audit.pk)


def staff_pages(audit):
    return [reverse("reviews:audit_list"), reverse("reviews:audit_detail", args=[audit.pk]),
            reverse("reviews:award", args=[audit.application_id])]


def test_city_and_official_see_a_draft_audit_as_not_submitted(draft_audit):
    city, auditor, audit = draft_audit
    report_url = reverse("reviews:audit_report", args=[audit.pk])
    for client in (logged_in(city), logged_in(role=Role.OFFICIAL)):
        for url in staff_pages(audit):
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "1,850.50" not in body and "925.25" not in body and "98.76" not in body, url
            assert "A的意见草稿" not in body and report_url not in body, url
            assert PENDING in body, url
        assert client.get(report_url).status_code == 302  # the draft report is not handed out either

    # the firm's own auditor still sees the draft
    own = logged_in(auditor)
    body = own.get(reverse("reviews:audit_detail", args=[audit.pk])).content.decode()
    assert "1,850.50" in body and "A的意见草稿" in body
    assert "1,850.50" in own.get(reverse("reviews:audit_list")).content.decode()
    assert PENDING not in body
    assert own.get(report_url).status_code == 200


def test_after_submit_city_and_official_see_the_figures(draft_audit):
    city, auditor, audit = draft_audit
    audit_submit(actor=auditor, audit=audit)
    for client in (logged_in(city), logged_in(role=Role.OFFICIAL)):
        lst, detail, award = (client.get(url).content.decode() for url in staff_pages(audit))
        assert "1,850.50" in lst and PENDING not in lst
        assert "1,850.50" in detail and "A的意见草稿" in detail and PENDING not in detail
        assert "A的意见草稿" in award and PENDING not in award
        assert reverse("reviews:audit_report", args=[audit.pk]) in award
        assert client.get(reverse("reviews:audit_report", args=[audit.pk])).status_code == 200
