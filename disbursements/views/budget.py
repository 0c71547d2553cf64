"""Budget execution: the year's dated figures, committed and paid by category and county, with a chart."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.charts import budget_bars
from core.web import errors_onto, require_perm
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..exports import budget_response
from ..figures import (
    BudgetBasis,
    budget_by_category,
    budget_by_county,
    budget_entries,
    budget_figures,
    payment_timeliness,
)
from ..forms import BudgetEntryForm, PaymentRuleForm
from ..models import PaymentRule
from ..services import budget_entry_add, payment_rule_set
from ..services.commitments import default_due_days
from .common import chosen_year, crumbs


def _context(request, year, entry_form=None, rule_form=None):
    figures = budget_figures(year)
    by_category, by_county = budget_by_category(year), budget_by_county(year)
    scale = max([figures.adjusted, figures.committed, *[r["committed"] for r in by_category + by_county]])
    rule = PaymentRule.objects.filter(fund_year=year).first()
    user = request.user
    if entry_form is None and user.has_perm("disbursements.edit_budget"):
        entry_form = BudgetEntryForm(initial={"fund_year": year})
    if rule_form is None and user.has_perm("disbursements.edit_payment_rule"):
        rule_form = PaymentRuleForm(initial={"fund_year": year, "version": rule.version if rule else 0,
                                             "days": rule.days if rule else None,
                                             "basis": rule.basis if rule else PaymentRule.Basis.CALENDAR,
                                             "note": rule.note if rule else ""})
    return {
        "year": year, "years": sorted({*selectors.fund_years(), year}, reverse=True), "figures": figures,
        "executions": [figures.execution(), figures.execution(BudgetBasis.ADJUSTED)],
        "timeliness": payment_timeliness(year), "entries": budget_entries(year),
        "by_category": by_category, "by_county": by_county, "scale": scale, "rule": rule,
        "entry_form": entry_form, "rule_form": rule_form, "default_days": default_due_days(),
        "category_chart": budget_bars(figures, by_category, scale),
        "county_chart": budget_bars(figures, by_county, scale),
        "breakdowns": [(_("By category"), _("Category (budget breakdown)"), by_category),
                       (_("By county"), _("County (budget breakdown)"), by_county)],
        "crumbs": crumbs("budget"),
    }


@require_perm("disbursements.view_budget")
def budget(request):
    return render(request, "disbursements/budget.html", _context(request, chosen_year(request)))


@require_perm("disbursements.view_budget")
def budget_export(request):
    year = chosen_year(request)
    return budget_response(budget_figures(year), payment_timeliness(year),
                           budget_entries(year), budget_by_category(year),
                           budget_by_county(year))


@require_POST
@require_perm("disbursements.edit_budget")
def budget_entry_create(request):
    form = BudgetEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            budget_entry_add(actor=request.user, fund_year=data["fund_year"], kind=data["kind"],
                             amount=data["amount"], date=data["date"], note=data["note"])
        except ValidationError as exc:
            form.add_error("amount", exc)
        else:
            messages.success(request, _("Budget figure recorded."))
            return redirect(f"{reverse('disbursements:budget')}?year={data['fund_year']}")
    year = form.cleaned_data.get("fund_year") if hasattr(form, "cleaned_data") else None
    return render(request, "disbursements/budget.html",
                  _context(request, year or chosen_year(request), entry_form=form), status=400)


@require_POST
@require_perm("disbursements.edit_payment_rule")
def payment_rule_update(request):
    form = PaymentRuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _rule, changed = payment_rule_set(actor=request.user, fund_year=data["fund_year"], days=data["days"],
                                              basis=data["basis"], note=data["note"], version=data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Due-date rule saved; %(n)s due dates recomputed.") % {"n": changed})
            return redirect(f"{reverse('disbursements:budget')}?year={data['fund_year']}")
    year = form.cleaned_data.get("fund_year") or chosen_year(request)
    return render(request, "disbursements/budget.html", _context(request, year, rule_form=form), status=400)
