"""The support list: proposed by city staff, approved (or returned) by a finance approver."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Round
from applications.selectors import application_search
from core.search import apply_search, parse_search
from core.web import require_perm
from core.workflow import TransitionNotAllowed, allowed_actions

from .. import selectors
from ..forms import SupportListForm, VersionedReasonForm, VersionForm
from ..services.support import (
    support_candidates,
    support_list_approve,
    support_list_create,
    support_list_refresh,
    support_list_remove_entry,
    support_list_return,
    support_list_submit,
)
from ..workflow import SUPPORT_LIST_TRANSITIONS, SupportListStatus
from .common import flash_errors, flash_form_errors, scoped

# The search box of a support list: the entry's copied names, the application's receipt number and credit code.
ENTRY_SEARCH = {"codes": application_search("application__")["codes"], "names": ("enterprise_name", "project_name")}


@require_perm("reviews.view_support_lists")
def support_lists(request):
    lists = selectors.support_lists_for(request.user).order_by("-fund_year", "-id")
    rounds = Round.objects.order_by("-year")
    can_propose = request.user.has_perm("reviews.manage_reviews")
    if request.method == "POST":
        if not can_propose:
            raise PermissionDenied
        round_ = scoped(rounds, request.POST.get("round"))
        form = SupportListForm(request.POST)
        if form.is_valid():
            try:
                support_list = support_list_create(actor=request.user, round_=round_, **form.cleaned_data)
            except (ValidationError, TransitionNotAllowed) as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, _("Support list drafted from the applications that passed publicity."))
                return redirect("reviews:support_list_detail", support_list.pk)
        else:
            flash_form_errors(request, form)
    waiting = {r.pk: support_candidates(r).count() for r in rounds[:3]} if can_propose else {}
    return render(request, "reviews/support_lists.html", {
        "lists": lists, "rounds": rounds, "form": SupportListForm(), "can_propose": can_propose, "waiting": waiting,
    })


@require_perm("reviews.view_support_lists")
def support_list_detail(request, pk):
    return _render_detail(request, scoped(selectors.support_lists_for(request.user), pk))


def _render_detail(request, support_list, typed=None):
    """The list's page; ``typed`` is the reason of a refused removal or return, shown again in its form."""
    entries = list(support_list.entries.select_related("application__county")
                   .order_by("application__category__sort_order", "category_name", "id"))
    q = request.GET.get("q", "")
    shown = entries
    if parse_search(q):  # the total stays the list's; the table shows the entries found
        found = set(apply_search(support_list.entries.all(), q, **ENTRY_SEARCH).values_list("pk", flat=True))
        shown = [e for e in entries if e.pk in found]
    actions = allowed_actions(SUPPORT_LIST_TRANSITIONS, support_list.status, request.user)
    return render(request, "reviews/support_list_detail.html", {
        "support_list": support_list, "entries": shown, "q": q, "searched": shown is not entries,
        "entry_count": len(entries), "total": sum(e.amount for e in entries),
        "actions": actions, "typed": typed or {},
        "can_refresh": (request.user.has_perm("reviews.manage_reviews")
                        and support_list.status == SupportListStatus.DRAFT),
    })


@require_perm("reviews.view_support_lists")
@require_POST
def support_list_action(request, pk, action):
    support_list = scoped(selectors.support_lists_for(request.user), pk)
    check = (VersionedReasonForm if action in ("remove", "return") else VersionForm)(request.POST)
    if not check.is_valid():
        flash_form_errors(request, check)
        return redirect("reviews:support_list_detail", support_list.pk)
    version = check.cleaned_data["version"]
    try:
        if action == "submit":
            support_list_submit(actor=request.user, support_list=support_list, expected_version=version)
            messages.success(request, _("Sent to the finance bureau for approval."))
        elif action == "refresh":
            support_list_refresh(actor=request.user, support_list=support_list, expected_version=version)
            messages.success(request, _("The list was brought up to date."))
        elif action == "approve":
            support_list_approve(actor=request.user, support_list=support_list, expected_version=version)
            messages.success(request, _("Approved: the applications are listed in the budget and payable."))
        elif action == "remove":
            entry = scoped(support_list.entries.all(), request.POST.get("entry"))
            support_list_remove_entry(actor=request.user, entry=entry, reason=check.cleaned_data["reason"],
                                      expected_version=version)
            messages.success(request, _("The application was taken off the list; it can go on a later list."))
        elif action == "return":
            support_list_return(actor=request.user, support_list=support_list, reason=check.cleaned_data["reason"],
                                expected_version=version)
            messages.success(request, _("Returned to the city bureau with your reasons."))
        else:
            raise ValueError(action)
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
        if action in ("remove", "return"):  # what was typed stays in its form
            reason = check.cleaned_data["reason"]
            return _render_detail(request, scoped(selectors.support_lists_for(request.user), pk), {
                "action": action, "reason": reason, "entry": request.POST.get("entry", ""),
                "return_reason": reason if action == "return" else ""})
    return redirect("reviews:support_list_detail", support_list.pk)
