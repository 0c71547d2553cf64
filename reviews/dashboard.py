"""Dashboard cards of the review stage: what waits for this user (one count or aggregate per card)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import Card

from . import selectors
from .models import Objection, Panel, Publicity, SupportList
from .workflow import (
    AssignmentStatus,
    AuditStatus,
    ObjectionStatus,
    PanelStatus,
    PublicityStatus,
    ScoreStatus,
    SupportListStatus,
)


def review_cards(user):
    if user.has_perm("reviews.view_my_assignments"):
        mine = selectors.assignments_for(user).filter(panel__status=PanelStatus.OPEN).aggregate(
            declare=Count("id", filter=Q(status=AssignmentStatus.ASSIGNED)),
            score=Count("id", filter=Q(status=AssignmentStatus.CONFIRMED)
                        & ~Q(score__status=ScoreStatus.SUBMITTED)))
        url = reverse("reviews:my_assignments")
        return [Card(_("To declare"), mine["declare"], url, _("Declare conflicts of interest first")),
                Card(_("To score"), mine["score"], url, _("Score and submit"))]
    if user.has_perm("reviews.do_audits"):
        count = selectors.audits_for(user).filter(status=AuditStatus.ASSIGNED).count()
        return [Card(_("To audit"), count, reverse("reviews:audit_list"), _("Enter the audited figures"))]
    if user.has_perm("reviews.manage_reviews"):
        panels = Panel.objects.aggregate(draft=Count("id", filter=Q(status=PanelStatus.DRAFT)),
                                         open=Count("id", filter=Q(status=PanelStatus.OPEN)))
        publicity = Publicity.objects.filter(status=PublicityStatus.PUBLISHED).count()
        objections = Objection.objects.filter(status=ObjectionStatus.RECEIVED).count()
        return [
            Card(_("Panels scoring"), panels["open"], reverse("reviews:home"),
                 _("%(n)d panels still being formed") % {"n": panels["draft"]}),
            Card(_("Publicity running"), publicity, reverse("reviews:publicity_list")),
            Card(_("Objections to handle"), objections, reverse("reviews:publicity_list"),
                 _("Record how each was handled")),
        ]
    if user.has_perm("reviews.approve_support_list"):
        count = SupportList.objects.filter(status=SupportListStatus.SUBMITTED).count()
        return [Card(_("Support lists to approve"), count, reverse("reviews:support_lists"))]
    if user.has_perm("reviews.receive_support_lists"):
        count = SupportList.objects.filter(status=SupportListStatus.APPROVED).count()
        return [Card(_("Approved support lists"), count, reverse("reviews:support_lists"))]
    return []
