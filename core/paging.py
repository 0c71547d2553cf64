"""Pages of long lists without counting the whole table, and both ends of them at the same cost.

``CappedPaginator`` counts at most ``COUNT_CAP`` rows (``SELECT COUNT(*) FROM (… LIMIT 10001)``): a list of a
million rows costs what a list of ten thousand costs, and every page costs the same two queries (the capped
count and the page's rows). A list found beyond the cap is remembered so for a minute in the process
(``capped_count``): its next pages read their rows only. Up to the cap it behaves like Django's Paginator;
``page=last`` is its last page.

Beyond the cap the page says "10,000+" and pages are numbered from either end: ``page=1``, ``2`` … from the
start, ``page=last``, ``-2``, ``-3`` … from the end. A page from the end reads the list in reverse order
(``queryset.reverse()``) with a small OFFSET and shows its rows in the list's own order, so the last page costs
what the first does. Page numbers reach ``cap // per_page`` pages from each end (10,000 rows either way): a
deeper number shows the deepest page allowed (``at_limit``), and the rows in between are found by search or
filter, never by an OFFSET through the whole index. Each page reads one row more than it shows to know whether
another follows. A page number that is no number shows the first page, one past the end the last page.

The list's ordering must be total (end with the primary key): the reverse order is then exactly the list's
order backwards, ties included.

A page of a list that names its count queryset (``count_qs``: the filter without the displayed columns' joins),
and any page deeper than ``DEEP_OFFSET`` rows, reads its rows in one statement of two steps (``_rows``): the
page's primary keys by OFFSET in a subquery that needs none of the displayed columns (the order index alone
serves it), then those rows with their joins. The OFFSET then skips index entries, not joined rows: page 200 of
a million applications 10 ms -> about 3 ms.

A list that names its count queryset can also name how to read its rows of given primary keys (``rows_of``: a
function of a list of keys returning those rows in that order, e.g. through a statement prepared once). A page is
then read in two statements whatever the filter or search: the page's keys in the list's order and the capped
count, both in one statement that reads the matching keys once (``SELECT pk, COUNT(*) OVER () FROM (… LIMIT
10001) … LIMIT 51 OFFSET …``), then ``rows_of`` those keys. A searched list (its statement built per request)
no longer counts its matches and reads them again for the page: a credit-code prefix of 668 applications at a
million rows, 7 ms -> 3 ms per page.

A list that is read the same way on every request (an expert's own list, unsearched) can name its rows'
statement (``statement``: ``(key, build, values)`` as ``core.sqlcache.rows`` takes them, ``build(**values)``
being the list's queryset): its pages within ``STATEMENT_DEPTH`` rows of either end are then read through that
statement compiled once per page position, not built and compiled by Django on every request. A deeper page of
such a list that also names ``rows_of`` reads its keys through one statement for every position (the OFFSET a
parameter, ``core.sqlcache.keys``; from the count's statement, without the displayed columns' joins), then
``rows_of`` those keys: page 200 of a million applications no longer builds its statement per request.
"""

import time

from django.core.exceptions import EmptyResultSet, FieldError
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet, Subquery
from django.utils.formats import number_format
from django.utils.functional import cached_property

from core import sqlcache

COUNT_CAP = 10_000
LAST = "last"  # the ``page`` value of a list's last page
DEEP_OFFSET = 500  # rows skipped beyond which a page reads its keys first
BEYOND_SECONDS = 60  # how long a list counted beyond the cap is taken to stay beyond it (per process)
_BEYOND: dict = {}  # (database, count statement, parameters) -> monotonic time until which it is beyond the cap
MAX_BEYOND = 2048
STATEMENT_DEPTH = 200  # rows from either end within which a list's named statement reads the page


def forget_counts():
    """Count every list afresh (the memo of lists beyond the cap is per process; tests start each with none)."""
    _BEYOND.clear()


def capped_count(qs, cap):
    """``min(rows, cap + 1)`` of ``qs``: ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``. A list found beyond the cap
    is remembered so for BEYOND_SECONDS: its exact number is never shown ("10,000+"), and at a million rows
    counting 10,001 index entries costs more than the page's rows. A list within the cap is counted every time."""
    inner = qs.order_by().values("pk")[: cap + 1]
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a condition that can match nothing (``pk__in=[]``, ``none()``)
        return 0

    def count():
        with connections[qs.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608 - Django's own compiled SQL
            return cursor.fetchone()[0]

    return _unless_beyond((qs.db, sql, repr(params)), count, cap)


def capped_count_of(statement, cap):
    """``capped_count`` of a list given as ``(key, build, values)`` (core.sqlcache): the count's statement compiled
    once per key, the values its parameters."""
    key, build, values = statement
    return _unless_beyond(
        ("statement", key, cap, tuple(sorted(values.items()))),
        lambda: sqlcache.count(("capped", *key, cap),
                               lambda **given: build(**given).order_by().values("pk")[: cap + 1], **values),
        cap)


def _unless_beyond(memo, count, cap):
    """``count()``, or ``cap + 1`` while the list of ``memo`` is remembered beyond the cap (for BEYOND_SECONDS
    after it was last counted there)."""
    now = time.monotonic()
    if _BEYOND.get(memo, 0) > now:
        return cap + 1
    n = count()
    if n > cap:
        if len(_BEYOND) >= MAX_BEYOND:
            _BEYOND.clear()
        _BEYOND[memo] = now + BEYOND_SECONDS
    return n


def _ordered_keys(qs, keys_from):
    """``keys_from`` (the list's rows without its displayed columns' joins) in ``qs``'s order, or None when an
    ordering name needs a column only ``qs`` has."""
    if not (isinstance(keys_from, QuerySet) and keys_from.model is qs.model):
        return None
    try:
        keys = keys_from.order_by(*qs.query.order_by)
        keys.query.get_compiler(qs.db).get_order_by()  # every ordering name resolves without the columns
    except FieldError:
        return None
    return keys if qs.query.standard_ordering else keys.reverse()


def capped_keys(keys, cap):
    """(sql, params) of the primary keys of ``keys`` in its order, at most ``cap + 1`` of them; None when ``keys``
    can match nothing."""
    try:
        return keys.values("pk")[: cap + 1].query.sql_with_params()
    except EmptyResultSet:
        return None


def keys_and_count(statement, bottom, top, *, counted=True, using=DEFAULT_DB_ALIAS):
    """(the keys of rows ``bottom:top`` of ``statement`` (``capped_keys``), their count or None) in one statement:
    the matching keys are read once, in order, and counted beside the page's (a window over them). Without
    ``counted`` (a list known to be beyond the cap) only the page's keys are read. The count is None when the page
    has no row (past the end)."""
    if statement is None:
        return [], 0
    with connections[using].cursor() as cursor:
        cursor.execute(*keys_sql(statement, bottom, top, counted=counted))
        found = cursor.fetchall()
    return [row[0] for row in found], (found[0][1] if found and counted else None)


def keys_sql(statement, bottom, top, *, counted=True):
    """(sql, params) that ``keys_and_count`` runs."""
    sql, params = statement
    window = ", COUNT(*) OVER ()" if counted else ""
    # the subquery's order is the order of its rows here: nothing above it sorts, joins or groups
    return (f"SELECT capped.pk{window} FROM ({sql}) capped LIMIT %s OFFSET %s",  # noqa: S608 - Django's own compiled SQL
            [*params, top - bottom, bottom])


def _rows(qs, bottom, top, keys_from=None):
    """``list(qs[bottom:top])``, the keys of those rows picked in a subquery first: from ``keys_from`` (the same
    rows without the displayed columns' joins, e.g. the pager's count queryset) in ``qs``'s order on every page
    when given, else from ``qs`` itself on pages deeper than DEEP_OFFSET. A search or a filter sorted by another
    column then sorts its matches without joining them first: the 668 applications of a credit-code prefix at a
    million rows, 18 ms -> 16 ms per page."""
    separable = isinstance(keys_from, QuerySet) and keys_from.model is qs.model
    if not isinstance(qs, QuerySet) or (bottom < DEEP_OFFSET and not separable) or qs.query.combinator \
            or qs.query.distinct:
        return list(qs[bottom:top])
    keys = _ordered_keys(qs, keys_from) if separable else None
    if keys is None:
        keys = qs
    return list(qs.filter(pk__in=Subquery(keys.values("pk")[bottom:top])))


class CappedPage(Page):
    """A page of a CappedPaginator. ``from_end``: k for the k-th page from the end (1 = the last), else None;
    ``number`` is then -k. ``at_limit``: the deepest page numbers reach from this end, with rows beyond it.
    ``next_page_number()`` / ``previous_page_number()`` give the value of the ``page`` parameter."""

    last_param = LAST

    def __init__(self, object_list, number, paginator, more=None, from_end=None, at_limit=False):
        super().__init__(object_list, number, paginator)
        self._more = more  # forward pages: a row follows; pages from the end: a row precedes
        self.from_end = from_end
        self.at_limit = at_limit

    def has_next(self):
        if self.from_end:
            return self.from_end > 1
        return self._more if self._more is not None else super().has_next()

    def has_previous(self):
        if self.from_end:
            return bool(self._more) and not self.at_limit
        return super().has_previous()

    def has_other_pages(self):
        return super().has_other_pages() or self.at_limit

    def next_page_number(self):
        if self.from_end:
            return _param_from_end(self.from_end - 1)
        if self._more is not None:
            return self.number + 1
        return super().next_page_number()

    def previous_page_number(self):
        if self.from_end:
            return _param_from_end(self.from_end + 1)
        return super().previous_page_number()


def _param_from_end(k):
    return LAST if k == 1 else str(-k)


def parse_page(value):
    """The ``page`` parameter -> (n, from_end): (n, False) for the n-th page from the start, (k, True) for the
    k-th from the end (``last`` or ``-1`` is the last page, ``-2`` the one before it). No number, or one too
    long to be a page: the first page; 0: the last."""
    text = str(value).strip().lower() if value is not None else ""
    if text == LAST:
        return 1, True
    if not text or len(text) > 18:
        return 1, False
    try:
        n = int(text)
    except ValueError:
        return 1, False
    if n >= 1:
        return n, False
    return max(1, -n), True


def _statement_rows(statement, bottom, top, reverse):
    """Rows ``bottom:top`` of the list ``build(**values)`` (in reverse order with ``reverse``), through
    ``core.sqlcache``: one compiled statement per key and page position."""
    key, build, values = statement

    def sliced(**given):
        qs = build(**given)
        return (qs.reverse() if reverse else qs)[bottom:top]

    return sqlcache.rows(("page", *key, bottom, top, reverse), sliced, **values)


def _statement_keys(statement, count_statement, bottom, top, reverse):
    """The keys of rows ``bottom:top`` of the list ``statement`` (in reverse order with ``reverse``) through
    ``core.sqlcache.keys``: compiled once per key and direction, the page's position a parameter. The keys are read
    from the count's statement (the filter without the displayed columns' joins) in the list's order, when it
    takes the same values: the OFFSET then skips entries of the order index alone."""
    key, build, values = statement
    narrow = count_statement if count_statement is not None and count_statement[2] == values else statement

    def ordered(**given):
        rows = build(**given)
        keys = narrow[1](**given).order_by(*(rows.query.order_by or rows.model._meta.ordering))
        return keys.reverse() if reverse else keys

    return sqlcache.keys(("page_keys", *key, narrow is statement, reverse), ordered, bottom, top, **values)


class CappedPaginator(Paginator):
    """A Paginator whose count stops at ``cap``. ``count_qs``: the queryset to count when it is cheaper than
    the page's own (the same filter without the joins of the displayed columns). ``count``: the number of rows
    when the page already knows it from a figure it reads anyway; then nothing is counted. ``statement``: the
    list's rows as ``(key, build, values)`` for ``core.sqlcache``; ``rows_of``: the rows of given keys, with
    ``count_qs`` (see the module text)."""

    def __init__(self, object_list, per_page, *, count_qs=None, cap=None, count=None, statement=None,
                 count_statement=None, rows_of=None):
        super().__init__(object_list, per_page)
        self._count_qs = count_qs
        self._rows_of = rows_of
        self._known = count
        self._statement = statement
        # the count's own statement (``count_qs`` as a statement); without one, a list given as a statement is
        # counted through it, unless a cheaper ``count_qs`` is given
        self._count_statement = count_statement or (statement if count_qs is None else None)
        self.cap = COUNT_CAP if cap is None else cap

    def _fetch(self, bottom, top, reverse=False):
        if self._statement is not None:
            if top <= STATEMENT_DEPTH:
                return _statement_rows(self._statement, bottom, top, reverse)
            if self._rows_of is not None:  # deeper: the page's keys through one statement for every page
                return self._rows_of(_statement_keys(self._statement, self._count_statement, bottom, top, reverse))
        return _rows(self.object_list.reverse() if reverse else self.object_list, bottom, top, self._count_qs)

    @cached_property
    def _counted(self):
        if self._known is not None:
            return self._known
        if self._count_statement is not None:
            return capped_count_of(self._count_statement, self.cap)
        qs = self._count_qs if self._count_qs is not None else self.object_list
        if isinstance(qs, QuerySet):
            return capped_count(qs, self.cap)
        return len(qs)

    @cached_property
    def exact(self):
        """False when there are more rows than the cap (the count shown is then "cap+")."""
        return self._counted <= self.cap

    @cached_property
    def count(self):
        return min(self._counted, self.cap)

    @property
    def count_label(self):
        """The count as the page prints it: "1,234", or "10,000+" beyond the cap."""
        text = number_format(self.count, force_grouping=True)
        return text if self.exact else f"{text}+"

    @cached_property
    def depth(self):
        """How many pages numbers reach from each end of a list beyond the cap."""
        return max(1, self.cap // self.per_page)

    def _keys_statement(self):
        """The list's keys in its order, when its pages are read as keys then ``rows_of`` (see the module text)."""
        if self._rows_of is None or self._known is not None or self._count_statement is not None \
                or not isinstance(self.object_list, QuerySet):
            return None
        return _ordered_keys(self.object_list, self._count_qs)

    def get_page(self, number):
        """The page of a ``page`` parameter (see parse_page), never an error."""
        n, from_end = parse_page(number)
        keys = self._keys_statement()
        if keys is not None:
            return self._keyed_page(keys, n, from_end)
        if self.exact:
            last = self.num_pages
            return self.page(max(1, last - n + 1) if from_end else min(n, last))
        if from_end:
            return self._page_from_end(min(n, self.depth))
        page = self._page_from_start(min(n, self.depth))
        return page if len(page) or n == 1 else self._page_from_end(1)  # rows removed since the count

    def _keyed_page(self, keys, n, from_end):
        """``get_page`` of a list read as keys then ``rows_of``: the page's keys and the count in one statement;
        another only for a page from the end of a list within the cap (but its last page) or a page past the end."""
        statement = capped_keys(keys.reverse() if from_end else keys, self.cap)
        memo = (keys.db, statement[0], repr(statement[1])) if statement else None
        n = min(n, self.depth + 1)  # no list within the cap has more pages
        bottom = (n - 1) * self.per_page
        beyond = memo is not None and _BEYOND.get(memo, 0) > time.monotonic()
        found, total = keys_and_count(statement, bottom, bottom + self.per_page + 1, counted=not beyond,
                                      using=keys.db)
        if beyond and not found and bottom:  # rows removed since the list was counted beyond the cap
            _BEYOND.pop(memo, None)
            beyond = False
            found, total = keys_and_count(statement, bottom, bottom + self.per_page + 1, using=keys.db)
        if beyond:
            total = self.cap + 1
        elif total is None:
            if not bottom:
                total = 0
            else:  # past either end: count them, then show the page at that end
                total = capped_count(keys, self.cap)
                n, from_end, found = 1, not from_end, None
        self.__dict__["_counted"] = total
        if total > self.cap:
            if memo is not None and not beyond:  # counted now: remembered beyond the cap for BEYOND_SECONDS
                if len(_BEYOND) >= MAX_BEYOND:
                    _BEYOND.clear()
                _BEYOND[memo] = time.monotonic() + BEYOND_SECONDS
            if n > self.depth:  # numbers reach ``depth`` pages from each end
                n, found = self.depth, None
            return self._keyed_beyond(keys, n, from_end, found)
        return self._keyed_exact(keys, n, from_end, found)

    def _keyed_beyond(self, keys, n, from_end, found):
        if found is None:
            found, _total = keys_and_count(capped_keys(keys.reverse() if from_end else keys, self.cap),
                                           (n - 1) * self.per_page, n * self.per_page + 1, counted=False,
                                           using=keys.db)
        more = len(found) > self.per_page
        at_limit = n == self.depth and more
        if from_end:
            rows = self._rows_of(found[: self.per_page][::-1])
            return CappedPage(rows, -n, self, more=more, from_end=n, at_limit=at_limit)
        rows = self._rows_of(found[: self.per_page])
        return CappedPage(rows, n, self, more=more and not at_limit, at_limit=at_limit)

    def _keyed_exact(self, keys, n, from_end, found):
        number = max(1, self.num_pages - n + 1) if from_end else min(n, self.num_pages)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if found is not None and from_end and n == 1:  # the last page: the first rows of the reverse read
            page_keys = found[: top - bottom][::-1]
        elif found is not None and not from_end and number == n:
            page_keys = found[: top - bottom]
        else:
            page_keys, _total = keys_and_count(capped_keys(keys, self.cap), bottom, top, counted=False,
                                               using=keys.db)
        return CappedPage(self._rows_of(page_keys) if page_keys else [], number, self)

    def _page_from_start(self, n):
        bottom = (n - 1) * self.per_page
        rows = self._fetch(bottom, bottom + self.per_page + 1)
        more = len(rows) > self.per_page
        at_limit = n == self.depth and more
        return CappedPage(rows[: self.per_page], n, self, more=more and not at_limit, at_limit=at_limit)

    def _page_from_end(self, k):
        bottom = (k - 1) * self.per_page
        top = bottom + self.per_page + 1
        if isinstance(self.object_list, QuerySet):
            rows = self._fetch(bottom, top, reverse=True)
        else:  # a list: its own end
            end = len(self.object_list)
            rows = list(self.object_list[max(0, end - top): end - bottom])[::-1]
        more = len(rows) > self.per_page
        return CappedPage(rows[: self.per_page][::-1], -k, self, more=more, from_end=k,
                          at_limit=k == self.depth and more)

    def page(self, number):
        """Django's ``page`` with the deep pages' two-step read (``_rows``)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self._statement is not None:  # one statement per page position, whatever the count
            to_end = self.count - bottom  # rows from the page's first to the list's last
            if bottom + self.per_page > STATEMENT_DEPTH and to_end <= STATEMENT_DEPTH:
                # near the end of a list counted exactly: the last whole pages' worth read backwards
                span = -(-to_end // self.per_page) * self.per_page
                rows = self._fetch(0, span, reverse=True)[::-1]
                start = max(0, len(rows) - to_end)
                return self._get_page(rows[start: start + top - bottom], number, self)
            return self._get_page(self._fetch(bottom, bottom + self.per_page)[: top - bottom], number, self)
        return self._get_page(self._fetch(bottom, top), number, self)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


def page_of(request, qs, per_page=50, *, count_qs=None, count=None, statement=None, rows_of=None):
    """(page, query string without ``page``) of a list view: the pagination links and the export link keep every
    other parameter, the search ``q`` included. ``count_qs``, ``count``, ``statement`` and ``rows_of``: see
    ``CappedPaginator``."""
    page = CappedPaginator(qs, per_page, count_qs=count_qs, count=count, statement=statement,
                           rows_of=rows_of).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
