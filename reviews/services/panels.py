"""Panels: forming (members, chair), opening (freezes the rubric, starts the review) and closing."""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned
from core.permissions import require
from core.workflow import transition

from ..models import Assignment, ExpertProfile, Panel, Rubric
from ..workflow import ACTIVE_ASSIGNMENT, PANEL_TRANSITIONS, AppAction, AssignmentStatus, PanelStatus, ScoreStatus
from .assignment import panel_applications, start_review_if_open
from .common import ReviewError, move_application
from .results import results_compute
from .rubrics import rubric_for, rubric_problems


def _check_city(actor):
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff manage panels."))


def default_panel_name(category):
    """A stored name is data, in the platform's language whatever language the city user browses in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(category)s panel") % {"category": category.name}


def panel_create(*, actor, category, name="", members=(), chair=None):
    _check_city(actor)
    if Panel.objects.filter(category=category).exists():
        raise ReviewError(_("This category already has a panel."), code="exists")
    with transaction.atomic():
        panel = Panel.objects.create(round=category.round, category=category, created_by=actor,
                                     name=name.strip() or default_panel_name(category))
        rubric_for(category)
        audit_record(actor=actor, action="panel.created", obj=panel, to_state=panel.status)
        if members or chair:
            panel_set_members(actor=actor, panel=panel, members=members, chair=chair)
    return panel


def panel_set_members(*, actor, panel, members, chair=None, name=None, expected_version=None):
    """Set the panel's experts and chair. A member with active assignments cannot be dropped; a panel changed by
    someone else since ``expected_version`` was loaded is refused (StaleEdit)."""
    _check_city(actor)
    members = {m.pk: m for m in members}
    if chair is not None:
        members.setdefault(chair.pk, chair)
    with transaction.atomic():
        panel = locked_for_edit(panel, expected_version)
        if panel.status == PanelStatus.CLOSED:
            raise ReviewError(_("The panel is closed."), code="closed")
        inactive = [m.name for m in members.values() if not m.is_active]
        if inactive:
            raise ReviewError(_("Inactive experts cannot join a panel: %(names)s") % {"names": "、".join(inactive)},
                              code="inactive")
        busy = (ExpertProfile.objects.filter(assignments__panel=panel, assignments__status__in=ACTIVE_ASSIGNMENT)
                .exclude(pk__in=members).distinct())
        if busy.exists():
            raise ReviewError(_("Remove the assignments of %(names)s first; they cannot leave the panel while they "
                                "have applications to review.") % {"names": "、".join(e.name for e in busy)},
                              code="busy")
        before = sorted(panel.members.values_list("pk", flat=True))
        panel.members.set(members.values())
        panel.chair = chair
        if name is not None and name.strip():
            panel.name = name.strip()
        save_versioned(panel, ["chair", "name"])
        audit_record(actor=actor, action="panel.members", obj=panel,
                     data={"members_user": sorted(m.user_id for m in members.values()),
                           "chair_user": chair.user_id if chair else None,
                           "tech_before": before, "tech_after": sorted(members)})
    return panel


def panel_open_problems(panel):
    problems = list(rubric_problems(rubric_for(panel.category)))
    if not panel.members.exists():
        problems.append(_("The panel has no experts."))
    if not Assignment.objects.filter(panel=panel, status__in=ACTIVE_ASSIGNMENT).exists():
        problems.append(_("No application is assigned yet: run the automatic assignment first."))
    return problems


def panel_open(*, actor, panel):
    """Open scoring: the rubric freezes, the assigned applications go under review, the experts are told."""
    _check_city(actor)
    problems = panel_open_problems(panel)
    if problems:
        raise ReviewError(problems, code="not_ready")
    now = clock.now()
    with transaction.atomic():
        panel = transition(panel, "open", actor=actor, table=PANEL_TRANSITIONS, extra_updates={"opened_at": now},
                           audit_action="panel.open")
        Rubric.objects.filter(category_id=panel.category_id).update(frozen_at=now)
        assignments = list(Assignment.objects.filter(panel=panel, status__in=ACTIVE_ASSIGNMENT)
                           .select_related("application", "expert__user"))
        started = set()
        for assignment in assignments:
            application = assignment.application
            if application.pk not in started:
                start_review_if_open(panel, application, actor)
            started.add(application.pk)
    return panel


def panel_close_problems(panel):
    """What still keeps the panel from closing ([] when it can close)."""
    problems = []
    pending = Assignment.objects.filter(panel=panel, status=AssignmentStatus.ASSIGNED).count()
    if pending:
        problems.append(_("%(n)d assignments still wait for the expert's conflict declaration.") % {"n": pending})
    unsubmitted = (Assignment.objects.filter(panel=panel, status=AssignmentStatus.CONFIRMED)
                   .exclude(score__status=ScoreStatus.SUBMITTED).count())
    if unsubmitted:
        problems.append(_("%(n)d scores are not submitted yet.") % {"n": unsubmitted})
    scored = Assignment.objects.filter(application=OuterRef("pk"), panel=panel, status=AssignmentStatus.CONFIRMED,
                                       score__status=ScoreStatus.SUBMITTED)
    unscored = panel_applications(panel).filter(~Exists(scored)).count()
    if unscored:
        problems.append(_("%(n)d applications have no submitted score.") % {"n": unscored})
    return problems


def panel_close(*, actor, panel):
    """Close the panel: compute the panel scores, ranks and award proposals; applications become reviewed."""
    _check_city(actor)
    problems = panel_close_problems(panel)
    if problems:
        raise ReviewError(problems, code="not_ready")
    with transaction.atomic():
        panel = transition(panel, "close", actor=actor, table=PANEL_TRANSITIONS,
                           extra_updates={"closed_at": clock.now()}, audit_action="panel.close")
        results = results_compute(panel=panel, actor=actor)
        for result in results:
            move_application(result.application, AppAction.CLOSE_REVIEW, actor=actor,
                             data={"panel_score": str(result.aggregate), "rank": result.rank})
    return panel
