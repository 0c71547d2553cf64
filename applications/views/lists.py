"""The application list of every role (scoped by the selector), batch actions, and XLSX exports."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filter_bar import bar_once
from core.jobs import start_job
from core.paging import CappedPaginator
from core.web import int_list, parse_int, require_perm
from core.workflow import TransitionNotAllowed

from ..exports import export_response
from ..forms import ListFilterForm, ListSearchForm
from ..jobs import EXPORT_JOB, filters_of
from ..listing import filter_html, search_html, table_html
from ..selectors import (
    DEFAULT_SORT,
    application_list,
    application_rows,
    application_rows_of,
    application_rows_statement,
    applications_for,
    clear_filter_menus,
    filter_menus,
    menus_stamp,
    summary_round,
)
from ..services import application_city_accept_batch, application_forward_batch
from ..workflow import Status
from .common import flash_errors, query_without_page

PAGE_SIZE = 50


def _filter_form(request, menus=None):
    """The filter menus come from a cache (no query per request), see selectors.filter_menus."""
    categories, counties = menus or filter_menus()
    return ListFilterForm(request.GET or None, actor=request.user, categories=categories, counties=counties)


# What the filter bar depends on (see ListFilterForm): one cached bar per combination.
FILTER_BAR_PERMS = ("applications.list_own_applications", "applications.see_duplicates", "accounts.see_every_county")


def _empty_filter_bar(request, menus, search=True):
    """The filter bar without any filter (most list views), or (``search`` False) its fields but the search box:
    built once per role, language and menus (core.filter_bar.bar_once)."""
    key = ("applications", tuple(request.user.has_perm(p) for p in FILTER_BAR_PERMS), menus_stamp(), search)
    categories, counties = menus
    return bar_once(key, lambda: filter_html(
        ListFilterForm(None, actor=request.user, categories=categories, counties=counties), search=search))


def _search_only(request, menus):
    """(filters, bar) of a list that is searched and not filtered (only ``q``, and ``page``, in the query): the
    search box bound alone and the other fields from the empty bar. None for any other list, or a search the
    box refuses (the whole form then shows why)."""
    if "q" not in request.GET or set(request.GET) - {"q", "page"}:
        return None
    form = ListSearchForm(request.GET)
    if not form.is_valid():
        return None
    return {"q": form.cleaned_data["q"]}, search_html(form) + _empty_filter_bar(request, menus, search=False)


@require_perm("applications.view_applications")
def application_list_view(request):
    user = request.user
    menus = filter_menus()
    filtering = any(key != "page" for key in request.GET)
    searched = _search_only(request, menus) if filtering else None
    form = _filter_form(request, menus) if filtering and searched is None else None
    if searched is not None:
        filters, sort = searched[0], DEFAULT_SORT
    else:
        filters, sort = filters_of(form) if filtering else ({}, DEFAULT_SORT)
    rows, count_qs = application_rows(user, filters, sort)
    # the count stops at core.paging.COUNT_CAP and is taken without the joins of the displayed columns; unsearched,
    # the rows and the count come from statements prepared once; searched, the page's keys and the count come
    # from one statement and the rows of those keys from a statement prepared once
    statement = application_rows_statement(user, filters, sort)
    page = CappedPaginator(rows, PAGE_SIZE, count_qs=count_qs, statement=statement,
                           count_statement=statement and application_rows_statement(user, filters, sort, count=True),
                           rows_of=application_rows_of).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    known = {c.pk for c in menus[0]}
    if any(row["category_id"] not in known for row in page.object_list):
        clear_filter_menus()  # a category created in another process since the menus were loaded
        menus = filter_menus()
    batch = None
    is_intake = user.has_perm("applications.intake")
    if is_intake:
        batch = {"status": Status.COUNTY_ACCEPTED, "label": _("Forward the selected applications"), "rank": True}
    elif user.has_perm("applications.accept_centrally"):
        batch = {"status": Status.FORWARDED, "label": _("Accept the selected applications centrally"), "rank": False}
    is_enterprise = user.has_perm("applications.list_own_applications")
    show_county = user.has_perm("accounts.see_every_county")
    county_name = next((c.name for c in menus[1] if c.pk == user.county_id), "")
    if is_enterprise:
        title = heading = _("My applications")
        empty = _("You have no applications yet. Choose “Start an application” to see which categories of the open "
                  "call you can apply for.")
    elif is_intake:
        title, heading = _("Application intake"), _("Application intake · %(county)s") % {"county": county_name}
    else:
        title = heading = _("Applications")
    if not is_enterprise:
        empty = (_("No application matches these filters. Clear a filter to see more.") if filtering
                 else _("No applications have been submitted yet."))
    return render(request, "applications/list.html", {
        "form": form, "page": page, "query": query_without_page(request), "batch": batch,
        "title": title, "heading": heading,
        "table": table_html(page.object_list, duplicates=user.has_perm("applications.see_duplicates"),
                            detail_base=reverse("applications:list"), empty=empty,
                            names=({c.pk: c.name for c in menus[0]}, {c.pk: c.name for c in menus[1]}),
                            batch=batch, is_enterprise=is_enterprise, show_county=show_county),
        "filters": searched[1] if searched else filter_html(form) if filtering else _empty_filter_bar(request, menus),
        "can_export": user.has_perm("applications.export_applications"),
        "export_query": request.GET.urlencode(),
    })


def _selected(request, status):
    ids = int_list(request.POST.getlist("selected"), name=_("the selected applications"))
    return list(applications_for(request.user).filter(pk__in=ids, status=status).select_related("county")
                .order_by("pk")), ids


@login_required
@require_POST
def batch(request):
    """County: forward the ticked accepted applications with one opinion and a rank each. City: accept centrally."""
    user = request.user
    back = reverse("applications:list") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    try:
        if user.has_perm("applications.intake"):
            apps, ids = _selected(request, Status.COUNTY_ACCEPTED)
            if len(apps) != len(ids):
                raise ValidationError(_("Only applications accepted by your county can be forwarded."))
            items = []
            for app in apps:
                raw = request.POST.get(f"rank_{app.pk}", "").strip()
                rank = parse_int(raw, min=1) if raw else None
                if raw and rank is None:
                    raise ValidationError(_("The rank of %(no)s must be a whole number from 1 up.")
                                          % {"no": app.receipt_no or app.project_name})
                items.append((app, rank))
            done = application_forward_batch(actor=user, items=items, opinion=request.POST.get("opinion", ""))
            messages.success(request, _("%(n)d applications forwarded to the city bureau.") % {"n": len(done)})
        elif user.has_perm("applications.accept_centrally"):
            apps, ids = _selected(request, Status.FORWARDED)
            if not apps or len(apps) != len(ids):
                raise ValidationError(_("Select applications forwarded by the counties."))
            done = application_city_accept_batch(actor=user, applications=apps)
            messages.success(request, _("%(n)d applications accepted centrally.") % {"n": len(done)})
        else:
            raise PermissionDenied
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
    return redirect(back)


@require_perm("applications.export_applications")
def export(request, summary=False):
    """XLSX of the filtered list (what the page shows, every page). ``summary``: the county's 申报汇总表.
    A list longer than EXPORT_JOB_THRESHOLD rows is written by a background job (applications/jobs.py): the
    user waits on the job's page with a progress bar instead of a request that runs for seconds."""
    user = request.user
    form = _filter_form(request)
    filters, sort = filters_of(form)
    if summary:
        sort = "rank"
        if not filters.get("round"):
            # a 申报汇总表 is one call's: without a chosen call, the newest call the county has applications in
            filters["round"] = summary_round(user)
    if application_rows(user, filters, sort)[1].count() > settings.EXPORT_JOB_THRESHOLD:
        job = start_job(owner=user, kind=EXPORT_JOB, params={"query": request.GET.urlencode(), "summary": summary})
        return redirect("core:job", job.pk)
    rows = application_list(user, filters, sort)
    return export_response(rows, user=user, summary=summary, filters=filters, form=form)
