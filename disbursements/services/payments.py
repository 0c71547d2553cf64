"""Payments in tranches: prepare (with the payee's bank data copied), cancel, and the paid/failed bookings."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import BankAccountChange, User
from core import clock
from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned
from core.money import format_exact
from core.permissions import require
from core.workflow import TransitionNotAllowed, transition

from ..models import Commitment, Payment, PaymentBatch
from ..selectors import LIVE_ATTEMPT_STATUSES, commitment_totals, waiting_failures
from ..workflow import (
    APPLICATION_TRANSITIONS,
    CONTRACT_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    BatchStatus,
    ContractAction,
    ContractStatus,
    FailureReason,
    PaymentAction,
    PaymentStatus,
    failure_reason_of,
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
    """What is already planned or paid for this commitment (pending, approved, sent and paid tranches)."""
    return commitment_totals(commitment.pk)[0]


def open_failures(commitment):
    """Failed payments of ``commitment`` that wait for a new attempt or their cancellation."""
    return waiting_failures().filter(commitment=commitment)


def check_account_usable(payee, account):
    """Refuse an account a payment already failed on, unless a change of the payee's bank account was verified
    after that failure (the enterprise corrected it and a second person checked it)."""
    failure = Payment.objects.filter(commitment__payee=payee, status=PaymentStatus.FAILED, payee_account=account) \
        .order_by("-failed_at", "-pk").first()
    if failure is None:
        return
    verified = BankAccountChange.objects.filter(organisation=payee, status=BankAccountChange.Status.APPROVED,
                                                decided_at__gt=failure.failed_at).exists()
    if not verified:
        raise ValidationError(
            _("Payment %(reference)s to account %(account)s failed on %(date)s (%(reason)s). Nothing can be paid "
              "into this account again until %(payee)s has corrected its bank account in its company profile and "
              "the county or city bureau has verified the change.") % {
                "reference": failure.reference, "account": account, "date": failure.failed_on.strftime("%Y-%m-%d"),
                "reason": failure.get_failure_code_display(), "payee": payee.name},
            code="failed_account")


def _checked_purpose(purpose):
    # the purpose goes into the bank file too: one line of plain text (project names are typed by enterprises)
    purpose = " ".join(UNPRINTABLE_RE.sub(" ", purpose).split())
    if purpose.startswith(FORMULA_STARTS):
        raise ValidationError(_("The purpose cannot start with = + - or @ (a spreadsheet takes it for a formula)."),
                              code="purpose")
    return purpose[:200]


def _exceeds(amount, already, approved, remaining):
    return ValidationError(
        _("%(amount)s plus the %(already)s already scheduled exceeds the approved amount of %(approved)s; "
          "at most %(remaining)s can still be scheduled.")
        % {"amount": format_exact(amount), "already": format_exact(already),
           "approved": format_exact(approved), "remaining": format_exact(max(remaining, 0))},
        code="exceeds")


def _audit_prepared(actor, payment, action="payment.prepare", retried=None):
    data = {"amount_yuan": str(payment.amount), "tranche": payment.tranche, "attempt": payment.attempt,
            "payee_name": payment.payee_name, "payee_bank": payment.payee_bank,
            "payee_account": payment.payee_account}
    if retried is not None:
        data["retry_of_reference"] = retried.reference
    audit_record(actor=actor, action=action, obj=payment, to_state=payment.status, data=data)


def payment_prepare(*, actor, commitment, amount=None, purpose=""):
    """Prepare the next tranche of ``commitment`` (status pending). ``amount`` None = the whole remainder.

    Refuses negative amounts, more than 2 decimals and any total above the approved amount; nothing is saved
    then. The commitment row is locked, so two preparers cannot over-commit it together. While a failed
    payment of the commitment waits for its new attempt, no new tranche is prepared (``payment_retry``).
    """
    require(actor, "disbursements.prepare_payments")
    with transaction.atomic():
        locked = Commitment.objects.select_for_update(of=("self",)).select_related("payee").get(pk=commitment.pk)
        failed = open_failures(locked).first()
        if failed is not None:
            raise ValidationError(
                _("Payment %(reference)s of this commitment failed at the bank: pay it again as a new attempt "
                  "(“Pay again”) or cancel it before preparing another tranche.") % {"reference": failed.reference},
                code="open_failure")
        already = scheduled_total(locked)
        remaining = locked.approved_amount - already
        if amount is None:
            if remaining <= 0:
                raise ValidationError(_("The approved amount of this commitment is already fully scheduled."),
                                      code="exceeds")
            amount = remaining
        amount = validate_amount(amount)
        if amount > remaining:
            raise _exceeds(amount, already, locked.approved_amount, remaining)
        name, bank, account = payee_bank_data(locked.payee)
        check_account_usable(locked.payee, account)
        purpose = _checked_purpose(purpose or locked.purpose)
        tranche = (locked.payments.aggregate(m=Max("tranche"))["m"] or 0) + 1
        payment = Payment.objects.create(
            commitment=locked, tranche=tranche, reference=f"ZZ{locked.fund_year}-{locked.pk:06d}-{tranche:02d}",
            amount=amount, purpose=purpose, payee_name=name, payee_bank=bank,
            payee_account=account, prepared_by=actor,
        )
        _audit_prepared(actor, payment)
    return payment


def payment_retry(*, actor, payment):
    """A new attempt of a failed payment: same tranche and amount, the payee's bank account as it is now, status
    pending (approved again by a different finance user, like any payment). The failed attempt stays failed.

    Refused when the payment is not failed, when it already has a live new attempt (two preparers at once: the
    commitment lock makes the second wait, then see the first one's attempt), when the amount no longer fits
    the commitment, or when the payee's account is one a payment already failed on and no change of it was
    verified since (``check_account_usable``)."""
    require(actor, "disbursements.prepare_payments")
    with transaction.atomic():
        locked = Commitment.objects.select_for_update(of=("self",)).select_related("payee").get(
            pk=payment.commitment_id)
        failed = Payment.objects.select_for_update().get(pk=payment.pk)
        if failed.status != PaymentStatus.FAILED:
            raise TransitionNotAllowed(_("Only a failed payment can be paid again; %(reference)s is “%(status)s”.")
                                       % {"reference": failed.reference, "status": failed.get_status_display()})
        live = failed.retries.filter(status__in=LIVE_ATTEMPT_STATUSES).first()
        if live is not None:
            raise TransitionNotAllowed(_("Payment %(reference)s is already being paid again as %(retry)s; nothing "
                                         "was changed.") % {"reference": failed.reference, "retry": live.reference})
        already = scheduled_total(locked)
        remaining = locked.approved_amount - already
        if failed.amount > remaining:
            raise _exceeds(failed.amount, already, locked.approved_amount, remaining)
        name, bank, account = payee_bank_data(locked.payee)
        check_account_usable(locked.payee, account)
        attempt = (locked.payments.filter(tranche=failed.tranche).aggregate(m=Max("attempt"))["m"] or 1) + 1
        retry = Payment.objects.create(
            commitment=locked, tranche=failed.tranche, attempt=attempt, retry_of=failed,
            reference=f"ZZ{locked.fund_year}-{locked.pk:06d}-{failed.tranche:02d}-{attempt}",
            amount=failed.amount, purpose=_checked_purpose(failed.purpose), payee_name=name, payee_bank=bank,
            payee_account=account, prepared_by=actor,
        )
        _audit_prepared(actor, retry, action="payment.retry", retried=failed)
    return retry


def payment_cancel(*, actor, payment, reason="", version=None):
    """Cancel a pending (or failed) payment; its amount is free to be scheduled again.

    ``version``: the payment's version on the page (StaleEdit if it changed since). A payment leaving an open
    batch bumps the batch's version too, so an approval opened before the cancellation is refused as stale."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the cancellation."), code="reason")
    with transaction.atomic():
        locked = locked_for_edit(payment, version)
        if locked.status == PaymentStatus.FAILED and locked.retries.filter(status__in=LIVE_ATTEMPT_STATUSES).exists():
            raise TransitionNotAllowed(_("This failed payment is being paid again as a new attempt; it stays on "
                                         "record as failed."))
        batch = locked.batch
        open_batch = batch is not None and batch.status in (BatchStatus.DRAFT, BatchStatus.SUBMITTED)
        updated = transition(locked, PaymentAction.CANCEL, actor=actor, table=PAYMENT_TRANSITIONS, note=reason,
                             data={"amount_yuan": str(locked.amount)},
                             extra_updates={"batch": None} if open_batch else None,
                             audit_action="payment.cancel")
        if open_batch:
            save_versioned(PaymentBatch.objects.select_for_update().get(pk=batch.pk), [])
        if batch is not None and batch.status == BatchStatus.SENT:
            from .batches import close_if_done  # a cancelled failed payment may be the last one open

            close_if_done(batch, actor)
    return updated


def payment_mark_paid(*, actor, payment, paid_on, bank_reference, row=None):
    """Book the bank's confirmation (called by the reconciliation, row lock held by the caller). ``row``: the
    return file's row number."""
    data = {"amount_yuan": str(payment.amount), "paid_on": paid_on.isoformat(), "bank_reference": bank_reference}
    if row is not None:
        data["tech_row"] = row
    updated = transition(payment, PaymentAction.MARK_PAID, actor=actor, table=PAYMENT_TRANSITIONS, data=data,
                         extra_updates={"paid_on": paid_on, "bank_reference": bank_reference},
                         audit_action="payment.mark_paid")
    _after_paid(updated, actor)
    return updated


def payment_mark_failed(*, actor, payment, code=None, reason="", failed_on=None, note="", row=None):
    """Book the bank's refusal (row lock held by the caller): the reason (``FailureReason``; read from the bank's
    text when not given), the bank's text and the date. ``note``: what finance typed when entering it by hand."""
    reason = (reason or "").strip()[:300]
    code = code or failure_reason_of(reason)
    failed_on = failed_on or clock.today()
    data = {"amount_yuan": str(payment.amount), "failure_code": str(code), "failure_reason": reason,
            "failed_on": failed_on.isoformat()}
    if row is not None:
        data["tech_row"] = row
    return transition(payment, PaymentAction.MARK_FAILED, actor=actor, table=PAYMENT_TRANSITIONS, note=note,
                      data=data, audit_action="payment.mark_failed",
                      extra_updates={"failure_code": code, "failure_reason": reason, "failed_on": failed_on,
                                     "failed_at": clock.now()})


def payment_record_failure(*, actor, payment, code, reason="", failed_on=None, version=None):
    """Finance enters a failure the bank reported outside a return file (a call, a letter): a sent payment
    becomes failed with its reason and date."""
    require(actor, "disbursements.prepare_payments")
    if code not in FailureReason.values:
        raise ValidationError(_("Choose the reason for the failure."), code="code")
    if code == FailureReason.OTHER and not (reason or "").strip():
        raise ValidationError(_("Describe the reason for the failure."), code="reason")
    if failed_on is not None and failed_on > timezone.localdate():
        raise ValidationError(_("The date of the failure lies in the future."), code="future")
    with transaction.atomic(durable=True):
        locked = locked_for_edit(payment, version)
        if failed_on is not None and locked.sent_at and failed_on < timezone.localdate(locked.sent_at):
            raise ValidationError(_("The date of the failure is before the payment was sent."), code="before_sent")
        updated = payment_mark_failed(actor=actor, payment=locked, code=code, reason=reason, failed_on=failed_on)
        if updated.batch_id:
            from .batches import close_if_done

            close_if_done(PaymentBatch.objects.get(pk=updated.batch_id), actor)
    return updated


def _after_paid(payment, actor):
    """When the commitment is paid in full, close its source (application or contract). The payee is told by
    the subscriber of ``payment.mark_paid`` (disbursements.notifications)."""
    commitment = Commitment.objects.select_related("application", "contract").get(pk=payment.commitment_id)
    if commitment_totals(commitment.pk)[1] >= commitment.approved_amount:
        application, contract = commitment.application, commitment.contract
        if application is not None and (application.status, "pay") in APPLICATION_TRANSITIONS:
            transition(application, "pay", actor=actor, table=APPLICATION_TRANSITIONS,
                       data={"payment_reference": payment.reference}, audit_action="application.pay")
        if contract is not None and contract.status == ContractStatus.ACCEPTED:
            transition(contract, ContractAction.PAY, actor=actor, table=CONTRACT_TRANSITIONS,
                       data={"payment_reference": payment.reference}, audit_action="diagnosis_contract.pay")


def finance_users(role):
    return User.objects.filter(role=role, is_active=True)


def platform_language():
    """Notifications are written in the platform's language, whatever the actor's UI language."""
    return translation.override(settings.LANGUAGE_CODE)
