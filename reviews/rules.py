"""Permission predicates of the review stage. List scope uses the same facts in selectors.py."""

import rules

from accounts.rules import is_admin, is_auditor, is_city, is_expert, is_finance, is_finance_approver, is_official

from .workflow import ACTIVE_ASSIGNMENT, PanelStatus


@rules.predicate
def is_assigned_expert(user, assignment):
    """The expert of an active assignment in an opened panel (withdrawn assignments answer 404)."""
    return (assignment is not None and user.is_authenticated and assignment.expert.user_id == user.pk
            and assignment.status in ACTIVE_ASSIGNMENT and assignment.panel.status != PanelStatus.DRAFT)


@rules.predicate
def audit_of_own_firm(user, audit):
    return audit is not None and bool(user.organisation_id) and audit.firm_id == user.organisation_id


# The whole review stage: city staff run it; officials and administrators read it. Finance: support lists only.
is_stage_viewer = is_city | is_official | is_admin

rules.add_perm("reviews.manage_reviews", is_city)
rules.add_perm("reviews.view_review_stage", is_stage_viewer)
rules.add_perm("reviews.score", is_expert & is_assigned_expert)
rules.add_perm("reviews.enter_audit", is_auditor & audit_of_own_firm)
rules.add_perm("reviews.view_audit", (is_auditor & audit_of_own_firm) | is_stage_viewer)
rules.add_perm("reviews.view_support_lists", is_stage_viewer | is_finance)
rules.add_perm("reviews.approve_support_list", is_finance_approver)
