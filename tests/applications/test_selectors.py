"""applications.selectors.status_counts: the one definition of the counts per status."""

import pytest

from accounts.models import County
from accounts.roles import Role
from applications.models import Application
from applications.selectors import dashboard_counts, status_counts
from applications.workflow import Status
from reviews.selectors import REVIEW_STAGE, round_overview
from tests.factories import UserFactory
from tests.factories.applications import application_in

pytestmark = pytest.mark.django_db


def test_counts_per_status_are_the_same_on_the_dashboard_and_the_review_overview():
    first = application_in(Status.QUALIFIED)
    application_in(Status.QUALIFIED, round=first.round, county=first.county)
    application_in(Status.REVIEWED, round=first.round, county=first.county)
    application_in(Status.DRAFT, round=first.round, county=first.county)
    counts = status_counts(Application.objects.filter(round=first.round))
    assert set(counts) == set(Status.values)
    assert (counts["qualified"], counts["reviewed"], counts["draft"], counts["paid"]) == (2, 1, 1, 0)
    assert round_overview(first.round) == {str(s): counts[str(s)] for s in REVIEW_STAGE}
    city = dashboard_counts(UserFactory.for_role(Role.CITY))
    assert (city["qualified"], city["reviewed"]) == (2, 1)


def test_dashboard_counts_stay_in_the_actors_scope():
    mine = application_in(Status.SUBMITTED)
    application_in(Status.SUBMITTED, county=County.objects.exclude(pk=mine.county_id).first())  # another county's
    county = UserFactory(role=Role.COUNTY, county=mine.county)
    assert dashboard_counts(county)["submitted"] == 1
    assert dashboard_counts(UserFactory.for_role(Role.CITY))["submitted"] == 2
