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
    owns = set(own.payments.values_list("pk", flat=True))
    assert owns and {p["id"] for p in city.get(payments, {"q": "重工"}).context["page"]} == owns
    assert {p["id"] for p in city.get(payments, {"q": batch.reference.lower()}).context["page"]} == owns
    assert {p["id"] for p in city.get(payments, {"q": own.application.receipt_no}).context["page"]} == owns
    page = city.get(payments, {"q": "重工"}).content.decode()
    assert reverse("disbursements:payments_export") + "?q=%E9%87%8D%E5%B7%A5" in page
    batches = reverse("disbursements:batches")
    assert ids(city.get(batches, {"q": batch.reference[:6]})) == {batch.pk}
    assert ids(city.get(batches, {"q": "PX"})) == set()


def test_the_unsearched_payments_list_reads_the_same_rows_through_its_prepared_statement(two, prep, appr):
    """City-wide roles: all payments, or one fund year and status, come from a statement prepared once
    (disbursements.selectors.payment_list_statement) with exactly the rows of the list's queryset; a searched
    list and a county officer's list are built per request."""
    from core.paging import CappedPaginator
    from disbursements.models import Payment
    from disbursements.selectors import payment_list_shown, payment_list_statement
    from disbursements.services import batch_create

    own, foreign = two
    f.approved_batch(prep, appr, [own, f.sibling(own, "2000.00"), f.sibling(foreign, "2500.00")])
    batch_create(actor=prep, commitments=[foreign, f.sibling(own, "3000.00")])  # a draft batch: another status
    assert Payment.objects.count() >= 5 and Payment.objects.values("status").distinct().count() >= 2
    city = UserFactory.for_role(Role.CITY)
    year, status = own.fund_year, Payment.objects.order_by("pk").first().status
    for filters in ({}, {"year": year}, {"status": status}, {"year": year, "status": status, "q": " "}):
        statement = payment_list_statement(city, filters)
        assert statement is not None, filters
        for page in ("1", "2", "last"):
            plain = CappedPaginator(payment_list_shown(city, filters), 2).get_page(page)
            named = CappedPaginator(payment_list_shown(city, filters), 2, statement=statement).get_page(page)
            assert list(named) == list(plain) and len(plain), (filters, page)
    assert payment_list_statement(city, {"q": "重工"}) is None
    assert payment_list_statement(UserFactory(role=Role.COUNTY, county=own.county), {}) is None


def test_a_batch_page_reads_its_payments_through_one_statement_for_every_batch(two, prep, appr):
    """disbursements.selectors.batch_page_payments_statement: the batch's id is the statement's parameter, the
    pages show exactly the rows of the queryset, and a second batch compiles nothing new."""
    from core import sqlcache
    from core.paging import CappedPaginator
    from disbursements.selectors import batch_page_payments, batch_page_payments_statement

    own, foreign = two
    first = f.approved_batch(prep, appr, [own, f.sibling(own, "2000.00"), f.sibling(own, "2500.00")])
    second = f.approved_batch(prep, appr, [foreign, f.sibling(foreign, "3000.00")])
    sqlcache.clear()
    for batch in (first, second):
        statement = batch_page_payments_statement(batch)
        for page in ("1", "2"):
            plain = CappedPaginator(batch_page_payments(batch), 2, count=batch.payments.count()).get_page(page)
            named = CappedPaginator(batch_page_payments(batch), 2, count=batch.payments.count(),
                                    statement=statement).get_page(page)
            assert [p.pk for p in named] == [p.pk for p in plain] and len(plain), (batch.pk, page)
    assert len([k for k in sqlcache._entries() if k[1] == "batch_page_payments"]) == 2  # two page positions
