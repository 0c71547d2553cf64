"""Panel scores, ranks and award proposals: computed when a panel closes, scaled or adjusted by city staff."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, AwardRule
from applications.workflow import Status as AppStatus
from core.audit import audit_record, yuan
from core.locking import check_version
from core.money import format_wan, round_cent
from core.permissions import require

from .. import aggregation
from ..awards import compute_award, scale_to_budget
from ..models import AwardProposal, ReviewResult, Score
from ..workflow import AppAction, AssignmentStatus, ScoreStatus
from .common import ReviewError, config_for, move_application, require_reason

# Awards can still change while the application has not been published.
AWARD_EDITABLE = (AppStatus.REVIEWED, AppStatus.AUDITED)


def competition_ranks(values):
    """Ranks for ``values`` sorted high to low, ties sharing a rank (1, 2, 2, 4)."""
    ordered = sorted(values, reverse=True)
    return [ordered.index(v) + 1 for v in values]


def results_compute(*, panel, actor):
    """Aggregate the submitted scores of every application of the panel, flag outliers, rank, propose awards."""
    config = config_for(panel.round)
    scores = (Score.objects.filter(assignment__panel=panel, assignment__status=AssignmentStatus.CONFIRMED,
                                   status=ScoreStatus.SUBMITTED).order_by("assignment__expert_id"))
    by_application = defaultdict(list)
    for score in scores.only("id", "total", "assignment__application_id").select_related("assignment"):
        by_application[score.assignment.application_id].append(score)
    applications = Application.objects.filter(pk__in=by_application).select_related("category", "enterprise")
    rows = []
    for application in applications:
        totals = [s.total for s in by_application[application.pk]]
        flagged = {by_application[application.pk][i].pk
                   for i in aggregation.outliers(totals, config.outlier_distance)}
        rows.append((application, totals, aggregation.aggregate(totals, config.aggregation_method), flagged))
    ranks = competition_ranks([row[2] for row in rows])
    results, outlier_ids = [], set()
    with transaction.atomic():
        for (application, totals, value, flagged), rank in zip(rows, ranks, strict=True):
            result, _created = ReviewResult.objects.update_or_create(application=application, defaults={
                "panel": panel, "method": config.aggregation_method, "score_count": len(totals),
                "mean": aggregation.aggregate(totals, aggregation.Method.MEAN), "aggregate": value, "rank": rank,
                "outlier_count": len(flagged), "scores_text": " / ".join(f"{t:.2f}" for t in totals),
            })
            result.application = application
            results.append(result)
            outlier_ids |= flagged
            proposal_compute(application=application, actor=actor)
        Score.objects.filter(assignment__panel=panel).update(is_outlier=False)
        Score.objects.filter(pk__in=outlier_ids).update(is_outlier=True)
        audit_record(actor=actor, action="panel.results", obj=panel,
                     data={"applications": len(results), "method": config.aggregation_method,
                           "outlier_scores": len(outlier_ids)})
    return sorted(results, key=lambda r: r.rank)


def proposal_compute(*, application, actor):
    """(Re)compute the award from the category's rule on the application's figures; None without a rule."""
    rule = AwardRule.objects.filter(category_id=application.category_id).first()
    if rule is None:
        return None
    base = rule.base_amount(application)
    computed = compute_award(base=base, rate=rule.rate, cap=rule.cap)
    proposal, _created = AwardProposal.objects.update_or_create(application=application, defaults={
        "rule_base": rule.base, "rule_rate": rule.rate, "rule_cap": rule.cap, "base_amount": base,
        "uncapped_amount": computed.uncapped, "computed_amount": computed.amount, "scaled_amount": None,
        "scaling_budget": None, "scaling_scope": "",
    })
    audit_record(actor=actor, action="award.computed", obj=application, data={
        "base_yuan": yuan(computed.base), "award_rate": str(computed.rate), "uncapped_yuan": yuan(computed.uncapped),
        "award_yuan": yuan(computed.amount), **({"cap_yuan": yuan(computed.cap)} if computed.capped else {})})
    return proposal


def _check_city(actor):
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff decide awards."))


def award_scale(*, actor, round_, budget, category=None):
    """Scale the open proposals of a category (or the whole round) pro rata to ``budget``.

    City adjustments stay as they are and take their share of the budget first; the other proposals share
    what is left, by whole fen. Returns (number scaled, whether scaling was needed).
    """
    _check_city(actor)
    budget = Decimal(budget)
    if budget < 0:
        raise ReviewError(_("The budget cannot be negative."), code="budget")
    proposals = AwardProposal.objects.select_for_update().filter(
        application__round=round_, application__status__in=AWARD_EDITABLE).select_related("application")
    if category is not None:
        proposals = proposals.filter(application__category=category)
    scope = (_("category %(name)s") % {"name": category.name}) if category else (_("call %(name)s")
                                                                                 % {"name": round_.title})
    scope_data = {"category": category.name} if category else {"call": round_.title}
    with transaction.atomic(durable=True):
        proposals = list(proposals.order_by("application_id"))
        fixed = sum((p.adjusted_amount for p in proposals if p.adjusted_amount is not None), Decimal("0"))
        free = [p for p in proposals if p.adjusted_amount is None]
        if fixed > budget:
            raise ReviewError(_("The adjusted awards alone (%(fixed)s yuan) exceed the budget.") % {"fixed": fixed},
                              code="budget")
        before = [p.amount_before_scaling for p in free]
        scaled = scale_to_budget(before, budget - fixed)
        needed = sum(before, Decimal("0")) > budget - fixed
        for proposal, amount in zip(free, scaled, strict=True):
            proposal.scaled_amount = amount if needed else None
            proposal.scaling_budget = budget if needed else None
            proposal.scaling_scope = scope if needed else ""
            proposal.version += 1
            proposal.save(update_fields=["scaled_amount", "scaling_budget", "scaling_scope", "version", "updated_at"])
        audit_record(actor=actor, action="award.scaled", obj=round_, data={
            **scope_data, "budget_yuan": yuan(budget), "proposals": len(free),
            "total_before_yuan": yuan(sum(before, Decimal("0"))), "adjusted_yuan": yuan(fixed), "scaled": needed})
    return len(free), needed


def award_adjust(*, actor, proposal, amount, reason, expected_version=None):
    """A city user proposes to set the award by hand, with a recorded reason (``amount`` None: remove the
    adjustment). The proposal takes effect only when a different city user confirms it (``award_adjust_confirm``);
    a newer proposal replaces one still waiting.

    Refused (StaleEdit) when the proposal changed (audit, scaling, another adjustment) since ``expected_version``
    was loaded."""
    _check_city(actor)
    reason = require_reason(reason, _("Give the reason for the adjustment."))
    with transaction.atomic(durable=True):
        proposal = AwardProposal.objects.select_for_update().select_related("application").get(pk=proposal.pk)
        check_version(proposal, expected_version)
        _check_editable(proposal)
        if amount is not None:
            amount = round_cent(amount)
            if amount < 0:
                raise ReviewError(_("The award cannot be negative."), code="negative")
            limit = proposal.amount_before_scaling
            if amount > limit:
                raise ReviewError(_("The award cannot exceed what the rule allows for these figures (%(limit)s).")
                                  % {"limit": format_wan(limit, unit=True)}, code="too_high")
        elif proposal.adjusted_amount is None:
            raise ReviewError(_("There is no adjustment to remove; enter the adjusted award."), code="nothing")
        proposal.pending_amount, proposal.pending_reason = amount, reason
        proposal.pending_by, proposal.pending_at = actor, timezone.now()
        proposal.version += 1
        proposal.save()
        audit_record(actor=actor, action="award.adjust_proposed", obj=proposal.application, note=reason,
                     data={"current_yuan": str(proposal.final_amount),
                           "proposed_yuan": str(amount) if amount is not None else ""})
    return proposal


def _check_editable(proposal):
    if proposal.application.status not in AWARD_EDITABLE:
        raise ReviewError(_("The award can no longer change: the application has been published."),
                          code="published")


def _pending_locked(proposal, expected_version):
    locked = AwardProposal.objects.select_for_update().select_related("application").get(pk=proposal.pk)
    check_version(locked, expected_version)
    if locked.pending_at is None:
        raise ReviewError(_("No adjustment of this award is waiting for confirmation."), code="no_pending")
    return locked


def _clear_pending(proposal):
    proposal.pending_amount, proposal.pending_reason = None, ""
    proposal.pending_by, proposal.pending_at = None, None


def award_adjust_confirm(*, actor, proposal, expected_version=None):
    """A second city user confirms the waiting adjustment: it takes effect (or the adjustment is removed).
    The proposer cannot confirm their own proposal (also a database constraint)."""
    _check_city(actor)
    with transaction.atomic(durable=True):
        proposal = _pending_locked(proposal, expected_version)
        _check_editable(proposal)
        if proposal.pending_by_id == actor.pk:
            raise ReviewError(_("You proposed this adjustment, so another city bureau user must confirm it "
                                "(four-eyes principle). Nothing was changed."), code="four_eyes")
        before = proposal.final_amount
        amount = proposal.pending_amount
        proposal.adjusted_amount = amount
        proposal.adjustment_reason = proposal.pending_reason if amount is not None else ""
        proposal.adjusted_by = proposal.pending_by if amount is not None else None
        proposal.adjusted_at = proposal.pending_at if amount is not None else None
        proposal.adjustment_confirmed_by = actor if amount is not None else None
        reason = proposal.pending_reason
        proposed_by = proposal.pending_by_id
        _clear_pending(proposal)
        proposal.version += 1
        proposal.save()
        audit_record(actor=actor, action="award.adjusted", obj=proposal.application, note=reason,
                     data={"proposed_by_user": proposed_by, "before_yuan": yuan(before),
                           "after_yuan": yuan(proposal.final_amount)})
    return proposal


def award_adjust_discard(*, actor, proposal, reason, expected_version=None):
    """The waiting adjustment is dropped (withdrawn by its proposer or refused by a colleague), with a reason."""
    _check_city(actor)
    reason = require_reason(reason, _("Give the reason for refusing the adjustment."))
    with transaction.atomic(durable=True):
        proposal = _pending_locked(proposal, expected_version)
        proposed = proposal.pending_amount
        _clear_pending(proposal)
        proposal.version += 1
        proposal.save()
        audit_record(actor=actor, action="award.adjust_discarded", obj=proposal.application, note=reason,
                     data={"proposed_yuan": yuan(proposed)})
    return proposal


def application_not_selected(*, actor, application, reason):
    """After the review, city staff decide an application is not supported (reason required)."""
    reason = require_reason(reason, _("Give the reason why the application is not supported."))
    return move_application(application, AppAction.NOT_SELECTED, actor=actor, note=reason)
