from django.db.models import Q

from .models import AuditLog, Notification


def audit_log_list(*, actor, filters):
    qs = AuditLog.objects.select_related("actor", "content_type")
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("actor"):
        who = filters["actor"]
        qs = qs.filter(Q(actor_name__icontains=who) | Q(actor__first_name__icontains=who)
                       | Q(actor__last_name__icontains=who) | Q(actor__organisation__name__icontains=who)
                       | Q(actor__county__name__icontains=who))
    if filters.get("object"):
        qs = qs.filter(Q(object_repr__icontains=filters["object"]) | Q(object_id=filters["object"]))
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    return qs


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user)
