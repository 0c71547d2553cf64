"""The enterprise directory's search box: credit code by prefix, name by substring, within the user's county."""

import pytest
from django.urls import reverse

from accounts.models import County
from accounts.roles import Role
from accounts.validators import make_credit_code
from tests.factories import ProfiledEnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("accounts:enterprises")


def found(client, q):
    return {org.pk for org in client.get(URL, {"q": q}).context["page"]}


def test_staff_find_enterprises_by_credit_code_prefix_and_name_in_their_scope(client_for):
    zy, js = County.objects.get(name="中原区"), County.objects.get(name="金水区")
    own = ProfiledEnterpriseFactory(name="郑州宇通重工有限公司", county=zy,
                                    credit_code=make_credit_code("91410100AB1234567"))
    foreign = ProfiledEnterpriseFactory(name="郑州宇通客车有限公司", county=js,
                                        credit_code=make_credit_code("91410200CD7654321"))
    city = client_for(Role.CITY)
    assert found(city, "宇通") == {own.pk, foreign.pk}
    assert found(city, "91410200cd") == {foreign.pk}
    assert found(city, own.credit_code) == {own.pk}
    assert found(city, "客车 宇通") == {foreign.pk}
    county = client_for(UserFactory(role=Role.COUNTY, county=zy))
    assert found(county, "宇通") == {own.pk}
    assert found(county, foreign.credit_code) == set()
    body = county.get(URL, {"q": "宇通"}).content.decode()
    assert "1" in body and 'value="宇通"' in body
