"""Pages of the follow-up reports (绩效跟踪): the list (enterprise: its own; county: its county; city: all) with
status tabs and search, a report's page with the enterprise's form or the county's verification, the XLSX."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import clock, paging
from core.web import form_step, int_param, require_perm
from core.workflow import allowed_actions
from core.xlsx import workbook_response

from . import followup_selectors as selectors
from . import followup_services as services
from .followup_exports import followup_workbook
from .followup_forms import TABS, FirstFollowupForm, FollowupForm, ReturnForm, VerifyForm
from .followup_models import FIGURES
from .followup_workflow import FOLLOWUP_TRANSITIONS, FollowupAction


def _filters(request):
    """{search, tab, year, fund_year} of the list's filters; an unknown tab is no filter, a malformed year a 400."""
    tab = request.GET.get("status") or ""
    return {"search": (request.GET.get("q") or "").strip()[:100], "tab": tab if tab in dict(TABS) else "",
            "year": int_param(request.GET.get("year"), min=2000, max=2100, name="year"),
            "fund_year": int_param(request.GET.get("fund_year"), min=2000, max=2100, name="fund_year")}


@require_perm("aftercare.view_followups")
def followup_list(request):
    filters = _filters(request)
    rows = selectors.followup_list(request.user, **filters)
    page, query = paging.page_of(request, rows, 50)
    today = clock.today()
    for row in page.object_list:
        row.overdue = row.is_overdue(today)
    base = request.GET.copy()
    for name in ("page", "status"):
        base.pop(name, None)
    counts = selectors.tab_counts(request.user)
    return render(request, "aftercare/followup_list.html", {
        "page": page, "query": query, "q": filters["search"], "tab": filters["tab"], "year": filters["year"],
        "fund_year": filters["fund_year"], "tab_query": base.urlencode(),
        "tabs": [(value, label, counts[value or "all"]) for value, label in TABS],
        "can_export": request.user.has_perm("aftercare.export_followups")})


def _report(request, pk):
    try:
        return selectors.followup_detail(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _form_class(report):
    return FirstFollowupForm if report.is_first else FollowupForm


def _page(request, report, forms=None, status=200):
    actions = allowed_actions(FOLLOWUP_TRANSITIONS, report.status, request.user)
    forms = forms or {}
    if FollowupAction.SUBMIT in actions and "report_form" not in forms:
        initial = {"version": report.version, "explanation": report.explanation}
        initial.update({name: getattr(report, name) for name in _form_class(report).base_fields
                        if name not in ("version", "explanation") and getattr(report, name) is not None})
        forms["report_form"] = _form_class(report)(initial=initial)
    if FollowupAction.VERIFY in actions:
        forms.setdefault("return_form", ReturnForm(initial={"version": report.version}))
        forms["can_verify"] = True
    form = forms.get("report_form")
    if form is not None:
        forms["year_fields"] = [form[name] for name, _label in FIGURES]
        forms["base_fields"] = [form[f"base_{name}"] for name, _label in FIGURES if f"base_{name}" in form.fields]
    previous = selectors.previous_figures(report) if report.submitted_at or "report_form" in forms else {}
    labels = FollowupForm.base_fields  # the figures with their unit as typed (amounts in 万元)
    rows = [(labels[name].label, getattr(report, name), previous.get(name), name) for name, _label in FIGURES]
    return render(request, "aftercare/followup_detail.html", {
        "report": report, "project": report.commitment, "rows": rows, "has_previous": bool(previous),
        "overdue": report.is_overdue(), **forms}, status=status)


@require_perm("aftercare.view_followups")
def followup_detail(request, pk):
    return _page(request, _report(request, pk))


@require_perm("aftercare.submit_followup")
@require_POST
def followup_submit(request, pk):
    report = _report(request, pk)
    form = _form_class(report)(request.POST)
    return form_step(form, lambda data: services.followup_submit(
        actor=request.user, report_id=report.pk, figures=form.figures(), explanation=data["explanation"],
        expected_version=data["version"]), done=lambda: _done(report),
        again=lambda: _page(request, report, {"report_form": form}, status=400))


def _done(report):
    return redirect("aftercare:followup_detail", pk=report.pk)


@require_perm("aftercare.verify_followup")
@require_POST
def followup_verify(request, pk):
    report = _report(request, pk)
    form = VerifyForm(request.POST)
    return form_step(form, lambda data: services.followup_verify(
        actor=request.user, report_id=report.pk, expected_version=data["version"]), done=lambda: _done(report),
        again=lambda: _page(request, report, {"verify_errors": form.non_field_errors() or form.errors}, status=400))


@require_perm("aftercare.verify_followup")
@require_POST
def followup_return(request, pk):
    report = _report(request, pk)
    form = ReturnForm(request.POST)
    return form_step(form, lambda data: services.followup_return(
        actor=request.user, report_id=report.pk, reason=data["reason"], expected_version=data["version"]),
        done=lambda: _done(report),
        again=lambda: _page(request, report, {"return_form": form, "can_verify": True}, status=400))


@require_perm("aftercare.export_followups")
def followup_export(request):
    filters = _filters(request)
    rows = selectors.followup_list(request.user, **filters)
    return workbook_response(followup_workbook(request.user, rows, filters), "followup-reports.xlsx")
