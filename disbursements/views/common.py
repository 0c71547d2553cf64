"""Helpers shared by the disbursement views: 404 for foreign ids, service errors on forms."""


from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _lazy

from core import paging
from core.web import int_param

from ..selectors import fund_years

PAGE_SIZE = 50


def scoped(selector, actor, pk):
    """The object from a scoped selector, or 404: a foreign id leaks nothing."""
    try:
        return selector(actor, pk)
    except ObjectDoesNotExist:
        raise Http404


def page_of(request, qs, size=PAGE_SIZE, *, count=None, statement=None):
    """(page, query without ``page``): core.paging's capped count (none when ``count`` is known), the search and
    filters kept in the links; ``statement``: see core.paging."""
    return paging.page_of(request, qs, size, count=count, statement=statement)


def chosen_year(request):
    """The ?year= of the request, else the latest fund year with data, else this year."""
    year = int_param(request.GET.get("year"), min=1900, max=2999, name=gettext("the year"))
    if year is not None:
        return year
    years = fund_years()
    return years[0] if years else timezone.localdate().year


SECTIONS = {
    "payments": (_lazy("Payments"), "disbursements:payments"),
    "commitments": (_lazy("Commitments"), "disbursements:commitments"),
    "batches": (_lazy("Payment batches"), "disbursements:batches"),
    "reconciliations": (_lazy("Bank returns"), "disbursements:reconciliations"),
    "budget": (_lazy("Budget"), "disbursements:budget"),
    "programmes": (_lazy("Diagnosis service"), "disbursements:programmes"),
    "my_funds": (_lazy("My funds"), "disbursements:my_funds"),
}


def crumbs(*parts):
    """Breadcrumbs: section names (see SECTIONS) or (label, url) pairs; the last one is the current page."""
    out = []
    for part in parts:
        if isinstance(part, str):
            label, name = SECTIONS[part]
            out.append((label, reverse(name)))
        else:
            out.append(part)
    return out
