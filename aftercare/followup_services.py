"""The only writers of the follow-up reports (绩效跟踪): scheduling the reports of a funded project, the
enterprise's report, the county's verification or return. Status changes go through core.workflow.transition."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_record, yuan
from core.money import round_cent
from core.permissions import require
from core.workflow import TransitionNotAllowed, transition
from disbursements.models import Commitment
from disbursements.workflow import PaymentStatus

from . import rules  # noqa: F401  (registers the permissions the services ask)
from .followup_models import FIGURES, FollowupReport
from .followup_selectors import followups_for, previous_figures
from .followup_workflow import (
    EXPLAIN_ABOVE,
    FOLLOWUP_AUDIT,
    FOLLOWUP_TRANSITIONS,
    OPEN,
    FollowupAction,
    due_date,
)

NAMES = tuple(name for name, _label in FIGURES)
WHOLE = frozenset({"jobs", "base_jobs"})


# --- scheduling ------------------------------------------------------------------------------------------------

def followup_schedule(*, commitment_id, actor=None):
    """Create the follow-up reports still missing for a funded project: one per year for the call's
    ``followup_years`` years after the year of the first payment, each due by ``due_date(year)``. Idempotent
    (the unique constraint on (commitment, year) and a check before each insert); returns the reports created.
    ``actor``: who set it off (the finance user who booked the payment), None for the scheduled run."""
    with transaction.atomic():
        commitment = (Commitment.objects.select_for_update().select_related("application__round")
                      .filter(pk=commitment_id, application__isnull=False).first())
        if commitment is None:
            return []
        first_paid = commitment.payments.filter(status=PaymentStatus.PAID).aggregate(d=Min("paid_on"))["d"]
        if first_paid is None:
            return []
        years = range(first_paid.year + 1, first_paid.year + 1 + commitment.application.round.followup_years)
        existing = set(FollowupReport.objects.filter(commitment=commitment).values_list("year", flat=True))
        created = []
        for number, year in enumerate(years, start=1):
            if year in existing:
                continue
            report = FollowupReport.objects.create(
                commitment=commitment, year=year, sequence=number, due_on=due_date(year),
                base_year=first_paid.year - 1 if number == 1 else None)
            audit_record(actor=actor, action="followup.schedule", obj=report, to_state=report.status,
                         actor_name="" if actor else "system",
                         data={"year": year, "due_on": report.due_on.isoformat()})
            created.append(report)
        return created


def followup_schedule_all(*, actor=None):
    """Schedule the reports of every funded project (the beat task and ``manage.py schedule_followups``)."""
    ids = (Commitment.objects.filter(application__isnull=False, payments__status=PaymentStatus.PAID)
           .values_list("pk", flat=True).distinct().order_by("pk"))
    return sum(len(followup_schedule(commitment_id=pk, actor=actor)) for pk in ids)


# --- the enterprise's report -----------------------------------------------------------------------------------

def _report(actor, report_id):
    """The report in the actor's scope, locked (TransitionNotAllowed when foreign)."""
    try:
        return followups_for(actor).select_for_update().get(pk=report_id)
    except FollowupReport.DoesNotExist:
        raise TransitionNotAllowed(_("This follow-up report is not yours to act on.")) from None


def _clean_figures(report, figures):
    """{field: value} of the figures the report takes (the base year's too for a first report), or raise
    ValidationError naming each missing or negative one."""
    wanted = NAMES + (tuple(f"base_{name}" for name in NAMES) if report.is_first else ())
    values, errors = {}, {}
    for name in wanted:
        value = figures.get(name)
        if value is None or value == "":
            errors[name] = [_("Enter this figure (0 if there is none).")]
            continue
        try:
            value = int(value) if name in WHOLE else round_cent(Decimal(str(value)))
        except (ValueError, ArithmeticError):
            errors[name] = [_("Enter a number.")]
            continue
        if isinstance(value, Decimal) and not value.is_finite():
            errors[name] = [_("Enter a number.")]
        elif value < 0:
            errors[name] = [_("The figure cannot be negative.")]
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def large_changes(report, values):
    """The figures that moved by more than EXPLAIN_ABOVE (±50 %) from what the report is compared with (a figure
    that was 0 before has no rate of change)."""
    before = previous_figures(report)
    if report.is_first:
        before = {name: values.get(f"base_{name}") for name in NAMES}
    changed = []
    for name in NAMES:
        old, new = before.get(name), values.get(name)
        if old is None or new is None:
            continue
        # from nothing (a new line's output) there is no rate of change to explain
        if old and abs(Decimal(new) - Decimal(old)) > Decimal(old) * EXPLAIN_ABOVE:
            changed.append(name)
    return changed


def followup_submit(*, actor, report_id, figures, explanation="", expected_version=None):
    """The enterprise submits (or, after a return, submits again) its report on a year. ``figures``: yuan for
    the amounts, persons, tce; a change of more than ±50 % from the previous report needs ``explanation``."""
    require(actor, "aftercare.submit_followup")
    explanation = (explanation or "").strip()
    with transaction.atomic(durable=True):
        report = _report(actor, report_id)
        if report.status not in OPEN:
            raise TransitionNotAllowed(_("This report has been submitted and can no longer be changed."))
        values = _clean_figures(report, figures)
        changed = large_changes(report, values)
        if changed and not explanation:
            labels = "、".join(str(label) for name, label in FIGURES if name in changed)
            raise ValidationError({"explanation": [
                _("%(figures)s changed by more than 50%% from the previous report: explain why.")
                % {"figures": labels}]})
        updated = transition(
            report, FollowupAction.SUBMIT, actor=actor, table=FOLLOWUP_TRANSITIONS,
            audit_action=FOLLOWUP_AUDIT[FollowupAction.SUBMIT], expected_version=expected_version,
            extra_updates={**values, "explanation": explanation, "submitted_at": clock.now(), "submitted_by": actor},
            data={"year": report.year, "revenue_yuan": yuan(values["revenue"]), "taxes_yuan": yuan(values["taxes"]),
                  "jobs": values["jobs"], "energy_tce": str(values["energy"]), "output_yuan": yuan(values["output"]),
                  "large_changes": len(changed)})
    return updated


# --- the county's verification ---------------------------------------------------------------------------------

def followup_verify(*, actor, report_id, expected_version=None):
    """The county confirms the figures of a submitted report."""
    require(actor, "aftercare.verify_followup")
    with transaction.atomic(durable=True):
        report = _report(actor, report_id)
        return transition(report, FollowupAction.VERIFY, actor=actor, table=FOLLOWUP_TRANSITIONS,
                          audit_action=FOLLOWUP_AUDIT[FollowupAction.VERIFY], expected_version=expected_version,
                          extra_updates={"verified_at": clock.now(), "verified_by": actor, "return_reason": ""},
                          data={"year": report.year})


def followup_return(*, actor, report_id, reason, expected_version=None):
    """The county returns a submitted report to the enterprise with the reason."""
    require(actor, "aftercare.verify_followup")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say what the enterprise must correct.")]})
    with transaction.atomic(durable=True):
        report = _report(actor, report_id)
        return transition(report, FollowupAction.RETURN, actor=actor, table=FOLLOWUP_TRANSITIONS,
                          audit_action=FOLLOWUP_AUDIT[FollowupAction.RETURN], expected_version=expected_version,
                          note=reason, extra_updates={"return_reason": reason}, data={"year": report.year})
