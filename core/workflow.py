"""One helper for every workflow transition in the platform.

Each workflow model declares a status field and a table ``{(from_status, action): (to_status, roles)}``
in its app's ``workflow.py``. ``roles`` may be a ``Distinct`` set: the roles allowed, plus the rule that the
actor must not be a person who performed one of the named earlier actions on the same object (separation of
duties, read from the audit rows). ``transition`` checks the table and the actor's role, locks the row,
writes the change and an audit row in one transaction. Side effects go out with ``on_commit``.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .locking import check_version
from .models import AuditLog


class TransitionNotAllowed(PermissionDenied):
    """The table does not allow this action from this state for this role. Nothing was changed."""

    def __init__(self, message=None):
        super().__init__(message or _("This action is not allowed in the current state."))
        self.message = message or _("This action is not allowed in the current state.")


class Distinct(frozenset):
    """The roles of a table entry whose actor must differ from whoever performed one of ``from_actions`` (audit
    action codes, e.g. ``"application.disqualify"``) on the same object before: ``Distinct(CITY,
    from_actions=(...), message=_("..."))``. It is a frozenset of the roles, so role checks read it unchanged."""

    def __new__(cls, roles, *, from_actions, message=None):
        made = super().__new__(cls, roles)
        made.from_actions = tuple(str(action) for action in from_actions)
        made.message = message
        return made

    def __or__(self, other):
        return Distinct(frozenset(self) | frozenset(other), from_actions=self.from_actions, message=self.message)

    def __reduce__(self):
        return (_distinct, (frozenset(self), self.from_actions, self.message))


def _distinct(roles, from_actions, message):
    return Distinct(roles, from_actions=from_actions, message=message)


@dataclass(frozen=True)
class Move:
    source: str
    action: str
    target: str
    roles: frozenset
    # audit actions whose actor may not make this move on the same object (empty: no such rule)
    distinct_from: tuple = ()


def moves(table):
    return [Move(src, act, dst, frozenset(roles), getattr(roles, "from_actions", ()))
            for (src, act), (dst, roles) in table.items()]


def earlier_actors(obj, from_actions):
    """Ids of the users who performed any of ``from_actions`` on ``obj`` (from the audit rows)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return set(AuditLog.objects.filter(content_type=content_type, object_id=str(obj.pk), action__in=from_actions,
                                       actor__isnull=False).values_list("actor_id", flat=True))


def check_distinct(obj, roles, actor):
    """TransitionNotAllowed when ``roles`` is a Distinct set and ``actor`` performed one of its earlier actions
    on ``obj``."""
    from_actions = getattr(roles, "from_actions", ())
    if from_actions and getattr(actor, "pk", None) in earlier_actors(obj, from_actions):
        raise TransitionNotAllowed(roles.message or _(
            "This decision must be taken by a different person from the one who took the earlier decision."))


def allowed_actions(table, status, user, obj=None):
    """The actions ``user`` may take from ``status``, in table order (the table's roles are its data). With
    ``obj``, actions that a Distinct rule refuses to this user on that object are left out."""
    role = getattr(user, "role", None)
    actions = [act for (src, act), (_dst, roles) in table.items() if src == status and role in roles]
    if obj is None:
        return actions
    barred = set()
    for act in actions:
        roles = table[(status, act)][1]
        if getattr(roles, "from_actions", ()) and user.pk in earlier_actors(obj, roles.from_actions):
            barred.add(act)
    return [act for act in actions if act not in barred]


def transition(obj, action, *, actor, table, field="status", note="", extra_updates=None, audit_action=None,
               expected_version=None, data=None):
    """Move ``obj`` along ``action``; returns the locked, updated instance.

    ``expected_version`` is the version the actor's page was opened with (None: the caller is code, not a
    form). It is compared with the row's version after the row is locked, so of two concurrent moves made
    from the same page state only the first passes: the second raises core.locking.StaleEdit.

    ``data`` is stored on the audit row as its structured facts (see core.audit.audit_record).

    Raises TransitionNotAllowed (or StaleEdit) and changes nothing when the move is not in the table for the
    actor's role or the object's state changed under us. ``note`` and ``data`` go to the audit row as in
    ``core.audit.audit_record``.
    """
    model = type(obj)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        check_version(locked, expected_version)
        source = getattr(locked, field)
        entry = table.get((source, action))
        if entry is None:
            raise TransitionNotAllowed()
        target, roles = entry
        if getattr(actor, "role", None) not in roles:
            raise TransitionNotAllowed(_("Your role may not perform this action."))
        check_distinct(locked, roles, actor)
        setattr(locked, field, target)
        update_fields = [field]
        for name, value in (extra_updates or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        if hasattr(locked, "version"):
            locked.version = (locked.version or 0) + 1
            update_fields.append("version")
        if hasattr(locked, "updated_at"):
            update_fields.append("updated_at")
        locked.save(update_fields=update_fields)
        audit_record(actor=actor, action=audit_action or action, obj=locked,
                     from_state=source, to_state=target, note=note, data=data)
    # keep the caller's instance in step
    for name in update_fields:
        setattr(obj, name, getattr(locked, name))
    return locked
