"""Who hears of the review stage: experts, audit firms, publicity and objections, the support list.

Subscribers of core.events (imported from ``ReviewsConfig.ready``), run inside the step's transaction. The
enterprise is told what decides its award (publicity with the proposed amount and the objection deadline, the
outcome of an objection about its project, the support list's approval with the amount) by e-mail too; staff hear
of work arriving in their queue in-app and in the daily digest e-mail (``email=False``).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import city_staff
from applications.notifications import tell_about
from applications.services.common import enterprise_users
from applications.workflow import Status as AppStatus
from core.events import subscribe
from core.money import format_wan
from core.notifications import LazyFormat, announce

from .models import Assignment, Publicity, SupportListEntry
from .workflow import ACTIVE_ASSIGNMENT, PanelStatus, PublicityStatus, SupportListStatus


class Wan:
    """An amount in 元 shown in 万元 with its unit, formatted when the text is rendered (in Chinese)."""

    def __init__(self, yuan):
        self.yuan = yuan

    def __str__(self):
        return format_wan(self.yuan, unit=True)


def tell_item(event, users, subject, body="", *, link="", email=False, obj=None):
    announce(users, subject, body, link, kind=event.action, obj=obj or event.obj, email=email)


# Experts ---------------------------------------------------------------------------------------------------

@subscribe("assignment.created")
def expert_assigned(event):
    """An assignment made while the panel is open reaches the expert now (before, the panel's opening does)."""
    assignment = Assignment.objects.select_related("panel", "expert__user", "application").get(pk=event.obj.pk)
    replaced = Assignment.objects.filter(replaced_by=assignment).select_related("expert").first()
    if replaced is not None:
        application = assignment.application
        tell_about(event, city_staff(), LazyFormat(
            _("Conflict declared by %(expert)s; replacement proposed: %(new)s"),
            expert=replaced.expert.name, new=assignment.expert.name), email=False,
            link=reverse("reviews:panel_detail", args=[assignment.panel_id]), application=application)
    if assignment.panel.status == PanelStatus.OPEN:
        tell_item(event, [assignment.expert.user], LazyFormat(_("New application to review: %(project)s"),
                                                               project=assignment.application.project_name),
                  link=reverse("reviews:my_assignments"), obj=assignment.panel)


@subscribe("assignment.no_replacement")
def no_replacement(event):
    latest = Assignment.objects.filter(application=event.obj).order_by("-id").first()
    link = reverse("reviews:panel_detail", args=[latest.panel_id]) if latest else None
    expert = User.objects.filter(pk=event.data.get("replaced_user")).first()
    body = LazyFormat(_("No eligible panel member is left to replace %(expert)s."),
                      expert=expert.get_full_name() if expert else "—")
    tell_about(event, city_staff(), _("Conflict declared, no replacement available"), body, email=False, link=link)


@subscribe("panel.open")
def panel_opened(event):
    panel = event.obj
    users = User.objects.filter(expert_profile__assignments__panel=panel, is_active=True,
                                expert_profile__assignments__status__in=ACTIVE_ASSIGNMENT).distinct()
    tell_item(event, users, LazyFormat(_("Expert review opened: %(panel)s"), panel=panel.name),
              _("The applications assigned to you are open: declare any conflict of interest, then score them."),
              link=reverse("reviews:my_assignments"))


@subscribe("panel.close")
def panel_closed(event):
    panel = event.obj
    users = User.objects.filter(expert_profile__assignments__panel=panel,
                                expert_profile__assignments__score__isnull=False).distinct()
    tell_item(event, users, LazyFormat(_("Expert review closed: %(panel)s"), panel=panel.name),
              link=reverse("reviews:panel_summary", args=[panel.pk]))


@subscribe("score.reopen")
def score_reopened(event):
    score = event.obj
    assignment = Assignment.objects.select_related("expert__user", "application").get(pk=score.assignment_id)
    tell_item(event, [assignment.expert.user], LazyFormat(_("Your score was reopened: %(project)s (%(receipt)s)"),
                                                          project=assignment.application.project_name,
                                                          receipt=assignment.application.receipt_no),
              LazyFormat(_("Reasons: %(reasons)s"), reasons=event.note),
              link=reverse("reviews:score", args=[assignment.pk]), obj=assignment.application)


# Audit firms -----------------------------------------------------------------------------------------------

@subscribe("audit.assigned", "audit.reassigned")
def audit_assigned(event):
    audit = event.obj
    auditors = User.objects.filter(organisation_id=audit.firm_id, role=Role.AUDITOR, is_active=True)
    tell_about(event, auditors, _("New audit task"), link=reverse("reviews:audit_detail", args=[audit.pk]),
               email=False, application=audit.application)


@subscribe("application.submit_audit")
def audit_submitted(event):
    tell_about(event, city_staff(), _("Audit submitted"), email=False,
               link=reverse("reviews:award", args=[event.obj.pk]))


# Publicity and objections ----------------------------------------------------------------------------------

@subscribe("application.publish")
def publicity_started(event):
    application = event.obj
    publicity = (Publicity.objects.filter(round_id=application.round_id, status=PublicityStatus.PUBLISHED)
                 .order_by("-published_at", "-id").first())
    amount = application.award_proposal.final_amount
    tell_about(event, enterprise_users(application), _("Your project is in publicity"), LazyFormat(
        _("Proposed award: %(amount)s.\nThe list is published from %(start)s to %(end)s. Until %(end)s anyone may "
          "object in writing with their real name through the public publicity page: %(page)s"),
        amount=Wan(amount), start=publicity.starts_on.isoformat(), end=publicity.ends_on.isoformat(),
        page=reverse("publicity:detail", args=[publicity.pk])))


@subscribe("objection.received")
def objection_received(event):
    objection = event.obj
    publicity = objection.publicity
    subject = LazyFormat(_("Objection received: %(title)s"), title=publicity.title)
    body = (LazyFormat(_("Concerning: %(project)s"), project=objection.entry.project_name)
            if objection.entry_id else _("Concerning the whole list."))
    tell_item(event, city_staff(), subject, body, link=reverse("reviews:publicity_detail", args=[publicity.pk]),
              obj=publicity)


@subscribe("objection.uphold", "objection.reject")
def objection_handled(event):
    objection = event.obj
    if not objection.entry_id:
        return
    application = objection.entry.application
    if event.action == "objection.uphold":
        subject = _("An objection to your project was upheld")
        body = LazyFormat(_("Handling: %(note)s\nThe project is taken off the list when the publicity closes."),
                          note=event.note)
    else:
        subject = _("An objection to your project was rejected")
        body = LazyFormat(_("Handling: %(note)s"), note=event.note)
    tell_about(event, enterprise_users(application), subject, body, application=application)


@subscribe("application.pass_publicity")
def publicity_passed(event):
    tell_about(event, enterprise_users(event.obj), _("Your project passed the publicity"),
               _("The support list goes to the finance bureau for approval next."))


# "application.disqualify" from the review stage: not supported after the review, or an upheld objection.
NOT_SELECTED_STATES = {AppStatus.REVIEWED, AppStatus.IN_PUBLICITY}


@subscribe("application.disqualify")
def not_selected(event):
    if event.from_state not in NOT_SELECTED_STATES:
        return
    tell_about(event, enterprise_users(event.obj), _("Your project is not supported"),
               LazyFormat(_("Reasons: %(reasons)s"), reasons=event.note))


# Support list ----------------------------------------------------------------------------------------------

def _support_link(support_list):
    return reverse("reviews:support_list_detail", args=[support_list.pk])


@subscribe("support_list.submit")
def support_list_submitted(event):
    approvers = User.objects.filter(role=Role.FINANCE_APPROVER, is_active=True)
    tell_item(event, approvers, LazyFormat(_("Support list to approve: %(title)s"), title=event.obj.title),
              link=_support_link(event.obj))


@subscribe("support_list.return")
def support_list_returned(event):
    tell_item(event, city_staff(), LazyFormat(_("Support list returned: %(title)s"), title=event.obj.title),
              LazyFormat(_("Reasons: %(reasons)s"), reasons=event.note), link=_support_link(event.obj))


@subscribe("support_list.approve")
def support_list_approved(event):
    tell_item(event, city_staff(), LazyFormat(_("Support list approved: %(title)s"), title=event.obj.title),
              link=_support_link(event.obj))


@subscribe("application.budget_list")
def listed_in_budget(event):
    application = event.obj
    entry = (SupportListEntry.objects.filter(application=application,
                                             support_list__status=SupportListStatus.APPROVED)
             .select_related("support_list").order_by("-support_list__approved_at", "-id").first())
    tell_about(event, enterprise_users(application), _("Your project is on the approved support list"),
               LazyFormat(_("Award: %(amount)s (%(list)s). The finance bureau pays it to your enterprise's bank "
                            "account; you are told when it is paid."), amount=Wan(entry.amount),
                          list=entry.support_list.title))
