from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .dashboard import cards_for
from .forms import AuditLogFilterForm
from .jobs import job_title
from .models import JobStatus, Notification
from .selectors import audit_log_list, jobs_for, notifications_for
from .services import notification_mark_read as mark_one_read
from .services import notifications_mark_all_read
from .uploads import UploadTooLarge, upload_max_bytes
from .web import BadParameter, require_perm


def home(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return redirect("accounts:login")


@login_required
def dashboard(request):
    user = request.user
    return render(request, "core/dashboard.html", {"cards": cards_for(user), "role_label": user.get_role_display()})


@require_perm("accounts.view_audit_log")
def audit_log(request):
    form = AuditLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(audit_log_list(actor=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def notifications(request):
    page = Paginator(notifications_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    notifications_mark_all_read(actor=request.user)
    return redirect("core:notifications")


@login_required
@require_POST
def notification_mark_read(request, pk):
    try:
        marked = mark_one_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if marked:
        messages.info(request, _("Notification marked as read."))
    return redirect("core:notifications")


def _job(request, pk):
    return get_object_or_404(jobs_for(request.user), pk=pk)


@require_perm("core.use_platform")
def job_detail(request, pk):
    job = _job(request, pk)
    return render(request, "core/job.html", {"job": job, "title": job_title(job.kind)})


@require_perm("core.use_platform")
def job_progress(request, pk):
    job = _job(request, pk)
    return render(request, "core/_job_progress.html", {"job": job, "title": job_title(job.kind)})


@require_perm("core.use_platform")
def job_download(request, pk):
    job = _job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename or job.file.name)
    response["Cache-Control"] = "private, no-store"
    return response


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# The error pages are rendered without the request: no context processor runs (navigation and notification
# counts read the database, which may be what failed), and nothing about the URL conf or the error is shown.

def _error_page(template, status, context=None):
    return HttpResponse(render_to_string(template, context), status=status)


def error_400(request, exception=None):
    # An upload over UPLOAD_MAX_BYTES, refused while it streamed in (core.uploads), gets its own page and HTTP 413.
    if isinstance(exception, UploadTooLarge):
        return _error_page("413.html", 413, {"limit": upload_max_bytes()})
    # Only our own messages about a malformed number are shown; other 400s (e.g. a bad Host) stay generic.
    detail = str(exception) if isinstance(exception, BadParameter) else ""
    return _error_page("400.html", 400, {"detail": detail})


def error_403(request, exception=None):
    return _error_page("403.html", 403)


def csrf_failure(request, reason=""):
    return _error_page("403.html", 403)


def error_404(request, exception=None):
    return _error_page("404.html", 404)


def error_500(request):
    return _error_page("500.html", 500)
