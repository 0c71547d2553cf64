"""Who still has work before the review stage's deadlines of a call (applications/reminders.py sends the
reminders): experts with unsubmitted scores, the audit firms' users with unsubmitted audits, city staff with a
publicity to publish or to close, and the support list to approve before the budget listing."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import city_staff
from applications.reminders import recipients, register_deadline

from .models import Assignment, Audit, Publicity, SupportList
from .workflow import ACTIVE_ASSIGNMENT, AuditStatus, PublicityStatus, ScoreStatus, SupportListStatus


def _open_publicities(call):
    return Publicity.objects.filter(round=call, status=PublicityStatus.PUBLISHED)


def publicity_closable_on(call):
    """The first day a published publicity of the call may be closed: the day after its period ends."""
    ends = _open_publicities(call).order_by("ends_on").values_list("ends_on", flat=True).first()
    return ends + datetime.timedelta(days=1) if ends else None


register_deadline("publicity_close", _("Publicity period over"), publicity_closable_on,
                  _("The publicity period of this call is over: handle the objections received and close the "
                    "publicity."))


@recipients("expert_review_date")
def experts_with_unfinished_scores(call):
    pending = (Assignment.objects.filter(panel__round=call, status__in=ACTIVE_ASSIGNMENT)
               .filter(Q(score__isnull=True) | Q(score__status=ScoreStatus.DRAFT))
               .values_list("expert__user_id", flat=True))
    link = reverse("reviews:my_assignments")
    return dict.fromkeys(User.objects.filter(pk__in=set(pending), is_active=True), link)


@recipients("audit_date")
def auditors_with_open_audits(call):
    firms = set(Audit.objects.filter(application__round=call, status=AuditStatus.ASSIGNED)
                .values_list("firm_id", flat=True))
    link = reverse("reviews:audit_list")
    return dict.fromkeys(User.objects.filter(role=Role.AUDITOR, organisation_id__in=firms, is_active=True), link)


@recipients("publicity_date")
def city_staff_before_publicity(call):
    if Publicity.objects.filter(round=call).exclude(status=PublicityStatus.DRAFT).exists():
        return {}
    link = reverse("reviews:publicity_list")
    return dict.fromkeys(city_staff(), link)


@recipients("publicity_close")
def city_staff_to_close_publicity(call):
    publicity = _open_publicities(call).order_by("ends_on").first()
    if publicity is None:
        return {}
    return dict.fromkeys(city_staff(), reverse("reviews:publicity_detail", args=[publicity.pk]))


@recipients("budget_listing_date")
def support_list_to_approve(call):
    lists = SupportList.objects.filter(round=call)
    if lists.filter(status=SupportListStatus.APPROVED).exists():
        return {}
    submitted = lists.filter(status=SupportListStatus.SUBMITTED).first()
    if submitted is not None:  # waiting for the finance bureau's approval
        link = reverse("reviews:support_list_detail", args=[submitted.pk])
        return dict.fromkeys(User.objects.filter(role=Role.FINANCE_APPROVER, is_active=True), link)
    return dict.fromkeys(city_staff(), reverse("reviews:support_lists"))
