"""An indicator's page reads a fixed number of statements for each kind of indicator (computed from the
disbursements' budget, taken from the imported statistics, judged with evidence), however much data there is."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from disbursements.models import BudgetEntry
from evaluation.constants import Source

pytestmark = pytest.mark.django_db

# the page's target in benchmarks/README.md (make bench: statements that read or write data), city staff with the
# second factor; inside a test's transaction the session's save adds a SAVEPOINT and its RELEASE
MAX_QUERIES = 8 + 2


def _budget(city, year, n):
    BudgetEntry.objects.bulk_create(
        [BudgetEntry(fund_year=year, kind=BudgetEntry.Kind.ORIGINAL, amount=Decimal("1000000.00"),
                     date=datetime.date(year, 1, 20), created_by=city) for _ in range(n)])


def test_indicator_pages_read_the_same_statements_at_any_size(client_for, year2021,
                                                               django_assert_max_num_queries):
    client = client_for(Role.CITY)
    indicators = year2021.indicators
    pages = [indicators.get(number=1), indicators.filter(source=Source.STATISTICS).first(),
             indicators.filter(source=Source.JUDGED).first()]
    assert all(pages), pages
    urls = [reverse("evaluation:indicator_detail", args=[2021, i.number]) for i in pages]
    _budget(client.user, 2021, 1)
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(MAX_QUERIES) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    _budget(client.user, 2021, 30)
    _budget(client.user, 2020, 30)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(MAX_QUERIES) as ctx:
            page = client.get(url)
        assert len(ctx.captured_queries) == count, url
    assert client.get(urls[0]).context["row"].indicator.number == 1
    assert page.status_code == 200
