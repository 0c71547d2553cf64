"""Views of the evaluation app, one module per page group. Helpers shared by them live here."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from ..selectors import years_for

VIEW = "evaluation.view_evaluation"
EDIT = "evaluation.edit_evaluation"
EXPORT = "evaluation.export_evaluation"


def requires(perm):
    """Log-in plus a permission; others get 403 (the evaluation pages exist for every staff member)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_year(request, year):
    return get_object_or_404(years_for(request.user), year=year)


def error_text(exc):
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)
