"""Helpers shared by the application views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Application
from ..selectors import application_detail, applications_for


def scoped_application(request, pk, *, detail=False):
    """The application if the user may see it; 404 otherwise (ids leak nothing)."""
    try:
        if detail:
            return application_detail(request.user, pk)
        return applications_for(request.user).select_related("round", "category", "enterprise", "county").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404(_("No such application."))


def error_messages(exc):
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(getattr(exc, "message", None) or exc)]


def flash_errors(request, exc):
    for text in error_messages(exc):
        messages.error(request, text)


def query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
