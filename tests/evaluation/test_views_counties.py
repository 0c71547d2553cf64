"""The counties compared: who sees which counties, the figures, the year chosen, the XLSX and the queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory, county
from tests.factories.evaluation import cycle_of
from tests.helpers import xlsx_cells

pytestmark = pytest.mark.django_db
URL = reverse("evaluation:county_comparison")
EXPORT = reverse("evaluation:county_comparison_export")


@pytest.fixture
def two_counties(two_years):
    cycle_of(2022, applied=2, awarded=1, paid="250000.00", county_name="二七区")
    return two_years


def _rows(page):
    return {row.name: row for row in page.context["comparison"].rows}


def test_city_and_official_see_every_county_with_both_years(client_for, two_counties):
    page = client_for(Role.OFFICIAL).get(URL, {"year": 2022})
    assert page.status_code == 200
    rows = _rows(page)
    assert len(rows) == 16
    zhongyuan, erqi = rows["中原区"].years, rows["二七区"].years
    assert (zhongyuan[0].applied, zhongyuan[0].awarded, zhongyuan[1].applied, zhongyuan[1].awarded) == (3, 2, 4, 3)
    assert zhongyuan[1].awarded_amount == Decimal("3000000.00") and zhongyuan[1].paid == Decimal("8500000.00")
    assert (erqi[0].applied, erqi[1].applied, erqi[1].paid) == (0, 2, Decimal("250000.00"))
    assert page.context["comparison"].totals[1].applied == 6
    body = page.content.decode()
    assert "各县（市、区）对比：2022年与2021年" in body and "850.00" in body
    assert body.count("<svg") == 16 and "中原区：2021年与2022年" in body
    assert client_for(Role.CITY).get(URL).status_code == 200


def test_a_county_user_sees_its_own_county_only(client_for, two_counties):
    page = client_for(UserFactory(role=Role.COUNTY, county=county("二七区"))).get(URL, {"year": 2022})
    assert list(_rows(page)) == ["二七区"]
    body = page.content.decode()
    assert "中原区" not in body and body.count("<svg") == 1
    cells = [c.value for c in xlsx_cells(client_for(page.wsgi_request.user).get(EXPORT, {"year": 2022}),
                                         filled=True)]
    assert "二七区" in cells and "中原区" not in cells


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.EXPERT, Role.AUDITOR])
def test_other_roles_are_refused(client_for, role, two_years):
    client = client_for(role)
    assert client.get(URL).status_code == 403 and client.get(EXPORT).status_code == 403


def test_anonymous_goes_to_login(client, two_years):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("value", ["２０２２", "2022x", "1e3", "99999", "-1"])
def test_a_malformed_year_is_a_400(client_for, value):
    assert client_for(Role.CITY).get(URL, {"year": value}).status_code == 400


def test_the_year_defaults_to_the_latest_evaluation_year(client_for, two_years):
    page = client_for(Role.CITY).get(URL)
    assert page.context["year"] == 2022 and page.context["comparison"].years == [2021, 2022]
    assert page.context["choices"] == [2022, 2021]


def test_the_xlsx_has_a_row_per_county_and_the_totals(client_for, two_counties):
    response = client_for(Role.OFFICIAL).get(EXPORT, {"year": 2022})
    assert response.status_code == 200 and "counties-2021-2022.xlsx" in response["Content-Disposition"]
    cells = xlsx_cells(response, filled=True)
    values = [c.value for c in cells]
    assert "各县（市、区）对比：2022年与2021年" in values and "2022年已拨付（万元）" in values
    assert "中原区" in values and "二七区" in values and "范围：全部县区" in values
    assert Decimal("850") in [Decimal(str(v)) for v in values if isinstance(v, int | float)]
    money = [c for c in cells if c.number_format == "#,##0.00"]
    assert money


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, {"year": 2022}).status_code == 200
    return len(captured)


def test_the_page_reads_the_same_statements_however_much_data(client_for, two_counties):
    client = client_for(Role.OFFICIAL)
    _queries(client)
    before = _queries(client)
    cycle_of(2022, applied=3, awarded=2, paid="1000.00", county_name="金水区")
    cycle_of(2021, applied=3, awarded=2, paid="1000.00", county_name="管城回族区")
    assert _queries(client) == before


def test_the_page_reads_a_fixed_number_of_statements(client_for, two_counties, django_assert_max_num_queries):
    client = client_for(Role.OFFICIAL)
    client.get(URL)
    # the request's own (session, user, notifications, session save and its savepoint) and, per year, the counts
    # by county, the money by county (two) and the acceptances, plus the list of evaluation years
    with django_assert_max_num_queries(15):
        assert client.get(URL, {"year": 2022}).status_code == 200
