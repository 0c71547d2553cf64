"""Views of the evaluation app, one module per page group. Helpers shared by them live here."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ..selectors import years_for

VIEW = "evaluation.view_evaluation"
EDIT = "evaluation.edit_evaluation"
EXPORT = "evaluation.export_evaluation"


def get_year(request, year):
    return get_object_or_404(years_for(request.user), year=year)


def error_text(exc):
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)
