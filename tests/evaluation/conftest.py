import pytest

from accounts.roles import Role
from tests.factories import UserFactory
from tests.factories.evaluation import year_with_catalogue


@pytest.fixture
def year2021(db):
    return year_with_catalogue(2021)


@pytest.fixture
def city(db):
    return UserFactory.for_role(Role.CITY)


@pytest.fixture
def official(db):
    return UserFactory.for_role(Role.OFFICIAL)
