"""List pages: filters, sorting from an allowlist, pagination, batch actions, and a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import County
from accounts.roles import Role
from applications.models import Application
from applications.workflow import Status
from tests.factories import (
    ApplicationFactory,
    CategoryFactory,
    ProfiledEnterpriseFactory,
    UserFactory,
    application_in,
    category_with_rules,
)

pytestmark = pytest.mark.django_db
LIST = reverse("applications:list")


def many(n, status=Status.SUBMITTED, county="中原区", category=None):
    category = category or category_with_rules()
    place = County.objects.get(name=county)
    return [application_in(status, category=category, enterprise=ProfiledEnterpriseFactory(county=place))
            for _ in range(n)]


def shown(response):
    return [a["id"] for a in response.context["page"]]


def statements(captured):
    """SQL statements that read or write data (not transaction control: BEGIN/COMMIT, the test's SAVEPOINTs)."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith(control)]


def queries_for(client, url=LIST, **params):
    client.get(url, params)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(statements(ctx.captured_queries)), response


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CITY, Role.ENTERPRISE, Role.OFFICIAL])
def test_query_count_does_not_grow_with_the_rows(role, client_for):
    category = category_with_rules()
    enterprise = ProfiledEnterpriseFactory()
    user = UserFactory(role=role, organisation=enterprise) if role == Role.ENTERPRISE else \
        UserFactory(role=role, county=County.objects.get(name="中原区")) if role == Role.COUNTY else \
        UserFactory.for_role(role)
    client = client_for(user)

    def add(n):
        for i in range(n):
            app = application_in(Status.SUBMITTED if i % 2 else Status.COUNTY_ACCEPTED, category=category,
                                 enterprise=enterprise if role == Role.ENTERPRISE else ProfiledEnterpriseFactory())
            app.other_subsidy = i % 3 == 0
            app.save()

    add(3)
    small, response = queries_for(client)
    assert len(shown(response)) == 3
    add(57)
    large, response = queries_for(client)
    assert len(shown(response)) == 50  # paginated
    assert small == large
    assert large <= 8, large
    filtered, _response = queries_for(client, status=Status.SUBMITTED, q="项目", sort="-amount", amount_min="1")
    assert filtered == large + 1  # the search looks up the matching enterprises first (core.search)


def test_filters_by_status_category_county_amount_and_text(client_for):
    cat_a, cat_b = category_with_rules(), None
    cat_b = CategoryFactory(round=cat_a.round, name="市场推广")
    a1 = many(1, category=cat_a)[0]
    b1 = many(1, category=cat_b, county="金水区")[0]
    b1.requested_amount = Decimal("500000.00")
    b1.project_name = "品牌推广展会项目"
    b1.save()
    accepted = many(1, status=Status.COUNTY_ACCEPTED, category=cat_a)[0]
    client = client_for(Role.CITY)
    assert set(shown(client.get(LIST, {"status": "county_accepted"}))) == {accepted.pk}
    assert set(shown(client.get(LIST, {"category": cat_b.pk}))) == {b1.pk}
    assert set(shown(client.get(LIST, {"county": County.objects.get(name="金水区").pk}))) == {b1.pk}
    assert set(shown(client.get(LIST, {"amount_max": "60"}))) == {b1.pk}  # 万元
    assert set(shown(client.get(LIST, {"amount_min": "100"}))) == {a1.pk, accepted.pk}
    assert set(shown(client.get(LIST, {"q": "展会"}))) == {b1.pk}
    assert set(shown(client.get(LIST, {"q": b1.enterprise.name}))) == {b1.pk}
    assert set(shown(client.get(LIST, {"q": a1.receipt_no}))) == {a1.pk}


def test_sorting_uses_an_allowlist(client_for):
    apps = many(3)
    for i, app in enumerate(apps):
        app.requested_amount = Decimal(100000 * (i + 1))
        app.save()
    client = client_for(Role.CITY)
    assert shown(client.get(LIST, {"sort": "-amount"})) == [apps[2].pk, apps[1].pk, apps[0].pk]
    assert shown(client.get(LIST, {"sort": "amount"})) == [apps[0].pk, apps[1].pk, apps[2].pk]
    # anything else falls back to the default order, never to an arbitrary field
    response = client.get(LIST, {"sort": "enterprise__bank_account_no"})
    assert response.status_code == 200 and set(shown(response)) == {a.pk for a in apps}


def test_enterprise_list_has_no_other_enterprises_and_its_drafts(client_for):
    mine = application_in(Status.DRAFT)
    application_in(Status.SUBMITTED)
    client = client_for(UserFactory(role=Role.ENTERPRISE, organisation=mine.enterprise))
    response = client.get(LIST)
    assert shown(response) == [mine.pk]
    assert "草稿" in response.content.decode()


def test_county_forwards_a_batch_with_opinion_and_ranks(client_for, django_capture_on_commit_callbacks):
    apps = many(3, status=Status.COUNTY_ACCEPTED)
    city = UserFactory(role=Role.CITY)
    client = client_for(UserFactory(role=Role.COUNTY, county=apps[0].county))
    data = {"selected": [apps[0].pk, apps[1].pk], f"rank_{apps[0].pk}": "2", f"rank_{apps[1].pk}": "1",
            "opinion": "材料齐全，同意推荐"}
    response = client.post(reverse("applications:batch"), data)
    assert response.status_code == 302
    done = {a.pk: a for a in Application.objects.filter(pk__in=[a.pk for a in apps])}
    assert (done[apps[0].pk].status, done[apps[0].pk].county_rank) == (Status.FORWARDED, 2)
    assert (done[apps[1].pk].status, done[apps[1].pk].county_rank) == (Status.FORWARDED, 1)
    assert done[apps[1].pk].county_opinion == "材料齐全，同意推荐"
    assert done[apps[2].pk].status == Status.COUNTY_ACCEPTED
    # the city hears of each forwarded application in its queue (in-app and the daily digest, no e-mail each)
    told = city.notifications.filter(kind="application.forward")
    assert sorted(told.values_list("object_key", flat=True)) == sorted(
        f"applications.application:{a.pk}" for a in apps[:2])
    assert all("推荐上报" in n.subject and "材料齐全，同意推荐" in n.body and not n.email_wanted for n in told)


@pytest.mark.parametrize("data", [
    {"ranks": ["1", "1"], "opinion": "同意"},   # duplicate ranks
    {"ranks": ["1", ""], "opinion": "同意"},    # a rank missing
    {"ranks": ["1", "2"], "opinion": ""},      # no opinion
])
def test_a_bad_batch_forwards_nothing(data, client_for):
    apps = many(2, status=Status.COUNTY_ACCEPTED)
    client = client_for(UserFactory(role=Role.COUNTY, county=apps[0].county))
    post = {"selected": [a.pk for a in apps], "opinion": data["opinion"]}
    post.update({f"rank_{a.pk}": rank for a, rank in zip(apps, data["ranks"], strict=True)})
    response = client.post(reverse("applications:batch"), post, follow=True)
    assert Application.objects.filter(pk__in=[a.pk for a in apps], status=Status.COUNTY_ACCEPTED).count() == 2
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_ranks_already_given_are_refused(client_for):
    forwarded = many(1, status=Status.FORWARDED)[0]
    forwarded.county_rank = 1
    forwarded.save()
    app = many(1, status=Status.COUNTY_ACCEPTED, category=forwarded.category)[0]
    client = client_for(UserFactory(role=Role.COUNTY, county=app.county))
    client.post(reverse("applications:batch"), {"selected": [app.pk], f"rank_{app.pk}": "1", "opinion": "同意"})
    app.refresh_from_db()
    assert app.status == Status.COUNTY_ACCEPTED


def test_city_accepts_a_batch_centrally(client_for):
    apps = many(2, status=Status.FORWARDED)
    client = client_for(Role.CITY)
    client.post(reverse("applications:batch"), {"selected": [a.pk for a in apps]})
    assert Application.objects.filter(pk__in=[a.pk for a in apps], status=Status.CITY_ACCEPTED).count() == 2


def test_enterprise_cannot_post_batches(client_for):
    app = ApplicationFactory()
    response = client_for(UserFactory(role=Role.ENTERPRISE, organisation=app.enterprise)).post(
        reverse("applications:batch"), {"selected": [app.pk]})
    assert response.status_code == 403


def test_empty_state_says_what_to_do(client_for):
    body = client_for(Role.ENTERPRISE).get(LIST).content.decode()
    assert "开始申报" in body


def test_user_text_in_the_table_and_filters_is_escaped(client_for):
    app = application_in(Status.SUBMITTED)
    app.project_name = '<img src=x onerror="alert(1)">项目'
    app.save()
    app.enterprise.name = "<script>alert(2)</script>有限公司"
    app.enterprise.save()
    body = client_for(Role.CITY).get(LIST, {"q": '"><script>alert(3)</script>'}).content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&quot;&gt;&lt;script&gt;alert(3)" in body  # the typed search stays, escaped
    body = client_for(Role.CITY).get(LIST).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;项目" in body
    assert "&lt;script&gt;alert(2)&lt;/script&gt;有限公司" in body
