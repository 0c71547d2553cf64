"""Every page of the review stage renders for the roles that use it, in Chinese, with a bounded number of
queries; the actions on the pages go through the services."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from reviews.models import Assignment, Audit, Objection, Publicity, SupportList
from reviews.services.audits import audit_assign
from reviews.services.panels import panel_close
from reviews.services.publicity import objection_file, publicity_create, publicity_publish
from reviews.services.scoring import score_save
from tests.factories.applications import MINIMAL_PDF
from tests.factories.reviews import auditor_firm, auditor_user, panel_with, points_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(opened, city):
    """A closed panel (3 applications), audits given to a firm, one application audited and published."""
    panel, members, apps = panel_with(experts=4, applications=3)
    panel = opened(panel, per_application=3)
    for a in Assignment.objects.filter(panel=panel).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel, Decimal("0.8")), submit=True)
    panel_close(actor=city, panel=panel)
    firm = auditor_firm()
    audit_assign(actor=city, applications=apps, firm=firm)
    return {"panel": panel, "members": members, "apps": apps, "firm": firm, "city": city}


def test_city_pages_render(stage, client_for):
    client = client_for(stage["city"])
    panel, app = stage["panel"], stage["apps"][0]
    audit = Audit.objects.get(application=app)
    urls = [
        reverse("reviews:round", args=[panel.round_id]), reverse("reviews:config", args=[panel.round_id]),
        reverse("reviews:panel_detail", args=[panel.pk]), reverse("reviews:panel_summary", args=[panel.pk]),
        reverse("reviews:rubric", args=[panel.category_id]), reverse("reviews:results", args=[panel.round_id]),
        reverse("reviews:award", args=[app.pk]), reverse("reviews:audit_assign", args=[panel.round_id]),
        reverse("reviews:audit_list"), reverse("reviews:audit_detail", args=[audit.pk]),
        reverse("reviews:experts"), reverse("reviews:expert_new"), reverse("reviews:publicity_list"),
        reverse("reviews:support_lists"), reverse("reviews:panel_members", args=[panel.pk]),
        reverse("core:dashboard"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "评审" in response.content.decode() or "审计" in response.content.decode() or url.endswith("/new/"), url
    assert client.get(reverse("reviews:home")).status_code == 302


def test_downloads(stage, client_for):
    client = client_for(stage["city"])
    panel = stage["panel"]
    for url in (reverse("reviews:panel_scores_xlsx", args=[panel.pk]),
                reverse("reviews:ranking_xlsx", args=[panel.round_id]),
                reverse("reviews:expert_scores_xlsx", args=[stage["members"][0].pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert b"".join(response.streaming_content)[:2] == b"PK"


def test_auditor_enters_and_submits_through_the_page(stage, client_for):
    app = stage["apps"][0]
    auditor = auditor_user(stage["firm"])
    client = client_for(auditor)
    audit = Audit.objects.get(application=app)
    page = client.get(reverse("reviews:audit_list"))
    assert app.receipt_no in page.content.decode()
    response = client.post(reverse("reviews:audit_detail", args=[audit.pk]), {
        "audited_investment": "1800", "audited_amount": "180", "opinion": "审定意见",
        "report": SimpleUploadedFile("report.pdf", MINIMAL_PDF, content_type="application/pdf"), "submit": "1",
        "version": audit.version})
    assert response.status_code == 302
    audit.refresh_from_db()
    app.refresh_from_db()
    assert audit.status == "submitted" and app.status == Status.AUDITED
    report = client.get(reverse("reviews:audit_report", args=[audit.pk]))
    assert report.status_code == 200 and b"".join(report.streaming_content).startswith(b"%PDF")


def test_publicity_pages_and_public_objection(stage, client_for, client):
    city = stage["city"]
    app = stage["apps"][0]
    Audit.objects.filter(application__in=stage["apps"]).update(status="submitted")
    type(app).objects.filter(pk=app.pk).update(status=Status.AUDITED)
    publicity = publicity_create(actor=city, round_=app.round)
    publicity_publish(actor=city, publicity=publicity)
    objection_file(publicity=publicity, name="王五", contact="139", text="=HYPERLINK(\"http://x\")")

    public = client.get(reverse("publicity:detail", args=[publicity.pk]))
    assert public.status_code == 200
    body = public.content.decode()
    assert app.enterprise.name in body and "异议" in body
    response = client.post(reverse("publicity:detail", args=[publicity.pk]), {
        "name": "李四", "contact": "13800000000", "text": "申报材料与实际不符", "entry": "", "website": ""})
    assert response.status_code == 302
    assert Objection.objects.filter(name="李四").exists()
    bot = client.post(reverse("publicity:detail", args=[publicity.pk]), {
        "name": "bot", "contact": "x", "text": "spam", "website": "http://spam"})
    assert bot.status_code == 200 and not Objection.objects.filter(name="bot").exists()
    pdf = client.get(reverse("publicity:notice_pdf", args=[publicity.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("publicity:index")).status_code == 200

    staff = client_for(city)
    assert staff.get(reverse("reviews:publicity_detail", args=[publicity.pk])).status_code == 200
    sheet = staff.get(reverse("reviews:publicity_xlsx", args=[publicity.pk]))
    assert sheet.status_code == 200


def test_a_draft_publicity_is_not_public(stage, client):
    publicity = publicity_create(actor=stage["city"], round_=stage["panel"].round)
    assert client.get(reverse("publicity:detail", args=[publicity.pk])).status_code == 404
    assert Publicity.objects.count() == 1


def test_support_list_pages(stage, client_for, user_for):
    city = stage["city"]
    for app in stage["apps"]:
        type(app).objects.filter(pk=app.pk).update(status=Status.PUBLICITY_PASSED)
    client = client_for(city)
    response = client.post(reverse("reviews:support_lists"), {"round": stage["panel"].round_id, "title": ""})
    support_list = SupportList.objects.get()
    assert response.status_code == 302 and support_list.entries.count() == 3
    client.post(reverse("reviews:support_list_action", args=[support_list.pk, "submit"]),
                {"version": support_list.version})
    support_list.refresh_from_db()
    assert support_list.status == "submitted"
    approver = client_for(user_for(Role.FINANCE_APPROVER))
    page = approver.get(reverse("reviews:support_list_detail", args=[support_list.pk]))
    assert page.status_code == 200 and "批准" in page.content.decode()
    approver.post(reverse("reviews:support_list_action", args=[support_list.pk, "return"]),
                  {"reason": "金额需复核", "version": support_list.version})
    support_list.refresh_from_db()
    assert support_list.status == "draft" and support_list.return_note == "金额需复核"
