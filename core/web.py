"""Small view helpers shared by every app."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError


def require_perm(perm):
    """login_required + a `rules` permission; without it the page answers 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def error_messages(exc):
    """The user-facing messages of a refused service call (ValidationError or TransitionNotAllowed)."""
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(getattr(exc, "message", None) or exc)]


def flash_errors(request, exc):
    for text in error_messages(exc):
        messages.error(request, text)
