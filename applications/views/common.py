"""Helpers shared by the application views."""

from django.http import Http404
from django.utils.translation import gettext as _

from core.web import error_messages, flash_errors  # noqa: F401 (re-exported to the views)

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




def query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
