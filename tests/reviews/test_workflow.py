"""The review stage's transition tables, tested from the tables: every allowed move works for each of its
roles; every other role is refused and nothing changes."""

import pytest

from accounts.roles import Role
from applications.models import Application
from core.models import AuditLog
from core.workflow import TransitionNotAllowed, moves, transition
from reviews.models import Objection, Panel, Publicity, SupportList
from reviews.workflow import (
    OBJECTION_TRANSITIONS,
    PANEL_TRANSITIONS,
    PUBLICITY_TRANSITIONS,
    REVIEW_TRANSITIONS,
    SUPPORT_LIST_TRANSITIONS,
    TABLES,
)
from tests.factories import UserFactory
from tests.factories.applications import RoundFactory, application_in, category_with_rules

pytestmark = pytest.mark.django_db


def _panel(status):
    category = category_with_rules()
    return Panel.objects.create(round=category.round, category=category, name="组", status=status)


def _publicity(status):
    import datetime

    day = datetime.date(2021, 11, 1)
    return Publicity.objects.create(round=RoundFactory(), title="公示", starts_on=day, working_days=5, ends_on=day,
                                    status=status)


def _objection(status):
    return Objection.objects.create(publicity=_publicity("published"), name="甲", contact="1", text="异议",
                                    status=status)


def _support_list(status):
    return SupportList.objects.create(round=RoundFactory(), fund_year=2021, title="清单", status=status)


MAKERS = {
    "application": lambda s: application_in(s),
    "panel": _panel,
    "publicity": _publicity,
    "objection": _objection,
    "support_list": _support_list,
}
CASES = [(name, move) for name, table in (("application", REVIEW_TRANSITIONS), ("panel", PANEL_TRANSITIONS),
                                          ("publicity", PUBLICITY_TRANSITIONS), ("objection", OBJECTION_TRANSITIONS),
                                          ("support_list", SUPPORT_LIST_TRANSITIONS))
         for move in moves(table)]


@pytest.mark.parametrize(("kind", "move"), CASES, ids=[f"{k}-{m.source}-{m.action}" for k, m in CASES])
def test_each_move_works_for_its_roles_only(kind, move):
    table = TABLES[kind]
    obj = MAKERS[kind](move.source)
    for role in Role:
        actor = UserFactory.for_role(role)
        if role in move.roles:
            continue
        with pytest.raises(TransitionNotAllowed):
            transition(obj, move.action, actor=actor, table=table)
        obj.refresh_from_db()
        assert obj.status == move.source
    for role in sorted(move.roles):
        obj = MAKERS[kind](move.source)
        actor = UserFactory.for_role(role)
        transition(obj, move.action, actor=actor, table=table, note="理由")
        obj.refresh_from_db()
        assert obj.status == move.target
        entry = AuditLog.objects.filter(object_id=str(obj.pk), action=move.action).latest("id")
        assert (entry.from_state, entry.to_state, entry.actor_id) == (move.source, move.target, actor.pk)


def test_review_rows_extend_the_application_table_without_overriding_it():
    from applications.workflow import TRANSITIONS

    assert not set(REVIEW_TRANSITIONS) & set(TRANSITIONS)
    assert set(TABLES["application"]) == set(TRANSITIONS) | set(REVIEW_TRANSITIONS)


def test_an_action_from_a_wrong_state_is_refused():
    app = application_in("qualified")
    with pytest.raises(TransitionNotAllowed):
        transition(app, "publish", actor=UserFactory(role=Role.CITY), table=TABLES["application"])
    assert Application.objects.get(pk=app.pk).status == "qualified"
