"""Statuses and transition table of the follow-up reports (绩效跟踪) of a funded project.

For a call's ``followup_years`` years after the year of its first payment, the funded enterprise reports a few
results of each year (revenue, taxes, jobs, energy use, output of the funded line) by 31 March of the next year;
the county verifies the figures or returns the report with a reason, and the enterprise submits it again.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import COUNTY, ENTERPRISE

# A report on year Y is due on this day (month, day) of year Y + 1: the one place that says so.
DUE_MONTH_DAY = (3, 31)
# A figure that moves by more than this fraction from the previous report needs the enterprise's explanation.
EXPLAIN_ABOVE = Decimal("0.5")


def due_date(year):
    """The deadline of the report on ``year``."""
    return datetime.date(year + 1, *DUE_MONTH_DAY)


class FollowupStatus(models.TextChoices):
    DUE = "due", _("Awaiting the enterprise's report")
    SUBMITTED = "submitted", _("Awaiting the county's verification")
    RETURNED = "returned", _("Returned for correction")
    VERIFIED = "verified", _("Verified by the county")


class FollowupAction(models.TextChoices):
    SUBMIT = "submit", _("Submit the follow-up report")
    VERIFY = "verify", _("Verify the figures")
    RETURN = "return", _("Return for correction")


FOLLOWUP_TRANSITIONS = {
    # (from, action): (to, roles allowed)
    (FollowupStatus.DUE, FollowupAction.SUBMIT): (FollowupStatus.SUBMITTED, ENTERPRISE),
    (FollowupStatus.RETURNED, FollowupAction.SUBMIT): (FollowupStatus.SUBMITTED, ENTERPRISE),
    (FollowupStatus.SUBMITTED, FollowupAction.VERIFY): (FollowupStatus.VERIFIED, COUNTY),
    (FollowupStatus.SUBMITTED, FollowupAction.RETURN): (FollowupStatus.RETURNED, COUNTY),
}
FOLLOWUP_AUDIT = {action: f"followup.{action.value}" for action in FollowupAction}
# Statuses in which the enterprise still has to (re)submit: past the deadline they are overdue.
OPEN = frozenset({FollowupStatus.DUE, FollowupStatus.RETURNED})
