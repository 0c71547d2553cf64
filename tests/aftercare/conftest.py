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


@pytest.fixture
def city2(db):
    return UserFactory(role=Role.CITY, first_name="周科长")


@pytest.fixture
def opened(project, owner, county_user, city):
    """The project's acceptance after the city opened a clawback (county recommended fail)."""
    from aftercare import services
    from aftercare.workflow import Action

    from .test_services import inspect, submit

    acceptance = inspect(county_user, submit(owner, project), recommendation="fail")
    return services.decide(actor=city, acceptance_id=acceptance.pk, action=Action.CLAWBACK, note="项目未实施")
