import pytest

from accounts.roles import Role
from tests.factories import UserFactory
from tests.factories.evaluation import year_with_catalogue


@pytest.fixture
def year2021(db):
    return year_with_catalogue(2021)


@pytest.fixture
def two_years(db):
    """2021 and 2022 with the catalogue, each with its call, budget, awards and payments (see ``cycle_year``)."""
    from tests.factories.evaluation import cycle_year

    return cycle_year(2021, applied=3, awarded=2, budget="10000000.00", paid="6000000.00"), \
        cycle_year(2022, applied=4, awarded=3, budget="10000000.00", paid="8500000.00")


@pytest.fixture
def city(db):
    return UserFactory.for_role(Role.CITY)


@pytest.fixture
def official(db):
    return UserFactory.for_role(Role.OFFICIAL)


@pytest.fixture(autouse=True)
def _counties_present(request):
    """A transactional test that ran earlier (e.g. a browser test) flushes the database, including the 16
    counties the accounts migration loads; the factories need them. Put them back when they are gone."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from accounts.counties import COUNTIES
    from accounts.models import County

    if not County.objects.exists():
        County.objects.bulk_create(
            County(name=name, division_code=code, abbreviation=abbr, kind=kind, sort_order=i)
            for i, (name, code, abbr, kind) in enumerate(COUNTIES, start=1))
