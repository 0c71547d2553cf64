"""The only writers of the acceptance: the enterprise's completion report, the county's inspection, the city's
decision. Every step goes through core.workflow.transition (role, state, lock, audit)."""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from applications.services.uploads import (
    CONTENT_TYPES,
    EXTENSIONS,
    UploadRefused,
    check_evidence,
    sanitize_filename,
)
from core import clock
from core.audit import yuan
from core.permissions import require
from core.workflow import TransitionNotAllowed, transition
from disbursements.models import Commitment

from . import rules  # noqa: F401  (registers the permissions the services ask)
from .models import Acceptance, AcceptanceFile, FileStage
from .selectors import completion_due, funded_projects
from .workflow import AUDIT_ACTIONS, REPORTABLE, TRANSITIONS, Action, Recommendation, Status


def _project(actor, commitment_id):
    """The funded project in the actor's scope, its commitment row locked."""
    Commitment.objects.select_for_update().filter(pk=commitment_id).exists()
    try:
        return funded_projects(actor).select_related("application__round").get(pk=commitment_id)
    except Commitment.DoesNotExist:
        raise TransitionNotAllowed(_("This project is not yours to act on.")) from None


def _store_files(acceptance, checked, stage, actor):
    for upload, file_type, digest in checked:
        item = AcceptanceFile(acceptance=acceptance, stage=stage, sha256=digest, size=upload.size,
                              original_name=sanitize_filename(upload.name, file_type),
                              content_type=CONTENT_TYPES[file_type], file_type=file_type, uploaded_by=actor)
        upload.seek(0)
        item.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[file_type]}", File(upload), save=False)
        item.save()


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


__all__ = ["Status", "decide", "inspection_record", "report_submit"]
