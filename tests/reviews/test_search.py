"""The search box of an expert's reviews, the audit tasks and a support list: core.search within each scope."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.workflow import Status
from reviews.models import Assignment, SupportList
from reviews.services.audits import audit_assign
from reviews.services.panels import panel_close
from reviews.services.scoring import score_save
from tests.factories.reviews import auditor_firm, auditor_user, panel_with, points_for

pytestmark = pytest.mark.django_db


def rows_of(response, *keys):
    """The application ids the page lists (the search text is echoed in the page, so not read from the HTML)."""
    keys = keys or ("rows",)
    return {row.application_id for key in keys for row in response.context[key]}


def audits(response):
    return rows_of(response, "to_do", "done")


def closed_panel(opened, city):
    panel, members, apps = panel_with(experts=2, applications=3)
    panel = opened(panel, per_application=2)
    for a in Assignment.objects.filter(panel=panel).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel, Decimal("0.8")), submit=True)
    panel_close(actor=city, panel=panel)
    return panel, members, apps


def test_an_expert_searches_the_assigned_applications_only(opened, client_for):
    panel, members, apps = panel_with(experts=2, applications=2)
    opened(panel, per_application=2)
    other_panel, _others, foreign = panel_with(experts=2, applications=1)
    opened(other_panel, per_application=2)
    client = client_for(members[0].user)
    url = reverse("reviews:my_assignments")
    assert rows_of(client.get(url)) == {apps[0].pk, apps[1].pk}
    assert rows_of(client.get(url, {"q": apps[0].receipt_no.lower()})) == {apps[0].pk}
    assert rows_of(client.get(url, {"q": apps[1].enterprise.name[-6:]})) == {apps[1].pk}
    assert rows_of(client.get(url, {"q": foreign[0].receipt_no})) == set()
    body = client.get(url, {"q": "<b>x</b>"}).content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in body and "<b>x</b>" not in body


def test_an_auditor_searches_its_firms_audits_only(opened, city, client_for):
    _panel, _members, apps = closed_panel(opened, city)
    mine, theirs = auditor_firm("甲所"), auditor_firm("乙所")
    audit_assign(actor=city, applications=apps[:2], firm=mine)
    audit_assign(actor=city, applications=apps[2:], firm=theirs)
    client = client_for(auditor_user(mine))
    url = reverse("reviews:audit_list")
    assert audits(client.get(url, {"q": apps[1].receipt_no})) == {apps[1].pk}
    assert audits(client.get(url, {"q": apps[0].project_name})) == {apps[0].pk}
    assert audits(client.get(url, {"q": apps[2].receipt_no})) == set()
    assert audits(client.get(url)) == {apps[0].pk, apps[1].pk}


def test_a_support_list_is_searched_by_name_and_receipt_number_with_its_total_unchanged(opened, city, client_for):
    _panel, _members, apps = closed_panel(opened, city)
    for app in apps:
        type(app).objects.filter(pk=app.pk).update(status=Status.PUBLICITY_PASSED)
    client = client_for(city)
    client.post(reverse("reviews:support_lists"), {"round": apps[0].round_id, "title": ""})
    support_list = SupportList.objects.get()
    url = reverse("reviews:support_list_detail", args=[support_list.pk])
    everything = client.get(url)
    assert len(everything.context["entries"]) == 3
    found = client.get(url, {"q": apps[2].enterprise.name})
    assert [e.application_id for e in found.context["entries"]] == [apps[2].pk]
    assert found.context["entry_count"] == 3 and found.context["total"] == everything.context["total"]
    by_receipt = client.get(url, {"q": apps[1].receipt_no})
    assert [e.application_id for e in by_receipt.context["entries"]] == [apps[1].pk]
    none = client.get(url, {"q": "没有这个项目"})
    assert none.context["entries"] == [] and "没有符合搜索条件的项目" in none.content.decode()


def test_the_submitted_audits_are_paged_newest_call_first_and_the_work_at_hand_listed_whole(opened, city, client_for,
                                                                                             monkeypatch):
    """Submitted audits pile up year after year: they are paged (the search kept in the pager's links), while the
    audits still to do are all listed on every page."""
    from reviews.models import Audit
    from reviews.views import audits as views

    monkeypatch.setattr(views, "AUDITS_PER_PAGE", 1)
    _panel, _members, apps = closed_panel(opened, city)
    audit_assign(actor=city, applications=apps, firm=auditor_firm("甲所"))
    Audit.objects.filter(application__in=apps[:2]).update(status="submitted")
    client = client_for(city)
    url = reverse("reviews:audit_list")
    newest = sorted(apps[:2], key=lambda a: a.receipt_no, reverse=True)
    first, second = client.get(url), client.get(url, {"page": 2})
    assert [a.application_id for a in first.context["done"]] == [newest[0].pk]
    assert [a.application_id for a in second.context["done"]] == [newest[1].pk]
    for page in (first, second):
        assert [a.application_id for a in page.context["to_do"]] == [apps[2].pk]
    assert 'href="?page=2"' in first.content.decode()
    word = apps[0].project_name[:2]
    assert all(word in app.project_name for app in apps)
    searched = client.get(url, {"q": word}).content.decode()
    assert 'href="?q=' in searched and "&amp;page=2" in searched
