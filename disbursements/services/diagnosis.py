"""The diagnosis-service programme: tender result and contract, target enterprises, reports, completion,
acceptance by city staff, then the provider's fee through the ordinary commitment/payment path."""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from accounts.validators import validate_credit_code
from core.audit import audit_record
from core.locking import check_version, locked_for_edit, save_versioned
from core.permissions import require
from core.workflow import transition

from ..files import check_upload, clean_filename, removed_on_error, sha256_of
from ..models import AcceptanceResult, DiagnosisContract, DiagnosisProgramme, DiagnosisTarget, TenderResult
from ..models.diagnosis import default_deadlines
from ..workflow import CONTRACT_TRANSITIONS, ContractAction, ContractStatus
from .commitments import commitment_create_for_contract
from .common import validate_amount

REPORT_TYPES = {"pdf", "docx"}
OPEN_FOR_REPORTS = (ContractStatus.SIGNED, ContractStatus.ACCEPTANCE_FAILED)


def _city(actor):
    require(actor, "disbursements.run_diagnosis",
            message=_("Only city bureau staff run the diagnosis-service programme."))


def programme_create(*, actor, year, title=""):
    _city(actor)
    if DiagnosisProgramme.objects.filter(year=year).exists():
        raise ValidationError(_("The programme of %(year)s already exists.") % {"year": year}, code="exists")
    if not title:
        with translation.override(settings.LANGUAGE_CODE):
            title = _("%(year)s intelligent-manufacturing diagnosis service") % {"year": year}
    try:
        with transaction.atomic():
            programme = DiagnosisProgramme.objects.create(
                year=year, title=title,
                created_by=actor, **default_deadlines(year))
            audit_record(actor=actor, action="diagnosis.programme_create", obj=programme)
    except IntegrityError:  # a colleague created it at the same moment
        raise ValidationError(_("The programme of %(year)s already exists.") % {"year": year}, code="exists")
    return programme


def provider_create(*, actor, name, credit_code, bank_account_name="", bank_name="", bank_account_no=""):
    """A solution provider (系统解决方案供应商) organisation; providers do not log in."""
    _city(actor)
    credit_code = credit_code.strip().upper()
    validate_credit_code(credit_code)
    if Organisation.objects.filter(credit_code=credit_code).exists():
        raise ValidationError(_("An organisation with this credit code already exists."), code="exists")
    try:
        provider = _provider_create(actor, name, credit_code, bank_account_name, bank_name, bank_account_no)
    except IntegrityError:  # a colleague recorded it at the same moment
        raise ValidationError(_("An organisation with this credit code already exists."), code="exists")
    return provider


def _provider_create(actor, name, credit_code, bank_account_name, bank_name, bank_account_no):
    with transaction.atomic():
        provider = Organisation.objects.create(
            kind=OrganisationKind.SOLUTION_PROVIDER, name=name.strip(), credit_code=credit_code,
            bank_account_name=bank_account_name.strip() or name.strip(), bank_name=bank_name.strip(),
            bank_account_no=bank_account_no.strip())
        audit_record(actor=actor, action="diagnosis.provider_create", obj=provider)
    return provider


def tender_record_for(*, actor, programme, provider=None, new_provider=None, **tender):
    """The tender page's save: the tender with the chosen ``provider``, or with a provider recorded now from the
    plain values ``new_provider`` (name, credit_code, bank_name, bank_account_no). One transaction: a refused
    tender leaves no new provider behind."""
    with transaction.atomic():
        if provider is None:
            provider = provider_create(actor=actor, **(new_provider or {}))
        return tender_record(actor=actor, programme=programme, provider=provider, **tender)


def tender_record(*, actor, programme, provider, tender_date, contract_amount, notice_no="", notes="",
                  contract_no="", signed_on=None, version=None):
    """Record the tender result and the contract signed with the winning provider.

    ``version``: the programme's version on the page the tender was typed on; a tender recorded meanwhile
    (which bumps it) makes this one stale: StaleEdit, nothing recorded (no duplicate contract, no double fee)."""
    _city(actor)
    if provider.kind != OrganisationKind.SOLUTION_PROVIDER:
        raise ValidationError(_("The winner must be a solution provider."), code="provider")
    amount = validate_amount(contract_amount)
    if tender_date.year != programme.year:
        raise ValidationError(_("The tender date must lie in %(year)s.") % {"year": programme.year}, code="year")
    with transaction.atomic():
        programme = locked_for_edit(programme, version)
        save_versioned(programme, [])
        tender = TenderResult.objects.create(programme=programme, provider=provider, tender_date=tender_date,
                                             contract_amount=amount, notice_no=notice_no, notes=notes,
                                             recorded_by=actor)
        contract = DiagnosisContract.objects.create(programme=programme, tender=tender, provider=provider,
                                                    contract_no=contract_no, amount=amount,
                                                    signed_on=signed_on or tender_date)
        audit_record(actor=actor, action="diagnosis.tender_record", obj=contract, to_state=contract.status,
                     note=notes, data={"provider": provider.name, "amount_yuan": str(amount),
                                       "tender_date": tender_date.isoformat()})
    return contract


def target_add(*, actor, contract, enterprise, selected_on=None):
    """Choose an enterprise for diagnosis (January-February; later choices show as late on the timeline)."""
    _city(actor)
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError(_("Only enterprises can be diagnosed."), code="kind")
    if contract.status not in OPEN_FOR_REPORTS:
        raise ValidationError(_("Targets can only be added while the diagnoses are under way."), code="closed")
    if DiagnosisTarget.objects.filter(contract__programme=contract.programme_id, enterprise=enterprise).exists():
        raise ValidationError(_("%(name)s is already a target of this year's programme.") % {"name": enterprise.name},
                              code="duplicate")
    try:
        with transaction.atomic():
            target = DiagnosisTarget.objects.create(contract=contract, enterprise=enterprise,
                                                    selected_on=selected_on or timezone.localdate(),
                                                    selected_by=actor)
            audit_record(actor=actor, action="diagnosis.target_add", obj=target)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already a target of this year's programme.") % {"name": enterprise.name},
                              code="duplicate")
    return target


def report_upload(*, actor, target, upload, received_on=None, version=None):
    """The provider's diagnosis report for one enterprise (PDF or DOCX by content), uploaded by city staff.

    ``version``: the target's version on the page; a report uploaded meanwhile makes this upload stale
    (StaleEdit: the colleague's report stays, nothing is stored)."""
    _city(actor)
    contract = target.contract
    if contract.status not in OPEN_FOR_REPORTS:
        raise ValidationError(_("Reports can only be changed while the diagnoses are under way."), code="closed")
    kind = check_upload(upload, allowed=REPORT_TYPES, max_bytes=settings.UPLOAD_MAX_BYTES)
    digest = sha256_of(upload)
    with removed_on_error() as stored, transaction.atomic():
        locked = DiagnosisTarget.objects.select_for_update(of=("self",)).select_related("contract__programme").get(
            pk=target.pk)
        check_version(locked, version)
        replaced = locked.report_sha256
        locked.report_type = kind
        locked.report.save("report", upload, save=False)
        stored.append(locked.report)
        locked.version += 1
        locked.report_name = clean_filename(upload.name, kind)
        locked.report_size = upload.size
        locked.report_sha256 = digest
        locked.report_on = received_on or timezone.localdate()
        locked.report_by = actor
        locked.save()
        audit_record(actor=actor, action="diagnosis.report_upload", obj=locked,
                     data={"file_name": locked.report_name, "tech_sha256": digest,
                           "tech_replaced_sha256": replaced or ""})
    return locked


def contract_complete(*, actor, contract, completed_on=None, version=None):
    """Confirm that all diagnoses of the contract are done (every target has its report).

    ``version``: the contract's version on the page (StaleEdit if it changed since)."""
    targets = contract.targets.all()
    if not targets.exists():
        raise ValidationError(_("Choose the target enterprises first."), code="no_targets")
    missing = targets.filter(report="").count()
    if missing:
        raise ValidationError(_("%(n)s diagnosis reports are still missing.") % {"n": missing}, code="missing")
    with transaction.atomic():
        locked = locked_for_edit(contract, version)
        return transition(locked, ContractAction.COMPLETE, actor=actor, table=CONTRACT_TRANSITIONS,
                          extra_updates={"completed_on": completed_on or timezone.localdate()},
                          audit_action="diagnosis_contract.complete")


def contract_accept(*, actor, contract, result, notes, accepted_on=None, version=None):
    """Acceptance (验收) by city staff. Passed: the fee becomes a commitment, paid like any award.

    ``version``: the contract's version on the page: an acceptance typed before a colleague recorded one (or
    before the contract moved on) is refused with StaleEdit and overwrites nothing."""
    if result not in AcceptanceResult.values:
        raise ValidationError(_("Choose the acceptance result."), code="result")
    if not notes.strip():
        raise ValidationError(_("Write the acceptance notes."), code="notes")
    day = accepted_on or timezone.localdate()
    action = ContractAction.ACCEPT if result == AcceptanceResult.PASSED else ContractAction.REJECT
    with transaction.atomic():
        contract = locked_for_edit(contract, version)
        updated = transition(contract, action, actor=actor, table=CONTRACT_TRANSITIONS, note=notes,
                             extra_updates={"accepted_on": day, "acceptance_result": result,
                                            "acceptance_notes": notes, "accepted_by": actor},
                             audit_action=f"diagnosis_contract.{action}")
        if result == AcceptanceResult.PASSED:
            approved_at = timezone.make_aware(datetime.combine(day, time(12))) if accepted_on else timezone.now()
            commitment_create_for_contract(actor=actor, contract=updated, approved_at=approved_at)
    return updated
