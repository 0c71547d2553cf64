"""The search box of the county and city application lists: what it finds, within the list's scope, kept in
the page and export links, escaped, and at a fixed number of queries; the count stops at the cap."""

import html

import pytest
from django.urls import reverse

from accounts.models import County
from accounts.roles import Role
from accounts.validators import make_credit_code
from applications.workflow import Status
from tests.factories import ProfiledEnterpriseFactory, UserFactory, application_in, category_with_rules
from tests.helpers import xlsx_cells

from .test_lists import queries_for, shown

pytestmark = pytest.mark.django_db
LIST = reverse("applications:list")
EXPORT = reverse("applications:export")


@pytest.fixture
def two_counties():
    category = category_with_rules()
    zy, js = County.objects.get(name="中原区"), County.objects.get(name="金水区")
    own = application_in(Status.SUBMITTED, category=category, project_name="数控机床智能化改造",
                         enterprise=ProfiledEnterpriseFactory(name="郑州宇通重工有限公司", county=zy,
                                                              credit_code=make_credit_code("91410100AB1234567")))
    foreign = application_in(Status.SUBMITTED, category=category, project_name="数控机床智能化升级",
                             enterprise=ProfiledEnterpriseFactory(name="郑州宇通客车有限公司", county=js,
                                                                  credit_code=make_credit_code("91410200CD7654321")))
    return own, foreign


def county_client(client_for):
    return client_for(UserFactory(role=Role.COUNTY, county=County.objects.get(name="中原区")))


def test_city_finds_by_receipt_credit_code_and_chinese_names(two_counties, client_for):
    own, foreign = two_counties
    client = client_for(Role.CITY)
    assert set(shown(client.get(LIST, {"q": own.receipt_no.lower()}))) == {own.pk}
    assert set(shown(client.get(LIST, {"q": foreign.receipt_no[:-1]}))) >= {foreign.pk}
    assert set(shown(client.get(LIST, {"q": "91410200cd"}))) == {foreign.pk}
    assert set(shown(client.get(LIST, {"q": "９１４１０１"}))) == {own.pk}  # full-width digits typed
    assert set(shown(client.get(LIST, {"q": "宇通"}))) == {own.pk, foreign.pk}
    assert set(shown(client.get(LIST, {"q": "重工"}))) == {own.pk}
    assert set(shown(client.get(LIST, {"q": "智能化升级"}))) == {foreign.pk}
    assert set(shown(client.get(LIST, {"q": "宇通 升级"}))) == {foreign.pk}


def test_a_county_never_finds_another_countys_application(two_counties, client_for):
    own, foreign = two_counties
    client = county_client(client_for)
    assert set(shown(client.get(LIST, {"q": "宇通"}))) == {own.pk}
    assert set(shown(client.get(LIST, {"q": "数控机床"}))) == {own.pk}
    assert shown(client.get(LIST, {"q": foreign.receipt_no})) == []
    assert shown(client.get(LIST, {"q": foreign.enterprise.credit_code})) == []
    assert shown(client.get(LIST, {"q": "客车"})) == []
    cells = {c.value for c in xlsx_cells(client.get(EXPORT, {"q": "宇通"}), filled=True)}
    assert own.project_name in cells and foreign.project_name not in cells


def test_page_links_and_export_link_keep_the_search(client_for):
    category = category_with_rules()
    for _ in range(55):
        application_in(Status.SUBMITTED, category=category, project_name="数控机床智能化改造")
    application_in(Status.SUBMITTED, category=category, project_name="另一个项目")
    client = client_for(Role.CITY)
    response = client.get(LIST, {"q": "数控 机床"})
    body = response.content.decode()
    assert len(shown(response)) == 50
    assert "q=%E6%95%B0%E6%8E%A7+%E6%9C%BA%E5%BA%8A&amp;page=2" in body
    assert f'{EXPORT}?q=%E6%95%B0%E6%8E%A7+%E6%9C%BA%E5%BA%8A' in body
    second = client.get(LIST, {"q": "数控 机床", "page": 2})
    assert len(shown(second)) == 5
    cells = [c.value for c in xlsx_cells(client.get(EXPORT, {"q": "数控 机床"}), filled=True)]
    assert cells.count("数控机床智能化改造") == 55 and "另一个项目" not in cells


def test_the_search_is_echoed_escaped(client_for):
    attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    body = client_for(Role.CITY).get(LIST, {"q": attack}).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert html.escape(attack) in body


def test_an_overlong_search_answers_the_page_not_a_500(client_for):
    response = client_for(Role.CITY).get(LIST, {"q": "郑" * 500})
    assert response.status_code == 200
    assert "100" in response.context["filters"] and "is-invalid" in response.context["filters"]  # says why


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CITY])
@pytest.mark.parametrize("query", [{"q": "宇通 <b>"}, {"q": "宇通", "page": "2"}, {"q": ""}])
def test_a_search_alone_shows_the_filter_bar_the_whole_form_shows(role, query, client_for):
    """A list searched and not filtered binds its search box alone and takes the other fields from the empty bar:
    the same bar, the same rows as with the whole filter form bound."""
    from applications.forms import ListFilterForm
    from applications.listing import filter_html
    from applications.selectors import filter_menus

    category = category_with_rules()
    application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory(
        name="郑州宇通<b>有限公司", county=County.objects.get(name="中原区")))
    user = UserFactory(role=role, county=County.objects.get(name="中原区"))
    response = client_for(user).get(LIST, query)
    categories, counties = filter_menus()
    whole = ListFilterForm(response.wsgi_request.GET, actor=user, categories=categories, counties=counties)
    assert whole.is_valid()
    assert response.context["filters"] == filter_html(whole)
    filtered = client_for(user).get(LIST, {**query, "sort": "-submitted"})  # the whole form bound
    assert shown(response) == shown(filtered)
    assert len(shown(response)) == 1  # page 2 of one page: its last page


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CITY])
def test_searching_costs_a_fixed_number_of_queries(role, client_for):
    category = category_with_rules()
    place = County.objects.get(name="中原区")
    client = county_client(client_for) if role == Role.COUNTY else client_for(role)
    for _ in range(3):
        application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory(county=place))
    plain, _response = queries_for(client)
    by_name, response = queries_for(client, q="智能化 测试制造")
    assert len(shown(response)) == 3
    by_code, _response = queries_for(client, q="91410102")
    # one query per word for the enterprises whose name or credit code matches (core.search._related_match)
    assert by_name == plain + 2 and by_code == plain + 1
    for _ in range(60):
        application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory(county=place))
    assert queries_for(client)[0] == plain
    assert queries_for(client, q="智能化 测试制造")[0] == by_name
    assert queries_for(client, q="91410102")[0] == by_code


def test_the_count_stops_at_the_cap_and_the_pages_go_on(client_for, monkeypatch):
    monkeypatch.setattr("core.paging.COUNT_CAP", 20)
    category = category_with_rules()
    for _ in range(120):
        application_in(Status.SUBMITTED, category=category)
    client = client_for(Role.CITY)
    response = client.get(LIST)
    body = response.content.decode()
    assert "20+" in body
    assert response.context["page"].paginator.exact is False
    # beyond the cap page numbers reach cap // 50 pages (at least one) from each end: page 3 is the deepest one
    third = client.get(LIST, {"page": 3})
    assert third.context["page"].number == 1 and third.context["page"].at_limit
    last = client.get(LIST, {"page": "last"})
    assert len(shown(last)) == 50 and last.context["page"].has_next() is False
    assert 'rel="next"' not in last.content.decode()
    first_ids = shown(response)
    oldest_first = shown(client.get(LIST, {"sort": "submitted"}))
    assert set(first_ids).isdisjoint(oldest_first) and set(first_ids).isdisjoint(shown(last))
    assert sorted(shown(last)) == sorted(oldest_first)  # the last page holds the oldest 50, in the list's order
