"""accounts.selectors: which enterprises an actor may see, who the city staff are; the enterprise permissions."""

import pytest

from accounts.roles import Role
from accounts.selectors import city_staff, enterprises_for
from tests.factories import EnterpriseFactory, UserFactory
from tests.factories.accounts import CountyBureauFactory, county

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_enterprises():
    return EnterpriseFactory(county=county("中原区")), EnterpriseFactory(county=county("金水区"))


def test_city_wide_roles_see_every_enterprise_and_no_other_organisation(two_enterprises):
    CountyBureauFactory()
    for role in (Role.CITY, Role.OFFICIAL, Role.ADMIN, Role.FINANCE_APPROVER):
        assert set(enterprises_for(UserFactory.for_role(role))) == set(two_enterprises)


def test_county_staff_see_only_their_county(two_enterprises):
    mine, _other = two_enterprises
    assert list(enterprises_for(UserFactory.for_role(Role.COUNTY, county=county("中原区")))) == [mine]
    assert list(enterprises_for(UserFactory.for_role(Role.COUNTY, county=None))) == []


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.EXPERT, Role.AUDITOR])
def test_other_roles_see_no_enterprise(two_enterprises, role):
    assert list(enterprises_for(UserFactory.for_role(role))) == []


def test_city_staff_are_the_active_city_users():
    active = UserFactory.for_role(Role.CITY)
    UserFactory.for_role(Role.CITY, is_active=False)
    UserFactory.for_role(Role.COUNTY)
    assert list(city_staff()) == [active]


def test_enterprise_permissions_are_named_in_accounts():
    city, county_user, enterprise = (UserFactory.for_role(r) for r in (Role.CITY, Role.COUNTY, Role.ENTERPRISE))
    assert [u.has_perm("accounts.view_enterprises") for u in (city, county_user, enterprise)] == [True, True, False]
    assert [u.has_perm("accounts.verify_enterprises") for u in (city, county_user, enterprise)] == [True, False, False]
    assert not city.has_perm("applications.verify_enterprises")
