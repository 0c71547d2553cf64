"""The follow-up reports on the dashboard: the enterprise's reports to submit (overdue ones counted), the county's
reports to verify, each scoped like the list it links to."""

import pytest

from accounts.models import County
from accounts.roles import Role
from aftercare.followup_dashboard import followup_dashboard
from aftercare.followup_services import followup_schedule
from tests.factories.accounts import UserFactory

from .conftest import paid_project
from .test_followup_services import first, submit

pytestmark = pytest.mark.django_db


def test_the_enterprise_sees_its_reports_to_submit_and_the_county_those_to_verify(project, owner, county_user):
    followup_schedule(commitment_id=paid_project().pk)  # another enterprise's, in another scope
    report = first(project)
    [item] = followup_dashboard(owner)
    assert item.count == 3 and item.overdue == 3 and item.url.endswith("/aftercare/followup/")
    assert followup_dashboard(county_user)[0].count == 0
    submit(owner, report)
    assert followup_dashboard(owner)[0].count == 2
    [item] = followup_dashboard(county_user)
    assert item.count == 1 and item.url.endswith("?status=submitted")
    outsider = UserFactory(role=Role.COUNTY, county=County.objects.exclude(pk=project.county_id).first())
    assert followup_dashboard(outsider)[0].count == 0
    assert followup_dashboard(UserFactory(role=Role.CITY)) == []
