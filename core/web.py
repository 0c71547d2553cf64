"""Small view helpers shared by every app."""

import re
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


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


def errors_onto(form, exc, field_map=None):
    """A refused service call on its form: the errors of a ValidationError next to the field they name (through
    ``field_map`` where the service's names differ from the form's), the rest above the form."""
    field_map = field_map or {}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            name = field_map.get(key, key)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error_messages(exc))


def form_step(form, call, *, done, again):
    """A posted form that calls a service: ``call(cleaned_data)``, then ``done()`` (a redirect) when the form is
    valid and the service accepts it; else ``again()`` (the page again, 400), the form keeping what was typed and
    carrying the refusal (``errors_onto``)."""
    from .workflow import TransitionNotAllowed

    if form.is_valid():
        try:
            call(form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            return done()
    return again()


def flash_errors(request, exc):
    for text in error_messages(exc):
        messages.error(request, text)


# --- redirect targets -------------------------------------------------------------------------------------

def safe_next(request, fallback, target=None):
    """The ``next`` target of the request (POST, then GET, or ``target`` when given) if it stays on this site,
    else ``fallback`` (a URL name or path for ``redirect``). Every redirect back to a caller-chosen page goes
    through here: an absolute URL to another host, a scheme-relative ``//host`` or a ``javascript:`` URL falls
    back, and on HTTPS an ``http://`` URL of this host does too."""
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def redirect_next(request, fallback, *args, target=None):
    """``redirect`` to the request's safe ``next`` target, else to ``fallback`` (with ``args``)."""
    chosen = safe_next(request, None, target=target)
    return redirect(chosen) if chosen else redirect(fallback, *args)


# --- numbers and ids from a request ------------------------------------------------------------------------

DB_INT_MAX = 2**31 - 1  # PostgreSQL integer; ids (bigint) never come near it in this platform
_INTEGER = re.compile(r"-?[0-9]{1,10}", re.ASCII)


class BadParameter(BadRequest):
    """A malformed number or id in a request: the handler answers 400 with a Chinese page."""


def parse_int(value, *, min=0, max=DB_INT_MAX):  # noqa: A002 - the names of the bounds
    """``value`` as an int if it is ASCII digits (an optional leading minus) within [min, max], else None.
    Fullwidth, Arabic-Indic or superscript digits, exponents, spaces, NUL and overlong values are refused."""
    if not isinstance(value, str) or not _INTEGER.fullmatch(value):
        return None
    number = int(value)
    return number if min <= number <= max else None


def int_param(value, *, min=0, max=DB_INT_MAX, default=None, name=""):  # noqa: A002
    """A number or id from a request. Missing or empty gives ``default``; anything else malformed or out of
    bounds raises BadParameter (400)."""
    if value is None or value == "":
        return default
    number = parse_int(value, min=min, max=max)
    if number is None:
        raise BadParameter(_("The value “%(value)s” of %(name)s is not a valid number.")
                           % {"value": str(value)[:20], "name": name or _("a field")})
    return number


def int_list(values, *, min=1, max=DB_INT_MAX, name=""):  # noqa: A002
    """A list of ids (e.g. ticked boxes): every one must be valid, else BadParameter (400)."""
    return [int_param(v, min=min, max=max, name=name) for v in values if v != ""]


class StrictIntegerField(forms.IntegerField):
    """A form's IntegerField that takes ASCII digits only (Django's own turns "１" into 1 and accepts "1e3" as
    a float spelling), bounded to the database's integer range."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value if -DB_INT_MAX - 1 <= value <= DB_INT_MAX else None
        else:
            number = parse_int(str(value).strip(), min=-DB_INT_MAX - 1)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def pk_url(name, *leading):
    """A function pk -> the URL of the view ``name`` (its arguments: ``leading``, then one ``<int:pk>``), reversed
    once: a list's links cost a string each instead of a ``reverse`` each."""
    from django.urls import reverse

    marker = "987654321"
    head, tail = reverse(name, args=[*leading, int(marker)]).rsplit(marker, 1)
    return lambda pk: f"{head}{int(pk)}{tail}"
