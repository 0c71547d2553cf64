from django.contrib import admin

from .models import AuditLog, Notification


class ReadOnly:
    """For admins of records that change only through services (workflow table, audit, notifications)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "ip", "action", "object_repr", "from_state", "to_state")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_repr", "note")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "subject", "read_at", "emailed_at")
    list_select_related = ("recipient",)
