"""Conflicts of interest: employer, same county (when the round says so), declared; even load."""

from collections import Counter

import pytest
from django.utils import translation

from accounts.roles import Role
from applications.workflow import Status
from core.audit_notes import render_note
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from reviews.conflicts import EMPLOYER, LABELS, SAME_COUNTY, conflict_reasons
from reviews.models import Assignment, ConflictDeclaration
from reviews.services.assignment import assign_by_hand, assignment_remove, auto_assign, declare
from reviews.services.common import ReviewError, config_for
from reviews.workflow import AssignmentStatus
from tests.factories import county
from tests.factories.reviews import ExpertFactory, active_assignments, panel_with

pytestmark = pytest.mark.django_db


def test_employer_conflict_is_excluded_automatically_and_audited(city):
    panel, members, apps = panel_with(experts=4, applications=2)
    insider = members[0]
    insider.employer_credit_code = apps[0].enterprise.credit_code
    insider.save()
    config = config_for(panel.round)
    config.experts_per_application = 4
    config.save()

    report = auto_assign(actor=city, panel=panel)

    assert not Assignment.objects.filter(application=apps[0], expert=insider).exists()
    assert Assignment.objects.filter(application=apps[1], expert=insider).exists()
    assert report.shortages == {apps[0].pk: 1}
    assert [reasons for _e, reasons in report.excluded[apps[0].pk]] == [[EMPLOYER]]
    row = AuditLog.objects.get(action="review.conflicts_excluded", object_id=str(apps[0].pk))
    assert row.data["excluded_user"] == [insider.user_id] and row.data["conflict_reasons"] == [EMPLOYER]
    with translation.override("zh-hans"):
        assert insider.name in render_note(row) and str(LABELS[EMPLOYER]) in render_note(row)


def test_same_county_conflict_only_when_the_round_says_so(city):
    panel, members, apps = panel_with(experts=3, applications=1)
    local = members[0]
    local.county = apps[0].county
    local.save()
    assert conflict_reasons(local, apps[0], same_county_rule=True) == [SAME_COUNTY]
    assert conflict_reasons(local, apps[0], same_county_rule=False) == []

    config = config_for(panel.round)
    config.experts_per_application = 3
    config.save()
    auto_assign(actor=city, panel=panel)
    assert not Assignment.objects.filter(expert=local).exists()

    panel.round.same_county_conflict = False
    panel.round.save()
    auto_assign(actor=city, panel=panel)
    assert Assignment.objects.filter(expert=local, application=apps[0]).exists()


def test_assignment_by_hand_refuses_a_conflict_with_its_reason(city):
    panel, members, apps = panel_with(experts=2, applications=1)
    insider = members[0]
    insider.employer_credit_code = apps[0].enterprise.credit_code
    insider.save()
    with pytest.raises(ReviewError) as err:
        assign_by_hand(actor=city, panel=panel, application=apps[0], expert=insider)
    assert "credit code" in str(err.value) or "信用代码" in str(err.value)
    assignment = assign_by_hand(actor=city, panel=panel, application=apps[0], expert=members[1])
    assert assignment.by_hand and assignment.status == AssignmentStatus.ASSIGNED


def test_even_load(city):
    panel, members, apps = panel_with(experts=5, applications=10)
    config = config_for(panel.round)
    config.experts_per_application = 3
    config.save()
    auto_assign(actor=city, panel=panel)
    loads = Counter(active_assignments(panel).values_list("expert_id", flat=True))
    assert sum(loads.values()) == 30
    assert max(loads.values()) - min(loads.values()) <= 1
    per_app = Counter(active_assignments(panel).values_list("application_id", flat=True))
    assert set(per_app.values()) == {3}
    # running it again adds nothing
    assert auto_assign(actor=city, panel=panel).created == []


def test_declared_conflict_removes_the_assignment_and_proposes_the_least_loaded(city, opened):
    panel, members, apps = panel_with(experts=4, applications=2)
    panel = opened(panel, per_application=2, declare_all=False)
    assignment = Assignment.objects.filter(application=apps[0]).first()
    expert_user = assignment.expert.user
    before = Counter(active_assignments(panel).values_list("expert_id", flat=True))
    on_app = set(active_assignments(panel).filter(application=apps[0]).values_list("expert_id", flat=True))
    candidates = [m.pk for m in members if m.pk not in on_app]

    replacement = declare(actor=expert_user, assignment=assignment, has_conflict=True,
                          reason="该企业是我近三年的咨询客户")

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFLICTED
    assert assignment.replaced_by == replacement
    assert ConflictDeclaration.objects.get(assignment=assignment).reason == "该企业是我近三年的咨询客户"
    assert replacement.application == apps[0] and replacement.expert != assignment.expert
    assert active_assignments(panel).filter(application=apps[0]).count() == 2
    assert replacement.expert_id in candidates
    assert before[replacement.expert_id] == min(before[pk] for pk in candidates)
    assert AuditLog.objects.filter(action="assignment.declare_conflict", note__contains="咨询客户").exists()
    # the conflicted expert cannot be put back by hand
    with pytest.raises(ReviewError):
        assign_by_hand(actor=city, panel=panel, application=apps[0], expert=assignment.expert)


def test_declaring_a_conflict_needs_a_reason_and_the_assigned_expert(city, opened, user_for):
    panel, _members, _apps = panel_with(experts=3, applications=1)
    panel = opened(panel, per_application=2, declare_all=False)
    assignment = Assignment.objects.filter(panel=panel).first()
    with pytest.raises(ReviewError):
        declare(actor=assignment.expert.user, assignment=assignment, has_conflict=True, reason=" ")
    other = ExpertFactory()
    with pytest.raises(TransitionNotAllowed):
        declare(actor=other.user, assignment=assignment, has_conflict=False)
    with pytest.raises(TransitionNotAllowed):
        declare(actor=user_for(Role.CITY), assignment=assignment, has_conflict=False)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_no_replacement_left_is_reported_to_city(city, opened):
    panel, _members, apps = panel_with(experts=2, applications=1)
    panel = opened(panel, per_application=2, declare_all=False)
    assignment = Assignment.objects.filter(panel=panel).first()
    assert declare(actor=assignment.expert.user, assignment=assignment, has_conflict=True, reason="亲属任职") is None
    assert city.notifications.filter(subject__contains=apps[0].receipt_no).exists()


def test_removal_by_hand_needs_a_reason_and_is_audited(city):
    panel, _members, _apps = panel_with(experts=3, applications=1)
    auto_assign(actor=city, panel=panel)
    assignment = Assignment.objects.filter(panel=panel).first()
    with pytest.raises(ReviewError):
        assignment_remove(actor=city, assignment=assignment, reason="")
    assignment_remove(actor=city, assignment=assignment, reason="专家出差")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED and assignment.removal_reason == "专家出差"
    assert AuditLog.objects.filter(action="assignment.remove", note="专家出差").exists()


def test_opening_starts_the_review_of_assigned_applications(city, opened):
    panel, _members, apps = panel_with(experts=3, applications=2)
    opened(panel, per_application=2)
    for app in apps:
        app.refresh_from_db()
        assert app.status == Status.UNDER_REVIEW


def test_expert_in_other_county_is_no_conflict():
    expert = ExpertFactory.build(county=county("金水区"), employer_credit_code="91410105MA00000011")

    class App:
        county_id = county("中原区").pk
        enterprise = type("E", (), {"credit_code": "914101027000000000"})

    assert conflict_reasons(expert, App, same_county_rule=True) == []
