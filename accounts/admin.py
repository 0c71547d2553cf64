from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import County, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((None, {"fields": ("role", "organisation", "county", "phone")}),)
    list_display = ("username", "first_name", "role", "organisation", "county", "is_active")
    list_filter = ("role", "is_active", "county")
    list_select_related = ("organisation", "county")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "county", "is_active")
    list_filter = ("kind", "county", "is_active")
    search_fields = ("name", "credit_code")
    list_select_related = ("county",)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "division_code", "abbreviation", "kind", "sort_order")
