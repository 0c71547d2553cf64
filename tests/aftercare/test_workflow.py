"""The acceptance's transition table, read through the generated moves."""

from accounts.roles import Role
from aftercare.workflow import TRANSITIONS, Action, Status
from core.workflow import moves


def _moves():
    return {(m.source, m.action): (m.target, m.roles) for m in moves(TRANSITIONS)}


def test_each_role_takes_its_own_step_only():
    table = _moves()
    assert table[(Status.OPEN, Action.SUBMIT)] == (Status.SUBMITTED, frozenset({Role.ENTERPRISE}))
    assert table[(Status.RECTIFYING, Action.SUBMIT)] == (Status.SUBMITTED, frozenset({Role.ENTERPRISE}))
    assert table[(Status.SUBMITTED, Action.INSPECT)] == (Status.INSPECTED, frozenset({Role.COUNTY}))
    for action, target in ((Action.ACCEPT, Status.ACCEPTED), (Action.RECTIFY, Status.RECTIFYING),
                           (Action.CLAWBACK, Status.CLAWBACK)):
        assert table[(Status.INSPECTED, action)] == (target, frozenset({Role.CITY}))


def test_final_states_have_no_way_out_and_no_step_is_skipped():
    sources = {m.source for m in moves(TRANSITIONS)}
    assert Status.ACCEPTED not in sources and Status.CLAWBACK not in sources
    # the city never decides before the county inspected
    assert not [m for m in moves(TRANSITIONS) if m.source in (Status.OPEN, Status.SUBMITTED)
                and Role.CITY in m.roles]
