"""The expert's pages (reviews/views/expert.py): the score sheet is locked optimistically (a stale save or
submit from a second tab is refused), a partial sheet saves as a draft, the panel summary says when it closed."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditLog
from reviews.models import Assignment, Score
from reviews.services.panels import panel_close
from reviews.services.scoring import score_save
from tests.factories import UserFactory
from tests.factories.reviews import (
    logged_in,
    opened_panel,
    points_for,
)
from tests.helpers import input_value

pytestmark = pytest.mark.django_db

STALE = "此记录在您打开后已被他人修改"


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


def test_an_expert_saves_a_partial_draft_and_must_complete_it_to_submit(sheet):
    assignment, criteria, panel, _url = sheet
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


def test_the_panel_summary_says_when_the_review_closed():
    city = UserFactory(role=Role.CITY)
    panel, _members, _apps = opened_panel(city, experts=2, applications=1, per_application=1)
    for a in Assignment.objects.filter(panel=panel).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel), submit=True)
    panel_close(actor=city, panel=panel)
    body = logged_in(city).get(reverse("reviews:panel_summary", args=[panel.pk])).content.decode()
    assert "评审结束于 " in body and "结束时间" not in body


def my_list(city, applications, *, declared=0, submitted=0, second_panel=0):
    """An expert alone on a panel with ``applications`` to review: ``declared`` of them declared (no conflict),
    ``submitted`` of those scored and submitted; with ``second_panel``, that many more in a second open panel."""
    from reviews.services.assignment import declare
    from tests.factories.reviews import open_panel, panel_with

    panel, members, _apps = panel_with(experts=1, applications=applications)
    panel = open_panel(city, panel, per_application=1, declare_all=False)
    expert = members[0].user
    mine = list(Assignment.objects.filter(panel=panel).order_by("id"))
    for assignment in mine[:declared]:
        declare(actor=expert, assignment=assignment, has_conflict=False)
    for assignment in mine[:submitted]:
        score_save(actor=expert, assignment=assignment, points=points_for(panel, Decimal("0.8")), submit=True)
    other = None
    if second_panel:
        other, _members, _apps = panel_with(experts=1, applications=second_panel)
        other.members.set([members[0]])
        other = open_panel(city, other, per_application=1, declare_all=True)
    return expert, panel, other


def test_my_reviews_is_paginated_and_filtered_by_status_and_panel():
    city = UserFactory(role=Role.CITY)
    expert, panel, other = my_list(city, 23, declared=6, submitted=2, second_panel=2)
    client = logged_in(expert)
    url = reverse("reviews:my_assignments")
    first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["rows"]) == 20 and first.context["page"].paginator.count == 25
    assert first.context["counts"] == {"declare": 17, "score": 6, "done": 2}
    stages = [a.stage for a in first.context["rows"]]
    assert stages == sorted(stages)  # the work first: declare, then score, then done
    assert len(client.get(url, {"page": 2}).context["rows"]) == 5
    to_score = client.get(url, {"status": "score"}).context["rows"]
    assert len(to_score) == 6 and {a.panel_id for a in to_score} == {panel.pk, other.pk}
    only_other = client.get(url, {"status": "score", "panel": other.pk})
    assert [a.panel_id for a in only_other.context["rows"]] == [other.pk, other.pk]
    assert f"panel={other.pk}" in only_other.content.decode()  # the tabs keep the panel
    done = client.get(url, {"status": "done"}).context["rows"]
    assert len(done) == 2 and all(a.score_status == "submitted" for a in done)
    assert client.get(url, {"panel": "1e3"}).status_code == 400
    assert client.get(url, {"status": "nonsense"}).context["page"].paginator.count == 25


def test_my_reviews_runs_a_fixed_number_of_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city = UserFactory(role=Role.CITY)
    small, _p, _o = my_list(city, 2, declared=1, submitted=1, second_panel=1)
    large, _p, _o = my_list(city, 30, declared=12, submitted=5, second_panel=4)

    def queries(expert, **params):
        client = logged_in(expert)
        client.get(reverse("reviews:my_assignments"), params)  # the statements are prepared once per connection
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("reviews:my_assignments"), params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert queries(large) <= queries(small)
    assert queries(large, status="score") <= queries(small, status="score")
    assert queries(large, page="2") <= queries(small)


def test_my_reviews_rows_show_each_stage_with_its_badge_total_and_step():
    from reviews.templatetags.reviews_tags import score as score_text

    city = UserFactory(role=Role.CITY)
    expert, panel, _other = my_list(city, 3, declared=2, submitted=1)
    body = logged_in(expert).get(reverse("reviews:my_assignments")).content.decode()
    rows = {a.pk: a for a in Assignment.objects.filter(expert__user=expert).select_related(
        "application__enterprise", "score")}
    assert body.count('<tr><td class="text-nowrap">') == len(rows) == 3
    for a in rows.values():
        assert f'<td class="text-nowrap">{a.application.receipt_no}</td>' in body
        assert f'<td class="d-none d-lg-table-cell">{panel.name}</td>' in body
    declare = [a for a in rows.values() if a.status == "assigned"]
    assert len(declare) == 1
    declare_url = reverse("reviews:declare", args=[declare[0].pk])
    assert f'<a class="btn btn-sm btn-primary" href="{declare_url}">声明</a>' in body
    assert body.count('<span class="badge text-bg-warning">待回避声明</span>') == 1
    to_score = [a for a in rows.values() if a.status == "confirmed" and not hasattr(a, "score")]
    assert len(to_score) == 1 and '<span class="badge text-bg-primary">待评分</span>' in body
    score_url = reverse("reviews:score", args=[to_score[0].pk])
    assert f'<a class="btn btn-sm btn-primary" href="{score_url}">评分</a>' in body
    submitted = [a for a in rows.values() if getattr(a, "score", None) and a.score.status == "submitted"]
    assert len(submitted) == 1
    assert f'<td class="num">{score_text(submitted[0].score.total)}</td>' in body
    view = reverse("reviews:score", args=[submitted[0].pk])
    assert f'<a class="btn btn-sm btn-outline-secondary" href="{view}">查看</a>' in body  # submitted: read only
