"""The follow-up reports' transition table, read through the generated moves."""

from accounts.roles import Role
from aftercare.followup_workflow import FOLLOWUP_AUDIT, FOLLOWUP_TRANSITIONS, OPEN, FollowupAction, FollowupStatus
from core.workflow import moves


def _moves():
    return {(m.source, m.action): (m.target, m.roles) for m in moves(FOLLOWUP_TRANSITIONS)}


def test_the_enterprise_reports_and_the_county_verifies_or_returns():
    enterprise, county = frozenset({Role.ENTERPRISE}), frozenset({Role.COUNTY})
    assert _moves() == {
        (FollowupStatus.DUE, FollowupAction.SUBMIT): (FollowupStatus.SUBMITTED, enterprise),
        (FollowupStatus.RETURNED, FollowupAction.SUBMIT): (FollowupStatus.SUBMITTED, enterprise),
        (FollowupStatus.SUBMITTED, FollowupAction.VERIFY): (FollowupStatus.VERIFIED, county),
        (FollowupStatus.SUBMITTED, FollowupAction.RETURN): (FollowupStatus.RETURNED, county),
    }
    assert FOLLOWUP_AUDIT[FollowupAction.RETURN] == "followup.return"


def test_a_verified_report_is_final_and_the_open_ones_wait_for_the_enterprise():
    assert FollowupStatus.VERIFIED not in {m.source for m in moves(FOLLOWUP_TRANSITIONS)}
    assert {source for source, action in FOLLOWUP_TRANSITIONS if action == FollowupAction.SUBMIT} == OPEN
