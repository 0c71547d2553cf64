from django.db.models import Q
from django.utils import translation

from .audit import ACTION_LABELS
from .models import AuditLog, Notification
from .search import apply_search


def _actions_labelled(term):
    """The audit rows whose action code or label (in the reader's language or in English) contains ``term``."""
    needle = term.casefold()
    shown = {code: str(label).casefold() for code, label in ACTION_LABELS.items()}
    with translation.override("en"):
        english = {code: str(label).casefold() for code, label in ACTION_LABELS.items()}
    codes = sorted(code for code in ACTION_LABELS
                   if needle in code.casefold() or needle in shown[code] or needle in english[code])
    return Q(action__in=codes) if codes else Q()


def audit_log_list(*, actor, filters):
    """The audit log, newest first; ``q`` searches the object, the actor's name and the action."""
    qs = AuditLog.objects.select_related("actor", "content_type")
    qs = apply_search(qs, filters.get("q"), names=("object_repr", "actor_name"), more=_actions_labelled)
    if filters.get("action"):
        qs = qs.filter(action__icontains=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor_name__icontains=filters["actor"])
    if filters.get("object"):
        qs = qs.filter(Q(object_repr__icontains=filters["object"]) | Q(object_id=filters["object"]))
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    return qs


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user)
