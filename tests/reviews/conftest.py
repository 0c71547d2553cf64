import pytest

from accounts.roles import Role
from tests.factories import UserFactory
from tests.factories.disbursements import ensure_counties
from tests.factories.reviews import open_panel


@pytest.fixture(autouse=True)
def _counties(db):
    """Transactional tests elsewhere in the run flush the counties the migration loaded: put them back."""
    ensure_counties()


@pytest.fixture
def city(db):
    return UserFactory(role=Role.CITY, first_name="张处长")


@pytest.fixture
def opened(city):
    """opened(panel, per_application=3, declare_all=True) -> the panel assigned, opened and (optionally) declared."""

    def make(panel, per_application=3, declare_all=True):
        return open_panel(city, panel, per_application, declare_all)

    return make


@pytest.fixture
def sheet(db):
    """An opened panel with one application, one active assignment: (assignment, criteria, panel, score URL)."""
    from django.urls import reverse

    from reviews.models import Assignment
    from tests.factories.reviews import opened_panel

    city = UserFactory(role=Role.CITY)
    panel, _members, _apps = opened_panel(city, experts=2, applications=1, per_application=1)
    assignment = Assignment.objects.select_related("expert__user").get(panel=panel)
    criteria = list(panel.category.rubric.criteria.all())
    return assignment, criteria, panel, reverse("reviews:score", args=[assignment.pk])
