"""Statuses and transition tables of the review stage.

``REVIEW_TRANSITIONS`` are the application's own rows for the steps after qualification (expert review,
audit, publicity, budget listing); they belong to the application's single workflow and are merged with
``applications.workflow.TRANSITIONS`` into ``APPLICATION_TABLE``. The review stage's own records (panel,
assignment, score, audit, publicity, objection, support list) each have a Status and a table here.
Every change goes through ``core.workflow.transition``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from applications.workflow import TRANSITIONS as APPLICATION_TRANSITIONS
from applications.workflow import Status as AppStatus

CITY = frozenset({Role.CITY})
EXPERT = frozenset({Role.EXPERT})
AUDITOR = frozenset({Role.AUDITOR})
FIN_APPROVER = frozenset({Role.FINANCE_APPROVER})


class AppAction(models.TextChoices):
    START_REVIEW = "start_review", _("Start the expert review")
    CLOSE_REVIEW = "close_review", _("Close the expert review")
    NOT_SELECTED = "disqualify", _("Not supported")
    SUBMIT_AUDIT = "submit_audit", _("Submit the audit")
    PUBLISH = "publish", _("Publish for publicity")
    PASS_PUBLICITY = "pass_publicity", _("Publicity passed")
    BUDGET_LIST = "budget_list", _("List in the budget")


REVIEW_TRANSITIONS = {
    # (from, action): (to, roles allowed)
    (AppStatus.QUALIFIED, AppAction.START_REVIEW): (AppStatus.UNDER_REVIEW, CITY),
    (AppStatus.UNDER_REVIEW, AppAction.CLOSE_REVIEW): (AppStatus.REVIEWED, CITY),
    # not selected after the review (reason required)
    (AppStatus.REVIEWED, AppAction.NOT_SELECTED): (AppStatus.DISQUALIFIED, CITY),
    (AppStatus.REVIEWED, AppAction.SUBMIT_AUDIT): (AppStatus.AUDITED, AUDITOR),
    (AppStatus.AUDITED, AppAction.PUBLISH): (AppStatus.IN_PUBLICITY, CITY),
    (AppStatus.IN_PUBLICITY, AppAction.PASS_PUBLICITY): (AppStatus.PUBLICITY_PASSED, CITY),
    # an objection was upheld (reason required)
    (AppStatus.IN_PUBLICITY, AppAction.NOT_SELECTED): (AppStatus.DISQUALIFIED, CITY),
    (AppStatus.PUBLICITY_PASSED, AppAction.BUDGET_LIST): (AppStatus.BUDGET_LISTED, FIN_APPROVER),
}

APPLICATION_TABLE = {**APPLICATION_TRANSITIONS, **REVIEW_TRANSITIONS}


class PanelStatus(models.TextChoices):
    DRAFT = "draft", _("Being formed")
    OPEN = "open", _("Scoring open")
    CLOSED = "closed", _("Review closed")


PANEL_TRANSITIONS = {
    (PanelStatus.DRAFT, "open"): (PanelStatus.OPEN, CITY),
    (PanelStatus.OPEN, "close"): (PanelStatus.CLOSED, CITY),
}


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("To declare")
    CONFIRMED = "confirmed", _("No conflict declared")
    CONFLICTED = "conflicted", _("Conflict declared (withdrawn)")
    REMOVED = "removed", _("Removed")


ACTIVE_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED)

ASSIGNMENT_TRANSITIONS = {
    (AssignmentStatus.ASSIGNED, "declare_none"): (AssignmentStatus.CONFIRMED, EXPERT),
    (AssignmentStatus.ASSIGNED, "declare_conflict"): (AssignmentStatus.CONFLICTED, EXPERT),
    (AssignmentStatus.ASSIGNED, "remove"): (AssignmentStatus.REMOVED, CITY),
    (AssignmentStatus.CONFIRMED, "remove"): (AssignmentStatus.REMOVED, CITY),
}


class ScoreStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted (locked)")


SCORE_TRANSITIONS = {
    (ScoreStatus.DRAFT, "submit"): (ScoreStatus.SUBMITTED, EXPERT),
    # the panel chair (an expert) or city staff, with a reason; the service checks the chair
    (ScoreStatus.SUBMITTED, "reopen"): (ScoreStatus.DRAFT, EXPERT | CITY),
}


class AuditStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Given to the auditor")
    SUBMITTED = "submitted", _("Audit submitted")


AUDIT_TRANSITIONS = {
    (AuditStatus.ASSIGNED, "submit"): (AuditStatus.SUBMITTED, AUDITOR),
}


class PublicityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In the publicity period")
    CLOSED = "closed", _("Publicity closed")


PUBLICITY_TRANSITIONS = {
    (PublicityStatus.DRAFT, "publish"): (PublicityStatus.PUBLISHED, CITY),
    (PublicityStatus.PUBLISHED, "close"): (PublicityStatus.CLOSED, CITY),
}


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


OBJECTION_TRANSITIONS = {
    (ObjectionStatus.RECEIVED, "uphold"): (ObjectionStatus.UPHELD, CITY),
    (ObjectionStatus.RECEIVED, "reject"): (ObjectionStatus.REJECTED, CITY),
}


class SupportListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting finance approval")
    APPROVED = "approved", _("Approved")


SUPPORT_LIST_TRANSITIONS = {
    (SupportListStatus.DRAFT, "submit"): (SupportListStatus.SUBMITTED, CITY),
    (SupportListStatus.SUBMITTED, "approve"): (SupportListStatus.APPROVED, FIN_APPROVER),
    (SupportListStatus.SUBMITTED, "return"): (SupportListStatus.DRAFT, FIN_APPROVER),
}

# Every table of this module with its model label, for table-generated tests.
TABLES = {
    "application": APPLICATION_TABLE,
    "panel": PANEL_TRANSITIONS,
    "assignment": ASSIGNMENT_TRANSITIONS,
    "score": SCORE_TRANSITIONS,
    "audit": AUDIT_TRANSITIONS,
    "publicity": PUBLICITY_TRANSITIONS,
    "objection": OBJECTION_TRANSITIONS,
    "support_list": SUPPORT_LIST_TRANSITIONS,
}

# One badge colour per status of each review record, used on every page (Bootstrap text-bg-* classes).
BADGES = {
    "panel": {PanelStatus.DRAFT: "secondary", PanelStatus.OPEN: "primary", PanelStatus.CLOSED: "success"},
    "assignment": {AssignmentStatus.ASSIGNED: "warning", AssignmentStatus.CONFIRMED: "primary",
                   AssignmentStatus.CONFLICTED: "danger", AssignmentStatus.REMOVED: "secondary"},
    "score": {ScoreStatus.DRAFT: "warning", ScoreStatus.SUBMITTED: "success"},
    "audit": {AuditStatus.ASSIGNED: "warning", AuditStatus.SUBMITTED: "success"},
    "publicity": {PublicityStatus.DRAFT: "secondary", PublicityStatus.PUBLISHED: "primary",
                  PublicityStatus.CLOSED: "success"},
    "objection": {ObjectionStatus.RECEIVED: "warning", ObjectionStatus.UPHELD: "danger",
                  ObjectionStatus.REJECTED: "secondary"},
    "support_list": {SupportListStatus.DRAFT: "secondary", SupportListStatus.SUBMITTED: "warning",
                     SupportListStatus.APPROVED: "success"},
}
