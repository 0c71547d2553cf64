"""Scoring on the rubric: save, submit (locks), reopen by the panel chair or city staff with a reason."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_record
from core.locking import check_version, save_versioned
from core.permissions import require
from core.workflow import transition

from ..models import Assignment, Score, ScoreItem
from ..workflow import SCORE_TRANSITIONS, AssignmentStatus, PanelStatus, ScoreStatus
from .common import ReviewError, config_for, require_reason

POINT_STEP = Decimal("0.1")


def _check_expert(actor, assignment):
    require(actor, "reviews.act_as_expert", assignment, message=_("Only the assigned expert scores this application."))
    if assignment.status != AssignmentStatus.CONFIRMED:
        raise ReviewError(_("Declare whether you have a conflict of interest before scoring."), code="undeclared")
    if assignment.panel.status != PanelStatus.OPEN:
        raise ReviewError(_("The panel is not open for scoring."), code="not_open")


def clean_points(criteria, points, *, partial=False):
    """Validate ``points`` {criterion id: value} against the criteria; returns {id: Decimal} and the total.

    Raises ReviewError with a message per criterion ({criterion id: message}) when values are out of range,
    or missing unless ``partial`` (a draft may leave criteria empty; they are simply not in the result).
    """
    errors, cleaned = {}, {}
    for criterion in criteria:
        raw = points.get(criterion.pk)
        if raw in (None, ""):
            if not partial:
                errors[criterion.pk] = _("Enter the points for this criterion.")
            continue
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            errors[criterion.pk] = _("Enter a number.")
            continue
        if not value.is_finite() or value < 0 or value > criterion.max_points:
            errors[criterion.pk] = _("Between 0 and %(max)s points.") % {"max": criterion.max_points}
        elif value != value.quantize(POINT_STEP):
            errors[criterion.pk] = _("At most one decimal place.")
        else:
            cleaned[criterion.pk] = value.quantize(POINT_STEP)
    if errors:
        raise ReviewError(errors, code="points")
    return cleaned, sum(cleaned.values(), Decimal("0"))


def score_save(*, actor, assignment, points, comment="", submit=False, expected_version=None):
    """Save the expert's points (and submit them when ``submit``); a submitted score is locked.

    ``expected_version`` is the score version the expert's page loaded (0 when no score existed yet): a save or
    submit from a page opened before another save (a second tab or device) is refused with StaleEdit and
    writes nothing.

    A draft may be partial: criteria left empty have no item (an item entered before and emptied now is
    removed) and the total is the sum of what is entered. Submitting needs every criterion."""
    assignment = Assignment.objects.select_related("panel", "panel__round", "expert").get(pk=assignment.pk)
    _check_expert(actor, assignment)
    criteria = list(assignment.panel.category.rubric.criteria.all())
    cleaned, total = clean_points(criteria, points, partial=not submit)
    comment = (comment or "").strip()
    threshold = config_for(assignment.panel.round).comment_required_below
    if submit and total < threshold and not comment:
        raise ReviewError({"comment": _("A total below %(n)s points needs a comment explaining it.")
                           % {"n": threshold}}, code="comment")
    with transaction.atomic(durable=True):
        score, created = Score.objects.get_or_create(assignment=assignment)
        score = Score.objects.select_for_update().get(pk=score.pk)
        if score.status != ScoreStatus.DRAFT:
            raise ReviewError(_("This score is submitted and locked. Ask the panel chair or city staff to reopen "
                                "it if it must change."), code="locked")
        if expected_version is not None and not (created and str(expected_version) == "0"):
            check_version(score, expected_version)
        for criterion in criteria:
            if criterion.pk in cleaned:
                ScoreItem.objects.update_or_create(score=score, criterion=criterion,
                                                   defaults={"points": cleaned[criterion.pk]})
        ScoreItem.objects.filter(score=score).exclude(criterion_id__in=list(cleaned)).delete()
        score.total = total
        score.comment = comment
        save_versioned(score, ["total", "comment", "updated_at"])
        if submit:
            transition(score, "submit", actor=actor, table=SCORE_TRANSITIONS, data={"total_points": str(total)},
                       extra_updates={"submitted_at": clock.now()}, audit_action="score.submit")
        else:
            audit_record(actor=actor, action="score.saved", obj=score, data={"total_points": str(total)})
    return score


def score_reopen(*, actor, score, reason):
    reason = require_reason(reason, _("Give the reason for reopening the score."))
    score = Score.objects.select_related("assignment__panel__chair", "assignment__expert__user").get(pk=score.pk)
    require(actor, "reviews.reopen_score", score, message=_(
        "Only the panel chair or city staff can reopen a submitted score while the panel is open."))
    score = transition(score, "reopen", actor=actor, table=SCORE_TRANSITIONS, note=reason,
                       extra_updates={"reopen_count": score.reopen_count + 1, "submitted_at": None},
                       audit_action="score.reopen")
    return score
