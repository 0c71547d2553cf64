"""The only writers of the acceptance: the enterprise's completion report, the county's inspection, the city's
decision. Every step goes through core.workflow.transition (role, state, lock, audit)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from applications.services.uploads import UploadRefused, check_evidence, store_file
from core import clock
from core.audit import audit_record, yuan
from core.money import format_yuan
from core.permissions import require
from core.workflow import TransitionNotAllowed, transition
from disbursements.models import BudgetEntry, Commitment

from . import rules  # noqa: F401  (registers the permissions the services ask)
from .models import Acceptance, AcceptanceFile, Clawback, FileStage, Refund
from .selectors import completion_due, funded_projects
from .workflow import (
    AUDIT_ACTIONS,
    CLAWBACK_AUDIT,
    CLAWBACK_TRANSITIONS,
    REPORTABLE,
    TRANSITIONS,
    Action,
    ClawbackAction,
    ClawbackStatus,
    Recommendation,
    Status,
)


def _project(actor, commitment_id):
    """The funded project in the actor's scope, its commitment row locked."""
    Commitment.objects.select_for_update().filter(pk=commitment_id).exists()
    try:
        return funded_projects(actor).select_related("application__round").get(pk=commitment_id)
    except Commitment.DoesNotExist:
        raise TransitionNotAllowed(_("This project is not yours to act on.")) from None


def _store_files(acceptance, checked, stage, actor):
    for upload, file_type, digest in checked:
        store_file(AcceptanceFile(acceptance=acceptance, stage=stage), upload, file_type, digest, actor)


def _money(value, field, errors, label):
    if value is None or value == "":
        errors[field] = [_("Enter %(what)s.") % {"what": label}]
        return None
    value = Decimal(value)
    if value < 0:
        errors[field] = [_("The amount cannot be negative.")]
    return value


def report_submit(*, actor, commitment_id, actual_investment, equipment_list, invoice_amount, files=(),
                  expected_version=None):
    """The enterprise submits (or, in a rectification, submits again) its completion report."""
    require(actor, "aftercare.submit_report")
    errors = {}
    actual_investment = _money(actual_investment, "actual_investment", errors, _("the actual investment"))
    invoice_amount = _money(invoice_amount, "invoice_amount", errors, _("the invoice total"))
    if not (equipment_list or "").strip():
        errors["equipment_list"] = [_("List the equipment bought for the project.")]
    if errors:
        raise ValidationError(errors)
    try:
        checked = check_evidence(files)
    except UploadRefused as exc:
        raise ValidationError({"files": exc.messages}) from None
    with transaction.atomic(durable=True):
        project = _project(actor, commitment_id)
        acceptance, _created = Acceptance.objects.get_or_create(
            commitment=project, defaults={"application": project.application,
                                          "completion_due": completion_due(project)})
        if acceptance.status not in REPORTABLE:
            raise TransitionNotAllowed(_("The completion report can no longer be changed."))
        updated = transition(
            acceptance, Action.SUBMIT, actor=actor, table=TRANSITIONS, audit_action=AUDIT_ACTIONS[Action.SUBMIT],
            expected_version=None if _created else expected_version,
            extra_updates={"actual_investment": actual_investment, "equipment_list": equipment_list.strip(),
                           "invoice_amount": invoice_amount, "submitted_at": clock.now(), "submitted_by": actor},
            data={"actual_investment_yuan": yuan(actual_investment), "invoice_yuan": yuan(invoice_amount),
                  "files": len(checked)})
        _store_files(updated, checked, FileStage.REPORT, actor)
    return updated


def inspection_record(*, actor, acceptance_id, visit_date, inspectors, findings, recommendation, files=(),
                      expected_version=None):
    """The county records its visit and recommends pass, rectify or fail."""
    require(actor, "aftercare.inspect")
    errors = {}
    if visit_date is None:
        errors["visit_date"] = [_("Enter the date of the visit.")]
    elif visit_date > clock.today():
        errors["visit_date"] = [_("The visit cannot be in the future.")]
    if not (inspectors or "").strip():
        errors["inspectors"] = [_("Name the inspectors.")]
    if not (findings or "").strip():
        errors["findings"] = [_("Describe what the inspection found.")]
    if recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose a recommendation.")]
    if errors:
        raise ValidationError(errors)
    try:
        checked = check_evidence(files)
    except UploadRefused as exc:
        raise ValidationError({"files": exc.messages}) from None
    with transaction.atomic(durable=True):
        acceptance = _acceptance(actor, acceptance_id)
        updated = transition(
            acceptance, Action.INSPECT, actor=actor, table=TRANSITIONS, expected_version=expected_version,
            audit_action=AUDIT_ACTIONS[Action.INSPECT], note=findings.strip(),
            extra_updates={"visit_date": visit_date, "inspectors": inspectors.strip(), "findings": findings.strip(),
                           "recommendation": recommendation, "inspected_by": actor},
            data={"visit_date": visit_date.isoformat(), "inspectors": inspectors.strip(),
                  "recommendation": str(Recommendation(recommendation).label), "photos": len(checked)})
        _store_files(updated, checked, FileStage.INSPECTION, actor)
    return updated


def decide(*, actor, acceptance_id, action, note="", rectify_by=None, expected_version=None):
    """The city accepts the project, orders a rectification by ``rectify_by``, or opens a clawback."""
    require(actor, "aftercare.decide")
    if action not in (Action.ACCEPT, Action.RECTIFY, Action.CLAWBACK):
        raise TransitionNotAllowed()
    errors = {}
    if action == Action.RECTIFY:
        if rectify_by is None:
            errors["rectify_by"] = [_("Set the rectification deadline.")]
        elif rectify_by <= clock.today():
            errors["rectify_by"] = [_("The rectification deadline must be after today.")]
    if action in (Action.RECTIFY, Action.CLAWBACK) and not (note or "").strip():
        errors["note"] = [_("Give the reason for this decision.")]
    if errors:
        raise ValidationError(errors)
    updates = {"decided_by": actor, "decided_at": clock.now(), "decision_note": (note or "").strip()}
    data = {}
    if action == Action.RECTIFY:
        updates["rectify_by"] = rectify_by
        data["rectify_by"] = rectify_by.isoformat()
    with transaction.atomic(durable=True):
        acceptance = _acceptance(actor, acceptance_id)
        return transition(acceptance, action, actor=actor, table=TRANSITIONS, expected_version=expected_version,
                          audit_action=AUDIT_ACTIONS[Action(action)], note=(note or "").strip(),
                          extra_updates=updates, data=data or None)


def _acceptance(actor, acceptance_id):
    try:
        acceptance = Acceptance.objects.get(pk=acceptance_id)
    except Acceptance.DoesNotExist:
        raise TransitionNotAllowed() from None
    if not funded_projects(actor).filter(pk=acceptance.commitment_id).exists():
        raise TransitionNotAllowed(_("This project is not yours to act on."))
    return acceptance




# --- clawback and refunds ---------------------------------------------------------------------------------------

def clawback_propose(*, actor, acceptance_id, amount, reason, legal_basis, refund_due):
    """A city officer proposes to recover ``amount`` (at most what was paid) of a project whose acceptance failed;
    a second city officer confirms it (clawback_confirm)."""
    require(actor, "aftercare.decide")
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the clawback.")]
    if not (legal_basis or "").strip():
        errors["legal_basis"] = [_("Name the legal basis (the rule or agreement clause).")]
    if refund_due is None or refund_due <= clock.today():
        errors["refund_due"] = [_("The refund deadline must be after today.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        acceptance = _acceptance(actor, acceptance_id)
        acceptance = Acceptance.objects.select_for_update().get(pk=acceptance.pk)
        if acceptance.status != Status.CLAWBACK:
            raise TransitionNotAllowed(_("A clawback is proposed only after the city opened it on the acceptance."))
        if Clawback.objects.filter(acceptance=acceptance).exclude(status=ClawbackStatus.WITHDRAWN).exists():
            raise TransitionNotAllowed(_("This project already has a clawback."))
        paid = funded_projects(actor).get(pk=acceptance.commitment_id).paid_total
        if amount > paid:
            raise ValidationError({"amount": [_("At most the %(paid)s yuan paid can be recovered.") % {
                "paid": format_yuan(paid)}]})
        Clawback.objects.filter(acceptance=acceptance, status=ClawbackStatus.WITHDRAWN).delete()
        clawback = Clawback.objects.create(acceptance=acceptance, amount=amount, reason=reason.strip(),
                                           legal_basis=legal_basis.strip(), refund_due=refund_due,
                                           proposed_by=actor)
        audit_record(actor=actor, action="clawback.propose", obj=clawback, to_state=clawback.status,
                     note=clawback.reason, data={"amount_yuan": yuan(amount), "paid_yuan": yuan(paid),
                                                 "refund_due": refund_due.isoformat()})
    return clawback


def clawback_confirm(*, actor, clawback_id, expected_version=None):
    """The second city officer confirms the proposed clawback; the enterprise is told the amount and deadline."""
    require(actor, "aftercare.decide")
    with transaction.atomic(durable=True):
        clawback = _clawback(actor, clawback_id)
        return transition(clawback, ClawbackAction.CONFIRM, actor=actor, table=CLAWBACK_TRANSITIONS,
                          audit_action=CLAWBACK_AUDIT[ClawbackAction.CONFIRM], expected_version=expected_version,
                          extra_updates={"confirmed_by": actor, "confirmed_at": clock.now()},
                          data={"amount_yuan": yuan(clawback.amount),
                                "refund_due": clawback.refund_due.isoformat()})


def clawback_withdraw(*, actor, clawback_id, note, expected_version=None):
    """A city officer withdraws a clawback not yet confirmed (with the reason); the enterprise is told."""
    require(actor, "aftercare.decide")
    if not (note or "").strip():
        raise ValidationError({"note": [_("Give the reason for this decision.")]})
    with transaction.atomic(durable=True):
        clawback = _clawback(actor, clawback_id)
        return transition(clawback, ClawbackAction.WITHDRAW, actor=actor, table=CLAWBACK_TRANSITIONS,
                          audit_action=CLAWBACK_AUDIT[ClawbackAction.WITHDRAW], note=note.strip(),
                          expected_version=expected_version, data={"amount_yuan": yuan(clawback.amount)})


def refund_record(*, actor, clawback_id, received_on, bank_reference, amount):
    """Record money paid back on a confirmed clawback (partial refunds allowed, never more than the clawback);
    it is booked to the fund year's budget as returned funds. The refund that completes the amount settles the
    clawback."""
    require(actor, "aftercare.record_refund")
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
    if received_on is None or received_on > clock.today():
        errors["received_on"] = [_("The date the money arrived cannot be in the future.")]
    if not (bank_reference or "").strip():
        errors["bank_reference"] = [_("Enter the bank reference of the refund.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        clawback = Clawback.objects.select_for_update().select_related("acceptance__commitment").get(
            pk=_clawback(actor, clawback_id).pk)
        if clawback.status != ClawbackStatus.CONFIRMED:
            raise TransitionNotAllowed(_("Refunds are recorded on a decided clawback that is not yet refunded."))
        refunded = clawback.refunds.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        outstanding = clawback.amount - refunded
        if amount > outstanding:
            raise ValidationError({"amount": [_("Only %(outstanding)s yuan is still to be refunded.") % {
                "outstanding": format_yuan(outstanding)}]})
        if clawback.refunds.filter(bank_reference=bank_reference.strip()).exists():
            raise ValidationError({"bank_reference": [_("A refund with this bank reference is already recorded.")]})
        commitment = clawback.acceptance.commitment
        entry = BudgetEntry.objects.create(
            fund_year=commitment.fund_year, kind=BudgetEntry.Kind.RETURNED, amount=amount, date=received_on,
            note=(_("Refund of %(purpose)s, %(reference)s") % {"purpose": commitment.purpose,
                                                                "reference": bank_reference.strip()})[:300],
            created_by=actor)
        refund = Refund.objects.create(clawback=clawback, received_on=received_on, amount=amount,
                                       bank_reference=bank_reference.strip(), budget_entry=entry, recorded_by=actor)
        data = {"amount_yuan": yuan(amount), "refunded_yuan": yuan(refunded + amount),
                "outstanding_yuan": yuan(outstanding - amount), "received_on": received_on.isoformat(),
                "bank_reference": refund.bank_reference}
        audit_record(actor=actor, action="clawback.refund", obj=clawback, data=data)
        if amount == outstanding:
            transition(clawback, ClawbackAction.SETTLE, actor=actor, table=CLAWBACK_TRANSITIONS,
                       audit_action=CLAWBACK_AUDIT[ClawbackAction.SETTLE],
                       data={"amount_yuan": yuan(clawback.amount)})
    return refund


def _clawback(actor, clawback_id):
    try:
        clawback = Clawback.objects.get(pk=clawback_id)
    except Clawback.DoesNotExist:
        raise TransitionNotAllowed() from None
    _acceptance(actor, clawback.acceptance_id)
    return clawback
