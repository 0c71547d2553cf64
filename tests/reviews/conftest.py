import pytest

from accounts.roles import Role
from reviews.services.assignment import auto_assign, declare
from reviews.services.common import config_for
from reviews.services.panels import panel_open
from reviews.workflow import AssignmentStatus
from tests.factories import UserFactory
from tests.factories.disbursements import ensure_counties


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
        config = config_for(panel.round)
        config.experts_per_application = per_application
        config.save()
        auto_assign(actor=city, panel=panel)
        panel_open(actor=city, panel=panel)
        if declare_all:
            for assignment in panel.assignments.filter(status=AssignmentStatus.ASSIGNED).select_related("expert__user"):
                declare(actor=assignment.expert.user, assignment=assignment, has_conflict=False)
        panel.refresh_from_db()
        return panel

    return make
