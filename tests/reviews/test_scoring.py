"""Scoring: range checks, the comment threshold, locking on submit, reopening by chair or city, hidden peers."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from reviews import selectors
from reviews.models import Assignment, Rubric, Score
from reviews.services.common import ReviewError
from reviews.services.rubrics import criterion_save
from reviews.services.scoring import score_reopen, score_save
from reviews.workflow import ScoreStatus
from tests.factories import UserFactory
from tests.factories.reviews import (
    panel_with,
    points_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(opened):
    panel, members, apps = panel_with(experts=3, applications=1)
    panel = opened(panel, per_application=3)
    panel.chair = members[0]
    panel.save()
    assignments = {a.expert_id: a for a in Assignment.objects.filter(panel=panel).select_related("expert__user")}
    return panel, members, apps[0], assignments


def test_points_are_checked_against_each_criterion(scoring):
    panel, members, _app, assignments = scoring
    mine = assignments[members[1].pk]
    points = points_for(panel)
    first = next(iter(points))
    points[first] = Decimal("99")
    with pytest.raises(ReviewError) as err:
        score_save(actor=mine.expert.user, assignment=mine, points=points)
    assert first in err.value.error_dict


def test_comment_required_below_threshold_then_submit_locks(scoring):
    panel, members, _app, assignments = scoring
    mine = assignments[members[1].pk]
    low = points_for(panel, Decimal("0.5"))  # 50 points, below the default 60
    with pytest.raises(ReviewError) as err:
        score_save(actor=mine.expert.user, assignment=mine, points=low, submit=True)
    assert "comment" in err.value.error_dict
    score = score_save(actor=mine.expert.user, assignment=mine, points=low, comment="投资测算依据不足", submit=True)
    assert score.status == ScoreStatus.SUBMITTED and score.total == Decimal("50.0") and score.submitted_at
    with pytest.raises(ReviewError) as err:
        score_save(actor=mine.expert.user, assignment=mine, points=points_for(panel))
    assert err.value.code == "locked"
    score.refresh_from_db()
    assert score.total == Decimal("50.0")


def test_a_draft_can_be_saved_and_changed(scoring):
    panel, members, _app, assignments = scoring
    mine = assignments[members[2].pk]
    score_save(actor=mine.expert.user, assignment=mine, points=points_for(panel, Decimal("0.7")))
    score = score_save(actor=mine.expert.user, assignment=mine, points=points_for(panel, Decimal("0.8")))
    assert score.status == ScoreStatus.DRAFT and score.total == Decimal("80.0")
    assert score.items.count() == 5


def test_reopen_only_by_chair_or_city_with_a_reason(scoring, city):
    panel, members, app, assignments = scoring
    chair, member, other = members
    target = assignments[member.pk]
    score = score_save(actor=target.expert.user, assignment=target, points=points_for(panel), submit=True)
    with pytest.raises(TransitionNotAllowed):
        score_reopen(actor=other.user, score=score, reason="想改")
    with pytest.raises(TransitionNotAllowed):
        score_reopen(actor=member.user, score=score, reason="自己改")
    with pytest.raises(TransitionNotAllowed):
        score_reopen(actor=UserFactory(role=Role.FINANCE_APPROVER), score=score, reason="x")
    with pytest.raises(ReviewError):
        score_reopen(actor=chair.user, score=score, reason="")
    score = score_reopen(actor=chair.user, score=score, reason="评分明显笔误，请专家核对")
    assert score.status == ScoreStatus.DRAFT and score.reopen_count == 1
    assert AuditLog.objects.filter(action="score.reopen", note="评分明显笔误，请专家核对").exists()
    assert member.user.notifications.filter(subject__contains=app.receipt_no, body__contains="笔误").exists()
    # the chair cannot reopen their own score; city staff can reopen any
    own = assignments[chair.pk]
    own_score = score_save(actor=chair.user, assignment=own, points=points_for(panel), submit=True)
    with pytest.raises(TransitionNotAllowed):
        score_reopen(actor=chair.user, score=own_score, reason="改")
    assert score_reopen(actor=city, score=own_score, reason="主任委员申请更正").status == ScoreStatus.DRAFT


def test_peer_scores_hidden_until_the_panel_closes(scoring):
    panel, members, _app, assignments = scoring
    for expert in members:
        a = assignments[expert.pk]
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel), submit=True)
    me = members[1].user
    visible = selectors.scores_visible_to(me, panel)
    assert set(visible.values_list("assignment__expert_id", flat=True)) == {members[1].pk}
    assert not selectors.summary_panels_for(me).filter(pk=panel.pk).exists()
    panel.status = "closed"
    panel.save()
    assert selectors.scores_visible_to(me, panel).count() == 3
    assert selectors.summary_panels_for(me).filter(pk=panel.pk).exists()
    outsider = UserFactory(role=Role.EXPERT)
    assert selectors.scores_visible_to(outsider, panel).count() == 0


def test_rubric_is_frozen_once_the_panel_opened(scoring, city):
    panel, *_ = scoring
    rubric = Rubric.objects.get(category=panel.category)
    assert rubric.frozen_at is not None
    with pytest.raises(ReviewError) as err:
        criterion_save(actor=city, rubric=rubric, name="新指标", max_points=Decimal("5"))
    assert err.value.code == "frozen"
    assert rubric.criteria.count() == 5


def test_a_draft_still_refuses_points_out_of_range(sheet):
    assignment, criteria, _panel, _url = sheet
    with pytest.raises(Exception) as refused:
        score_save(actor=assignment.expert.user, assignment=assignment,
                   points={criteria[0].pk: criteria[0].max_points + 1})
    assert criteria[0].pk in refused.value.error_dict
    assert not Score.objects.filter(assignment=assignment).exists()
