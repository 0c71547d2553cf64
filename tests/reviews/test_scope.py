"""The scope matrix: an expert sees only assigned, unconflicted applications (nothing before the panel opens);
an auditor only its firm's audits; other roles none of it; foreign ids answer 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from reviews.models import Assignment, Audit
from reviews.services.assignment import auto_assign
from reviews.services.audits import audit_assign
from reviews.services.common import config_for
from reviews.services.panels import panel_close
from reviews.services.scoring import score_save
from tests.factories.applications import pdf_upload
from tests.factories.reviews import ExpertFactory, auditor_firm, auditor_user, panel_with, points_for

pytestmark = pytest.mark.django_db


def test_expert_sees_nothing_before_the_panel_opens(city, client_for):
    panel, members, apps = panel_with(experts=2, applications=1)
    config = config_for(panel.round)
    config.experts_per_application = 2
    config.save()
    auto_assign(actor=city, panel=panel)
    assignment = Assignment.objects.filter(expert=members[0]).get()
    client = client_for(members[0].user)
    assert apps[0].receipt_no not in client.get(reverse("reviews:my_assignments")).content.decode()
    assert client.get(reverse("reviews:declare", args=[assignment.pk])).status_code == 404
    assert client.get(reverse("reviews:score", args=[assignment.pk])).status_code == 404


def test_expert_scope(opened, client_for):
    panel, members, apps = panel_with(experts=3, applications=2)
    panel = opened(panel, per_application=2, declare_all=False)
    mine = Assignment.objects.filter(expert=members[0]).first()
    others = Assignment.objects.exclude(expert=members[0]).first()
    client = client_for(members[0].user)

    # before the declaration: the declaration page shows who applies, the application itself is not open
    assert client.get(reverse("reviews:score", args=[mine.pk])).status_code == 302
    attachment_url = reverse("reviews:assignment_file", args=[mine.pk, 1])
    assert client.get(attachment_url).status_code == 302
    # another expert's assignment does not exist for me
    for name in ("reviews:declare", "reviews:score"):
        assert client.get(reverse(name, args=[others.pk])).status_code == 404
    assert client.get(reverse("reviews:declare", args=[999999])).status_code == 404

    page = client.get(reverse("reviews:declare", args=[mine.pk]))
    assert page.status_code == 200 and mine.application.enterprise.name in page.content.decode()
    response = client.post(reverse("reviews:declare", args=[mine.pk]), {"has_conflict": "no"})
    assert response.status_code == 302
    page = client.get(reverse("reviews:score", args=[mine.pk]))
    assert page.status_code == 200 and mine.application.project_name in page.content.decode()

    # a declared conflict withdraws the application from the expert
    second = Assignment.objects.filter(expert=members[0], status="assigned").first()
    if second is not None:
        client.post(reverse("reviews:declare", args=[second.pk]), {"has_conflict": "yes", "reason": "曾为其咨询"})
        assert client.get(reverse("reviews:score", args=[second.pk])).status_code == 404
        assert second.application.receipt_no not in client.get(reverse("reviews:my_assignments")).content.decode()


def test_expert_downloads_only_files_of_confirmed_assignments(opened, client_for, user_for):
    panel, members, apps = panel_with(experts=2, applications=1)
    panel = opened(panel, per_application=2)
    from applications.models import Attachment

    material = apps[0].category.materials.first()
    attachment = Attachment.objects.create(application=apps[0], material=material, original_name="备案.pdf",
                                           sha256="0" * 64, size=10, content_type="application/pdf", file_type="pdf")
    attachment.file.save("x.pdf", pdf_upload(), save=True)
    mine = Assignment.objects.filter(expert=members[0]).get()
    client = client_for(members[0].user)
    response = client.get(reverse("reviews:assignment_file", args=[mine.pk, attachment.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    stranger = client_for(ExpertFactory().user)
    assert stranger.get(reverse("reviews:assignment_file", args=[mine.pk, attachment.pk])).status_code == 404


def test_hidden_peer_scores_on_the_summary_and_sheet(opened, client_for, city):
    panel, members, apps = panel_with(experts=3, applications=1)
    panel = opened(panel, per_application=3)
    for a in Assignment.objects.filter(panel=panel).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel, Decimal("0.9")), submit=True)
    client = client_for(members[0].user)
    assert client.get(reverse("reviews:panel_summary", args=[panel.pk])).status_code == 404
    panel_close(actor=city, panel=panel)
    page = client.get(reverse("reviews:panel_summary", args=[panel.pk])).content.decode()
    assert "本人" in page and "专家1" in page and members[1].name not in page


def test_auditor_scope(opened, city, client_for):
    panel, members, apps = panel_with(experts=2, applications=2)
    panel = opened(panel, per_application=2)
    for a in Assignment.objects.filter(panel=panel).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel, Decimal("0.9")), submit=True)
    panel_close(actor=city, panel=panel)
    mine, theirs = auditor_firm("甲所"), auditor_firm("乙所")
    audit_assign(actor=city, applications=[apps[0]], firm=mine)
    audit_assign(actor=city, applications=[apps[1]], firm=theirs)
    own, foreign = Audit.objects.get(application=apps[0]), Audit.objects.get(application=apps[1])
    client = client_for(auditor_user(mine))
    listing = client.get(reverse("reviews:audit_list")).content.decode()
    assert apps[0].receipt_no in listing and apps[1].receipt_no not in listing
    assert client.get(reverse("reviews:audit_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("reviews:audit_detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("reviews:audit_report", args=[foreign.pk])).status_code == 404
    # auditors have nothing to do on the city pages
    assert client.get(reverse("reviews:results", args=[panel.round_id])).status_code == 403
    assert client.get(reverse("reviews:award", args=[apps[0].pk])).status_code == 403


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.COUNTY, Role.EXPERT, Role.AUDITOR])
def test_other_roles_do_not_reach_city_pages(role, client_for, opened):
    panel, _members, apps = panel_with(experts=2, applications=1)
    client = client_for(role)
    for url in (reverse("reviews:panel_detail", args=[panel.pk]), reverse("reviews:experts"),
                reverse("reviews:publicity_list"), reverse("reviews:support_lists"),
                reverse("reviews:round", args=[panel.round_id])):
        assert client.get(url).status_code in (403, 404), (role, url)


def test_finance_sees_support_lists_only(client_for, user_for):
    client = client_for(user_for(Role.FINANCE_APPROVER))
    assert client.get(reverse("reviews:support_lists")).status_code == 200
    assert client.get(reverse("reviews:experts")).status_code == 403
    assert client.get(reverse("reviews:support_list_detail", args=[12345])).status_code == 404


def test_declaring_through_the_page_needs_a_reason_for_a_conflict(opened, client_for):
    panel, members, _apps = panel_with(experts=2, applications=1)
    panel = opened(panel, per_application=2, declare_all=False)
    mine = Assignment.objects.filter(expert=members[0]).get()
    client = client_for(members[0].user)
    response = client.post(reverse("reviews:declare", args=[mine.pk]), {"has_conflict": "yes", "reason": ""})
    assert response.status_code == 200 and "请说明利益冲突情况" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "assigned"


def test_objections_are_limited_per_address(client, city, settings):
    import datetime

    from reviews.models import Objection, Publicity
    from tests.factories.applications import RoundFactory

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": (3, 3600)}
    today = datetime.date.today()
    publicity = Publicity.objects.create(round=RoundFactory(), title="公示", starts_on=today, working_days=5,
                                         ends_on=today + datetime.timedelta(days=9), status="published")
    url = reverse("publicity:detail", args=[publicity.pk])
    answers = [client.post(url, {"name": f"甲{i}", "contact": "1", "text": "异议", "website": ""}) for i in range(5)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429, 429]
    assert Objection.objects.count() == 3
    page = answers[-1].content.decode()
    assert "尝试次数过多" in page and "甲4" in page  # the refusal in Chinese, with what was typed
