"""The third-party audit (审定): city staff give applications to an audit firm; its auditors enter the audited
figures with the report (PDF, checked by content) and submit; the award is recomputed from the audited figures."""

import unicodedata
import uuid
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from applications.models import Application, FileType
from applications.services.uploads import UploadRefused, detect_type, sanitize_filename, sha256_of
from applications.workflow import Status as AppStatus
from core import clock
from core.audit import audit_record, yuan
from core.locking import check_version
from core.permissions import require
from core.workflow import transition

from ..awards import compute_award
from ..models import Audit, AwardProposal
from ..workflow import AUDIT_TRANSITIONS, AppAction, AuditStatus
from .common import ReviewError, move_application

REPORT_MAX_BYTES = 20 * 1024 * 1024


def audit_assign(*, actor, applications, firm):
    """Give reviewed applications to an audit firm (or move a not yet submitted audit to another firm)."""
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff assign audits."))
    if firm.kind != OrganisationKind.AUDITOR or not firm.is_active:
        raise ReviewError(_("Choose an active third-party audit firm."), code="firm")
    given = []
    with transaction.atomic():
        for application in Application.objects.select_for_update().filter(pk__in=[a.pk for a in applications]):
            if application.status != AppStatus.REVIEWED:
                raise ReviewError(_("%(receipt)s is not waiting for an audit.") % {"receipt": application.receipt_no},
                                  code="status")
            if not AwardProposal.objects.filter(application=application).exists():
                raise ReviewError(_("%(receipt)s has no award proposal (its category has no award rule).")
                                  % {"receipt": application.receipt_no}, code="no_proposal")
            audit, created = Audit.objects.get_or_create(application=application,
                                                         defaults={"firm": firm, "assigned_by": actor})
            if not created:
                if audit.status != AuditStatus.ASSIGNED:
                    raise ReviewError(_("The audit of %(receipt)s is already submitted.")
                                      % {"receipt": application.receipt_no}, code="submitted")
                previous = audit.firm
                audit.firm, audit.assigned_by = firm, actor
                audit.version += 1
                audit.save(update_fields=["firm", "assigned_by", "version", "updated_at"])
                # names go into the note: from/to states are short columns (64 characters)
                audit_record(actor=actor, action="audit.reassigned", obj=audit, to_state=audit.status,
                             data={"previous_firm": previous.name, "firm": firm.name})
            else:
                audit_record(actor=actor, action="audit.assigned", obj=audit, to_state=audit.status,
                             data={"firm": firm.name})
            given.append(audit)
    return given


def check_report_name(name):
    """Refuse a name that hides what the file is: path parts, control or direction characters (U+202E ...), or
    an extension other than .pdf. (Browsers send a bare name; such a name comes from a crafted request.)"""
    name = str(name or "")
    hidden = [ch for ch in name if unicodedata.category(ch).startswith("C")]
    if hidden or "/" in name or "\\" in name or name.startswith("."):
        raise ReviewError({"report": _("The file name contains path parts or invisible control characters. "
                                       "Rename the file (for example 审计报告.pdf) and upload it again.")},
                          code="name")
    if not name.lower().endswith(".pdf"):
        raise ReviewError({"report": _("The file name must end in .pdf. Rename the file and upload it again.")},
                          code="name")


def check_report(upload):
    """The audit report must be a PDF by its content, not empty, within the size limit, with a plain name."""
    check_report_name(upload.name)
    size = upload.size or 0
    if size == 0:
        raise ReviewError({"report": _("The file is empty.")}, code="empty")
    if size > REPORT_MAX_BYTES:
        raise ReviewError({"report": _("The report may be at most 20 MB.")}, code="too_big")
    try:
        file_type, what = detect_type(upload)
    except UploadRefused as exc:  # a zip bomb inside a Word or Excel file
        raise ReviewError({"report": exc.messages}, code=exc.code) from None
    if file_type != FileType.PDF:
        raise ReviewError({"report": _("The report must be a PDF; this file is %(what)s by its content.")
                           % {"what": what or dict(FileType.choices).get(file_type, file_type)}}, code="type")


def _check_auditor(actor, audit):
    require(actor, "reviews.enter_audit", audit, message=_("This audit is given to another firm."))
    if audit.status != AuditStatus.ASSIGNED:
        raise ReviewError(_("This audit is submitted and can no longer change."), code="submitted")


def audit_save(*, actor, audit, audited_investment=None, audited_amount=None, opinion="", report=None,
               expected_version=None):
    """The auditor enters (or corrects) the figures and attaches the report; nothing is final until submit.

    The firm's auditors share the record: a save based on a version another auditor has changed since is
    refused (StaleEdit). The report is checked before anything is written."""
    with transaction.atomic():
        audit = Audit.objects.select_for_update().select_related("application__round").get(pk=audit.pk)
        _check_auditor(actor, audit)
        check_version(audit, expected_version)
        if report is not None:
            check_report(report)
        for name, value in (("audited_investment", audited_investment), ("audited_amount", audited_amount)):
            if value is not None and Decimal(value) < 0:
                raise ReviewError({name: _("The figure cannot be negative.")}, code="negative")
        audit.audited_investment = audited_investment
        audit.audited_amount = audited_amount
        audit.opinion = (opinion or "").strip()
        if report is not None:
            audit.report_sha256 = sha256_of(report)
            audit.report_name = sanitize_filename(report.name, FileType.PDF)
            audit.report_size = report.size
            report.seek(0)
            audit.report.save(f"{uuid.uuid4().hex}.pdf", File(report), save=False)
        audit.entered_by = actor
        audit.version += 1
        audit.save()
        audit_record(actor=actor, action="audit.saved", obj=audit,
                     data={"audited_investment_yuan": yuan(audit.audited_investment),
                           "audited_amount_yuan": yuan(audit.audited_amount),
                           **({"tech_report_sha256": audit.report_sha256} if report is not None else {})})
    return audit


def audit_problems(audit):
    problems = []
    if audit.audited_investment is None:
        problems.append(_("Enter the audited investment."))
    if audit.audited_amount is None:
        problems.append(_("Enter the audited amount."))
    if not audit.report:
        problems.append(_("Attach the audit report (PDF)."))
    return problems


def audit_submit(*, actor, audit):
    """Submit the audit: the application becomes audited and its award is recomputed from the audited figures."""
    audit = Audit.objects.select_related("application").get(pk=audit.pk)
    _check_auditor(actor, audit)
    problems = audit_problems(audit)
    if problems:
        raise ReviewError(problems, code="incomplete")
    with transaction.atomic():
        audit = transition(audit, "submit", actor=actor, table=AUDIT_TRANSITIONS,
                           extra_updates={"entered_by": actor, "entered_at": clock.now()},
                           audit_action="audit.submit")
        proposal = AwardProposal.objects.select_for_update().get(application_id=audit.application_id)
        recomputed = compute_award(base=audit.audited_investment, rate=proposal.rule_rate, cap=proposal.rule_cap)
        proposal.audited_base_amount = audit.audited_investment
        proposal.audited_computed_amount = recomputed.amount
        proposal.auditor_amount = audit.audited_amount
        proposal.scaled_amount = proposal.scaling_budget = None  # scaling was based on the unaudited figures
        proposal.scaling_scope = ""
        proposal.version += 1
        proposal.save()
        application = Application.objects.get(pk=audit.application_id)
        move_application(application, AppAction.SUBMIT_AUDIT, actor=actor,
                         data={"audited_investment_yuan": yuan(audit.audited_investment),
                               "audited_amount_yuan": yuan(audit.audited_amount),
                               "recomputed_award_yuan": yuan(recomputed.amount)})
    return audit


def auditor_firms():
    return Organisation.objects.filter(kind=OrganisationKind.AUDITOR, is_active=True).order_by("name")
