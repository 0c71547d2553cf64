"""Pages of long lists without counting the whole table.

``CappedPaginator`` counts at most ``COUNT_CAP`` rows (``SELECT COUNT(*) FROM (… LIMIT 10001)``): a list of a
million rows costs what a list of ten thousand costs, and every page costs the same two queries (the capped
count and the page's rows). Up to the cap it behaves like Django's Paginator. Beyond it the page says
"10,000+", pages go on with next/previous (each page reads one row more than it shows to know whether
another follows), and the far end of the list is the first page of the reverse sort order.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property

COUNT_CAP = 10_000
MAX_OFFSET = 2**31 - 1  # an OFFSET the database accepts; pages beyond it are refused like empty ones


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, more=None):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self):
        return self._more if self._more is not None else super().has_next()


class CappedPaginator(Paginator):
    """A Paginator whose count stops at ``cap``. ``count_qs``: the queryset to count when it is cheaper than
    the page's own (the same filter without the joins of the displayed columns). ``count``: the number of rows
    when the page already knows it from a figure it reads anyway; then nothing is counted."""

    def __init__(self, object_list, per_page, *, count_qs=None, cap=None, count=None):
        super().__init__(object_list, per_page)
        self._count_qs = count_qs
        self._known = count
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _counted(self):
        if self._known is not None:
            return self._known
        qs = self._count_qs if self._count_qs is not None else self.object_list
        if hasattr(qs, "order_by"):
            return qs.order_by()[: self.cap + 1].count()
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

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        return self._validate_number(number, MAX_OFFSET // self.per_page)

    def get_page(self, number):
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        try:
            return self.page(number)
        except EmptyPage:  # past the end of a list longer than the cap
            return self.page(self.num_pages)

    def page(self, number):
        if self.exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom: bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


def page_of(request, qs, per_page=50, *, count_qs=None, count=None):
    """(page, query string without ``page``) of a list view: the pagination links and the export link keep every
    other parameter, the search ``q`` included. ``count_qs`` and ``count``: see ``CappedPaginator``."""
    page = CappedPaginator(qs, per_page, count_qs=count_qs, count=count).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
