"""The panel chair's page (reviews/views/chair.py): the members' submitted scores of the open panels the user
chairs, 50 a page, searched and filtered by panel, each with its reopen form; and the chair's summary on
我的评审."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reviews.models import Assignment, Score
from reviews.services.panels import panel_close
from reviews.services.scoring import score_save
from tests.factories import UserFactory
from tests.factories.reviews import ExpertFactory, logged_in, open_panel, opened_panel, panel_with, points_for

pytestmark = pytest.mark.django_db

URL = reverse("reviews:chair_scores")


def chaired(city, *, experts=3, applications=2, per_application=3, submit=True):
    """An opened panel chaired by its first member; every other member's scores submitted (through the service)
    when ``submit``. -> (panel, chair, submitted scores, applications)"""
    panel, members, apps = opened_panel(city, experts=experts, applications=applications,
                                        per_application=per_application)
    chair = members[0]
    panel.chair = chair
    panel.save(update_fields=["chair"])
    submitted = []
    for a in Assignment.objects.filter(panel=panel).select_related("expert__user").order_by("id"):
        if submit:
            score = score_save(actor=a.expert.user, assignment=a, points=points_for(panel), submit=True)
            if a.expert_id != chair.pk:
                submitted.append(score)
    return panel, chair, submitted, apps


def bulk_submitted(city, count):
    """A panel whose chair sits outside it with ``count`` members' scores submitted, written in bulk (the list
    only reads them). -> (panel, chair)"""
    panel, _members, _apps = panel_with(experts=3, applications=-(-count // 3))
    panel = open_panel(city, panel, per_application=3)
    chair = ExpertFactory()
    panel.chair = chair
    panel.save(update_fields=["chair"])
    now = timezone.now()
    Score.objects.bulk_create(Score(assignment=a, status="submitted", submitted_at=now)
                              for a in Assignment.objects.filter(panel=panel).order_by("id")[:count])
    return panel, chair


@pytest.fixture
def city():
    return UserFactory(role=Role.CITY)


def test_the_chair_sees_each_submitted_score_of_a_member_with_its_reopen_form(city):
    panel, chair, submitted, apps = chaired(city)
    response = logged_in(chair.user).get(URL)
    body = response.content.decode()
    assert response.status_code == 200 and "<title>评审组已提交评分" in body
    assert {s.pk for s in response.context["rows"]} == {s.pk for s in submitted} and len(submitted) == 4
    for score in submitted:
        assert f'action="{reverse("reviews:score_reopen", args=[score.pk])}"' in body
        assert f'id="reason-{score.pk}"' in body
        when = timezone.localtime(score.submitted_at)
        assert f'<td class="text-nowrap d-none d-md-table-cell">{when:%Y-%m-%d %H:%M}</td>' in body
        assert f'<td class="text-nowrap">{score.assignment.expert.name}</td>' in body
    assert body.count('name="csrfmiddlewaretoken"') >= 4
    assert body.count('<summary class="small text-nowrap">退回</summary>') == 4
    assert all(app.receipt_no in body and app.project_name in body for app in apps)
    assert '<th scope="col">评审专家</th>' in body and '<caption class="visually-hidden">' in body
    assert f'href="{reverse("reviews:my_assignments")}"' in body  # the way back
    assert [(p.pk, p.submitted) for p in response.context["panels"]] == [(panel.pk, 4)]


def test_the_chairs_own_scores_and_other_panels_are_not_listed(city):
    panel, chair, submitted, _apps = chaired(city)
    other, other_chair, other_scores, _ = chaired(city)
    own = Score.objects.filter(assignment__expert=chair, assignment__panel=panel)
    assert own.exists()
    rows = logged_in(chair.user).get(URL).context["rows"]
    assert {s.pk for s in rows} == {s.pk for s in submitted}
    assert not {s.pk for s in rows} & ({s.pk for s in own} | {s.pk for s in other_scores})
    # a panel the user does not chair answers 404, whether it exists or not
    client = logged_in(chair.user)
    assert client.get(URL, {"panel": other.pk}).status_code == 404
    assert client.get(URL, {"panel": 999999}).status_code == 404
    assert client.get(URL, {"panel": "1e3"}).status_code == 400
    assert logged_in(other_chair.user).get(URL, {"panel": other.pk}).status_code == 200


def test_a_member_who_chairs_nothing_sees_nothing_and_other_roles_are_refused(city):
    panel, _chair, _submitted, _apps = chaired(city)
    member = Assignment.objects.filter(panel=panel).exclude(expert=panel.chair).select_related("expert__user")[0]
    response = logged_in(member.expert.user).get(URL)
    assert response.status_code == 200
    assert response.context["panels"] == [] and list(response.context["rows"]) == []
    assert "您目前未担任评审中评审组的组长" in response.content.decode()
    assert logged_in(member.expert.user).get(URL, {"panel": panel.pk}).status_code == 404
    for role in (Role.CITY, Role.COUNTY, Role.ENTERPRISE):
        assert logged_in(role=role).get(URL).status_code == 403


def test_a_closed_panel_leaves_the_page(city):
    panel, chair, _submitted, _apps = chaired(city)
    panel_close(actor=city, panel=panel)
    response = logged_in(chair.user).get(URL)
    assert response.context["panels"] == [] and list(response.context["rows"]) == []


def test_search_by_receipt_enterprise_project_and_expert_and_filter_by_panel(city):
    panel, chair, submitted, apps = chaired(city, experts=4, applications=3, per_application=3)
    second, second_members, second_apps = opened_panel(city, experts=2, applications=1, per_application=2)
    second.chair = chair  # the chair of two panels, not a member of the second
    second.save(update_fields=["chair"])
    for a in Assignment.objects.filter(panel=second).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(second), submit=True)
    client = logged_in(chair.user)

    def found(**params):
        listed = [s.pk for s in client.get(URL, params).context["rows"]]
        return set(Score.objects.filter(pk__in=listed).values_list("assignment__application_id",
                                                                   "assignment__expert_id"))

    first_app = apps[0]
    of_first = {(s.assignment.application_id, s.assignment.expert_id) for s in submitted
                if s.assignment.application_id == first_app.pk}
    assert of_first and found(q=first_app.receipt_no) == of_first
    assert found(q=first_app.receipt_no.lower()[:-1] + first_app.receipt_no[-1]) == of_first  # by prefix, any case
    assert found(q=first_app.enterprise.name) == of_first
    assert found(q=first_app.project_name) >= of_first
    expert = submitted[0].assignment.expert
    assert found(q=expert.name) == {(s.assignment.application_id, expert.pk) for s in submitted
                                    if s.assignment.expert_id == expert.pk}
    assert found(q="不存在的企业名称") == set()
    assert {a for a, _e in found(panel=second.pk)} == {second_apps[0].pk}
    assert found(panel=second.pk, q=first_app.receipt_no) == set()
    all_rows = found()
    assert len(all_rows) == len(submitted) + 2
    body = client.get(URL, {"panel": second.pk}).content.decode()
    assert f'<option value="{second.pk}" selected>' in body


def test_fifty_a_page_and_the_pages_keep_the_search(city):
    panel, chair = bulk_submitted(city, 53)
    client = logged_in(chair.user)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.count == 53
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 3
    assert not {s.pk for s in first.context["rows"]} & {s.pk for s in second.context["rows"]}
    filtered = client.get(URL, {"panel": panel.pk})
    assert f"panel={panel.pk}&amp;page=2" in filtered.content.decode()


def test_reopen_from_the_chair_page_returns_there(city):
    panel, chair, submitted, _apps = chaired(city)
    client = logged_in(chair.user)
    target = submitted[0]
    back_to = f"{URL}?panel={panel.pk}&q={target.assignment.application.receipt_no}"
    page = client.get(back_to).content.decode()
    assert f'name="next" value="{back_to.replace("&", "&amp;")}"' in page
    response = client.post(reverse("reviews:score_reopen", args=[target.pk]),
                           {"reason": "请补充评分意见", "next": back_to})
    assert response.status_code == 302 and response["Location"] == back_to
    target.refresh_from_db()
    assert target.status == "draft" and target.reopen_count == 1
    after = client.get(back_to)
    assert target.pk not in {s.pk for s in after.context["rows"]}
    # without a page to return to, the chair lands on the chair's page
    other = submitted[1]
    response = client.post(reverse("reviews:score_reopen", args=[other.pk]), {"reason": "请复核"})
    assert response["Location"] == URL
    # a reason is required: nothing changes, the chair is told why
    third = submitted[2]
    response = client.post(reverse("reviews:score_reopen", args=[third.pk]), {"reason": "", "next": URL}, follow=True)
    third.refresh_from_db()
    assert third.status == "submitted" and response.redirect_chain[-1][0] == URL


def test_my_reviews_sums_up_the_chairs_panels_with_a_link(city):
    panel, chair, submitted, _apps = chaired(city)
    empty, _c, _s, _a = chaired(city, submit=False)
    empty.chair = chair
    empty.save(update_fields=["chair"])
    response = logged_in(chair.user).get(reverse("reviews:my_assignments"))
    body = response.content.decode()
    assert [(p["pk"], p["submitted"]) for p in response.context["chaired"]] == sorted(
        [(panel.pk, 4), (empty.pk, 0)], key=lambda pair: (pair[0] != panel.pk) ^ (panel.name > empty.name))
    assert f'href="{URL}?panel={panel.pk}"' in body and "已提交评分 4 条" in body and "已提交评分 0 条" in body
    assert "score_reopen" not in body and "/reopen/" not in body  # the forms live on the chair's page
    # the panel filter of the list offers the panels with the chair's own assignments only
    assert {p["pk"] for p in response.context["panels"]} == {panel.pk}
    assert f'<option value="{panel.pk}">{panel.name}（{panel.round.year}年度）</option>' in body  # panels by year
    member = Assignment.objects.filter(panel=panel).exclude(expert=chair).select_related("expert__user")[0]
    other = logged_in(member.expert.user).get(reverse("reviews:my_assignments"))
    assert other.context["chaired"] == [] and URL not in other.content.decode()


def test_names_are_shown_as_text(city):
    from reviews.models import ExpertProfile

    panel, chair, submitted, _apps = chaired(city)
    payload = "<script>alert(1)</script>"
    ExpertProfile.objects.filter(pk=submitted[0].assignment.expert_id).update(name=payload)
    type(panel).objects.filter(pk=panel.pk).update(name=payload)
    for url in (URL, reverse("reviews:my_assignments")):
        body = logged_in(chair.user).get(url).content.decode()
        assert payload not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
