"""The application lists' rows through a statement compiled once (core.paging's ``statement``): the same rows as
the queryset for every role, sort and id filter, one statement for all counties, none for a searched list."""

import pytest

from accounts.roles import Role
from applications.selectors import DEFAULT_SORT, application_rows, application_rows_statement
from applications.workflow import Status
from core import sqlcache
from core.paging import CappedPaginator
from tests.factories import UserFactory, application_in, category_with_rules
from tests.factories.accounts import county

pytestmark = pytest.mark.django_db


def _pages(actor, filters, sort, statement):
    rows, count_qs = application_rows(actor, filters, sort)
    return [[r["id"] for r in CappedPaginator(rows, 2, count_qs=count_qs, statement=statement).get_page(n)]
            for n in ("1", "2", "last")]


@pytest.mark.parametrize("sort", [DEFAULT_SORT, "-amount", "rank"])
def test_the_statement_reads_the_rows_of_the_queryset_for_every_role_and_filter(sort):
    category = category_with_rules()
    apps = [application_in(status, category=category) for status in
            (Status.SUBMITTED, Status.FORWARDED, Status.FORWARDED, Status.QUALIFIED, Status.SUBMITTED)]
    apps.append(application_in(Status.FORWARDED, category=category, enterprise=apps[0].enterprise))
    county = apps[0].county
    city = UserFactory.for_role(Role.CITY)
    officer = UserFactory(role=Role.COUNTY, county=county)
    enterprise = UserFactory.for_role(Role.ENTERPRISE, organisation=apps[0].enterprise)
    cases = [(city, {}), (city, {"status": Status.FORWARDED}), (city, {"county": county.pk}),
             (city, {"category": category.pk, "round": apps[0].round_id, "status": "", "q": ""}),
             (officer, {}), (officer, {"status": Status.SUBMITTED}), (enterprise, {})]
    for actor, filters in cases:
        statement = application_rows_statement(actor, filters, sort)
        assert statement is not None, (actor.role, filters)
        plain = _pages(actor, filters, sort, None)
        assert _pages(actor, filters, sort, statement) == plain, (actor.role, filters)
        assert any(plain), (actor.role, filters)


def test_one_statement_for_every_county_and_none_for_a_searched_list():
    first = application_in(Status.SUBMITTED)
    second = application_in(Status.SUBMITTED, county=county("金水区"))
    assert first.county_id != second.county_id
    officers = [UserFactory(role=Role.COUNTY, county=a.county) for a in (first, second)]
    statements = [application_rows_statement(o, {}, DEFAULT_SORT) for o in officers]
    assert statements[0][0] == statements[1][0] and statements[0][2] != statements[1][2]
    sqlcache.clear()
    for officer, application in zip(officers, (first, second), strict=True):
        assert _pages(officer, {}, DEFAULT_SORT, application_rows_statement(officer, {}, DEFAULT_SORT))[0] == \
            [application.pk]
    assert len([k for k in sqlcache._entries() if k[1] == "application_rows"]) == 1
    city = UserFactory.for_role(Role.CITY)
    for filters in ({"q": "智能"}, {"amount_min": 1}, {"duplicates": True}, {"credit": True}):
        assert application_rows_statement(city, filters, DEFAULT_SORT) is None, filters
    assert application_rows_statement(UserFactory.for_role(Role.EXPERT), {}, DEFAULT_SORT) is None
