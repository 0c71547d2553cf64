"""One helper for every workflow transition in the platform.

Each workflow model declares a status field and a table ``{(from_status, action): (to_status, roles)}``
in its app's ``workflow.py``. ``transition`` checks the table and the actor's role, locks the row,
writes the change and an audit row in one transaction. Side effects go out with ``on_commit``.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .locking import check_version


class TransitionNotAllowed(PermissionDenied):
    """The table does not allow this action from this state for this role. Nothing was changed."""

    def __init__(self, message=None):
        super().__init__(message or _("This action is not allowed in the current state."))
        self.message = message or _("This action is not allowed in the current state.")


@dataclass(frozen=True)
class Move:
    source: str
    action: str
    target: str
    roles: frozenset


def moves(table):
    return [Move(src, act, dst, frozenset(roles)) for (src, act), (dst, roles) in table.items()]


def allowed_actions(table, status, user):
    """The actions ``user`` may take from ``status``, in table order (the table's roles are its data)."""
    role = getattr(user, "role", None)
    return [act for (src, act), (_dst, roles) in table.items() if src == status and role in roles]


def transition(obj, action, *, actor, table, field="status", note="", extra_updates=None, audit_action=None,
               expected_version=None, data=None):
    """Move ``obj`` along ``action``; returns the locked, updated instance.

    ``expected_version`` is the version the actor's page was opened with (None: the caller is code, not a
    form). It is compared with the row's version after the row is locked, so of two concurrent moves made
    from the same page state only the first passes: the second raises core.locking.StaleEdit.

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
