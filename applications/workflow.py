"""The application's whole yearly cycle: statuses, the transition table, the stepper and badge colours.

Later issues (expert review, audit, publicity, budget, payment) only add rows to TRANSITIONS: every
status of the cycle is named here already.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.workflow import Distinct


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    DECLINED = "declined", _("Not recommended")
    COUNTY_ACCEPTED = "county_accepted", _("Accepted by the county")
    FORWARDED = "forwarded", _("Forwarded to the city")
    CITY_ACCEPTED = "city_accepted", _("Accepted by the city")
    QUALIFIED = "qualified", _("Qualified")
    DISQUALIFIED = "disqualified", _("Disqualified")
    RE_REVIEW = "re_review", _("Under re-review")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # Later steps of the cycle (reviews, audit, publicity, budget, payment issues add their transitions).
    UNDER_REVIEW = "under_review", _("Under expert review")
    REVIEWED = "reviewed", _("Expert review done")
    AUDITED = "audited", _("Audited")
    IN_PUBLICITY = "in_publicity", _("In publicity")
    PUBLICITY_PASSED = "publicity_passed", _("Publicity passed")
    BUDGET_LISTED = "budget_listed", _("Listed in the budget")
    PAID = "paid", _("Paid")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    WITHDRAW = "withdraw", _("Withdraw")
    ACCEPT = "accept", _("Accept")
    RETURN = "return", _("Return for correction")
    DECLINE = "decline", _("Do not recommend")
    FORWARD = "forward", _("Forward to the city")
    CITY_ACCEPT = "city_accept", _("Accept centrally")
    SEND_BACK = "send_back", _("Send back to the county")
    QUALIFY = "qualify", _("Qualified")
    DISQUALIFY = "disqualify", _("Disqualified")
    REQUEST_RE_REVIEW = "request_re_review", _("Request a re-review")


E, C, CITY = frozenset({Role.ENTERPRISE}), frozenset({Role.COUNTY}), frozenset({Role.CITY})
# The re-review is decided by a city user other than the one who took the first qualification decision.
CITY_OTHER_THAN_FIRST_DECIDER = Distinct(
    CITY, from_actions=("application.qualify", "application.disqualify"),
    message=_("The re-review must be decided by a city user other than the one who took the first decision."))

TRANSITIONS = {
    # (from, action): (to, roles allowed)
    # enterprise
    (Status.DRAFT, Action.SUBMIT): (Status.SUBMITTED, E),
    (Status.RETURNED, Action.SUBMIT): (Status.SUBMITTED, E),
    (Status.DRAFT, Action.WITHDRAW): (Status.WITHDRAWN, E),
    (Status.SUBMITTED, Action.WITHDRAW): (Status.WITHDRAWN, E),
    (Status.RETURNED, Action.WITHDRAW): (Status.WITHDRAWN, E),
    # county intake
    (Status.SUBMITTED, Action.ACCEPT): (Status.COUNTY_ACCEPTED, C),
    (Status.SUBMITTED, Action.RETURN): (Status.RETURNED, C),
    (Status.SUBMITTED, Action.DECLINE): (Status.DECLINED, C),
    (Status.COUNTY_ACCEPTED, Action.RETURN): (Status.RETURNED, C),
    (Status.COUNTY_ACCEPTED, Action.DECLINE): (Status.DECLINED, C),
    (Status.COUNTY_ACCEPTED, Action.FORWARD): (Status.FORWARDED, C),
    # city central acceptance and qualification review (one re-review)
    (Status.FORWARDED, Action.CITY_ACCEPT): (Status.CITY_ACCEPTED, CITY),
    (Status.FORWARDED, Action.SEND_BACK): (Status.COUNTY_ACCEPTED, CITY),
    (Status.CITY_ACCEPTED, Action.QUALIFY): (Status.QUALIFIED, CITY),
    (Status.CITY_ACCEPTED, Action.DISQUALIFY): (Status.DISQUALIFIED, CITY),
    (Status.DISQUALIFIED, Action.REQUEST_RE_REVIEW): (Status.RE_REVIEW, E | CITY),
    (Status.RE_REVIEW, Action.QUALIFY): (Status.QUALIFIED, CITY_OTHER_THAN_FIRST_DECIDER),
    (Status.RE_REVIEW, Action.DISQUALIFY): (Status.DISQUALIFIED, CITY_OTHER_THAN_FIRST_DECIDER),
}

# Actions whose form asks for reasons (required) or an opinion; the services enforce it.
REASON_REQUIRED = frozenset({Action.RETURN, Action.DECLINE, Action.SEND_BACK, Action.DISQUALIFY,
                             Action.REQUEST_RE_REVIEW})
# Styling of each action's button: the one primary action per page is the first "forward" kind.
ACTION_STYLE = {
    Action.SUBMIT: "primary", Action.ACCEPT: "primary", Action.FORWARD: "primary", Action.CITY_ACCEPT: "primary",
    Action.QUALIFY: "success", Action.WITHDRAW: "outline-danger", Action.RETURN: "outline-warning",
    Action.DECLINE: "outline-danger", Action.SEND_BACK: "outline-warning", Action.DISQUALIFY: "outline-danger",
    Action.REQUEST_RE_REVIEW: "outline-primary",
}

# Statuses only the enterprise sees: before its first submission nobody else has it.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# Statuses after which the enterprise may no longer withdraw (the county has accepted it).
OPEN_FOR_COUNTY = frozenset({Status.SUBMITTED, Status.COUNTY_ACCEPTED})

# --- the stepper: 提交 → 县区受理 → 推荐 → 资格审核 → 专家评审 → 审计 → 公示 → 列入预算 → 拨付 ---

STEPS = [
    _("Submission"), _("County intake"), _("Recommendation"), _("Qualification review"), _("Expert review"),
    _("Audit"), _("Publicity"), _("Budget listing"), _("Payment"),
]

# status -> (index of the step it stands at, how that step stands: current | done | failed | attention)
STEP_OF_STATUS = {
    Status.DRAFT: (0, "current"),
    Status.RETURNED: (0, "attention"),
    Status.WITHDRAWN: (0, "failed"),
    Status.SUBMITTED: (1, "current"),
    Status.DECLINED: (1, "failed"),
    Status.COUNTY_ACCEPTED: (2, "current"),
    Status.FORWARDED: (3, "current"),
    Status.CITY_ACCEPTED: (3, "current"),
    Status.RE_REVIEW: (3, "attention"),
    Status.DISQUALIFIED: (3, "failed"),
    Status.QUALIFIED: (4, "current"),
    Status.UNDER_REVIEW: (4, "current"),
    Status.REVIEWED: (5, "current"),
    Status.AUDITED: (6, "current"),
    Status.IN_PUBLICITY: (6, "current"),
    Status.PUBLICITY_PASSED: (7, "current"),
    Status.BUDGET_LISTED: (8, "current"),
    Status.PAID: (8, "done"),
}


def stepper(status):
    """[(label, state)] for every step: done before the current one, then current/failed/attention, then todo."""
    index, state = STEP_OF_STATUS[status]
    return [
        (label, "done" if i < index else state if i == index else "todo")
        for i, label in enumerate(STEPS)
    ]


# One colour per status, used everywhere (CSS classes in static/css/applications.css).
BADGE_CLASS = {status.value: f"st-{status.value.replace('_', '-')}" for status in Status}
