"""User text of the review stage in pages, the publicity notice PDF and the XLSX downloads.

The payload goes through the services into every free-text field of the review stage: the expert record (name,
title, specialties, employer), the panel name, rubric criteria (name, guidance), the conflict declaration reason,
the reason for taking an expert off, the score comment, the award adjustment reason, the audit opinion, the
publicity title and notice, the objection (name, contact, text: filed by anyone) and its handling note, the support
list title, the reason for taking an entry off and the finance bureau's return note, and the enterprise and
project names the review copies from the application.

Pages: the payload is escaped in every page of every role that shows it (never a live tag). PDF: the notice shows
it as literal text (pdftotext). XLSX: strings are text cells, no formula cells, and values starting with
= + - @ tab or CR are neutralised."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from reviews.models import AwardProposal, Criterion, ExpertProfile, Panel, PublicityEntry
from reviews.services.assignment import assignment_remove, declare
from reviews.services.audits import audit_save
from reviews.services.panels import panel_close
from reviews.services.publicity import objection_file, objection_handle, publicity_create, publicity_publish
from reviews.services.results import award_adjust
from reviews.services.scoring import score_save
from reviews.services.support import (
    support_list_create,
    support_list_remove_entry,
    support_list_return,
    support_list_submit,
)
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF, category_with_rules
from tests.factories.reviews import (
    active_assignments,
    audit_given,
    auditor_user,
    logged_in,
    opened_panel,
    points_for,
    with_proposal,
)
from tests.helpers import needs_pdftotext, pdf_text, xlsx_cells

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
SHORT = "<script>alert(1)</script>"  # for the fields of at most 50 characters
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
RAW = ("<script>alert(1)", "<img src=x onerror")
FORMULAS = ['=HYPERLINK("http://evil.example/")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def build():
    """Every free-text field of the review stage filled with the payload, through the services."""
    city = UserFactory(role=Role.CITY)
    panel, members, apps = opened_panel(city, experts=3, applications=1, per_application=2, declare_all=False,
                                        project_name=FORMULAS[1] + XSS)
    app = apps[0]
    app.enterprise.name = FORMULAS[0] + XSS
    app.enterprise.save(update_fields=["name"])
    Panel.objects.filter(pk=panel.pk).update(name=FORMULAS[5] + XSS)
    Criterion.objects.filter(rubric__category=panel.category).update(name=FORMULAS[2] + XSS, guidance=XSS)
    for i, member in enumerate(members):
        ExpertProfile.objects.filter(pk=member.pk).update(
            name=FORMULAS[3] + SHORT if i == 0 else f"专家{SHORT}"[:50], title=SHORT, specialties=XSS,
            employer_name=XSS)
    first, second = active_assignments(panel).select_related("expert__user").order_by("id")
    replacement = declare(actor=first.expert.user, assignment=first, has_conflict=True, reason="冲突：" + XSS)
    assignment_remove(actor=city, assignment=replacement, reason="撤回：" + XSS)
    declare(actor=second.expert.user, assignment=second, has_conflict=False)
    score_save(actor=second.expert.user, assignment=second, points=points_for(panel, "0.5"),
               comment=FORMULAS[4] + XSS, submit=True)
    panel_close(actor=city, panel=panel)
    proposal = AwardProposal.objects.get(application=app)
    award_adjust(actor=city, proposal=proposal, amount=Decimal("100"), reason="调整：" + XSS)

    audit = audit_given(city)
    audit.application.enterprise.name = XSS
    audit.application.enterprise.save(update_fields=["name"])
    auditor = auditor_user(audit.firm)
    audit_save(actor=auditor, audit=audit, audited_investment="1000", audited_amount="100", opinion=XSS,
               report=SimpleUploadedFile("审计报告.pdf", MINIMAL_PDF))

    category = category_with_rules()
    public_app = with_proposal(Status.AUDITED, city, category, project_name=FORMULAS[1] + XSS)
    public_app.enterprise.name = FORMULAS[0] + XSS
    public_app.enterprise.save(update_fields=["name"])
    publicity = publicity_create(actor=city, round_=category.round, title=FORMULAS[0] + XSS, notice=XSS)
    publicity_publish(actor=city, publicity=publicity)
    entry = PublicityEntry.objects.get(publicity=publicity)
    handled = objection_file(publicity=publicity, entry=entry, name=SHORT, contact=SHORT, text=FORMULAS[2] + XSS)
    objection_handle(actor=city, objection=handled, upheld=False, note=XSS)
    objection_file(publicity=publicity, entry=entry, name=SHORT, contact=SHORT, text=XSS)  # still waiting

    support_category = category_with_rules()
    for _ in range(2):
        passed = with_proposal(Status.PUBLICITY_PASSED, city, support_category, project_name=FORMULAS[2] + XSS)
        passed.enterprise.name = FORMULAS[3] + XSS
        passed.enterprise.save(update_fields=["name"])
    support_list = support_list_create(actor=city, round_=support_category.round, title=FORMULAS[4] + XSS)
    support_list_remove_entry(actor=city, entry=support_list.entries.first(), reason=XSS)
    support_list_submit(actor=city, support_list=support_list)
    approver = UserFactory(role=Role.FINANCE_APPROVER)
    support_list_return(actor=approver, support_list=support_list, reason=XSS)
    return locals()


def pages(w):
    """(client, url) for every review page that shows user text, for each role that sees it."""
    city, expert, auditor = logged_in(w["city"]), logged_in(w["second"].expert.user), logged_in(w["auditor"])
    approver, public = logged_in(w["approver"]), Client()
    panel, app, publicity, audit = w["panel"], w["app"], w["publicity"], w["audit"]
    return [
        (city, reverse("reviews:round", args=[panel.round_id])),
        (city, reverse("reviews:panel_detail", args=[panel.pk])),
        (city, reverse("reviews:panel_summary", args=[panel.pk])),
        (city, reverse("reviews:panel_members", args=[panel.pk])),
        (city, reverse("reviews:rubric", args=[panel.category_id])),
        (city, reverse("reviews:results", args=[panel.round_id])),
        (city, reverse("reviews:award", args=[app.pk])),
        (city, reverse("reviews:audit_assign", args=[audit.application.round_id])),
        (city, reverse("reviews:audit_list")),
        (city, reverse("reviews:audit_detail", args=[audit.pk])),
        (city, reverse("reviews:experts")),
        (city, reverse("reviews:expert_edit", args=[w["members"][0].pk])),
        (city, reverse("reviews:publicity_list")),
        (city, reverse("reviews:publicity_detail", args=[publicity.pk])),
        (city, reverse("reviews:support_lists")),
        (city, reverse("reviews:support_list_detail", args=[w["support_list"].pk])),
        (city, reverse("applications:detail", args=[app.pk])),
        (expert, reverse("reviews:my_assignments")),
        (expert, reverse("reviews:score", args=[w["second"].pk])),
        (expert, reverse("reviews:panel_summary", args=[panel.pk])),
        (auditor, reverse("reviews:audit_list")),
        (auditor, reverse("reviews:audit_detail", args=[audit.pk])),
        (approver, reverse("reviews:support_list_detail", args=[w["support_list"].pk])),
        (public, reverse("publicity:index")),
        (public, reverse("publicity:detail", args=[publicity.pk])),
    ]


def test_payload_is_escaped_in_every_review_page():
    w = build()
    missing = []
    for client, url in pages(w):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for raw in RAW:
            assert raw not in body, f"live payload in {url}"
        if ESCAPED not in body:
            missing.append(url)
    # every listed page shows at least one of the fields, escaped (so the check above looked at real output)
    assert not missing, f"pages not showing the user text at all: {missing}"


def test_xlsx_downloads_hold_the_payload_as_plain_text():
    w = build()
    city, expert = logged_in(w["city"]), logged_in(w["second"].expert.user)
    panel = w["panel"]
    downloads = [
        (city, reverse("reviews:panel_scores_xlsx", args=[panel.pk])),
        (city, reverse("reviews:expert_scores_xlsx", args=[w["second"].expert_id])),
        (city, reverse("reviews:ranking_xlsx", args=[panel.round_id])),
        (city, reverse("reviews:publicity_xlsx", args=[w["publicity"].pk])),
        (city, reverse("reviews:support_list_xlsx", args=[w["support_list"].pk])),
        (expert, reverse("reviews:my_scores_xlsx")),
    ]
    for client, url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        cells = xlsx_cells(response)
        formulas = [c.coordinate for c in cells if c.data_type == "f"]
        assert not formulas, f"formula cells in {url}: {formulas}"
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert any(XSS in t or SHORT in t for t in texts), f"the user text is missing from {url}"
        dangerous = [t for t in texts if t[:1] in "=+-@\t\r"]
        assert not dangerous, f"formula-like text not neutralised in {url}: {dangerous}"
        assert any(t.startswith("'") and t[1:2] in "=+-@\t\r" for t in texts), f"no neutralised value in {url}"
        assert all(c.data_type in ("s", "n") for c in cells), url


@needs_pdftotext
def test_notice_pdf_shows_the_payload_as_literal_text():
    city = UserFactory(role=Role.CITY)
    category = category_with_rules()
    app = with_proposal(Status.AUDITED, city, category, project_name="项目" + SHORT)
    app.enterprise.name = "企业" + XSS
    app.enterprise.save(update_fields=["name"])
    publicity = publicity_create(actor=city, round_=category.round, title="标题" + SHORT, notice="说明" + XSS)
    publicity_publish(actor=city, publicity=publicity)
    for client, url in ((Client(), reverse("publicity:notice_pdf", args=[publicity.pk])),
                        (logged_in(city), reverse("reviews:publicity_pdf", args=[publicity.pk]))):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        text = pdf_text(response.content, layout=True)
        flat = "".join(text.split())  # table cells wrap: compare without the line breaks and spaces
        assert "标题<script>alert(1)</script>" in flat
        assert "说明<script>alert(1)</script><imgsrc=xonerror=alert(1)>" in flat
        assert "<script>alert(1)</script>" in text
