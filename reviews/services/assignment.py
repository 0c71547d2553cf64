"""Assigning experts to applications: automatic with even load, by hand, and conflict declarations."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from applications.models import Application
from applications.workflow import Status as AppStatus
from core.audit import audit_record
from core.permissions import require
from core.workflow import transition

from ..conflicts import DECLARED, LABELS, conflict_reasons
from ..models import Assignment, ConflictDeclaration, Panel
from ..workflow import ACTIVE_ASSIGNMENT, ASSIGNMENT_TRANSITIONS, AppAction, AssignmentStatus, PanelStatus
from .common import ReviewError, config_for, move_application, require_reason

REVIEWABLE = (AppStatus.QUALIFIED, AppStatus.UNDER_REVIEW)


@dataclass
class AssignReport:
    created: list = field(default_factory=list)
    excluded: dict = field(default_factory=dict)  # application id -> [(expert, reasons)]
    shortages: dict = field(default_factory=dict)  # application id -> experts still missing


def panel_applications(panel):
    """The applications a panel reviews: its category's qualified ones and those already under review."""
    return (Application.objects.filter(category_id=panel.category_id, status__in=REVIEWABLE)
            .select_related("enterprise", "county").order_by("id"))


def round_loads(round_id):
    """Active assignments per expert in the round (the load that automatic assignment evens out)."""
    rows = (Assignment.objects.filter(panel__round_id=round_id, status__in=ACTIVE_ASSIGNMENT)
            .values("expert_id").annotate(n=Count("id")))
    return Counter({row["expert_id"]: row["n"] for row in rows})


def _check_city(actor):
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff assign experts."))


def _check_not_closed(panel):
    if panel.status == PanelStatus.CLOSED:
        raise ReviewError(_("The panel is closed; assignments can no longer change."), code="closed")


def _taken_pairs(panel):
    """(expert, application) pairs that must not be assigned again: active, declared conflicts, removed."""
    return set(Assignment.objects.filter(panel=panel).values_list("expert_id", "application_id"))


def _pick(application, members, loads, taken, same_county_rule, count):
    """The ``count`` least-loaded eligible members for ``application`` and the members excluded by a conflict."""
    excluded, eligible = [], []
    for expert in members:
        if (expert.pk, application.pk) in taken:
            continue
        reasons = conflict_reasons(expert, application, same_county_rule=same_county_rule)
        if reasons:
            excluded.append((expert, reasons))
        else:
            eligible.append(expert)
    eligible.sort(key=lambda e: (loads[e.pk], e.pk))
    return eligible[:count], excluded


def start_review_if_open(panel, application, actor):
    if panel.status == PanelStatus.OPEN and application.status == AppStatus.QUALIFIED:
        move_application(application, AppAction.START_REVIEW, actor=actor, data={"panel": panel.name})


def auto_assign(*, actor, panel):
    """Fill every application of the panel up to the configured number of experts, evening out the load.

    Conflicts are excluded automatically (employer's credit code = applicant's; same county when the round
    says so) and recorded on the application's audit trail. Returns an AssignReport.
    """
    _check_city(actor)
    config = config_for(panel.round)
    same_county = panel.round.same_county_conflict
    report = AssignReport()
    with transaction.atomic():
        panel = Panel.objects.select_for_update().select_related("round").get(pk=panel.pk)
        _check_not_closed(panel)
        members = list(panel.members.filter(is_active=True).order_by("id"))
        if not members:
            raise ReviewError(_("Add experts to the panel before assigning."), code="no_members")
        loads = round_loads(panel.round_id)
        taken = _taken_pairs(panel)
        active = Counter(Assignment.objects.filter(panel=panel, status__in=ACTIVE_ASSIGNMENT)
                         .values_list("application_id", flat=True))
        for application in panel_applications(panel):
            need = config.experts_per_application - active[application.pk]
            if need <= 0:
                continue
            chosen, excluded = _pick(application, members, loads, taken, same_county, need)
            if excluded:
                report.excluded[application.pk] = excluded
                audit_record(actor=actor, action="review.conflicts_excluded", obj=application, data={
                    "excluded_user": [e.user_id for e, _reasons in excluded],
                    "conflict_reasons": sorted({r for _e, reasons in excluded for r in reasons}),
                    "tech_reasons": {e.name: list(reasons) for e, reasons in excluded}})
            for expert in chosen:
                assignment = Assignment.objects.create(panel=panel, application=application, expert=expert,
                                                       assigned_by=actor)
                loads[expert.pk] += 1
                taken.add((expert.pk, application.pk))
                report.created.append(assignment)
                audit_record(actor=actor, action="assignment.created", obj=assignment,
                             to_state=AssignmentStatus.ASSIGNED, data={"how": "automatic"})
            if len(chosen) < need:
                report.shortages[application.pk] = need - len(chosen)
            if chosen:
                start_review_if_open(panel, application, actor)
        audit_record(actor=actor, action="panel.auto_assign", obj=panel,
                     data={"assignments_created": len(report.created),
                           "applications_short": len(report.shortages)})
    return report


def assign_by_hand(*, actor, panel, application, expert):
    """City staff add one expert to one application (conflicts refused with their reason)."""
    _check_city(actor)
    with transaction.atomic(durable=True):
        panel = Panel.objects.select_for_update().select_related("round").get(pk=panel.pk)
        _check_not_closed(panel)
        application = Application.objects.select_related("enterprise").get(pk=application.pk)
        if application.category_id != panel.category_id or application.status not in REVIEWABLE:
            raise ReviewError(_("This application is not reviewed by this panel."), code="scope")
        if not expert.is_active:
            raise ReviewError(_("This expert is not active."), code="inactive")
        reasons = conflict_reasons(expert, application, same_county_rule=panel.round.same_county_conflict)
        if Assignment.objects.filter(application=application, expert=expert,
                                     status=AssignmentStatus.CONFLICTED).exists():
            reasons.append(DECLARED)
        if reasons:
            raise ReviewError(_("Conflict of interest: %(reasons)s.")
                              % {"reasons": "；".join(str(LABELS[r]) for r in reasons)}, code="conflict")
        if Assignment.objects.filter(application=application, expert=expert, status__in=ACTIVE_ASSIGNMENT).exists():
            raise ReviewError(_("This expert is already assigned to this application."), code="duplicate")
        panel.members.add(expert)
        assignment = Assignment.objects.create(panel=panel, application=application, expert=expert,
                                               assigned_by=actor, by_hand=True)
        audit_record(actor=actor, action="assignment.created", obj=assignment, to_state=AssignmentStatus.ASSIGNED,
                     data={"how": "by_hand"})
        start_review_if_open(panel, application, actor)
    return assignment


def assignment_remove(*, actor, assignment, reason):
    """City staff take an expert off an application, with a reason (the expert's score no longer counts)."""
    _check_city(actor)
    reason = require_reason(reason, _("Give the reason for removing the expert."))
    _check_not_closed(assignment.panel)
    return transition(assignment, "remove", actor=actor, table=ASSIGNMENT_TRANSITIONS, note=reason,
                      extra_updates={"removal_reason": reason}, audit_action="assignment.remove")


def declare(*, actor, assignment, has_conflict, reason=""):
    """The expert's declaration before opening the application.

    No conflict: the application opens for scoring. A conflict: the assignment is withdrawn with the reason,
    and the least-loaded eligible panel member is assigned instead (city staff may change that by hand).
    Returns the replacement assignment or None.
    """
    require(actor, "reviews.act_as_expert", assignment, message=_("Only the assigned expert declares."))
    if assignment.panel.status != PanelStatus.OPEN:
        raise ReviewError(_("The panel is not open for scoring."), code="not_open")
    if has_conflict:
        reason = require_reason(reason, _("Describe the conflict of interest."))
    replacement = None
    with transaction.atomic():
        action = "declare_conflict" if has_conflict else "declare_none"
        transition(assignment, action, actor=actor, table=ASSIGNMENT_TRANSITIONS, note=reason,
                   extra_updates={"removal_reason": reason} if has_conflict else None,
                   audit_action=f"assignment.{action}")
        ConflictDeclaration.objects.create(assignment=assignment, has_conflict=has_conflict, reason=reason)
        if has_conflict:
            replacement = _replace(assignment, actor)
    return replacement


def _replace(assignment, actor):
    panel = Panel.objects.select_related("round").get(pk=assignment.panel_id)
    application = Application.objects.select_related("enterprise").get(pk=assignment.application_id)
    members = list(panel.members.filter(is_active=True).order_by("id"))
    chosen, _excluded = _pick(application, members, round_loads(panel.round_id), _taken_pairs(panel),
                              panel.round.same_county_conflict, 1)
    if not chosen:
        audit_record(actor=actor, action="assignment.no_replacement", obj=application,
                     data={"replaced_user": assignment.expert.user_id})
        return None
    replacement = Assignment.objects.create(panel=panel, application=application, expert=chosen[0])
    Assignment.objects.filter(pk=assignment.pk).update(replaced_by=replacement)
    assignment.replaced_by = replacement
    audit_record(actor=actor, action="assignment.created", obj=replacement, to_state=AssignmentStatus.ASSIGNED,
                 data={"how": "replacement", "replaced_user": assignment.expert.user_id})
    return replacement

