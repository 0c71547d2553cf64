"""Mid-year monitoring pages: the dated snapshots, one snapshot with its warnings and plan, the XLSX."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.web import require_perm

from .. import exports
from ..forms import MonitoringForm, MonitoringPlanForm
from ..models import MonitoringEntry
from ..selectors import snapshots_for
from ..services import monitoring as svc
from . import EDIT, EXPORT, VIEW, error_text, get_year


@require_perm(VIEW)
def monitoring_list(request, year):
    year = get_year(request, year)
    today = timezone.localdate()
    default = today if today.year == year.year else today.replace(year=year.year, month=6, day=30)
    form = None
    if request.user.has_perm(EDIT):
        form = MonitoringForm(request.POST or None, initial={"taken_on": default})
        if request.method == "POST" and form.is_valid():
            try:
                snapshot = svc.snapshot_create(actor=request.user, year=year, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error("taken_on", error_text(exc))
            else:
                messages.success(request, _("The monitoring snapshot was taken."))
                return redirect("evaluation:monitoring_detail", year.year, snapshot.pk)
    snapshots = snapshots_for(request.user, year).annotate(
        at_risk=Count("entries", filter=Q(entries__state=MonitoringEntry.State.AT_RISK)),
        no_data=Count("entries", filter=Q(entries__state=MonitoringEntry.State.NO_DATA)))
    return render(request, "evaluation/monitoring_list.html",
                  {"year": year, "snapshots": snapshots, "form": form, "tab": "monitoring"})


@require_perm(VIEW)
def monitoring_detail(request, year, pk):
    year = get_year(request, year)
    snapshot = get_object_or_404(snapshots_for(request.user, year), pk=pk)
    form = None
    if request.user.has_perm(EDIT):
        form = MonitoringPlanForm(request.POST or None, instance=snapshot)
        if request.method == "POST" and form.is_valid():
            try:
                svc.snapshot_update_plan(actor=request.user, snapshot=snapshot, version=form.cleaned_data["version"],
                                         second_half_plan=form.cleaned_data["second_half_plan"])
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("The plan for the second half was saved."))
                return redirect("evaluation:monitoring_detail", year.year, snapshot.pk)
    entries = list(snapshot.entries.all())
    return render(request, "evaluation/monitoring_detail.html", {
        "year": year, "snapshot": snapshot, "entries": entries, "form": form, "tab": "monitoring",
        "at_risk": [e for e in entries if e.state == MonitoringEntry.State.AT_RISK],
    })


@require_perm(EXPORT)
def monitoring_export(request, year, pk):
    year = get_year(request, year)
    snapshot = get_object_or_404(snapshots_for(request.user, year), pk=pk)
    response = HttpResponse(exports.monitoring_xlsx(snapshot), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="monitoring-{year.year}-{snapshot.taken_on:%Y%m%d}.xlsx"'
    return response
