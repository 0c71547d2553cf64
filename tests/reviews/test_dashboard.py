"""The review stage's dashboard: the expert's and the auditor's own queues, overdue against the call's dates, and
the audit stage the review app adds to the current call's stepper."""

import datetime

import pytest

from accounts.roles import Role
from core import clock
from core.dashboard import dashboard_for
from tests.factories import UserFactory
from tests.factories.reviews import audit_given, auditor_firm, auditor_user, opened_panel

pytestmark = pytest.mark.django_db


def queue(user):
    return {str(item.label): item for item in dashboard_for(user).queue}


def test_the_expert_sees_only_their_own_assignments_overdue_after_the_review_date():
    city = UserFactory(role=Role.CITY)
    panel, members, _apps = opened_panel(city, experts=2, applications=2, per_application=2, declare_all=False)
    panel.round.expert_review_date = clock.today() - datetime.timedelta(days=1)
    panel.round.save()
    items = queue(members[0].user)
    assert (items["待回避声明"].count, items["待回避声明"].overdue) == (2, 2)
    assert items["待评分"].count == 0
    assert set(queue(UserFactory(role=Role.EXPERT))) == {"待回避声明", "待评分"}
    assert queue(UserFactory(role=Role.EXPERT))["待回避声明"].count == 0


def test_the_auditor_sees_their_firm_only_and_the_city_the_audit_stage():
    city = UserFactory(role=Role.CITY)
    audit = audit_given(city, firm=auditor_firm("甲会计师事务所"))
    audit_given(city, firm=auditor_firm("乙会计师事务所"))
    assert queue(auditor_user(audit.firm))["待审计"].count == 1
    board = dashboard_for(UserFactory(role=Role.OFFICIAL))
    cycle = next(c for c in board.cycles if c.key == audit.application.round.year)
    stage = next(s for s in cycle.stages if str(s.label) == "第三方审计")
    assert (stage.done, stage.total, stage.state) == (0, 1, "current")
    assert stage.count_text == "已审计 0/1"
