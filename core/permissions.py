"""Permissions: the services' one guard, the scope Q shared by lists and object rules, the rules backend.

``require`` raises TransitionNotAllowed (a PermissionDenied) which the views catch already, so a refused call
shows its message and changes nothing, whichever way it came in.
"""

import functools

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rules.permissions import ObjectPermissionBackend

from .workflow import TransitionNotAllowed


def require(user, perm, obj=None, *, message=None):
    """Raise TransitionNotAllowed unless ``user`` has ``perm`` (on ``obj`` where given)."""
    if user is None or not user.has_perm(perm, obj):
        raise TransitionNotAllowed(message or _("Your role may not perform this action."))


def q_matches(obj, q):
    """Does the saved ``obj`` satisfy ``q``, decided in Python without a query?

    For scope filters that are a plain AND of ``path=value``, ``path__in=values`` and ``path__isnull=bool``
    conditions (nested Q objects allowed; a path may follow relations, ``panel__status``, which reads the
    related object as the instance already holds it or loads it), so that one Q both filters a list and
    decides access to one object. Anything else raises ValueError rather than guessing.
    """
    if q is None:
        return False
    if q.connector != Q.AND:
        raise ValueError("q_matches handles AND only")
    results = [q_matches(obj, child) if isinstance(child, Q) else _condition(obj, *child) for child in q.children]
    return (not all(results)) if q.negated else all(results)


def _condition(obj, lookup, value):
    *path, last = lookup.split("__")
    if last not in ("exact", "in", "isnull"):
        path, last = [*path, last], "exact"
    current = obj
    for name in path:
        try:
            current = getattr(current, name)
        except AttributeError:
            raise ValueError(f"q_matches cannot decide {lookup}") from None
    if last == "isnull":
        return (current is None) == bool(value)
    if last == "in":
        return current in value
    return current == value


class RulesBackend(ObjectPermissionBackend):
    """The `rules` backend, authoritative for the permissions it names.

    A named `rules` permission is decided by its predicate alone: when the predicate says no, the answer is no,
    without asking the model backend (which would also run its permission queries on every refused check, and
    would let a model permission granted in the admin stand in for a rule). Names that are also Django model
    permissions (e.g. ``applications.view_application``) fall through as before, so the admin site keeps its
    model permissions.
    """

    def has_perm(self, user, perm, *args, **kwargs):
        if not rules.perm_exists(perm):
            return False
        if rules.has_perm(perm, user, *args, **kwargs):
            return True
        if perm not in model_permissions():
            raise PermissionDenied  # stops Django's backend loop: the rule has decided
        return False


@functools.cache
def model_permissions():
    from django.apps import apps

    names = set()
    for model in apps.get_models():
        meta = model._meta
        names |= {f"{meta.app_label}.{action}_{meta.model_name}" for action in meta.default_permissions}
        names |= {f"{meta.app_label}.{codename}" for codename, _name in meta.permissions}
    return frozenset(names)
