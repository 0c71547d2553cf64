import datetime

import pytest
from django.utils import translation

from accounts.roles import Role
from disbursements.models import Payment
from disbursements.workflow import PaymentStatus
from tests.factories import disbursements as f
from tests.factories.accounts import UserFactory
from tests.factories.applications import enterprise_user

FIRST_PAID = datetime.date(2021, 3, 31)


def paid_project(amount="1000000.00", paid="400000.00", paid_on=FIRST_PAID, **app_kwargs):
    """A commitment with one paid tranche (test setup: the payment row is written as the bank confirmed it)."""
    application = f.budget_listed_application(**app_kwargs)
    commitment = f.commitment(amount, application=application)
    Payment.objects.create(commitment=commitment, tranche=1, reference=f"T{commitment.pk:06d}", amount=paid,
                           purpose=commitment.purpose, status=PaymentStatus.PAID, payee_name="测试企业",
                           payee_bank="中国银行", payee_account="6222000011112222", prepared_by=f.preparer(),
                           approved_by=f.approver(), paid_on=paid_on, bank_reference=f"B{commitment.pk}")
    return commitment


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
