"""City staff: ranking per category, award proposals (formula and inputs), scaling, adjustments."""

import re

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Application, Category
from applications.workflow import Status as AppStatus
from core.audit_notes import annotate
from core.models import AuditLog
from core.money import format_wan
from core.web import errors_onto, require_perm
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..awards import compute_award
from ..forms import AdjustDecisionForm, AdjustForm, ReasonForm, ScaleForm
from ..services.results import (
    AWARD_EDITABLE,
    application_not_selected,
    award_adjust,
    award_adjust_confirm,
    award_adjust_discard,
    award_scale,
)
from .common import flash_errors, flash_form_errors, get_round, scoped


@require_perm("reviews.view_review_stage")
def results(request, round_pk):
    round_ = get_round(round_pk)
    categories = Category.objects.filter(round=round_).order_by("sort_order", "id")
    scale_form = ScaleForm(request.POST or None, categories=categories,
                           initial={"budget": round_.total_budget})
    if request.method == "POST":
        if not request.user.has_perm("reviews.manage_reviews"):
            return redirect("reviews:results", round_.pk)
        if scale_form.is_valid():
            try:
                count, needed = award_scale(actor=request.user, round_=round_, budget=scale_form.cleaned_data["budget"],
                                            category=scale_form.cleaned_data["category"])
            except (ValidationError, TransitionNotAllowed) as exc:
                errors_onto(scale_form, exc)
            else:
                messages.success(request, _("%(n)d proposals scaled to the budget.") % {"n": count} if needed
                                 else _("The proposals fit the budget; nothing was scaled."))
                return redirect("reviews:results", round_.pk)
    rows = list(selectors.ranking(request.user, round_))
    groups = {}
    for app in rows:
        groups.setdefault(app.category, []).append(app)
    totals = {c: sum((getattr(a, "award_proposal", None) and a.award_proposal.final_amount or 0) for a in apps)
              for c, apps in groups.items()}
    return render(request, "reviews/results.html", {
        "round": round_, "groups": [(c, apps, totals[c]) for c, apps in groups.items()], "scale_form": scale_form,
        "editable": AWARD_EDITABLE, "can_manage": request.user.has_perm("reviews.manage_reviews"),
        "panels": selectors.panels_for(request.user).filter(round=round_),
    })


AMOUNT_ACTIONS = ("award.computed", "award.adjusted")  # their from/to states are amounts in yuan
# Notes written before amounts were recorded in 万元 carry bare yuan ("185430000.00", "2,000,000.00"); an amount
# already followed by its unit, a rate ("100.00%") or another action's numbers (scores) are left alone.
AMOUNT_NOTES = ("award.computed", "application.submit_audit")
BARE_YUAN = re.compile(r"(?<![\d,.])\d[\d,]*\.\d{2}(?![\d%])(?!\s*(?:万元|10,000 yuan|10k yuan))")


def legacy_note(note):
    return BARE_YUAN.sub(lambda m: format_wan(m.group(0).replace(",", ""), unit=True), note)


# The steps of an application the award page's history shows: its qualification (with a re-review), the review,
# the award's computation and adjustments, the audit, publicity and the budget list.
AWARD_HISTORY_ACTIONS = (
    "application.qualify", "application.disqualify", "application.request_re_review", "application.start_review",
    "application.close_review", *AMOUNT_ACTIONS, "application.submit_audit", "application.publish",
    "application.pass_publicity", "application.not_selected", "application.budget_list",
    "award.adjust_proposed", "award.adjust_discarded",
)


def _legacy_amounts(row):
    """Rows written before amounts moved to the row's data carry them as states (元)."""
    amounts = [format_wan(value, unit=True) for value in (row.from_state, row.to_state) if value]
    return " → ".join(amounts)


def award_history(application, user):
    """The award's history: who did what (by name and organisation), the state change, and the note in the
    reader's language. Older rows keep their amounts as states and their notes in bare yuan: those are shown in
    万元 like the rest of the page."""
    content_type = ContentType.objects.get_for_model(Application)
    rows = annotate(AuditLog.objects.filter(content_type=content_type, object_id=str(application.pk),
                                            action__in=AWARD_HISTORY_ACTIONS).order_by("created_at", "id"),
                    technical=user.has_perm("accounts.view_audit_technical"))
    for row in rows:
        if row.action in AMOUNT_ACTIONS:
            row.state_text = _legacy_amounts(row)
        if row.action in AMOUNT_NOTES and not row.data:
            row.note_text = legacy_note(row.note_text)
    return rows


@require_perm("reviews.view_review_stage")
def award(request, app_pk):
    application = scoped(selectors.review_applications_for(request.user).filter(award_proposal__isnull=False)
                         .select_related("enterprise", "category", "county", "round", "award_proposal",
                                         "award_proposal__adjusted_by", "award_proposal__pending_by",
                                         "award_proposal__adjustment_confirmed_by", "audit__firm", "review_result"),
                         app_pk)
    proposal = application.award_proposal
    audit = getattr(application, "audit", None)
    result = getattr(application, "review_result", None)
    original = compute_award(base=proposal.base_amount, rate=proposal.rule_rate, cap=proposal.rule_cap)
    recomputed = (compute_award(base=proposal.audited_base_amount, rate=proposal.rule_rate, cap=proposal.rule_cap)
                  if proposal.audited_base_amount is not None else None)
    op = request.POST.get("op", "propose")
    form = AdjustForm(request.POST if op == "propose" else None, initial={"amount": None, "version": proposal.version})
    decision_form = AdjustDecisionForm(request.POST if op in ("confirm", "discard") else None,
                                       initial={"version": proposal.version})
    if request.method == "POST":
        if not request.user.has_perm("reviews.manage_reviews"):
            return redirect("reviews:award", application.pk)
        if op in ("confirm", "discard"):
            if decision_form.is_valid():
                data = decision_form.cleaned_data
                try:
                    if op == "confirm":
                        award_adjust_confirm(actor=request.user, proposal=proposal, expected_version=data["version"])
                        messages.success(request, _("The adjustment is confirmed and now in force."))
                    else:
                        award_adjust_discard(actor=request.user, proposal=proposal, reason=data["reason"],
                                             expected_version=data["version"])
                        messages.success(request, _("The proposed adjustment was refused; the award is unchanged."))
                except (ValidationError, TransitionNotAllowed) as exc:
                    errors_onto(decision_form, exc)
                else:
                    return redirect("reviews:award", application.pk)
        elif form.is_valid():
            try:
                award_adjust(actor=request.user, proposal=proposal, amount=form.cleaned_data["amount"],
                             reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"])
            except (ValidationError, TransitionNotAllowed) as exc:
                errors_onto(form, exc, field_map={"amount": "amount"})
            else:
                messages.success(request, _("The adjustment is recorded and waits for another city bureau user to "
                                            "confirm it."))
                return redirect("reviews:award", application.pk)
    return render(request, "reviews/award.html", {
        "application": application, "proposal": proposal, "audit": audit, "result": result, "original": original,
        "recomputed": recomputed, "form": form, "history": award_history(application, request.user),
        "decision_form": decision_form,
        "can_confirm": proposal.adjustment_pending and proposal.pending_by_id != request.user.pk,
        "audit_final": audit is not None and selectors.audit_figures_visible(request.user, audit),
        "editable": application.status in AWARD_EDITABLE and request.user.has_perm("reviews.manage_reviews"),
        "not_selected_form": ReasonForm() if application.status == AppStatus.REVIEWED else None,
        "base_changed": audit is not None and proposal.audited_base_amount is not None
        and proposal.audited_base_amount != proposal.base_amount,
        "auditor_differs": proposal.auditor_amount is not None and proposal.audited_computed_amount is not None
        and proposal.auditor_amount != proposal.audited_computed_amount,
    })


@require_perm("reviews.manage_reviews")
@require_POST
def not_selected(request, app_pk):
    application = scoped(selectors.review_applications_for(request.user), app_pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            application_not_selected(actor=request.user, application=application, reason=form.cleaned_data["reason"])
            messages.success(request, _("The application is marked as not supported."))
        except (ValidationError, TransitionNotAllowed) as exc:
            flash_errors(request, exc)
    return redirect("reviews:results", application.round_id)
