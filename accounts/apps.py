from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from core import dashboard

        from . import signals  # noqa: F401
        from .dashboard import account_cards

        dashboard.register(account_cards)
