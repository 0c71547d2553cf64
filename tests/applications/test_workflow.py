"""The transition table, tested from the table itself: every allowed move works for each of its roles;
every other (state, action, role) is refused and changes nothing."""

import pytest

from accounts.roles import Role
from applications.models import Application
from applications.services import perform
from applications.workflow import (
    BADGE_CLASS,
    STEP_OF_STATUS,
    STEPS,
    TRANSITIONS,
    Action,
    Status,
    stepper,
)
from core.models import AuditLog, Notification
from core.workflow import TransitionNotAllowed, moves
from tests.factories.applications import application_in, attach_required, enterprise_user

pytestmark = pytest.mark.django_db

ALLOWED = [(m, role) for m in moves(TRANSITIONS) for role in sorted(m.roles)]


def _prepare(status):
    app = application_in(status)
    if status in (Status.DRAFT, Status.RETURNED):
        app.status = Status.DRAFT
        app.save()
        attach_required(app, enterprise_user(app))
        app.status = status
        app.save()
    return app


@pytest.mark.parametrize(("move", "role"), ALLOWED, ids=[f"{m.source}-{m.action}-{r}" for m, r in ALLOWED])
def test_every_allowed_move_works_for_its_role(move, role, actors):
    app = _prepare(move.source)
    actor = actors(app)[role]
    version = app.version
    perform(app, move.action, actor=actor, note="理由：材料不全", rank=1, declaration=True,
            expected_version=app.version)
    app.refresh_from_db()
    assert app.status == move.target
    assert app.version > version
    entry = AuditLog.objects.filter(object_id=str(app.pk), action=f"application.{move.action}").get()
    assert (entry.from_state, entry.to_state, entry.actor_id) == (move.source, move.target, actor.pk)
    assert Notification.objects.exists()  # every transition tells somebody


DISTINCT = [(m, earlier) for m in moves(TRANSITIONS) for earlier in m.distinct_from]


def test_the_re_review_decisions_carry_a_separation_of_duties_rule():
    assert {(m.source, m.action) for m, _earlier in DISTINCT} == {
        (Status.RE_REVIEW, Action.QUALIFY), (Status.RE_REVIEW, Action.DISQUALIFY)}


@pytest.mark.parametrize(("move", "earlier"), DISTINCT, ids=[f"{m.source}-{m.action}-after-{e}" for m, e in DISTINCT])
def test_a_move_with_a_distinct_rule_is_refused_to_the_earlier_actor_and_changes_nothing(move, earlier, actors):
    from core.audit import audit_record

    app = _prepare(move.source)
    for role in sorted(move.roles):
        first = actors(app)[role]
        audit_record(actor=first, action=earlier, obj=app, note="首次决定")
        before = Application.objects.values().get(pk=app.pk)
        audit_before, notes_before = AuditLog.objects.count(), Notification.objects.count()
        with pytest.raises(TransitionNotAllowed) as excinfo:
            perform(Application.objects.get(pk=app.pk), move.action, actor=first, note="理由", rank=1,
                    declaration=True)
        assert "首次审核人以外" in str(excinfo.value.message)
        assert Application.objects.values().get(pk=app.pk) == before
        assert (AuditLog.objects.count(), Notification.objects.count()) == (audit_before, notes_before)
        other = actors(app)[role]  # a colleague of the same role
        perform(Application.objects.get(pk=app.pk), move.action, actor=other, note="理由", rank=1,
                declaration=True)
        app.refresh_from_db()
        assert app.status == move.target
        assert AuditLog.objects.filter(object_id=str(app.pk), action=f"application.{move.action}",
                                       actor=other).exists()


@pytest.mark.parametrize("status", list(Status))
def test_every_other_move_is_refused_and_changes_nothing(status, actors):
    app = _prepare(status)
    people = actors(app)
    before = Application.objects.values().get(pk=app.pk)
    audit_before, notes_before = AuditLog.objects.count(), Notification.objects.count()
    refused = 0
    for action in Action:
        for role in Role:
            entry = TRANSITIONS.get((status, action))
            if entry is not None and role in entry[1]:
                continue
            fresh = Application.objects.get(pk=app.pk)
            with pytest.raises(TransitionNotAllowed):
                perform(fresh, action, actor=people[role], note="理由", rank=1, declaration=True)
            refused += 1
    assert Application.objects.values().get(pk=app.pk) == before
    assert (AuditLog.objects.count(), Notification.objects.count()) == (audit_before, notes_before)
    assert refused > 0


def test_table_names_only_known_states_and_roles():
    for (source, action), (target, roles) in TRANSITIONS.items():
        assert source in Status.values and target in Status.values and action in Action.values
        assert roles and roles <= set(Role)


def test_every_state_has_a_step_and_one_badge_colour():
    assert set(STEP_OF_STATUS) == set(Status)
    assert len(set(BADGE_CLASS.values())) == len(Status)
    assert len(STEPS) == 9


def test_stepper_marks_done_current_and_failed():
    states = [state for _label, state in stepper(Status.FORWARDED)]
    assert states[:3] == ["done", "done", "done"] and states[3] == "current" and states[4:] == ["todo"] * 5
    assert [s for _l, s in stepper(Status.DECLINED)][1] == "failed"
    assert all(s == "done" for _l, s in stepper(Status.PAID))


def test_stale_version_is_refused(actors):
    app = _prepare(Status.SUBMITTED)
    county = actors(app)[Role.COUNTY]
    from applications.services import StaleEdit

    with pytest.raises(StaleEdit):
        perform(app, Action.ACCEPT, actor=county, expected_version=app.version - 1)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


def test_re_review_only_once(actors):
    from django.core.exceptions import ValidationError

    app = _prepare(Status.DISQUALIFIED)
    people = actors(app)
    perform(app, Action.REQUEST_RE_REVIEW, actor=people[Role.ENTERPRISE], note="我们补充了证明材料")
    perform(app, Action.DISQUALIFY, actor=people[Role.CITY], note="复审仍不符合条件")
    app.refresh_from_db()
    assert app.status == Status.DISQUALIFIED
    decision = app.qualification_decisions.get()
    assert decision.is_re_review and decision.reasons == "复审仍不符合条件"
    with pytest.raises(ValidationError) as excinfo:
        perform(app, Action.REQUEST_RE_REVIEW, actor=people[Role.ENTERPRISE], note="再次申请")
    assert excinfo.value.code == "once"


@pytest.mark.parametrize("action", [Action.RETURN, Action.DECLINE, Action.DISQUALIFY, Action.SEND_BACK])
def test_reasons_are_required(action, actors):
    from django.core.exceptions import ValidationError

    source = {Action.RETURN: Status.SUBMITTED, Action.DECLINE: Status.SUBMITTED,
              Action.DISQUALIFY: Status.CITY_ACCEPTED, Action.SEND_BACK: Status.FORWARDED}[action]
    app = _prepare(source)
    role = TRANSITIONS[(source, action)][1]
    actor = actors(app)[next(iter(role))]
    with pytest.raises(ValidationError):
        perform(app, action, actor=actor, note="   ")
    app.refresh_from_db()
    assert app.status == source
