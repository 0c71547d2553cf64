"""The search boxes of the finance lists: payments, commitments and batches, within each user's scope."""

import pytest
from django.urls import reverse

from accounts.models import County
from accounts.roles import Role
from tests.factories import ProfiledEnterpriseFactory, UserFactory
from tests.factories import disbursements as f

pytestmark = pytest.mark.django_db


def ids(response):
    return {row.pk for row in response.context["page"]}


@pytest.fixture
def two(counties):
    zy, js = County.objects.get(name="中原区"), County.objects.get(name="金水区")
    own = f.commitment(application=f.budget_listed_application(
        project_name="数控机床智能化改造",
        enterprise=ProfiledEnterpriseFactory(name="郑州宇通重工有限公司", county=zy)))
    foreign = f.commitment(application=f.budget_listed_application(
        project_name="新能源客车生产线",
        enterprise=ProfiledEnterpriseFactory(name="郑州宇通客车有限公司", county=js)))
    return own, foreign


def test_commitments_are_searched_by_payee_code_receipt_and_project(two, client_for):
    own, foreign = two
    url = reverse("disbursements:commitments")
    city = client_for(Role.CITY)
    assert ids(city.get(url, {"q": "宇通"})) == {own.pk, foreign.pk}
    assert ids(city.get(url, {"q": own.application.receipt_no.lower()})) == {own.pk}
    assert ids(city.get(url, {"q": foreign.payee.credit_code[:12]})) >= {foreign.pk}
    assert ids(city.get(url, {"q": "客车生产线"})) == {foreign.pk}
    county = client_for(UserFactory(role=Role.COUNTY, county=County.objects.get(name="中原区")))
    assert ids(county.get(url, {"q": "宇通"})) == {own.pk}
    assert ids(county.get(url, {"q": foreign.application.receipt_no})) == set()


def test_payments_and_batches_are_searched_and_the_export_follows(two, prep, appr, client_for):
    own, foreign = two
    batch = f.approved_batch(prep, appr, [own])
    city = client_for(Role.CITY)
    payments = reverse("disbursements:payments")
    assert {p.commitment_id for p in city.get(payments, {"q": "重工"}).context["page"]} == {own.pk}
    assert {p.commitment_id for p in city.get(payments, {"q": batch.reference.lower()}).context["page"]} == {own.pk}
    assert {p.commitment_id for p in city.get(payments, {"q": own.application.receipt_no}).context["page"]} \
        == {own.pk}
    page = city.get(payments, {"q": "重工"}).content.decode()
    assert reverse("disbursements:payments_export") + "?q=%E9%87%8D%E5%B7%A5" in page
    batches = reverse("disbursements:batches")
    assert ids(city.get(batches, {"q": batch.reference[:6]})) == {batch.pk}
    assert ids(city.get(batches, {"q": "PX"})) == set()
