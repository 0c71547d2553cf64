"""Payments in tranches: prepare (with the payee's bank data copied), cancel, and the paid/failed bookings."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned
from core.money import format_exact, format_wan
from core.notifications import notify
from core.permissions import require
from core.workflow import transition

from ..models import Commitment, Payment, PaymentBatch
from ..selectors import commitment_totals
from ..workflow import (
    APPLICATION_TRANSITIONS,
    CONTRACT_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    BatchStatus,
    ContractAction,
    ContractStatus,
    PaymentAction,
)
from .common import validate_amount

ACCOUNT_RE = re.compile(r"\d{8,32}")
# What a bank file cannot carry: line breaks, tabs and other control characters, bidirectional overrides and
# zero-width characters (they make a name look like another), and a leading = + - @ (a formula in a spreadsheet).
UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
FORMULA_STARTS = ("=", "+", "-", "@")


def bank_text_problem(value):
    """Why ``value`` cannot go into a bank file as it is, or None."""
    if UNPRINTABLE_RE.search(value):
        return _("it contains line breaks, tabs or invisible control characters")
    if value.startswith(FORMULA_STARTS):
        return _("it starts with = + - or @, which a spreadsheet takes for a formula")
    return None


def normalise_account(value):
    return re.sub(r"[\s-]", "", str(value or ""))


def payee_bank_data(organisation):
    """(name, bank, account) from the payee's profile; ValidationError when incomplete or malformed."""
    name = (organisation.bank_account_name or organisation.name or "").strip()
    bank = (organisation.bank_name or "").strip()
    account = normalise_account(organisation.bank_account_no)
    if not (name and bank and account):
        raise ValidationError(
            _("%(payee)s has no complete bank account (account name, bank, account number) in its profile. "
              "Ask it to complete the profile first.") % {"payee": organisation.name}, code="no_bank")
    for label, value in ((_("account name"), name), (_("bank"), bank)):
        problem = bank_text_problem(value)
        if problem:
            raise ValidationError(
                _("The %(field)s in the profile of %(payee)s cannot be put into a bank file: %(problem)s. Ask it "
                  "to correct the profile first.") % {"field": label, "payee": organisation.name, "problem": problem},
                code="bad_bank_text")
    if not ACCOUNT_RE.fullmatch(account):
        raise ValidationError(
            _("The bank account number of %(payee)s must be 8 to 32 digits; the profile holds “%(account)s”.")
            % {"payee": organisation.name, "account": organisation.bank_account_no}, code="bad_account")
    return name, bank, account


def scheduled_total(commitment):
    """What is already planned or paid for this commitment (all tranches except cancelled ones)."""
    return commitment_totals(commitment.pk)[0]


def payment_prepare(*, actor, commitment, amount=None, purpose=""):
    """Prepare the next tranche of ``commitment`` (status pending). ``amount`` None = the whole remainder.

    Refuses negative amounts, more than 2 decimals and any total above the approved amount; nothing is saved
    then. The commitment row is locked, so two preparers cannot over-commit it together.
    """
    require(actor, "disbursements.prepare_payments")
    with transaction.atomic():
        locked = Commitment.objects.select_for_update(of=("self",)).select_related("payee").get(pk=commitment.pk)
        already = scheduled_total(locked)
        remaining = locked.approved_amount - already
        if amount is None:
            if remaining <= 0:
                raise ValidationError(_("The approved amount of this commitment is already fully scheduled."),
                                      code="exceeds")
            amount = remaining
        amount = validate_amount(amount)
        if amount > remaining:
            raise ValidationError(
                _("%(amount)s plus the %(already)s already scheduled exceeds the approved amount of %(approved)s; "
                  "at most %(remaining)s can still be scheduled.")
                % {"amount": format_exact(amount), "already": format_exact(already),
                   "approved": format_exact(locked.approved_amount), "remaining": format_exact(max(remaining, 0))},
                code="exceeds")
        name, bank, account = payee_bank_data(locked.payee)
        # the purpose goes into the bank file too: one line of plain text (project names are typed by enterprises)
        purpose = " ".join(UNPRINTABLE_RE.sub(" ", purpose or locked.purpose).split())
        if purpose.startswith(FORMULA_STARTS):
            raise ValidationError(_("The purpose cannot start with = + - or @ (a spreadsheet takes it for a formula)."),
                                  code="purpose")
        tranche = (locked.payments.aggregate(m=Max("tranche"))["m"] or 0) + 1
        payment = Payment.objects.create(
            commitment=locked, tranche=tranche, reference=f"ZZ{locked.fund_year}-{locked.pk:06d}-{tranche:02d}",
            amount=amount, purpose=purpose[:200], payee_name=name, payee_bank=bank,
            payee_account=account, prepared_by=actor,
        )
        audit_record(actor=actor, action="payment.prepare", obj=payment, to_state=payment.status,
                     note=f"{amount} yuan to {name} {bank} {account}")
    return payment


def payment_cancel(*, actor, payment, reason="", version=None):
    """Cancel a pending (or failed) payment; its amount is free to be scheduled again.

    ``version``: the payment's version on the page (StaleEdit if it changed since). A payment leaving an open
    batch bumps the batch's version too, so an approval opened before the cancellation is refused as stale."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the cancellation."), code="reason")
    with transaction.atomic():
        locked = locked_for_edit(payment, version)
        batch = locked.batch
        open_batch = batch is not None and batch.status in (BatchStatus.DRAFT, BatchStatus.SUBMITTED)
        updated = transition(locked, PaymentAction.CANCEL, actor=actor, table=PAYMENT_TRANSITIONS, note=reason,
                             extra_updates={"batch": None} if open_batch else None,
                             audit_action="payment.cancel")
        if open_batch:
            save_versioned(PaymentBatch.objects.select_for_update().get(pk=batch.pk), [])
        if batch is not None and batch.status == BatchStatus.SENT:
            from .batches import close_if_done  # a cancelled failed payment may be the last one open

            close_if_done(batch, actor)
    return updated


def payment_mark_paid(*, actor, payment, paid_on, bank_reference, note=""):
    """Book the bank's confirmation (called by the reconciliation, row lock held by the caller)."""
    updated = transition(payment, PaymentAction.MARK_PAID, actor=actor, table=PAYMENT_TRANSITIONS, note=note,
                         extra_updates={"paid_on": paid_on, "bank_reference": bank_reference, "failure_reason": ""},
                         audit_action="payment.mark_paid")
    _after_paid(updated, actor)
    return updated


def payment_mark_failed(*, actor, payment, reason):
    return transition(payment, PaymentAction.MARK_FAILED, actor=actor, table=PAYMENT_TRANSITIONS, note=reason,
                      extra_updates={"failure_reason": reason[:300]}, audit_action="payment.mark_failed")


def _after_paid(payment, actor):
    """Tell the payee; when the commitment is paid in full, close its source (application or contract)."""
    commitment = Commitment.objects.select_related("application", "contract").get(pk=payment.commitment_id)
    if commitment_totals(commitment.pk)[1] >= commitment.approved_amount:
        application, contract = commitment.application, commitment.contract
        if application is not None and (application.status, "pay") in APPLICATION_TRANSITIONS:
            transition(application, "pay", actor=actor, table=APPLICATION_TRANSITIONS,
                       note=payment.reference, audit_action="application.pay")
        if contract is not None and contract.status == ContractStatus.ACCEPTED:
            transition(contract, ContractAction.PAY, actor=actor, table=CONTRACT_TRANSITIONS,
                       note=payment.reference, audit_action="diagnosis_contract.pay")
    recipients = User.objects.filter(organisation_id=commitment.payee_id, is_active=True, role=Role.ENTERPRISE)
    with platform_language():
        _notify_paid(recipients, payment)


def _notify_paid(recipients, payment):
    notify(
        list(recipients),
        subject=_("Funds paid: %(amount)s (%(reference)s)") % {"amount": format_wan(payment.amount, unit=True),
                                                              "reference": payment.reference},
        body=_("%(purpose)s, tranche %(tranche)s: %(amount)s was paid on %(date)s to account %(account)s. "
               "Bank reference %(bank_ref)s.") % {
            "purpose": payment.purpose, "tranche": payment.tranche, "amount": format_exact(payment.amount),
            "date": payment.paid_on.strftime("%Y-%m-%d"), "account": payment.payee_account,
            "bank_ref": payment.bank_reference},
        link=reverse("disbursements:my_funds"),
    )


def finance_users(role):
    return User.objects.filter(role=role, is_active=True)


def platform_language():
    """Notifications are written in the platform's language, whatever the actor's UI language."""
    return translation.override(settings.LANGUAGE_CODE)
