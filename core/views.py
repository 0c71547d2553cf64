from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from .dashboard import cards_for
from .forms import AuditLogFilterForm
from .models import Notification
from .selectors import audit_log_list, notifications_for
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
