"""followup_figures: counts of the year's reports, totals and growth from verified reports only, compared with the
base year (first report) or the same project's verified report of the year before; the scope of the lists."""

import datetime
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from aftercare.followup_models import FollowupReport
from aftercare.followup_selectors import followup_figures, followups_for
from tests.factories.accounts import UserFactory
from tests.factories.applications import enterprise_user

from .conftest import paid_project

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2023, 3, 1, tzinfo=datetime.UTC)


def report(project, year, status, sequence=1, **figures):
    return FollowupReport.objects.create(commitment=project, year=year, sequence=sequence, status=status,
                                         due_on=datetime.date(year + 1, 3, 31),
                                         submitted_at=NOW if status != "due" else None, **figures)


def figures(revenue, taxes, jobs, energy, output, prefix=""):
    return {f"{prefix}revenue": D(revenue), f"{prefix}taxes": D(taxes), f"{prefix}jobs": jobs,
            f"{prefix}energy": D(energy), f"{prefix}output": D(output)}


@pytest.fixture
def reports(db):
    first, later, waiting, due, old = (paid_project() for _ in range(5))
    # a first report, compared with its base year
    report(first, 2022, "verified", **figures(110, 11, 10, 9, 5), **figures(100, 10, 10, 10, 4, prefix="base_"))
    # a second report, compared with the verified report of 2021
    report(later, 2021, "verified", **figures(200, 20, 20, 20, 10), **figures(1, 1, 1, 1, 1, prefix="base_"))
    report(later, 2022, "verified", sequence=2, **figures(300, 25, 30, 24, 12))
    report(waiting, 2022, "submitted", **figures(999, 99, 99, 99, 99), **figures(1, 1, 1, 1, 1, prefix="base_"))
    report(due, 2022, "due")
    # verified but without a verified year before: counted in the totals, not in the growth
    report(old, 2021, "submitted", **figures(50, 5, 5, 5, 5), **figures(1, 1, 1, 1, 1, prefix="base_"))
    report(old, 2022, "verified", sequence=2, **figures(60, 6, 6, 6, 6))
    return first, later, waiting, due, old


def test_the_figures_of_a_year_come_from_verified_reports_only(reports):
    result = followup_figures(2022)
    assert (result.due, result.received, result.verified, result.compared) == (5, 4, 3, 2)
    assert result.revenue == D(470) and result.taxes == D(42) and result.jobs == 46
    assert result.revenue_growth == D("36.67")  # (110 + 300) / (100 + 200) - 1
    assert result.tax_growth == D("20.00")  # (11 + 25) / (10 + 20) - 1
    assert result.jobs_growth == D("33.33")
    # energy per yuan of revenue: (9 + 24) / 410 against (10 + 20) / 300
    assert result.energy_intensity_change == D("-19.51")
    assert "2022" in result.basis


def test_a_fund_year_narrows_to_its_projects_and_an_empty_year_has_no_growth(reports):
    first = reports[0]
    result = followup_figures(2022, fund_year=first.fund_year)
    assert result.fund_year == first.fund_year and str(first.fund_year) in result.basis
    empty = followup_figures(2030)
    assert empty.due == 0 and empty.revenue_growth is None and empty.energy_intensity_change is None


def test_each_role_sees_its_scope(reports):
    first = reports[0]
    owner = enterprise_user(first.application)
    assert set(followups_for(owner).values_list("commitment_id", flat=True)) == {first.pk}
    county = UserFactory(role=Role.COUNTY, county=first.county)
    assert set(followups_for(county).values_list("commitment__county_id", flat=True)) == {first.county_id}
    assert followups_for(UserFactory(role=Role.OFFICIAL)).count() == FollowupReport.objects.count()
    assert not followups_for(UserFactory(role=Role.EXPERT)).exists()
