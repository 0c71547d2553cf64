"""The enterprise's pages: eligibility pre-check, starting and editing a draft with its uploads, submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.web import int_param, require_perm
from core.workflow import TransitionNotAllowed

from ..forms import ApplicationForm, SubmitForm
from ..models import Attachment, Category
from ..selectors import open_round, published_rounds
from ..services import (
    application_create_draft,
    application_submit,
    draft_edit,
    round_eligibility,
    submission_problems,
)
from ..services.submission import submission_deadline, window_error
from ..workflow import EDITABLE, Status
from .common import flash_errors, scoped_application


@require_perm("applications.apply")
def apply(request):
    """The open call with each category: eligible or why not, and the enterprise's own applications in it."""
    current = open_round()
    checks, upcoming = [], None
    if current is not None:
        current = published_rounds().prefetch_related("categories__award_rule", "categories__materials").get(
            pk=current.pk)
        checks = round_eligibility(request.user.organisation, current)
    else:
        upcoming = published_rounds().filter(opens_at__gt=timezone.now()).order_by("opens_at").first()
    return render(request, "applications/apply.html", {
        "round": current, "checks": checks, "upcoming": upcoming, "enterprise": request.user.organisation,
    })


@login_required
@require_POST
@require_perm("applications.apply")
def start(request, category_id):
    category = get_object_or_404(Category.objects.select_related("round"), pk=category_id,
                                 round__is_published=True)
    try:
        application = application_create_draft(actor=request.user, category=category,
                                               project_name=request.POST.get("project_name", "")[:200])
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
        return redirect("applications:apply")
    messages.success(request, _("Draft created. Fill in the form and upload the materials; save as often as you like."))
    return redirect("applications:edit", application.pk)


def _slots(application, upload_errors=None):
    current = {a.material_id: a for a in Attachment.objects.filter(application=application, is_current=True)}
    return [
        {"material": m, "attachment": current.get(m.pk), "errors": (upload_errors or {}).get(m.pk, [])}
        for m in application.category.materials.all()
    ]


def _save_edit(request, application):
    """One post of the draft page through ``draft_edit``: the fields, then each upload and the removal, all against
    the version the page was opened with. A stale page changes nothing at all and keeps what was typed.
    Returns (form, application, upload_errors, redirect or None)."""
    remove = int_param(request.POST.get("remove"), min=1, name=_("the file to remove"))  # before anything is saved
    form = ApplicationForm(request.POST, instance=application)
    valid = form.is_valid()
    uploads = {m.pk: request.FILES[f"file_{m.pk}"] for m in application.category.materials.all()
               if f"file_{m.pk}" in request.FILES}
    try:
        result = draft_edit(actor=request.user, application=application,
                            expected_version=request.POST.get("version", ""),
                            fields=form.cleaned_data if valid else None, uploads=uploads,
                            remove_material_id=remove)
    except ValidationError as exc:  # the service's own check of the values (the form normally catches them first)
        form.add_error(None, exc)
        messages.error(request, _("Nothing was saved yet: correct the fields marked below."))
        return form, application, {}, None
    application, upload_errors = result.application, result.upload_errors
    if result.stale is not None:
        form.add_error(None, result.stale)  # the message sits above the form, what was typed below
        return form, application, upload_errors, None
    if result.removed is not None:
        messages.info(request, _("The file of “%(material)s” was removed.") % {"material": result.removed.name})
    if result.saved and not upload_errors:
        if request.POST.get("next") == "submit":
            return form, application, upload_errors, redirect("applications:submit", application.pk)
        messages.success(request, _("Draft saved."))
        return form, application, upload_errors, redirect("applications:edit", application.pk)
    # keep what was typed, with the version this post ended at, so the next save is not refused as stale
    data = request.POST.copy()
    data["version"] = application.version
    form = ApplicationForm(data, instance=application)
    form.is_valid()
    if result.saved:
        messages.warning(request, _("The form was saved, but some files were refused: see the messages next to "
                                    "the materials."))
    else:
        messages.error(request, _("Nothing was saved yet: correct the fields marked below."))
    return form, application, upload_errors, None


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    application = scoped_application(request, pk)
    if not request.user.has_perm("applications.prepare_application", application):
        raise Http404
    if application.status not in EDITABLE:
        messages.info(request, _("This application has been submitted and can no longer be edited."))
        return redirect("applications:detail", application.pk)
    upload_errors = {}
    if request.method == "POST":
        form, application, upload_errors, done = _save_edit(request, application)
        if done is not None:
            return done
    else:
        form = ApplicationForm(instance=application)
    return render(request, "applications/edit.html", {
        "application": application, "form": form, "slots": _slots(application, upload_errors),
        "problems": submission_problems(application) if request.method == "GET" else [],
        "deadline": submission_deadline(application.round, resubmission=application.status == Status.RETURNED),
    })


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk):
    application = scoped_application(request, pk)
    if not request.user.has_perm("applications.prepare_application", application):
        raise Http404
    if application.status not in EDITABLE:
        return redirect("applications:detail", application.pk)
    resubmission = application.status == Status.RETURNED
    form = SubmitForm(request.POST or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        try:
            application = application_submit(application=application, actor=request.user,
                                             declaration=form.cleaned_data["declaration"],
                                             expected_version=form.cleaned_data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Submitted. Your receipt number is %(no)s; your county bureau checks the "
                                        "application next.") % {"no": application.receipt_no})
            return redirect("applications:detail", application.pk)
    return render(request, "applications/submit.html", {
        "application": application, "form": form, "problems": submission_problems(application),
        "window_problem": window_error(application.round, resubmission=resubmission),
        "deadline": submission_deadline(application.round, resubmission=resubmission),
        "slots": _slots(application),
    })
