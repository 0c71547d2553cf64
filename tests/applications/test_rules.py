"""applications/rules.py: the object permission and the list scope are one definition (selectors.application_scope)."""

import pytest

from accounts.roles import Role
from applications.selectors import application_scope, applications_for
from tests.factories import UserFactory, county
from tests.factories.applications import application_in, enterprise_user

pytestmark = pytest.mark.django_db


def test_view_permission_agrees_with_the_list_for_every_role_and_application():
    mine = application_in("submitted")
    draft = application_in("draft", enterprise=mine.enterprise)
    elsewhere = application_in("submitted", county=county("金水区"))
    users = [enterprise_user(mine), UserFactory(role=Role.ENTERPRISE),
             UserFactory(role=Role.COUNTY, county=mine.county), UserFactory(role=Role.COUNTY, county=None),
             *(UserFactory(role=role) for role in Role if role not in (Role.ENTERPRISE, Role.COUNTY))]
    for user in users:
        listed = set(applications_for(user).values_list("pk", flat=True))
        for app in (mine, draft, elsewhere):
            assert user.has_perm("applications.view_application", app) == (app.pk in listed), (user.role, app)


def test_scope_facts():
    mine = application_in("submitted")
    draft = application_in("draft", enterprise=mine.enterprise)
    owner = enterprise_user(mine)
    county_user = UserFactory(role=Role.COUNTY, county=mine.county)
    assert owner.has_perm("applications.view_application", draft)
    assert not county_user.has_perm("applications.view_application", draft)  # never submitted: the enterprise's
    assert county_user.has_perm("applications.view_application", mine)
    assert UserFactory(role=Role.OFFICIAL).has_perm("applications.view_application", mine)
    assert application_scope(UserFactory(role=Role.EXPERT)) is None
    assert not UserFactory(role=Role.EXPERT).has_perm("applications.view_application", mine)


def test_the_object_permission_needs_no_query(django_assert_num_queries):
    mine = application_in("submitted")
    owner = enterprise_user(mine)
    with django_assert_num_queries(0):
        assert owner.has_perm("applications.view_application", mine)
