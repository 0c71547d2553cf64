"""Read-mostly admin for support staff; every state change goes through the services and pages."""

from django.contrib import admin

from .models import Audit, ExpertProfile, Panel, Publicity, ReviewConfig, SupportList


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "employer_name", "county", "is_active"]
    list_filter = ["is_active", "county"]
    search_fields = ["name", "employer_name", "employer_credit_code"]
    raw_id_fields = ["user"]


@admin.register(ReviewConfig)
class ReviewConfigAdmin(admin.ModelAdmin):
    list_display = ["round", "experts_per_application", "aggregation_method", "publicity_working_days"]


class ReadOnlyStatusAdmin(admin.ModelAdmin):
    """Status fields change only through the workflow (audited); the admin shows them read-only."""

    readonly_fields = ["status", "version"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Panel)
class PanelAdmin(ReadOnlyStatusAdmin):
    list_display = ["name", "round", "category", "status"]
    list_filter = ["status", "round"]
    filter_horizontal = ["members"]


@admin.register(Audit)
class AuditAdmin(ReadOnlyStatusAdmin):
    list_display = ["application", "firm", "status", "audited_investment", "audited_amount"]
    list_filter = ["status", "firm"]
    raw_id_fields = ["application"]


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyStatusAdmin):
    list_display = ["title", "round", "starts_on", "ends_on", "status"]


@admin.register(SupportList)
class SupportListAdmin(ReadOnlyStatusAdmin):
    list_display = ["title", "fund_year", "status", "approved_by"]
