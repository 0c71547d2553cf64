"""Commitments: the approved, payable amount per approved application or diagnosis-service contract."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.money import format_exact
from core.permissions import require
from core.workdays import add_working_days
from core.workflow import TransitionNotAllowed

from ..models import Commitment, PaymentRule
from ..workflow import COMMITTABLE_APPLICATION_STATUSES
from .common import validate_amount

# Who may record the approved support list as commitments (finance approves it; the city runs it).


def default_due_days():
    return int(getattr(settings, "DISBURSEMENT_DEFAULT_DUE_DAYS", 60))


def due_date_for(fund_year, approved_at, rule=None):
    """The payment due date: N calendar or working days after the budget approval (per-year PaymentRule)."""
    rule = rule if rule is not None else PaymentRule.objects.filter(fund_year=fund_year).first()
    day = timezone.localdate(approved_at) if hasattr(approved_at, "hour") else approved_at
    if rule is None:
        return day + timedelta(days=default_due_days())
    if rule.basis == PaymentRule.Basis.WORKING:
        return add_working_days(day, rule.days)
    return day + timedelta(days=rule.days)


def _create(*, actor, source_field, source, payee, county, purpose, amount, fund_year, approved_at):
    if timezone.is_naive(approved_at):
        raise ValidationError(_("The approval time must carry a time zone."), code="naive")
    values = {
        "payee": payee, "county": county, "purpose": purpose[:200], "approved_amount": amount,
        "fund_year": fund_year, "approved_at": approved_at, "approved_by": actor,
        "due_date": due_date_for(fund_year, approved_at),
    }

    def existing_or_error():
        existing = Commitment.objects.get(**{source_field: source})
        if existing.approved_amount != amount:
            raise ValidationError(
                _("A commitment of %(old)s already exists for this item; it was not changed to %(new)s.")
                % {"old": format_exact(existing.approved_amount), "new": format_exact(amount)}, code="exists")
        return existing

    with transaction.atomic():
        if Commitment.objects.filter(**{source_field: source}).exists():
            return existing_or_error()
        try:
            with transaction.atomic():
                commitment = Commitment.objects.create(**{source_field: source}, **values)
        except IntegrityError:  # a concurrent call created it first
            return existing_or_error()
        audit_record(actor=actor, action="commitment.create", obj=commitment,
                     data={"purpose": purpose[:100], "amount_yuan": str(commitment.approved_amount),
                           "due_date": commitment.due_date.isoformat()})
    return commitment


def commitment_create_for_application(*, actor, application, amount, approved_at):
    """Record the approved, payable amount of one approved application (called when finance approves the
    support list). Idempotent per application: the same call again returns the same commitment; a different
    amount for an existing commitment raises ValidationError and changes nothing.

    ``amount``: Decimal yuan (> 0, at most 2 places); ``approved_at``: aware datetime of the budget approval,
    from which the due date is computed with the year's PaymentRule.
    """
    require(actor, "disbursements.commit_funds")
    amount = validate_amount(amount)
    if application.status not in COMMITTABLE_APPLICATION_STATUSES:
        raise TransitionNotAllowed(
            _("Only applications that passed publicity or are listed in the budget can be committed."))
    with translation.override(settings.LANGUAGE_CODE):  # stored text (bank file purpose): platform language
        purpose = _("%(year)s manufacturing fund award: %(project)s") % {
            "year": application.round.year, "project": application.project_name}
    return _create(actor=actor, source_field="application", source=application, payee=application.enterprise,
                   county=application.county, purpose=purpose, amount=amount, fund_year=application.round.year,
                   approved_at=approved_at)


def commitment_create_for_contract(*, actor, contract, approved_at=None):
    """The provider's fee after a passed acceptance: the contract amount, payable through the payment path."""
    require(actor, "disbursements.commit_contract_fee")
    with translation.override(settings.LANGUAGE_CODE):
        purpose = _("%(year)s intelligent-manufacturing diagnosis service fee") % {"year": contract.programme.year}
    return _create(actor=actor, source_field="contract", source=contract, payee=contract.provider,
                   county=None, purpose=purpose, amount=validate_amount(contract.amount),
                   fund_year=contract.programme.year, approved_at=approved_at or timezone.now())
