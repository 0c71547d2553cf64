from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from .audit_notes import annotate
from .audit_rows import audit_rows_html
from .dashboard import dashboard_for
from .forms import AuditLogFilterForm
from .jobs import job_title
from .models import JobStatus, Notification
from .paging import page_of
from .selectors import (
    audit_log_list,
    audit_log_statement,
    jobs_for,
    notification_groups,
    notifications_in_groups,
    object_labels,
)
from .services import notification_mark_read as mark_one_read
from .services import notifications_mark_all_read
from .uploads import UploadTooLarge, upload_max_bytes
from .web import BadParameter, int_list, redirect_next, require_perm


def home(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return redirect("accounts:login")


@login_required
def dashboard(request):
    user = request.user
    return render(request, "core/dashboard.html", {"board": dashboard_for(user), "role_label": user.get_role_display()})


@require_perm("accounts.view_audit_log")
def audit_log(request):
    form = AuditLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # counted up to the cap, its last page read backwards (core.paging): no OFFSET through millions of rows
    page, query = page_of(request, audit_log_list(actor=request.user, filters=filters), 50,
                          statement=audit_log_statement(actor=request.user, filters=filters))
    technical = request.user.has_perm("accounts.view_audit_technical")
    entries = annotate(page.object_list, technical=technical)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "entries": entries, "query": query,
                                                   "rows": audit_rows_html(entries, technical=technical)})


@login_required
def notifications(request):
    """The digest: the user's notifications grouped per item and day, newest first (unread only or all)."""
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(notification_groups(user=request.user, unread_only=unread_only), 20).get_page(
        request.GET.get("page"))
    rows = list(page.object_list)
    items = {}
    for item in notifications_in_groups(user=request.user, groups=rows, unread_only=unread_only):
        items.setdefault((item.group, item.day), []).append(item)
    labels = object_labels(row["group"] for row in rows)
    groups = []
    for row in rows:
        members = items.get((row["group"], row["day"]), [])
        groups.append({**row, "label": labels.get(row["group"], ""), "items": members,
                       "unread_ids": [n.pk for n in members if n.read_at is None],
                       "link": next((n.link for n in members if n.link), "")})
    return render(request, "core/notifications.html", {
        "page": page, "groups": groups, "unread_only": unread_only, "query": "show=unread" if unread_only else ""})


@login_required
@require_POST
def notifications_mark_read(request):
    """Mark read all the user's notifications, or those of one digest group (``ids``)."""
    ids = int_list(request.POST.getlist("ids"), name="ids") if "ids" in request.POST else None
    notifications_mark_all_read(actor=request.user, ids=ids)
    return redirect_back(request)


@login_required
@require_POST
def notification_mark_read(request, pk):
    try:
        marked = mark_one_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if marked:
        messages.info(request, _("Notification marked as read."))
    return redirect_back(request)


def redirect_back(request):
    """Back to the notifications page the user was on (same filter and page)."""
    return redirect_next(request, "core:notifications")


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

def _error_page(template, status, context=None, request=None):
    # the data interface (/api/) answers its callers in JSON, also for a URL that matches nothing
    if request is not None and request.path.startswith(settings.API_PATH_PREFIX):
        detail = (context or {}).get("detail") or _ERROR_DETAILS[status]
        return JsonResponse({"detail": str(detail)}, status=status)
    return HttpResponse(render_to_string(template, context), status=status)


_ERROR_DETAILS = {
    400: _lazy("Bad request."),
    403: _lazy("Forbidden."),
    404: _lazy("Not found."),
    413: _lazy("The request is too large."),
    500: _lazy("Server error."),
}


def error_400(request, exception=None):
    # An upload over UPLOAD_MAX_BYTES, refused while it streamed in (core.uploads), gets its own page and HTTP 413.
    if isinstance(exception, UploadTooLarge):
        return _error_page("413.html", 413, {"limit": upload_max_bytes()}, request)
    # Only our own messages about a malformed number are shown; other 400s (e.g. a bad Host) stay generic.
    detail = str(exception) if isinstance(exception, BadParameter) else ""
    return _error_page("400.html", 400, {"detail": detail}, request)


def error_403(request, exception=None):
    return _error_page("403.html", 403, request=request)


def csrf_failure(request, reason=""):
    return _error_page("403.html", 403)


def error_404(request, exception=None):
    return _error_page("404.html", 404, request=request)


def error_500(request):
    return _error_page("500.html", 500, request=request)
