"""Small view helpers shared by every app."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError


def require_perm(perm, fn=None):
    """login_required + a `rules` permission; without it the page answers 403.

    ``fn(request, *args, **kwargs)`` fetches the object for an object permission; it raises Http404 for an
    object outside the user's scope, so a foreign object answers 404 before the permission is asked.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn is not None else None
            if not request.user.has_perm(perm, obj):
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
