"""Permission predicates of the review stage. List scope uses the same facts in selectors.py."""

import rules

from accounts.rules import (
    is_admin,
    is_auditor,
    is_city,
    is_expert,
    is_finance,
    is_finance_approver,
    is_finance_preparer,
    is_official,
)
from core.permissions import q_matches

from .selectors import assignment_scope, audit_scope
from .workflow import PanelStatus, ScoreStatus


@rules.predicate
def is_assigned_expert(user, assignment):
    """The expert of an active assignment in an opened panel (withdrawn assignments answer 404): the list's scope."""
    return assignment is not None and user.is_authenticated and q_matches(assignment, assignment_scope(user))


@rules.predicate
def is_expert_of(user, assignment):
    """The assignment is the user's own (whatever its state; the services check the state)."""
    return assignment is not None and user.is_authenticated and assignment.expert.user_id == user.pk


@rules.predicate
def chairs_panel(user, score):
    """The user chairs the panel of ``score``."""
    chair = score.assignment.panel.chair if score is not None else None
    return chair is not None and chair.user_id == user.pk


@rules.predicate
def is_own_score(user, score):
    return score is not None and score.assignment.expert.user_id == user.pk


@rules.predicate
def is_reopenable(user, score):
    return (score is not None and score.status == ScoreStatus.SUBMITTED
            and score.assignment.panel.status == PanelStatus.OPEN)


@rules.predicate
def audit_of_own_firm(user, audit):
    return audit is not None and bool(user.organisation_id) and audit.firm_id == user.organisation_id


@rules.predicate
def audit_in_scope(user, audit):
    return audit is not None and user.is_authenticated and q_matches(audit, audit_scope(user))


# The whole review stage: city staff run it; officials and administrators read it. Finance: support lists only.
is_stage_viewer = is_city | is_official | is_admin

rules.add_perm("reviews.manage_reviews", is_city)
rules.add_perm("reviews.view_review_stage", is_stage_viewer)
rules.add_perm("reviews.score", is_expert & is_assigned_expert)
# The assigned expert's own steps (declaration, scoring); the services check the assignment's state.
rules.add_perm("reviews.act_as_expert", is_expert & is_expert_of)
rules.add_perm("reviews.view_my_assignments", is_expert)
# Who oversees a score (city staff; the panel chair) and who may reopen a submitted one while the panel is open.
rules.add_perm("reviews.oversee_score", is_city | (is_expert & chairs_panel))
rules.add_perm("reviews.reopen_score", is_reopenable & (is_city | (is_expert & chairs_panel & ~is_own_score)))
rules.add_perm("reviews.do_audits", is_auditor)
rules.add_perm("reviews.view_audits", is_auditor | is_stage_viewer)
rules.add_perm("reviews.enter_audit", is_auditor & audit_of_own_firm)
rules.add_perm("reviews.view_audit", audit_in_scope)
rules.add_perm("reviews.view_support_lists", is_stage_viewer | is_finance)
rules.add_perm("reviews.approve_support_list", is_finance_approver)
rules.add_perm("reviews.receive_support_lists", is_finance_preparer)  # approved lists become payments
