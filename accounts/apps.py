from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from core import dashboard, navigation
        from core.audit import register_note_formats

        from . import bank_account_notifications, notifications, signals  # noqa: F401  (event subscribers, auth signal receivers)
        from .audit_notes import NOTE_FORMATS
        from .dashboard import account_dashboard
        from .rules import permission_key

        dashboard.register(account_dashboard)
        navigation.permission_key(permission_key)
        register_note_formats(NOTE_FORMATS)
        navigation.register(_("Company profile"), "accounts:company", "accounts.manage_company", order=12)
        navigation.register(_("Enterprises"), "accounts:enterprises", "accounts.view_enterprises", order=12)
        navigation.register(_("Bank-account changes"), "accounts:bank_changes", "accounts.view_bank_changes",
                            order=13)
        # The counties are reference data: put them back whenever the table was flushed (tests) or emptied.
        from .counties import ensure_counties

        post_migrate.connect(ensure_counties, sender=self, dispatch_uid="accounts.ensure_counties")
