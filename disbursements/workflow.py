"""Statuses and transition tables of the disbursement workflows (payments, batches, diagnosis contracts).

Every status change goes through ``core.workflow.transition`` with one of these tables: it checks the
table and the actor's role, locks the row, writes the change and the audit row in one transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from applications.workflow import Status as ApplicationStatus

PREPARER = frozenset({Role.FINANCE_PREPARER})
APPROVER = frozenset({Role.FINANCE_APPROVER})
FINANCE = PREPARER | APPROVER
CITY = frozenset({Role.CITY})


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved for payment")
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    SEND = "send", _("Send to the bank")
    MARK_PAID = "mark_paid", _("Mark paid")
    MARK_FAILED = "mark_failed", _("Mark failed")
    CANCEL = "cancel", _("Cancel")


PAYMENT_TRANSITIONS = {
    # (from, action): (to, roles allowed)
    (PaymentStatus.PENDING, PaymentAction.APPROVE): (PaymentStatus.APPROVED, APPROVER),
    (PaymentStatus.APPROVED, PaymentAction.SEND): (PaymentStatus.SENT, PREPARER),
    (PaymentStatus.SENT, PaymentAction.MARK_PAID): (PaymentStatus.PAID, PREPARER),
    (PaymentStatus.SENT, PaymentAction.MARK_FAILED): (PaymentStatus.FAILED, PREPARER),
    (PaymentStatus.PENDING, PaymentAction.CANCEL): (PaymentStatus.CANCELLED, FINANCE),
    (PaymentStatus.FAILED, PaymentAction.CANCEL): (PaymentStatus.CANCELLED, PREPARER),
}

# A failed payment stays failed (its history is kept): the money goes out again only through a new attempt
# (``payment_retry``), prepared and approved like any payment. A failed payment no longer counts against the
# commitment; the commitment takes no new tranche while one of its failures waits for its retry or cancellation.
# Statuses whose amount counts against the commitment.
OPEN_PAYMENT_STATUSES = frozenset({PaymentStatus.PENDING, PaymentStatus.APPROVED, PaymentStatus.SENT})
COUNTED_PAYMENT_STATUSES = OPEN_PAYMENT_STATUSES | {PaymentStatus.PAID}


class FailureReason(models.TextChoices):
    """Why the bank could not pay (the reconciliation file's text is kept next to it)."""

    ACCOUNT_CLOSED = "account_closed", _("Account closed")
    NAME_MISMATCH = "name_mismatch", _("Account name does not match")
    WRONG_ACCOUNT = "wrong_account", _("Wrong account number")
    FROZEN = "frozen", _("Account frozen")
    OTHER = "other", _("Other")


# Words of a bank's failure text that name the reason (checked in this order).
FAILURE_WORDS = (
    (FailureReason.ACCOUNT_CLOSED, ("销户", "注销", "closed")),
    (FailureReason.NAME_MISMATCH, ("户名", "name")),
    (FailureReason.FROZEN, ("冻结", "frozen")),
    (FailureReason.WRONG_ACCOUNT, ("账号", "帐号", "不存在", "account")),
)


def failure_reason_of(text):
    lowered = (text or "").lower()
    for code, words in FAILURE_WORDS:
        if any(word in lowered for word in words):
            return code
    return FailureReason.OTHER


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved for payment")
    SENT = "sent", _("Sent to the bank")
    RECONCILED = "reconciled", _("Reconciled")
    DISCARDED = "discarded", _("Discarded")


class BatchAction(models.TextChoices):
    SUBMIT = "submit", _("Submit for approval")
    RETURN = "return", _("Return to the preparer")
    APPROVE = "approve", _("Approve the batch")
    SEND = "send", _("Send to the bank")
    RECONCILE = "reconcile", _("Reconciled")
    DISCARD = "discard", _("Discard")


BATCH_TRANSITIONS = {
    (BatchStatus.DRAFT, BatchAction.SUBMIT): (BatchStatus.SUBMITTED, PREPARER),
    (BatchStatus.DRAFT, BatchAction.DISCARD): (BatchStatus.DISCARDED, PREPARER),
    (BatchStatus.SUBMITTED, BatchAction.RETURN): (BatchStatus.DRAFT, APPROVER),
    (BatchStatus.SUBMITTED, BatchAction.APPROVE): (BatchStatus.APPROVED, APPROVER),
    (BatchStatus.APPROVED, BatchAction.SEND): (BatchStatus.SENT, PREPARER),
    (BatchStatus.SENT, BatchAction.RECONCILE): (BatchStatus.RECONCILED, PREPARER),
}
BATCH_ACTION_STYLE = {
    BatchAction.SUBMIT: "primary", BatchAction.APPROVE: "success", BatchAction.SEND: "primary",
    BatchAction.RETURN: "outline-warning", BatchAction.DISCARD: "outline-danger",
}
# Actions whose form carries an idempotency key (a replay returns the first result).
IDEMPOTENT_BATCH_ACTIONS = frozenset({BatchAction.APPROVE, BatchAction.SEND})


class ContractStatus(models.TextChoices):
    SIGNED = "signed", _("Contract signed")
    COMPLETED = "completed", _("Diagnoses completed")
    ACCEPTANCE_FAILED = "acceptance_failed", _("Acceptance failed")
    ACCEPTED = "accepted", _("Accepted")
    PAID = "paid", _("Fee paid")


class ContractAction(models.TextChoices):
    COMPLETE = "complete", _("Confirm completion")
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Acceptance failed")
    PAY = "pay", _("Fee paid")


CONTRACT_TRANSITIONS = {
    (ContractStatus.SIGNED, ContractAction.COMPLETE): (ContractStatus.COMPLETED, CITY),
    (ContractStatus.ACCEPTANCE_FAILED, ContractAction.COMPLETE): (ContractStatus.COMPLETED, CITY),
    (ContractStatus.COMPLETED, ContractAction.ACCEPT): (ContractStatus.ACCEPTED, CITY),
    (ContractStatus.COMPLETED, ContractAction.REJECT): (ContractStatus.ACCEPTANCE_FAILED, CITY),
    (ContractStatus.ACCEPTED, ContractAction.PAY): (ContractStatus.PAID, PREPARER),
}

# The application's last step (列入预算 -> 拨付) happens here when its commitment is paid in full.
APPLICATION_TRANSITIONS = {
    (ApplicationStatus.BUDGET_LISTED, "pay"): (ApplicationStatus.PAID, PREPARER),
}
# Application statuses from which the approved support list may create a commitment.
COMMITTABLE_APPLICATION_STATUSES = frozenset({ApplicationStatus.PUBLICITY_PASSED, ApplicationStatus.BUDGET_LISTED})

# One badge colour per status, used on every page (classes in static/css/disbursements.css).
PAYMENT_BADGE = {s.value: f"pay-{s.value}" for s in PaymentStatus}
BATCH_BADGE = {s.value: f"batch-{s.value}" for s in BatchStatus}
CONTRACT_BADGE = {s.value: f"contract-{s.value.replace('_', '-')}" for s in ContractStatus}


BATCH_STEPS = [BatchStatus.DRAFT, BatchStatus.SUBMITTED, BatchStatus.APPROVED, BatchStatus.SENT,
               BatchStatus.RECONCILED]


def batch_stepper(status):
    """[(label, done|current|todo|failed)] for the batch's way: draft -> ... -> reconciled."""
    if status == BatchStatus.DISCARDED:
        return [(BatchStatus.DRAFT.label, "done"), (BatchStatus.DISCARDED.label, "failed")]
    index = BATCH_STEPS.index(status)
    last = index == len(BATCH_STEPS) - 1
    return [(step.label, "done" if i < index or (last and i == index) else "current" if i == index else "todo")
            for i, step in enumerate(BATCH_STEPS)]
