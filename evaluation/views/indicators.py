"""Indicator pages: the list, one indicator's score with its evidence, editing, weights, deviation reasons."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import require_perm

from ..computed.indicators import indicator_panels
from ..constants import Source
from ..forms import DeviationReasonForm, EvidenceForm, IndicatorForm, JudgementForm, TransitionForm, WeightsForm
from ..models import Indicator
from ..results import figures_for, indicator_page, indicator_result, indicators_for
from ..services import years as svc
from . import EDIT, VIEW, error_text, get_year


def get_indicator(year, number):
    return get_object_or_404(indicators_for(year), number=number)


@require_perm(VIEW)
def indicator_list(request, year):
    year = get_year(request, year)
    indicators = list(indicators_for(year))
    total = sum((i.weight for i in indicators), 0)
    return render(request, "evaluation/indicator_list.html",
                  {"year": year, "indicators": indicators, "weight_total": total, "tab": "indicators"})


def detail_page(request, year, indicator, *, status=200, **bound_forms):
    """The indicator page; a refused form is shown again (``bound_forms``) with what was typed and its errors.

    The figures come from a fresh read: a bound model form has put the refused values on its instance."""
    if bound_forms:
        indicator = get_indicator(year, indicator.number)
    # the imported statistics are read only for an indicator that takes its figure from them
    figures = figures_for(year) if indicator.source == Source.STATISTICS else {}
    row = indicator_result(indicator, figures=figures)
    can_edit = request.user.has_perm(EDIT) and year.is_editable
    context = {"year": year, "indicator": indicator, "row": row, "tab": "indicators", "can_edit": can_edit,
               "panels": indicator_panels(indicator)}
    if can_edit:
        context["reason_form"] = DeviationReasonForm(
            initial={"reason": indicator.deviation_reason, "version": indicator.version})
        if indicator.source == "judged":
            context["judgement_form"] = JudgementForm(instance=getattr(indicator, "judgement", None),
                                                      indicator=indicator)
            context["evidence_form"] = EvidenceForm()
        context.update(bound_forms)
    return render(request, "evaluation/indicator_detail.html", context, status=status)


@require_perm(VIEW)
def indicator_detail(request, year, number):
    try:
        indicator = indicator_page(request.user, year, number)
    except Indicator.DoesNotExist:
        raise Http404 from None
    return detail_page(request, indicator.year, indicator)


def _indicator_form(request, year, instance):
    shown = Indicator(pk=instance.pk, year=year, number=instance.number, name=instance.name)  # as stored
    form = IndicatorForm(request.POST or None, instance=instance, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = svc.indicator_save(actor=request.user, indicator=form.instance,
                                           fields=[n for n in form._meta.fields if not form.fields[n].disabled],
                                           version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Indicator %(n)s was saved.") % {"n": indicator.number})
            return redirect("evaluation:indicator_detail", year.year, indicator.number)
    return render(request, "evaluation/indicator_form.html",
                  {"year": year, "form": form, "indicator": shown, "tab": "indicators"})


@require_perm(EDIT)
def indicator_create(request, year):
    year = get_year(request, year)
    return _indicator_form(request, year, Indicator(year=year))


@require_perm(EDIT)
def indicator_edit(request, year, number):
    year = get_year(request, year)
    return _indicator_form(request, year, get_indicator(year, number))


@require_perm(EDIT)
@require_POST
def indicator_delete(request, year, number):
    year = get_year(request, year)
    indicator = get_indicator(year, number)
    form = TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        svc.indicator_delete(actor=request.user, indicator=indicator, version=form.cleaned_data["version"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("evaluation:indicator_detail", year.year, number)
    messages.success(request, _("Indicator %(n)s was deleted; rebalance the weights.") % {"n": number})
    return redirect("evaluation:weights", year.year)


@require_perm(EDIT)
def weights(request, year):
    year = get_year(request, year)
    form = WeightsForm(request.POST or None, indicators=indicators_for(year))
    if request.method == "POST" and form.is_valid():
        try:
            changed = svc.weights_update(actor=request.user, year=year, weights=form.weights(),
                                         versions=form.versions())
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("%(n)s weights were changed.") % {"n": len(changed)})
            return redirect("evaluation:indicator_list", year.year)
    return render(request, "evaluation/weights.html", {"year": year, "form": form, "tab": "indicators"})


@require_perm(EDIT)
@require_POST
def deviation_reason(request, year, number):
    year = get_year(request, year)
    indicator = get_indicator(year, number)
    form = DeviationReasonForm(request.POST)
    if form.is_valid():
        try:
            svc.deviation_reason_update(actor=request.user, indicator=indicator, reason=form.cleaned_data["reason"],
                                        version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The reason for the deviation was saved."))
            return redirect("evaluation:indicator_detail", year.year, number)
    return detail_page(request, year, indicator, status=400, reason_form=form)
