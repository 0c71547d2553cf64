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


def test_the_indicator_statement_compiled_once_finds_each_indicator_of_each_year_and_nothing_else(year2021,
                                                                                                 user_for):
    from core import sqlcache
    from evaluation.models import Indicator
    from evaluation.results import indicator_page

    sqlcache.clear()
    city, enterprise = user_for(Role.CITY), user_for(Role.ENTERPRISE)
    for indicator in year2021.indicators.order_by("number"):  # one statement, every number: the right row
        found = indicator_page(city, 2021, indicator.number)
        assert (found.pk, found.year_id, found.name) == (indicator.pk, year2021.pk, indicator.name)
    judged = year2021.indicators.filter(source=Source.JUDGED).first()
    assert "evidence" in indicator_page(city, 2021, judged.number)._prefetched_objects_cache
    for year, number in ((2021, 999), (1999, 1), (2021, 2 ** 63)):  # no such indicator, year, or number at all
        with pytest.raises(Indicator.DoesNotExist):
            indicator_page(city, year, number)
    with pytest.raises(Indicator.DoesNotExist):  # a user who may not see the evaluation
        indicator_page(enterprise, 2021, 1)
