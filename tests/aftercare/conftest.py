import pytest
from django.utils import translation

from accounts.roles import Role
from tests.factories import disbursements as f
from tests.factories.accounts import UserFactory
from tests.factories.applications import enterprise_user

paid_project = f.paid_commitment


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def project(db):
    return paid_project()


@pytest.fixture
def owner(project):
    return enterprise_user(project.application)


@pytest.fixture
def county_user(project):
    return UserFactory(role=Role.COUNTY, county=project.county)


@pytest.fixture
def city(db):
    return UserFactory(role=Role.CITY, first_name="李处长")
