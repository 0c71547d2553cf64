"""The one helper every state change and authentication event writes through."""

from django.contrib.contenttypes.models import ContentType

from .middleware import current_ip
from .models import AuditLog


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
