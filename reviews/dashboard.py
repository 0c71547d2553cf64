"""The review stage's part of the dashboard: what waits for this expert, auditor, city officer or finance approver
(each counted in one aggregate), and the audit stage of the current calls' stepper."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.dashboard import AUDIT
from applications.figures import current_calls
from applications.selectors import applications_for
from applications.workflow import Status as AppStatus
from core import clock
from core.dashboard import Stage, Waiting, queue_items, stage_state, waiting_counts

from . import selectors
from .models import Audit, AwardProposal, Objection, Panel, Publicity, SupportList
from .workflow import (
    AssignmentStatus,
    AuditStatus,
    ObjectionStatus,
    PanelStatus,
    PublicityStatus,
    ScoreStatus,
    SupportListStatus,
)


def _expert(user):
    open_panels = Q(panel__status=PanelStatus.OPEN)
    counts = waiting_counts(selectors.assignments_for(user), {
        "declare": Waiting(open_panels & Q(status=AssignmentStatus.ASSIGNED), "panel__opened_at",
                           "panel__round__expert_review_date"),
        "score": Waiting(open_panels & Q(status=AssignmentStatus.CONFIRMED) & ~Q(score__status=ScoreStatus.SUBMITTED),
                         "panel__opened_at", "panel__round__expert_review_date"),
    })
    url = reverse("reviews:my_assignments")
    return queue_items(counts, [
        ("declare", _("To declare"), url, _("Declare conflicts of interest first")),
        ("score", _("To score"), url, _("Score and submit")),
    ])


def _auditor(user):
    counts = waiting_counts(selectors.audits_for(user).select_related(None), {
        "audit": Waiting(Q(status=AuditStatus.ASSIGNED), "assigned_at", "application__round__audit_date"),
    })
    return queue_items(counts, [("audit", _("To audit"), reverse("reviews:audit_list"),
                                 _("Enter the audited figures"))])


def _city():
    today = clock.today()
    panels = waiting_counts(Panel.objects.all(), {
        "draft": Waiting(Q(status=PanelStatus.DRAFT), "created_at", "round__expert_review_date"),
    })
    audits = waiting_counts(selectors.audit_candidates_unassigned(), {
        "unassigned": Waiting(Q(), "updated_at", "round__audit_date"),
    })
    objections = waiting_counts(Objection.objects.all(), {
        "objection": Waiting(Q(status=ObjectionStatus.RECEIVED), "submitted_at", "publicity__ends_on"),
    })
    publicity = waiting_counts(Publicity.objects.all(), {
        "to_close": Waiting(Q(status=PublicityStatus.PUBLISHED, ends_on__lt=today), "ends_on"),
    })
    lists = waiting_counts(SupportList.objects.all(), {
        "draft_list": Waiting(Q(status=SupportListStatus.DRAFT), "created_at", "round__budget_listing_date"),
    })
    return queue_items({**panels, **audits, **objections, **publicity, **lists}, [
        ("draft", _("Panels being formed"), reverse("reviews:home"), _("Add members and open the scoring")),
        ("unassigned", _("Proposed awards not yet given to an auditor"), reverse("reviews:audit_list"),
         _("Give them to a third-party auditor")),
        ("objection", _("Objections to handle"), reverse("reviews:publicity_list"),
         _("Record how each was handled")),
        ("to_close", _("Publicity period over, not yet closed"), reverse("reviews:publicity_list"),
         _("Close the publicity to move the list on")),
        ("draft_list", _("Support lists not yet sent to finance"), reverse("reviews:support_lists"),
         _("Submit the list for the finance bureau's approval")),
    ])


def _finance_approver():
    counts = waiting_counts(SupportList.objects.all(), {
        "submitted": Waiting(Q(status=SupportListStatus.SUBMITTED), "proposed_at", "round__budget_listing_date"),
    })
    return queue_items(counts, [("submitted", _("Support lists to approve"), reverse("reviews:support_lists"),
                                 _("Approve, or return with reasons"))])


def _audit_stage(user):
    """The audit stage of each current call: proposed awards given to an auditor or waiting for one, and how many
    audits are submitted (one grouped query)."""
    if not (user.has_perm("applications.view_all_applications") or user.has_perm("applications.intake")):
        return []
    calls = current_calls()
    if not calls:
        return []
    # the candidates read from the audits and the proposals (a few hundred a call), not from every application
    candidates = Audit.objects.values("application_id").union(
        AwardProposal.objects.filter(application__status=AppStatus.REVIEWED).values("application_id"))
    mine = applications_for(user).filter(round__in=[c.pk for c in calls], pk__in=candidates)
    rows = {row["round_id"]: row for row in mine.filter(
        Q(audit__isnull=False) | Q(status=AppStatus.REVIEWED, award_proposal__isnull=False))
        .values("round_id").order_by().annotate(
            total=Count("id"),
            passed=Count("id", filter=Q(audit__status=AuditStatus.SUBMITTED)),
            waiting=Count("id", filter=Q(status=AppStatus.REVIEWED)))}
    stages = []
    for call in calls:
        row = rows.get(call.pk, {"total": 0, "passed": 0, "waiting": 0})
        stages.append(Stage(_("Third-party audit"), f"{call.audit_date:%Y-%m-%d}" if call.audit_date else "",
                            stage_state(waiting=row["waiting"], total=row["total"], deadline=call.audit_date),
                            row["passed"], row["total"], _("audits submitted"), cycle=call.year, order=AUDIT))
    return stages


def review_dashboard(user):
    if user.has_perm("reviews.view_my_assignments"):
        return _expert(user)
    if user.has_perm("reviews.do_audits"):
        return _auditor(user)
    parts = []
    if user.has_perm("reviews.manage_reviews"):
        parts += _city()
    if user.has_perm("reviews.approve_support_list"):
        parts += _finance_approver()
    return parts + _audit_stage(user)
