"""core.paging: a capped count, pages that go on past the cap, the same queries at any size."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import County
from core.paging import CappedPaginator, page_of

pytestmark = pytest.mark.django_db


def counties():
    return County.objects.order_by("pk")


def test_up_to_the_cap_it_counts_exactly():
    total = counties().count()
    paginator = CappedPaginator(counties(), 5, cap=1000)
    assert paginator.exact and paginator.count == total
    assert paginator.count_label == str(total)
    assert paginator.num_pages == -(-total // 5)
    last = paginator.get_page(paginator.num_pages)
    assert not last.has_next() and last.has_previous()
    assert paginator.get_page("x").number == 1
    assert paginator.get_page(10**6).number == paginator.num_pages


def test_beyond_the_cap_it_says_cap_plus_and_pages_go_on():
    total = counties().count()
    assert total > 7
    paginator = CappedPaginator(counties(), 3, cap=5)
    assert not paginator.exact
    assert paginator.count == 5 and paginator.count_label == "5+"
    pks = list(counties().values_list("pk", flat=True))
    page = paginator.get_page(3)  # rows 7-9: past the cap, still reachable
    assert [c.pk for c in page] == pks[6:9]
    assert page.has_previous()
    assert page.has_next() == (total > 9)
    last_number = -(-total // 3)
    last = paginator.get_page(last_number)
    assert [c.pk for c in last] == pks[(last_number - 1) * 3:]
    assert not last.has_next()
    beyond = paginator.get_page(last_number + 50)  # past the end: the last page the cap knows
    assert beyond.number == paginator.num_pages and len(beyond) > 0
    assert paginator.get_page("9" * 10_000).number == 1


def test_the_count_reads_at_most_cap_plus_one_rows():
    with CaptureQueriesContext(connection) as ctx:
        CappedPaginator(counties(), 3, cap=5).count  # noqa: B018
    (query,) = ctx.captured_queries
    assert "LIMIT 6" in query["sql"]


def test_page_of_keeps_every_parameter_but_the_page():
    request = RequestFactory().get("/", {"q": "郑州 <b>", "page": "2", "status": "x"})
    page, query = page_of(request, counties(), 3)
    assert page.number == 2
    assert "page=" not in query
    assert "q=%E9%83%91%E5%B7%9E+%3Cb%3E" in query and "status=x" in query


def test_a_known_count_is_not_counted_again():
    total = counties().count()
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(counties(), 3, count=total).get_page(2)
        rows = list(page)
    assert len(ctx.captured_queries) == 1  # the page's rows only
    assert page.paginator.count == total and page.paginator.num_pages == -(-total // 3) and len(rows) == 3
    beyond = CappedPaginator(counties(), 3, cap=5, count=total)
    assert not beyond.exact and beyond.count_label == "5+"
