"""Helpers shared by the review views: 404 scoping, error display."""


from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from applications.models import Round
from core.web import error_messages, flash_errors, int_param, redirect_next  # noqa: F401 (re-exported)


def scoped(qs, pk):
    """``qs.get(pk=pk)`` or 404: objects outside the user's scope do not exist for them."""
    try:
        return qs.get(pk=int_param(pk, min=1, name="id") if isinstance(pk, str) else pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(_("Not found."))


def get_round(pk):
    return scoped(Round.objects.all(), pk)


def flash_form_errors(request, form):
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, text)


def back(request, fallback, *args):
    """Redirect to the page the form was on (same site only), else ``fallback``."""
    return redirect_next(request, fallback, *args, target=request.POST.get("next", ""))


def send_file(field, name, content_type="application/pdf"):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("The file is missing."))
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
