"""core.permissions: the services' one guard, and the Q evaluated in Python that lets a list scope and an
object permission share one definition."""

import pytest
from django.db.models import Q

from accounts.roles import Role
from core.permissions import q_matches, require
from core.workflow import TransitionNotAllowed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_require_passes_with_the_permission_and_refuses_without_it():
    city, county = UserFactory(role=Role.CITY), UserFactory(role=Role.COUNTY)
    require(city, "reviews.manage_reviews")  # no exception
    with pytest.raises(TransitionNotAllowed) as refused:
        require(county, "reviews.manage_reviews", message="Only city bureau staff manage panels.")
    assert str(refused.value.message) == "Only city bureau staff manage panels."
    with pytest.raises(TransitionNotAllowed):
        require(None, "core.use_platform")


def test_require_asks_the_object_permission():
    from tests.factories.applications import application_in, enterprise_user

    app = application_in("draft")
    owner, stranger = enterprise_user(app), UserFactory(role=Role.ENTERPRISE)
    require(owner, "applications.prepare_application", app)
    with pytest.raises(TransitionNotAllowed):
        require(stranger, "applications.prepare_application", app)


class Obj:
    def __init__(self, **fields):
        self.__dict__.update(fields)


@pytest.mark.parametrize(("q", "obj", "expected"), [
    (Q(a=1), Obj(a=1), True),
    (Q(a=1), Obj(a=2), False),
    (Q(a__exact=1), Obj(a=1), True),
    (Q(a__isnull=False) & Q(b=3), Obj(a="x", b=3), True),
    (Q(a__isnull=False) & Q(b=3), Obj(a=None, b=3), False),
    (Q(a__isnull=True), Obj(a=None), True),
    (~Q(a=1), Obj(a=1), False),
    (None, Obj(a=1), False),
    (Q(), Obj(a=1), True),
    (Q(a__in=(1, 2)), Obj(a=2), True),
    (Q(a__in=(1, 2)), Obj(a=3), False),
    (Q(a__b_id=4, a__c__in=("x",)), Obj(a=Obj(b_id=4, c="x")), True),
    (Q(a__b_id=4), Obj(a=Obj(b_id=5)), False),
])
def test_q_matches(q, obj, expected):
    assert q_matches(obj, q) is expected


@pytest.mark.parametrize("q", [Q(a=1) | Q(b=2), Q(a__gt=1), Q(a__b=1)])
def test_q_matches_refuses_what_it_cannot_decide(q):
    with pytest.raises(ValueError):
        q_matches(Obj(a=1, b=2), q)


def test_a_rule_that_says_no_is_final_even_with_a_model_permission(django_assert_num_queries):
    from django.contrib.auth.models import Permission

    county = UserFactory(role=Role.COUNTY)
    assert not county.has_perm("reviews.manage_reviews")
    with django_assert_num_queries(0):  # the model backend's permission queries are not run for a rule
        assert not county.has_perm("disbursements.prepare_payments")
    county.user_permissions.add(Permission.objects.get(codename="view_payment"))
    county = type(county).objects.get(pk=county.pk)
    assert county.has_perm("disbursements.view_payment")  # a model permission still works (the admin site)


def test_a_superuser_is_decided_by_role_for_the_named_rules_only():
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    assert not admin.has_perm("applications.list_own_applications")  # no enterprise
    assert not admin.has_perm("reviews.view_my_assignments")  # no expert
    assert admin.has_perm("accounts.view_audit_log")
    assert admin.has_perm("applications.view_application")  # the admin site's model permission (no object)
    assert admin.has_perm("core.use_admin_site")
