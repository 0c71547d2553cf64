"""core.workflow.transition: the optimistic-lock check is made on the locked row, and a stale move changes nothing."""

import pytest

from accounts.roles import Role
from applications.models import Application
from applications.workflow import TRANSITIONS, Action, Status
from core.locking import StaleEdit
from core.models import AuditLog
from core.workflow import transition
from tests.factories import UserFactory
from tests.factories.applications import application_in

pytestmark = pytest.mark.django_db


def test_expected_version_is_compared_with_the_locked_row_not_the_callers_copy():
    app = application_in(Status.SUBMITTED)
    county = UserFactory(role=Role.COUNTY, county=app.county)
    stale_copy = Application.objects.get(pk=app.pk)
    seen = stale_copy.version
    Application.objects.filter(pk=app.pk).update(version=seen + 1)  # a colleague saved meanwhile
    with pytest.raises(StaleEdit):
        transition(stale_copy, Action.ACCEPT, actor=county, table=TRANSITIONS, expected_version=seen)
    app.refresh_from_db()
    assert (app.status, app.version) == (Status.SUBMITTED, seen + 1)
    assert not AuditLog.objects.filter(object_id=str(app.pk), action=Action.ACCEPT).exists()


def test_current_or_absent_expected_version_moves_and_bumps_the_version():
    app = application_in(Status.SUBMITTED)
    county = UserFactory(role=Role.COUNTY, county=app.county)
    seen = app.version
    moved = transition(app, Action.ACCEPT, actor=county, table=TRANSITIONS, expected_version=str(seen))
    assert (moved.status, moved.version) == (Status.COUNTY_ACCEPTED, seen + 1)
    again = transition(moved, Action.RETURN, actor=county, table=TRANSITIONS, note="补正")
    assert (again.status, again.version) == (Status.RETURNED, seen + 2)
    assert AuditLog.objects.filter(object_id=str(app.pk), actor=county).count() == 2


@pytest.mark.parametrize("garbled", ["", "abc", -1])
def test_garbled_expected_version_is_refused_like_a_stale_one(garbled):
    app = application_in(Status.SUBMITTED)
    county = UserFactory(role=Role.COUNTY, county=app.county)
    with pytest.raises(StaleEdit):
        transition(app, Action.ACCEPT, actor=county, table=TRANSITIONS, expected_version=garbled)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
