"""The one helper every state change and authentication event writes through."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .action_labels import PLATFORM_ACTION_LABELS
from .events import Event, dispatch
from .middleware import current_ip
from .models import AuditLog

# Human-readable names of audit actions; apps add theirs with register_action_labels() in ready().
ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "auth.locked_out": _("Login locked"),
    "auth.password_changed": _("Password changed"),
    "auth.password_reset_requested": _("Password reset requested"),
    "auth.password_reset": _("Password reset"),
    "auth.2fa_enrolled": _("Authenticator enrolled"),
    "auth.2fa_verified": _("Two-factor code accepted"),
    "auth.2fa_failed": _("Two-factor code refused"),
    **PLATFORM_ACTION_LABELS,
}


def register_action_labels(labels):
    ACTION_LABELS.update(labels)


def action_label(action):
    return ACTION_LABELS.get(action, action)


# How each action's structured data reads, per action code: a lazy text with %(key)s placeholders filled from
# the row's ``data`` (rendered by core.audit_notes in the reader's language). Apps register theirs in ready().
NOTE_FORMATS = {}


def register_note_formats(formats):
    NOTE_FORMATS.update(formats)


def yuan(amount):
    """An amount for an audit row's ``data`` (keys ending in ``_yuan``): a decimal string in 元, None when unknown."""
    return None if amount is None else str(amount)


def audit_entry(*, actor, action, obj=None, from_state="", to_state="", note="", data=None, ip=None, actor_name="",
                created_at=None):
    """One audit row, unsaved: what ``audit_record`` writes, and what a demo writes in bulk for the past steps it
    dates itself (``created_at``; no event is sent for those)."""
    known = actor is not None and getattr(actor, "pk", None)
    entry = AuditLog(
        actor=actor if known else None, actor_name=(actor.get_username() if known else actor_name)[:150],
        ip=ip, action=action, from_state=str(from_state or ""), to_state=str(to_state or ""), note=note or "",
        data=data or {})
    if created_at is not None:
        entry.created_at = created_at
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:255]
    return entry


def audit_record(*, actor, action, obj=None, from_state="", to_state="", note="", data=None, ip=None,
                 actor_name=""):
    """Append one audit row and hand the event to its subscribers. Call inside the transaction that makes the
    change.

    ``note`` is what a person typed (a reason, a comment) and is shown as typed. ``data`` holds the facts the
    code knows, as JSON values, never as prose: amounts in 元 as decimal strings under keys ending in
    ``_yuan``, counts as integers, people as user ids under keys ending in ``_user``, and technical detail
    (checksums, row numbers of a file) under keys starting with ``tech_``, which only administrators see.
    ``actor_name`` names an actor that is not a user, e.g. another government system calling the API.
    """
    entry = audit_entry(actor=actor, action=action, obj=obj, from_state=from_state, to_state=to_state, note=note,
                        data=data, ip=ip or current_ip(), actor_name=actor_name)
    entry.save()
    dispatch(Event(action=action, actor=actor, obj=obj, data=entry.data, note=entry.note,
                   from_state=entry.from_state, to_state=entry.to_state, entry=entry))
    return entry
