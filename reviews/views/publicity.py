"""City staff: publicity of the proposed support list and the handling of objections."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Round
from core.web import errors_onto, require_perm
from core.workdays import add_working_days
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..forms import ObjectionHandleForm, PublicityForm, VersionForm
from ..models import Objection, Publicity
from ..services.common import config_for
from ..services.publicity import (
    is_open_for_objections,
    objection_handle,
    publicity_candidates,
    publicity_close,
    publicity_close_problems,
    publicity_create,
    publicity_publish,
)
from ..workflow import ObjectionStatus, PublicityStatus
from .common import flash_errors, flash_form_errors, scoped


@require_perm("reviews.view_review_stage")
def publicity_list(request):
    publicities = selectors.publicities_for(request.user).order_by("-created_at")
    rounds = Round.objects.order_by("-year")
    if request.method == "POST":
        if not request.user.has_perm("reviews.manage_reviews"):
            return redirect("reviews:publicity_list")
        round_ = scoped(rounds, request.POST.get("round"))
        form = PublicityForm(request.POST)
        if form.is_valid():
            publicity = publicity_create(actor=request.user, round_=round_, **form.cleaned_data)
            messages.success(request, _("Draft created: check the list, then publish it."))
            return redirect("reviews:publicity_detail", publicity.pk)
        flash_form_errors(request, form)
    return render(request, "reviews/publicity_list.html", {
        "publicities": publicities, "rounds": rounds, "form": PublicityForm(),
        "can_manage": request.user.has_perm("reviews.manage_reviews"),
        "pending_objections": selectors.objections_for(request.user).filter(status=ObjectionStatus.RECEIVED).count(),
    })


@require_perm("reviews.view_review_stage")
def publicity_detail(request, pk):
    return _render_detail(request, scoped(selectors.publicities_for(request.user), pk))


def _render_detail(request, publicity, bound=None):
    """The publicity page; ``bound`` is a refused objection-handling form shown again with what was typed."""
    today = timezone.localdate()
    context = {"publicity": publicity, "today": today, "can_manage": request.user.has_perm("reviews.manage_reviews")}
    if publicity.status == PublicityStatus.DRAFT:
        days = config_for(publicity.round).publicity_working_days
        context.update(candidates=list(publicity_candidates(publicity.round)),
                       preview_end=add_working_days(today, publicity.working_days), config_days=days)
    else:
        objections = list(publicity.objections.select_related("entry", "handled_by").order_by("status",
                                                                                             "submitted_at"))
        entries = publicity.entries.all()
        for objection in objections:
            if bound is not None and bound.prefix == f"o{objection.pk}":
                objection.form = bound
            elif objection.status == ObjectionStatus.RECEIVED:
                objection.form = ObjectionHandleForm(entries=entries, prefix=f"o{objection.pk}",
                                                     initial={"entry": objection.entry_id,
                                                              "version": objection.version})
        context.update(entries=list(entries), objections=objections,
                       open_for_objections=is_open_for_objections(publicity, today),
                       close_problems=publicity_close_problems(publicity, today)
                       if publicity.status == PublicityStatus.PUBLISHED else [])
    return render(request, "reviews/publicity_detail.html", context)


@require_perm("reviews.manage_reviews")
@require_POST
def publicity_action(request, pk, action):
    publicity = scoped(Publicity.objects.select_related("round"), pk)
    check = VersionForm(request.POST)
    if not check.is_valid():
        flash_form_errors(request, check)
        return redirect("reviews:publicity_detail", publicity.pk)
    version = check.cleaned_data["version"]
    try:
        if action == "publish":
            publicity_publish(actor=request.user, publicity=publicity, expected_version=version)
            messages.success(request, _("Published. Objections are accepted until %(end)s.")
                             % {"end": Publicity.objects.get(pk=pk).ends_on})
        elif action == "close":
            publicity_close(actor=request.user, publicity=publicity, expected_version=version)
            messages.success(request, _("The publicity is closed; the applications moved on."))
        else:
            raise ValueError(action)
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
    return redirect("reviews:publicity_detail", publicity.pk)


@require_perm("reviews.manage_reviews")
@require_POST
def objection_handle_view(request, pk):
    objection = scoped(Objection.objects.select_related("publicity"), pk)
    form = ObjectionHandleForm(request.POST, entries=objection.publicity.entries.all(), prefix=f"o{objection.pk}")
    if form.is_valid():
        try:
            objection_handle(actor=request.user, objection=objection,
                             upheld=form.cleaned_data["decision"] == "upheld", note=form.cleaned_data["note"],
                             entry=form.cleaned_data["entry"], expected_version=form.cleaned_data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("The handling of the objection is recorded."))
            return redirect("reviews:publicity_detail", objection.publicity_id)
    # refused: the page again, the decision and the note as typed, the reason next to the form
    return _render_detail(request, scoped(selectors.publicities_for(request.user), objection.publicity_id), form)
