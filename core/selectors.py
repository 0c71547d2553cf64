from django.db.models import Q

from .models import AuditLog, Job, Notification


def audit_log_list(*, actor, filters):
    qs = AuditLog.objects.select_related("actor", "content_type")
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


def jobs_for(user):
    """A user's own background jobs: nobody else may see or download them (another user's job is a 404)."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)
