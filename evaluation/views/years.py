"""The year list, a year's overview, its settings, narrative and status."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import require_perm
from core.workflow import allowed_actions

from .. import charts
from ..computed import adapters
from ..constants import Section
from ..forms import NarrativeForm, TransitionForm, YearCreateForm, YearSettingsForm
from ..results import year_results
from ..selectors import years_for
from ..services import years as svc
from ..workflow import YEAR_TRANSITIONS
from . import EDIT, VIEW, error_text, get_year


@require_perm(VIEW)
def index(request):
    form = YearCreateForm() if request.user.has_perm(EDIT) else None
    return render(request, "evaluation/index.html", {"years": years_for(request.user), "form": form})


@require_perm(EDIT)
@require_POST
def year_create(request):
    form = YearCreateForm(request.POST)
    if form.is_valid():
        try:
            year = svc.year_create(actor=request.user, year=form.cleaned_data["year"],
                                   copy_from=form.cleaned_data["copy_from"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The evaluation year %(year)s was created.") % {"year": year.year})
            return redirect("evaluation:year_detail", year.year)
    return render(request, "evaluation/index.html", {"years": years_for(request.user), "form": form}, status=400)


@require_perm(VIEW)
def year_detail(request, year):
    year = get_year(request, year)
    result = year_results(year)
    return render(request, "evaluation/year_detail.html", {
        "year": year, "result": result, "tab": "overview",
        "level_chart": charts.levels_chart(result.levels),
        "actions": allowed_actions(YEAR_TRANSITIONS, year.status, request.user),
        "next_year": (year.year + 1 if request.user.has_perm(EDIT)
                      and not years_for(request.user).filter(year=year.year + 1).exists() else None),
    })


@require_perm(EDIT)
def year_settings(request, year):
    year = get_year(request, year)
    figures = adapters.budget_figures(year)
    from_disbursements = not isinstance(figures, adapters.NoData)
    form = YearSettingsForm(request.POST or None, instance=year, manual_budget=not from_disbursements)
    if request.method == "POST" and form.is_valid():
        try:
            svc.year_update_settings(actor=request.user, year=year, version=form.cleaned_data["version"],
                                     data={name: form.cleaned_data[name] for name in form.changed_data
                                           if name != "version"})
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("evaluation:year_settings", year.year)
    return render(request, "evaluation/year_settings.html", {
        "year": year, "form": form, "tab": "settings", "budget": figures if from_disbursements else None})


@require_perm(EDIT)
@require_POST
def year_transition(request, year, action):
    year = get_year(request, year)
    form = TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        version = form.cleaned_data["version"]
        if action == "finalise":
            svc.year_finalise(actor=request.user, year=year, version=version)
            messages.success(request, _("The evaluation is finalised; its data is locked."))
        elif action == "reopen":
            svc.year_reopen(actor=request.user, year=year, note=form.cleaned_data["note"], version=version)
            messages.success(request, _("The evaluation is open for changes again."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("evaluation:year_detail", year.year)


@require_perm(EDIT)
def narrative(request, year):
    year = get_year(request, year)
    form = NarrativeForm(request.POST or None, sections=year.sections.all())
    if request.method == "POST" and form.is_valid():
        try:
            svc.sections_update(actor=request.user, year=year, bodies=form.bodies(), versions=form.versions())
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The report texts were saved."))
            return redirect("evaluation:narrative", year.year)
    return render(request, "evaluation/narrative.html", {"year": year, "form": form, "tab": "narrative",
                                                          "sections": Section})
