"""Statuses and transition table of a funded project's acceptance (验收).

The enterprise reports the completed project, the county inspects it and recommends, the city decides:
accepted, a rectification with a deadline (back to the enterprise), or a clawback of the award.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.workflow import Distinct

ENTERPRISE = frozenset({Role.ENTERPRISE})
COUNTY = frozenset({Role.COUNTY})
CITY = frozenset({Role.CITY})
REFUND_RECORDERS = frozenset({Role.CITY, Role.FINANCE_PREPARER})


class Status(models.TextChoices):
    OPEN = "open", _("Awaiting the completion report")
    SUBMITTED = "submitted", _("Awaiting the county's inspection")
    INSPECTED = "inspected", _("Awaiting the city's decision")
    RECTIFYING = "rectifying", _("Rectification")
    ACCEPTED = "accepted", _("Accepted")
    CLAWBACK = "clawback", _("Clawback opened")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit the completion report")
    INSPECT = "inspect", _("Record the inspection")
    ACCEPT = "accept", _("Accept the project")
    RECTIFY = "rectify", _("Order a rectification")
    CLAWBACK = "clawback", _("Open a clawback")


class Recommendation(models.TextChoices):
    PASS = "pass", _("Pass")
    RECTIFY = "rectify", _("Rectify")
    FAIL = "fail", _("Fail")


TRANSITIONS = {
    # (from, action): (to, roles allowed)
    (Status.OPEN, Action.SUBMIT): (Status.SUBMITTED, ENTERPRISE),
    (Status.RECTIFYING, Action.SUBMIT): (Status.SUBMITTED, ENTERPRISE),
    (Status.SUBMITTED, Action.INSPECT): (Status.INSPECTED, COUNTY),
    (Status.INSPECTED, Action.ACCEPT): (Status.ACCEPTED, CITY),
    (Status.INSPECTED, Action.RECTIFY): (Status.RECTIFYING, CITY),
    (Status.INSPECTED, Action.CLAWBACK): (Status.CLAWBACK, CITY),
}
# Audit action codes of the moves.
AUDIT_ACTIONS = {action: f"acceptance.{action.value}" for action in Action}
# Statuses in which the enterprise may (re)submit its report.
REPORTABLE = frozenset({Status.OPEN, Status.RECTIFYING})
FINAL = frozenset({Status.ACCEPTED, Status.CLAWBACK})


class ClawbackStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting a second city officer")
    CONFIRMED = "confirmed", _("Decided, awaiting the refund")
    REFUNDED = "refunded", _("Refunded in full")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ClawbackAction(models.TextChoices):
    CONFIRM = "confirm", _("Confirm the clawback")
    WITHDRAW = "withdraw", _("Withdraw the proposal")
    SETTLE = "settle", _("Refunded in full")


CLAWBACK_TRANSITIONS = {
    # four eyes: the officer who proposed the clawback may not confirm it (also a check constraint on the row)
    (ClawbackStatus.PROPOSED, ClawbackAction.CONFIRM): (ClawbackStatus.CONFIRMED, Distinct(
        CITY, from_actions=("clawback.propose",),
        message=_("A clawback is decided by two city officers: a colleague confirms what you proposed."))),
    (ClawbackStatus.PROPOSED, ClawbackAction.WITHDRAW): (ClawbackStatus.WITHDRAWN, CITY),
    # the last refund settles the clawback (recorded by finance or city staff)
    (ClawbackStatus.CONFIRMED, ClawbackAction.SETTLE): (ClawbackStatus.REFUNDED, REFUND_RECORDERS),
}
CLAWBACK_AUDIT = {action: f"clawback.{action.value}" for action in ClawbackAction}
