"""The support list: city staff propose the applications that passed publicity into the budget; a finance
approver approves it, which lists them in the budget and makes them payable."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application
from applications.workflow import Status as AppStatus
from core import clock
from core.audit import audit_record, yuan
from core.locking import check_version, locked_for_edit, save_versioned
from core.permissions import require
from core.workflow import TransitionNotAllowed, transition

from ..models import SupportList, SupportListEntry
from ..workflow import SUPPORT_LIST_TRANSITIONS, AppAction, SupportListStatus
from . import payable
from .common import ReviewError, move_application, require_reason


def support_candidates(round_):
    """Applications of the round that passed publicity and are on no support list yet."""
    return (Application.objects.filter(round=round_, status=AppStatus.PUBLICITY_PASSED, support_entries__isnull=True)
            .select_related("enterprise", "category", "award_proposal")
            .order_by("category__sort_order", "category_id", "id"))


def _entry_for(support_list, application):
    return SupportListEntry(support_list=support_list, application=application,
                            enterprise_name=application.enterprise.name, project_name=application.project_name,
                            category_name=application.category.name, amount=application.award_proposal.final_amount)


def support_list_create(*, actor, round_, title=""):
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff propose the support list."))
    with transaction.atomic():
        candidates = list(support_candidates(round_))
        if not candidates:
            raise ReviewError(_("No application has passed publicity without being on a support list."),
                              code="empty")
        support_list = SupportList.objects.create(
            round=round_, fund_year=round_.year, proposed_by=actor,
            title=(title or "").strip() or _("%(year)s support list") % {"year": round_.year})
        SupportListEntry.objects.bulk_create([_entry_for(support_list, a) for a in candidates])
        audit_record(actor=actor, action="support_list.created", obj=support_list, to_state=support_list.status,
                     data={"entries": len(candidates)})
    return support_list


def support_list_refresh(*, actor, support_list, expected_version=None):
    """While a draft: add newly passed applications and take the current award amounts."""
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff change the support list."))
    with transaction.atomic(durable=True):
        support_list = locked_for_edit(support_list, expected_version)
        if support_list.status != SupportListStatus.DRAFT:
            raise ReviewError(_("Only a draft support list can change."), code="not_draft")
        added = [_entry_for(support_list, a) for a in support_candidates(support_list.round)]
        SupportListEntry.objects.bulk_create(added)
        for entry in support_list.entries.select_related("application__award_proposal"):
            amount = entry.application.award_proposal.final_amount
            if entry.amount != amount:
                entry.amount = amount
                entry.save(update_fields=["amount"])
        save_versioned(support_list, [])
        audit_record(actor=actor, action="support_list.refreshed", obj=support_list,
                     data={"entries_added": len(added)})
    return support_list


def support_list_submit(*, actor, support_list, expected_version=None):
    if not support_list.entries.exists():
        raise ReviewError(_("The support list is empty."), code="empty")
    with transaction.atomic():
        support_list = transition(support_list, "submit", actor=actor, table=SUPPORT_LIST_TRANSITIONS,
                                  extra_updates={"proposed_by": actor, "proposed_at": clock.now(),
                                                 "return_note": ""},
                                  expected_version=expected_version, audit_action="support_list.submit")
    return support_list


def support_list_return(*, actor, support_list, reason, expected_version=None):
    reason = require_reason(reason, _("Give the reasons for the return."))
    with transaction.atomic(durable=True):
        support_list = transition(support_list, "return", actor=actor, table=SUPPORT_LIST_TRANSITIONS, note=reason,
                                  extra_updates={"return_note": reason}, expected_version=expected_version,
                                  audit_action="support_list.return")
    return support_list


def support_list_remove_entry(*, actor, entry, reason, expected_version=None):
    """City staff take one application off a draft list (it stays "publicity passed" for a later list)."""
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff change the support list."))
    reason = require_reason(reason, _("Give the reason for taking the application off the list."))
    with transaction.atomic():
        support_list = SupportList.objects.select_for_update().get(pk=entry.support_list_id)
        check_version(support_list, expected_version)
        if support_list.status != SupportListStatus.DRAFT:
            raise ReviewError(_("Only a draft support list can change."), code="not_draft")
        save_versioned(support_list, [])
        audit_record(actor=actor, action="support_list.entry_removed", obj=support_list,
                     note=reason, data={"enterprise": entry.enterprise_name, "amount_yuan": yuan(entry.amount)})
        entry.delete()
    return support_list


def support_list_approve(*, actor, support_list, approved_at=None, expected_version=None):
    """Approve: every application on the list is listed in the budget and made payable (disbursements).

    ``approved_at`` (default now) is the date of the budget approval the payment deadlines count from.
    """
    if support_list.proposed_by_id == actor.pk:  # four eyes: the proposer never approves (the table: who may)
        raise TransitionNotAllowed(_("The person who proposed the list cannot approve it."))
    now = approved_at or clock.now()
    with transaction.atomic():
        support_list = transition(support_list, "approve", actor=actor, table=SUPPORT_LIST_TRANSITIONS,
                                  extra_updates={"approved_by": actor, "approved_at": now},
                                  expected_version=expected_version, audit_action="support_list.approve")
        for entry in support_list.entries.select_related("application"):
            move_application(entry.application, AppAction.BUDGET_LIST, actor=actor,
                             data={"support_list": support_list.title, "amount_yuan": yuan(entry.amount)})
            if entry.amount > 0:
                payable.make_payable(actor=actor, application=entry.application, amount=entry.amount,
                                     approved_at=now)
    return support_list
