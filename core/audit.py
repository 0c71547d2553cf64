"""The one helper every state change and authentication event writes through."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .action_labels import PLATFORM_ACTION_LABELS
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


def audit_record(*, actor, action, obj=None, from_state="", to_state="", note="", ip=None):
    """Append one audit row. Call inside the transaction that makes the change."""
    entry = AuditLog(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_name=(actor.get_username() if actor is not None and getattr(actor, "pk", None) else "")[:150],
        ip=ip or current_ip(),
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=note or "",
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:255]
    entry.save()
    return entry
