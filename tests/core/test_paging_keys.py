"""core.paging's keyed pages (``rows_of``): the page's keys and the capped count in one statement, then the rows of
those keys; the same pages as the plain pager from either end, within and beyond the cap. And core.sqlcache's
``any_of`` lookup: a list of keys as one parameter of a statement compiled once."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accounts.models import County
from core import paging, sqlcache
from core.paging import CappedPaginator

pytestmark = pytest.mark.django_db


def listed():
    """Counties in an order with ties broken by the key (16 of them)."""
    return County.objects.annotate(parity=F("sort_order") % 2).order_by("-sort_order", "-pk")


def rows_of(calls):
    def read(ids):
        calls.append(list(ids))
        by_id = {county.pk: county for county in County.objects.filter(pk__any_of=ids)}
        return [by_id[i] for i in ids if i in by_id]
    return read


def shown(page):
    return {"rows": [c.pk for c in page], "number": page.number, "next": page.has_next(),
            "previous": page.has_previous(), "from_end": page.from_end, "at_limit": page.at_limit,
            "label": page.paginator.count_label, "pages": page.paginator.num_pages if page.paginator.exact else None}


NUMBERS = ["1", "2", "3", "last", "-2", "-3", "8", "999", "x", "-999", "0"]


@pytest.mark.parametrize("cap", [1000, 16, 6])  # within the cap, exactly at it, beyond it
def test_keyed_pages_are_the_pages_of_the_plain_pager(cap):
    assert listed().count() == 16
    for number in NUMBERS:
        paging.forget_counts()
        plain = shown(CappedPaginator(listed(), 3, cap=cap).get_page(number))
        calls = []
        paging.forget_counts()
        keyed = CappedPaginator(listed(), 3, cap=cap, count_qs=County.objects.order_by(), rows_of=rows_of(calls))
        assert shown(keyed.get_page(number)) == plain, number
        assert len(calls) == (1 if plain["rows"] else 0)


@pytest.mark.parametrize("number", ["1", "2", "last"])
def test_a_keyed_page_is_one_statement_for_its_keys_and_count_and_one_for_its_rows(number):
    calls = []
    paginator = CappedPaginator(listed(), 3, cap=1000, count_qs=County.objects.order_by(), rows_of=rows_of(calls))
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(number)
        assert paginator.count == 16 and len(page) == (1 if number == "last" else 3)
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len(statements) == 2, statements
    assert "COUNT(*) OVER ()" in statements[0] and "LIMIT 1001" in statements[0]
    assert statements[0].count("FROM") == 2  # the matching keys are read once: no separate count
    assert calls == [[c.pk for c in page]]


def test_a_keyed_list_beyond_the_cap_is_counted_once_a_minute(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(paging.time, "monotonic", lambda: clock[0])
    paging.forget_counts()

    def read(number):
        with CaptureQueriesContext(connection) as ctx:
            page = CappedPaginator(listed(), 3, cap=6, count_qs=County.objects.order_by(),
                                   rows_of=rows_of([])).get_page(number)
        return page, [q["sql"] for q in ctx.captured_queries]

    page, statements = read("1")
    assert page.paginator.count_label == "6+" and "OVER ()" in statements[0]
    page, statements = read("2")
    assert page.paginator.count_label == "6+" and not any("OVER ()" in sql for sql in statements)
    assert [c.pk for c in page] == [c.pk for c in listed()[3:6]]
    clock[0] += paging.BEYOND_SECONDS + 1
    _page, statements = read("2")
    assert "OVER ()" in statements[0]  # counted again a minute later


def test_a_keyed_page_past_the_end_shows_the_last_page_and_an_empty_list_its_first():
    calls = []
    paginator = CappedPaginator(listed(), 5, cap=1000, count_qs=County.objects.order_by(), rows_of=rows_of(calls))
    page = paginator.get_page("50")
    assert page.number == 4 and [c.pk for c in page] == [c.pk for c in listed()[15:]]
    empty = CappedPaginator(listed().filter(pk__lt=0), 5, cap=1000, count_qs=County.objects.filter(pk__lt=0),
                            rows_of=rows_of(calls))
    with CaptureQueriesContext(connection) as ctx:
        page = empty.get_page("1")
        assert list(page) == [] and empty.count == 0 and empty.count_label == "0"
    assert len(ctx.captured_queries) == 1
    nothing = CappedPaginator(County.objects.none().order_by("pk"), 5, count_qs=County.objects.none(),
                              rows_of=rows_of(calls))
    with CaptureQueriesContext(connection) as ctx:
        assert list(nothing.get_page("last")) == [] and nothing.count == 0
    assert not ctx.captured_queries


def test_an_order_the_count_queryset_cannot_resolve_reads_the_list_as_before():
    annotated = County.objects.annotate(parity=F("sort_order") % 2).order_by("parity", "-pk")
    calls = []
    page = CappedPaginator(annotated, 3, cap=1000, count_qs=County.objects.order_by(),
                           rows_of=rows_of(calls)).get_page("2")
    assert [c.pk for c in page] == [c.pk for c in annotated[3:6]] and calls == []


def test_any_of_is_one_statement_for_every_list_of_keys():
    every = list(County.objects.order_by("pk").values_list("pk", flat=True))
    sqlcache.clear()

    def build(ids):
        return County.objects.filter(pk__any_of=ids).order_by("pk").values_list("pk", flat=True)

    for ids in (every[:3], every[2:9], [every[5]], [], [every[0], 10**12]):
        assert sqlcache.rows(("counties_of",), build, ids=ids) == sorted(i for i in ids if i in every)
        assert sqlcache.count(("counties_of",), build, ids=ids) == len([i for i in ids if i in every])
    if connection.vendor == "postgresql":
        assert len([key for key in sqlcache._entries() if key == ("counties_of",)]) == 1
        with CaptureQueriesContext(connection) as ctx:
            sqlcache.rows(("counties_of",), build, ids=every[:4])
        assert ctx.captured_queries[-1]["sql"].startswith("EXECUTE ")
    assert list(build(every[1:3])) == every[1:3]
    assert list(build([])) == []
