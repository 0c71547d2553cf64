"""Bank-account changes of an enterprise: requested by its own user, verified by a second person (a county user
of its county or a city user) before the funds are paid into the new account."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_record
from core.locking import save_versioned
from core.permissions import require
from core.workflow import TransitionNotAllowed

from ..models import BankAccountChange, Organisation

Status = BankAccountChange.Status


def _values(change):
    return {f"{prefix}_{name}": getattr(change, f"{prefix}_{name}") for prefix in ("old", "new")
            for name in ("account_name", "bank_name", "account_no")}


def bank_change_request(*, actor, org, account_name, bank_name, account_no):
    """Record a pending change of ``org``'s bank account (call inside the transaction that holds the locked
    organisation). A change still pending is replaced by this newer one. Returns the change, or None when the
    values equal the current account."""
    current = (org.bank_account_name, org.bank_name, org.bank_account_no)
    if (account_name, bank_name, account_no) == current:
        return None
    now = clock.now()
    for older in BankAccountChange.objects.select_for_update().filter(organisation=org, status=Status.PENDING):
        older.status = Status.WITHDRAWN
        older.save(update_fields=["status"])
        audit_record(actor=actor, action="enterprise.bank_change_withdraw", obj=older,
                     from_state=Status.PENDING, to_state=Status.WITHDRAWN)
    change = BankAccountChange.objects.create(
        organisation=org, old_account_name=current[0], old_bank_name=current[1], old_account_no=current[2],
        new_account_name=account_name, new_bank_name=bank_name, new_account_no=account_no,
        requested_by=actor, requested_at=now)
    audit_record(actor=actor, action="enterprise.bank_change_request", obj=change, to_state=change.status,
                 data=_values(change))
    return change


def _decide(actor, change, status, reason, expected_status=Status.PENDING):
    require(actor, "accounts.verify_bank_change", change.organisation)
    try:
        with transaction.atomic(durable=True):
            locked = BankAccountChange.objects.select_for_update().select_related("organisation").get(pk=change.pk)
            if locked.status != expected_status:
                raise TransitionNotAllowed(_("This bank-account change was already decided; nothing was changed."))
            if locked.requested_by_id == actor.pk:
                raise TransitionNotAllowed(_("You requested this change, so a different person must verify it."))
            locked.status, locked.decided_by, locked.decided_at = status, actor, clock.now()
            locked.decision_reason = reason
            locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
            if status == Status.APPROVED:
                org = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
                org.bank_account_name = locked.new_account_name
                org.bank_name = locked.new_bank_name
                org.bank_account_no = locked.new_account_no
                save_versioned(org, ["bank_account_name", "bank_name", "bank_account_no"])
            action = "enterprise.bank_change_approve" if status == Status.APPROVED else "enterprise.bank_change_reject"
            audit_record(actor=actor, action=action, obj=locked, from_state=Status.PENDING, to_state=status,
                         note=reason, data={**_values(locked), "requested_by_user": locked.requested_by_id})
    except IntegrityError:  # the database's four-eyes constraint
        raise TransitionNotAllowed(_("You requested this change, so a different person must verify it."))
    return locked


def bank_change_approve(*, actor, change, reason=""):
    """The verifier checked the new account (e.g. against the bank's account-opening certificate): it takes effect."""
    return _decide(actor, change, Status.APPROVED, reason.strip()[:500])


def bank_change_reject(*, actor, change, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for rejecting the change; the enterprise reads it."), code="reason")
    return _decide(actor, change, Status.REJECTED, reason[:500])
