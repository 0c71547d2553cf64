"""One application: its page (stepper, fields, files, versions, history, actions), downloads, PDF, comparison."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import sqlcache
from core.audit_notes import annotate
from core.audit_rows import history_rows_html
from core.models import AuditLog
from core.web import int_param
from core.workflow import TransitionNotAllowed, allowed_actions

from ..compare import compare_versions, version_rows
from ..credit import credit_panel
from ..forms import ActionForm, ReReviewForm
from ..models import Application, ApplicationVersion, Attachment, ReReviewEvidence
from ..pdf import application_pdf
from ..selectors import detail_rows
from ..services import perform
from ..services.qualification import re_review_used
from ..services.uploads import EVIDENCE_MAX_FILES, EVIDENCE_SLOT
from ..workflow import ACTION_STYLE, REASON_REQUIRED, TRANSITIONS, Action, Status
from .common import flash_errors, scoped_application


def available_actions(application, user, decisions=None):
    """The buttons of the detail page: what the table allows this role from this status (submit has its page);
    ``decisions``: the qualification decisions the page read already."""
    actions = [a for a in allowed_actions(TRANSITIONS, application.status, user, obj=application) if a != Action.SUBMIT]
    if Action.REQUEST_RE_REVIEW in actions and re_review_used(application, decisions):
        actions.remove(Action.REQUEST_RE_REVIEW)
    labels = dict(Action.choices)
    return [
        {"name": a, "label": labels[a], "style": ACTION_STYLE.get(a, "outline-secondary"),
         "needs_reason": a in REASON_REQUIRED, "needs_rank": a == Action.FORWARD,
         "optional_note": a not in REASON_REQUIRED}
        for a in actions
    ]


def history(application, user):
    full = user.has_perm("applications.see_full_history")  # else the application's own steps only

    def build(pk, kind):
        entries = (AuditLog.objects.filter(content_type_id=kind, object_id=str(pk))
                   .select_related("actor__organisation", "actor__county").order_by("created_at", "id"))
        return entries if full else entries.filter(action__startswith="application.")

    entries = sqlcache.rows(("application_history", full), build, pk=application.pk,
                             kind=ContentType.objects.get_for_model(Application).pk)
    return annotate(entries, technical=user.has_perm("accounts.view_audit_technical"))


def award_ceiling(application):
    """What the award rule allows for the entered figures; None when there is no rule or no base figure yet
    (an unknown ceiling, not a ceiling of zero)."""
    rule = getattr(application.category, "award_rule", None)
    if rule is None or rule.known_base(application) is None:
        return None
    return rule.compute(application)


@login_required
def detail(request, pk):
    application = scoped_application(request, pk, detail=True)
    user = request.user
    rows = detail_rows(user, application, duplicates=user.has_perm("applications.see_duplicates"))
    context_actions = available_actions(application, user, rows.decisions)
    entries = history(application, user)
    context = {
        "application": application,
        "actions": context_actions,
        "slots": [(m, rows.attachments.get(m.pk)) for m in rows.materials],
        "versions": rows.versions,
        "decisions": rows.decisions,
        # documents sent with a re-review request (only an application that asked for one can have them)
        "evidence": list(application.re_review_evidence.all()) if application.re_review_reason else [],
        "history": entries,
        "history_rows": history_rows_html(entries),
        "duplicates": rows.duplicates,
        "can_edit": user.has_perm("applications.edit_application", application),
        "award_ceiling": award_ceiling(application),
        "credit": credit_panel(user, application),
        "credit_reason_typed": (request.session.pop("credit_reason_typed")
                                if "credit_reason_typed" in request.session else ""),
        # the first decider of a re-review sees why the decision buttons are not theirs
        "re_review_barred": application.status == Status.RE_REVIEW and any(
            a in allowed_actions(TRANSITIONS, application.status, user) for a in (Action.QUALIFY, Action.DISQUALIFY))
        and not any(a["name"] in (Action.QUALIFY, Action.DISQUALIFY) for a in context_actions),
    }
    return render(request, "applications/detail.html", context)


@login_required
@require_POST
def action(request, pk):
    application = scoped_application(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("applications:detail", pk)
    data = form.cleaned_data
    try:
        perform(application, data["action"], actor=request.user, note=data["note"], rank=data["rank"],
                expected_version=data["version"])
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": dict(Action.choices).get(data["action"], "")})
    return redirect("applications:detail", pk)


@login_required
@require_http_methods(["GET", "POST"])
def request_re_review(request, pk):
    """The re-review request page: the reasons and supporting documents. A refused document keeps what was typed."""
    application = scoped_application(request, pk)
    if Action.REQUEST_RE_REVIEW not in [a["name"] for a in available_actions(application, request.user)]:
        messages.error(request, _("A re-review cannot be requested for this application now."))
        return redirect("applications:detail", pk)
    form = ReReviewForm(request.POST or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        try:
            perform(application, Action.REQUEST_RE_REVIEW, actor=request.user, note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"], files=request.FILES.getlist("evidence"))
        except (ValidationError, TransitionNotAllowed) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc.message))
        else:
            messages.success(request, _("Re-review requested. The city bureau has been told."))
            return redirect("applications:detail", pk)
    return render(request, "applications/re_review.html", {
        "application": application, "form": form, "slot": EVIDENCE_SLOT, "max_files": EVIDENCE_MAX_FILES,
    }, status=400 if request.method == "POST" else 200)


@login_required
def evidence_download(request, pk, evidence_id):
    """A re-review document, to the people who may see the application (404 otherwise)."""
    application = scoped_application(request, pk)
    return _stored_file(get_object_or_404(ReReviewEvidence, application=application, pk=evidence_id))


@login_required
def download(request, pk, attachment_id):
    """Files go out only through here: in scope, as an attachment, with the detected content type."""
    application = scoped_application(request, pk)
    return _stored_file(get_object_or_404(Attachment, application=application, pk=attachment_id))


def _stored_file(upload):
    """An uploaded file (attachment or re-review document) as a download with its detected content type."""
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage."))
    return FileResponse(handle, as_attachment=True, filename=upload.original_name, content_type=upload.content_type)


@login_required
def pdf(request, pk):
    application = scoped_application(request, pk)
    versions = ApplicationVersion.objects.filter(application=application).order_by("-number")
    number = int_param(request.GET.get("v"), min=1, name=_("the version"))
    version = versions.filter(number=number).first() if number is not None else versions.first()
    if version is None:
        raise Http404(_("This application has not been submitted yet: there is no PDF."))
    content = application_pdf(application, version)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{application.receipt_no or application.pk}-v{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def compare(request, pk):
    application = scoped_application(request, pk)
    versions = {v.number: v for v in ApplicationVersion.objects.filter(application=application)}
    if len(versions) < 2:
        messages.info(request, _("There is only one submitted version: nothing to compare yet."))
        return redirect("applications:detail", pk)
    numbers = sorted(versions)
    a = int_param(request.GET.get("a"), min=1, default=numbers[-2], name=_("the version"))
    b = int_param(request.GET.get("b"), min=1, default=numbers[-1], name=_("the version"))
    if a not in versions or b not in versions:
        raise Http404
    return render(request, "applications/compare.html", {
        "application": application, "numbers": numbers, "a": versions[a], "b": versions[b],
        "rows": compare_versions(versions[a].data, versions[b].data),
        "rows_a": version_rows(versions[a].data),
    })
