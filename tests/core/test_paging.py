"""core.paging: a capped count, pages numbered from either end, the same queries at any size."""

import pytest
from django.db import connection
from django.db.models import F
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import County
from core.paging import CappedPaginator, page_of, parse_page

pytestmark = pytest.mark.django_db


def counties():
    return County.objects.order_by("pk")


def pks(rows):
    return [row.pk for row in rows]


def test_parse_page_reads_both_ends_and_never_fails():
    assert parse_page(None) == (1, False) and parse_page("") == (1, False) and parse_page("x") == (1, False)
    assert parse_page("3") == (3, False) and parse_page(" 3 ") == (3, False)
    assert parse_page("last") == (1, True) and parse_page("LAST") == (1, True) and parse_page("-1") == (1, True)
    assert parse_page("-4") == (4, True) and parse_page("0") == (1, True)
    assert parse_page("9" * 10_000) == (1, False) and parse_page("1.5") == (1, False)


def test_up_to_the_cap_it_counts_exactly_and_last_is_the_last_numbered_page():
    total = counties().count()
    paginator = CappedPaginator(counties(), 5, cap=1000)
    assert paginator.exact and paginator.count == total
    assert paginator.count_label == str(total)
    assert paginator.num_pages == -(-total // 5)
    last = paginator.get_page("last")
    assert last.number == paginator.num_pages and last.from_end is None
    assert pks(last) == pks(counties())[(paginator.num_pages - 1) * 5:]
    assert not last.has_next() and last.has_previous()
    assert paginator.get_page("-2").number == paginator.num_pages - 1
    assert paginator.get_page("-999").number == 1
    assert paginator.get_page("x").number == 1
    assert paginator.get_page(10**6).number == paginator.num_pages
    assert paginator.get_page("0").number == paginator.num_pages


@pytest.fixture
def beyond():
    """More rows than the cap: 6 counted, pages of 2, so page numbers reach 3 pages from each end."""
    assert counties().count() >= 13
    return CappedPaginator(counties(), 2, cap=6)


def test_beyond_the_cap_it_says_cap_plus_and_pages_go_on_to_the_depth(beyond):
    every = pks(counties())
    assert not beyond.exact and beyond.count_label == "6+" and beyond.depth == 3
    first = beyond.get_page("1")
    assert pks(first) == every[:2] and first.has_next() and not first.has_previous()
    assert first.next_page_number() == 2 and not first.at_limit
    third = beyond.get_page(3)  # rows 5-6: the deepest page numbers reach from the start
    assert pks(third) == every[4:6]
    assert third.at_limit and not third.has_next() and third.has_previous() and third.has_other_pages()
    deeper = beyond.get_page(50)  # deeper than numbers reach: the deepest page, never an OFFSET past it
    assert deeper.number == 3 and pks(deeper) == every[4:6] and deeper.at_limit


def test_the_last_pages_are_read_backwards_and_shown_in_the_lists_order(beyond):
    every = pks(counties())
    last = beyond.get_page("last")
    assert pks(last) == every[-2:] and last.from_end == 1 and last.number == -1
    assert not last.has_next() and last.has_previous() and last.previous_page_number() == "-2"
    second = beyond.get_page("-2")
    assert pks(second) == every[-4:-2]
    assert second.has_next() and second.next_page_number() == "last" and second.previous_page_number() == "-3"
    third = beyond.get_page("-3")
    assert pks(third) == every[-6:-4] and third.at_limit and not third.has_previous() and third.has_next()
    assert pks(beyond.get_page("-40")) == every[-6:-4]
    assert beyond.get_page("0").from_end == 1
    assert beyond.get_page("abc").number == 1


def test_a_sort_key_with_ties_pages_backwards_in_exactly_the_reverse_order():
    """Counties by parity of their sort order (many ties), then by primary key: the total order's reverse."""
    qs = County.objects.annotate(parity=F("sort_order") % 2).order_by("parity", "-pk")
    every = pks(qs)
    paginator = CappedPaginator(qs, 3, cap=6)
    assert not paginator.exact
    assert pks(paginator.get_page("last")) == every[-3:]
    assert pks(paginator.get_page("-2")) == every[-6:-3]
    assert pks(paginator.get_page("2")) == every[3:6]


def test_a_plain_list_beyond_the_cap_pages_from_its_own_end():
    rows = list(range(1, 12))
    paginator = CappedPaginator(rows, 3, cap=6)
    assert paginator.get_page("last").object_list == [9, 10, 11]
    assert paginator.get_page("-2").object_list == [6, 7, 8]
    assert paginator.get_page("1").object_list == [1, 2, 3]


@pytest.mark.parametrize("number", ["1", "last", "-2", "3", "999", "x"])
def test_every_page_is_two_queries_the_capped_count_and_its_rows(beyond, number):
    with CaptureQueriesContext(connection) as ctx:
        list(CappedPaginator(counties(), 2, cap=6).get_page(number))
    count, rows = ctx.captured_queries
    assert "LIMIT 7" in count["sql"]
    assert "LIMIT 3" in rows["sql"]  # one row more than a page, at an OFFSET of at most the cap


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


def pager(page, query="q=a"):
    with translation.override("zh-hans"):
        return render_to_string("includes/pagination.html", {"page": page, "query": query})


def test_the_pager_beyond_the_cap_links_both_ends_and_says_how_to_reach_the_middle(beyond):
    html = pager(beyond.get_page("2"))
    assert 'aria-label="分页"' in html and 'aria-current="page">第 2 页<' in html
    assert 'href="?q=a&amp;page=1">首页' in html and 'href="?q=a&amp;page=1" rel="prev">上一页' in html
    assert 'href="?q=a&amp;page=3" rel="next">下一页' in html and 'href="?q=a&amp;page=last">末页' in html
    assert "共找到 6+ 条。" in html and "各向内翻 3 页" in html and "搜索或筛选" in html
    html = pager(beyond.get_page("-2"))
    assert 'aria-current="page">倒数第 2 页<' in html
    assert 'page=-3" rel="prev">上一页' in html and 'page=last" rel="next">下一页' in html
    html = pager(beyond.get_page("-3"))  # the deepest from the end: the first page still linked, no deeper
    assert ">首页<" in html and "上一页" not in html and "最深一页" in html
    html = pager(beyond.get_page("last"), query="")
    assert "下一页" not in html and ">末页<" not in html and 'href="?page=-2" rel="prev"' in html


def test_the_pager_of_an_exact_list_says_page_n_of_m():
    paginator = CappedPaginator(counties(), 5, cap=1000)
    html = pager(paginator.get_page("2"))
    assert f'aria-current="page">第 2 页，共 {paginator.num_pages} 页<' in html
    assert 'page=last">末页' in html and "共找到" not in html
    assert ">末页<" not in pager(paginator.get_page("last"))


def test_the_pager_of_djangos_own_paginator_links_its_last_page_by_number():
    from django.core.paginator import Paginator

    paginator = Paginator(counties(), 5)
    html = pager(paginator.get_page(1), query="")
    assert f'href="?page={paginator.num_pages}">末页' in html and 'href="?page=2" rel="next"' in html
    assert f"第 1 页，共 {paginator.num_pages} 页" in html and ">首页<" not in html


def test_a_known_count_is_not_counted_again():
    total = counties().count()
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(counties(), 3, count=total).get_page(2)
        rows = list(page)
    assert len(ctx.captured_queries) == 1  # the page's rows only
    assert page.paginator.count == total and page.paginator.num_pages == -(-total // 3) and len(rows) == 3
    beyond = CappedPaginator(counties(), 3, cap=5, count=total)
    assert not beyond.exact and beyond.count_label == "5+"


@pytest.mark.parametrize("cap", [6, 1000])  # beyond the cap (numbered from either end) and an exact list
def test_deep_pages_read_their_keys_first_and_show_exactly_the_rows_of_a_plain_offset(monkeypatch, cap):
    """Past DEEP_OFFSET a page is one statement: the keys by OFFSET in a subquery, then the rows, in the list's
    order (ties included) from either end."""
    monkeypatch.setattr("core.paging.DEEP_OFFSET", 2)

    def listed():
        return County.objects.annotate(parity=F("sort_order") % 2).order_by("parity", "-pk")

    every = pks(listed())
    assert len(every) == 16
    paginator = CappedPaginator(listed(), 3, cap=cap)
    numbers = ["1", "2", "3", "last", "-2"]
    with CaptureQueriesContext(connection) as ctx:
        pages = {n: pks(paginator.get_page(n)) for n in numbers}
    rows = [q["sql"] for q in ctx.captured_queries if "COUNT(" not in q["sql"]]
    assert len(rows) == len(numbers)  # still one statement per page
    deep = [sql for sql in rows if "OFFSET" in sql]
    assert len(deep) == (3 if cap == 6 else 4), deep
    assert all(sql.count("SELECT") == 2 and "IN (SELECT" in sql for sql in deep), deep
    assert pages["1"] == every[:3] and pages["2"] == every[3:6]
    if cap == 6:  # numbers reach two pages from each end
        assert pages["3"] == every[3:6] and pages["last"] == every[-3:] and pages["-2"] == every[-6:-3]
    else:  # six pages, the last of one row
        assert pages["3"] == every[6:9] and pages["last"] == every[15:] and pages["-2"] == every[12:15]


def test_deep_keys_come_from_the_count_queryset_without_the_displayed_joins_when_its_order_resolves(monkeypatch):
    from applications.models import Application
    from tests.factories import ProfiledEnterpriseFactory, application_in, category_with_rules

    monkeypatch.setattr("core.paging.DEEP_OFFSET", 2)
    category = category_with_rules()
    for _ in range(8):
        application_in("submitted", category=category, enterprise=ProfiledEnterpriseFactory())
    base = Application.objects.filter(first_submitted_at__isnull=False)
    every = list(base.order_by("-first_submitted_at", "-id").values_list("pk", flat=True))
    shown = base.order_by("-first_submitted_at", "-id").values("pk", "enterprise__name")  # joins the enterprise
    for count_qs in (base.order_by(), None):
        paginator = CappedPaginator(shown, 3, count_qs=count_qs, cap=1000)
        with CaptureQueriesContext(connection) as ctx:
            rows = [row["pk"] for row in paginator.get_page("2")] + [row["pk"] for row in paginator.get_page("last")]
        assert rows == every[3:6] + every[6:]
        keys = ctx.captured_queries[-1]["sql"].split("IN (SELECT", 1)[1]
        assert ("accounts_organisation" in keys) is (count_qs is None), keys  # the keys read no enterprise
        with CaptureQueriesContext(connection) as ctx:
            assert [row["pk"] for row in paginator.get_page("1")] == every[:3]
        # a list that names its count queryset picks its keys first on the first page too
        assert ("IN (SELECT" in ctx.captured_queries[-1]["sql"]) is (count_qs is not None)
    # an order the count queryset cannot resolve (an annotation of the shown rows): the keys come from the rows
    annotated = County.objects.annotate(parity=F("sort_order") % 2).order_by("parity", "-pk")
    paginator = CappedPaginator(annotated, 3, count_qs=County.objects.order_by(), cap=1000)
    assert pks(paginator.get_page("3")) == pks(annotated)[6:9]


def test_a_list_beyond_the_cap_is_counted_once_a_minute_and_a_list_within_it_every_time(monkeypatch):
    import core.paging as paging

    clock = [1000.0]
    monkeypatch.setattr(paging.time, "monotonic", lambda: clock[0])

    def counted(qs, cap):
        with CaptureQueriesContext(connection) as ctx:
            paginator = CappedPaginator(qs, 2, cap=cap)
            label = paginator.count_label
        return label, len([q for q in ctx.captured_queries if "COUNT(" in q["sql"]])

    beyond, within = County.objects.order_by("pk"), County.objects.filter(sort_order__lte=3).order_by("pk")
    assert counted(beyond, 6) == ("6+", 1)
    assert counted(beyond, 6) == ("6+", 0)  # remembered: the next page reads its rows only
    assert counted(within, 6) == ("3", 1) and counted(within, 6) == ("3", 1)  # an exact count: every time
    assert counted(County.objects.filter(sort_order__gte=2).order_by("pk"), 6) == ("6+", 1)  # another filter
    clock[0] += paging.BEYOND_SECONDS + 1
    assert counted(beyond, 6) == ("6+", 1)  # a minute later it is counted again
    paging.forget_counts()
    assert counted(beyond, 6) == ("6+", 1)


def test_a_list_that_can_match_nothing_counts_zero_without_a_query():
    with CaptureQueriesContext(connection) as ctx:
        paginator = CappedPaginator(County.objects.filter(pk__in=[]).order_by("pk"), 2, cap=6)
        assert paginator.count == 0 and list(paginator.get_page("1")) == []
    assert not ctx.captured_queries


@pytest.mark.parametrize("cap", [1000, 6])  # counted exactly, and beyond the cap (pages from either end)
def test_a_named_statement_reads_the_same_rows_compiled_once_per_page_position(cap, monkeypatch):
    """A list that names its rows' statement (``statement=(key, build, values)``) shows on every page, from
    either end, exactly the rows of its queryset; the statement is compiled once per page position, the values
    change only its parameters, and beyond STATEMENT_DEPTH the queryset is read as usual."""
    from core import paging, sqlcache

    total = counties().count()
    low = counties()[2].pk

    def build(low):
        return County.objects.filter(pk__gte=low).order_by("pk")

    statement = (("test_counties",), build, {"low": low})
    pages = ["1", "2", "last", "-2", str(-(-total // 2))]
    plain = [pks(CappedPaginator(build(low), 2, cap=cap).get_page(p)) for p in pages]
    sqlcache.clear()
    named = [pks(CappedPaginator(build(low), 2, cap=cap, statement=statement).get_page(p)) for p in pages]
    assert named == plain and all(plain)
    compiled = {key for key in sqlcache._entries() if key[:2] == ("page", "test_counties")}
    assert 0 < len(compiled) <= len(pages)
    # another value, the same statements: nothing compiled again, the rows of that value
    other = counties()[4].pk
    named = pks(CappedPaginator(build(other), 2, cap=cap, statement=(("test_counties",), build, {"low": other}))
                .get_page("1"))
    assert named == pks(build(other)[:2])
    assert {key for key in sqlcache._entries() if key[:2] == ("page", "test_counties")} == compiled
    # deeper than the statement's reach the queryset itself is read
    monkeypatch.setattr(paging, "STATEMENT_DEPTH", 0)
    monkeypatch.setattr(paging, "_statement_rows", None)  # would fail if called
    rows = pks(CappedPaginator(build(low), 2, cap=cap, statement=statement).get_page("2"))
    assert rows == plain[1]


def test_a_named_statement_counts_its_list_and_reads_an_exact_lists_last_pages_backwards(monkeypatch):
    """A list counted exactly reads its pages near the end backwards through its statement (whole pages from the
    end), whatever their number from the start; the count itself runs through the statement too."""
    from core import paging, sqlcache

    low = counties()[2].pk

    def build(low):
        return County.objects.filter(pk__gte=low).order_by("pk")

    total = build(low).count()
    assert total >= 8
    monkeypatch.setattr(paging, "STATEMENT_DEPTH", 4)
    statement = (("test_counties_end",), build, {"low": low})
    last = -(-total // 2)
    pages = [str(n) for n in range(1, last + 1)] + ["last", "-2"]
    sqlcache.clear()
    named = [pks(CappedPaginator(build(low), 2, cap=1000, statement=statement).get_page(p)) for p in pages]
    assert named == [pks(CappedPaginator(build(low), 2, cap=1000).get_page(p)) for p in pages]
    assert sum(named[:last], []) == list(build(low).values_list("pk", flat=True))
    keys = set(sqlcache._entries())
    assert ("page", "test_counties_end", 0, 2, True) in keys  # the last page, read from the end
    assert ("capped", "test_counties_end", 1000) in keys  # counted through the statement
    assert not any(k[:2] == ("page", "test_counties_end") and k[3] > 4 for k in keys)  # none beyond its reach
