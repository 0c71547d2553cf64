from django.contrib import admin
from django.db.models import F

from accounts.admin import VersionBumpingAdmin
from core.admin import ReadOnlyAdmin

from .models import (
    Application,
    ApplicationVersion,
    Attachment,
    AwardRule,
    Category,
    Material,
    Programme,
    QualificationDecision,
    Round,
)


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ("name", "is_three_upgrades", "is_green_manufacturing", "above_scale_only", "min_eligible_investment",
              "sort_order")


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0


class AwardRuleInline(admin.StackedInline):
    model = AwardRule


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_basis")


@admin.register(Round)
class RoundAdmin(VersionBumpingAdmin):
    list_display = ("year", "title", "opens_at", "closes_at", "total_budget", "is_published")
    inlines = [CategoryInline]

    def save_formset(self, request, form, formset, change):
        changed = [f.instance.pk for f in formset.forms if f.instance.pk and f.has_changed()]
        super().save_formset(request, form, formset, change)
        Category.objects.filter(pk__in=changed).update(version=F("version") + 1)  # their open pages become stale


@admin.register(Category)
class CategoryAdmin(VersionBumpingAdmin):
    list_display = ("name", "round", "is_three_upgrades", "is_green_manufacturing", "above_scale_only")
    list_filter = ("round",)
    inlines = [AwardRuleInline, MaterialInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through the services (workflow table, audit, notifications)."""

    list_display = ("receipt_no", "project_name", "enterprise", "county", "category", "status", "requested_amount")
    list_filter = ("round", "status", "county")
    search_fields = ("receipt_no", "project_name", "enterprise__name")
    list_select_related = ("enterprise", "county", "category")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "application", "material", "size", "sha256", "is_current", "uploaded_at")
    search_fields = ("sha256", "original_name")
    list_select_related = ("application", "material")

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(ApplicationVersion)
admin.site.register(QualificationDecision)
