from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from accounts.roles import CITYWIDE_ROLES, Role
        from core import dashboard, navigation

        from . import rules  # noqa: F401  (registers the permissions)
        from .dashboard import application_cards

        navigation.register(_("Apply"), "applications:apply", {Role.ENTERPRISE}, order=10)
        navigation.register(_("My applications"), "applications:list", {Role.ENTERPRISE}, order=11)
        navigation.register(_("Company profile"), "accounts:company", {Role.ENTERPRISE}, order=12)
        navigation.register(_("Application intake"), "applications:list", {Role.COUNTY}, order=10)
        navigation.register(_("Applications"), "applications:list", set(CITYWIDE_ROLES), order=10)
        navigation.register(_("Annual calls"), "applications:calls", {Role.CITY}, order=11)
        navigation.register(_("Enterprises"), "accounts:enterprises", {Role.CITY, Role.COUNTY}, order=12)
        dashboard.register(application_cards)
        from django.db.models.signals import post_delete, post_save

        from accounts.models import County

        from .models import Category, Round
        from .selectors import clear_filter_menus

        for model in (Category, Round, County):
            post_save.connect(clear_filter_menus, sender=model, dispatch_uid=f"menus-save-{model.__name__}")
            post_delete.connect(clear_filter_menus, sender=model, dispatch_uid=f"menus-delete-{model.__name__}")
