from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from .models import County, Organisation, User


class VersionBumpingAdmin(admin.ModelAdmin):
    """For records with an optimistic lock (core.locking): an admin save is a change too, so every form opened
    elsewhere before it is refused as stale; the version itself is not editable here."""

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "version")

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = models.F("version") + 1
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((None, {"fields": ("role", "organisation", "county", "phone")}),)
    list_display = ("username", "first_name", "role", "organisation", "county", "is_active")
    list_filter = ("role", "is_active", "county")
    list_select_related = ("organisation", "county")


@admin.register(Organisation)
class OrganisationAdmin(VersionBumpingAdmin):
    list_display = ("name", "kind", "credit_code", "county", "is_active")
    list_filter = ("kind", "county", "is_active")
    search_fields = ("name", "credit_code")
    list_select_related = ("county",)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "division_code", "abbreviation", "kind", "sort_order")
