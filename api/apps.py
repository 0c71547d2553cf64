from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("Data interface")

    def ready(self):
        from core.audit import register_action_labels
        from core.navigation import register

        from . import rules  # noqa: F401  (named permissions)

        register_action_labels({
            "api.call": _("Data interface called"),
            "api.token_issue": _("Interface token issued"),
            "api.token_revoke": _("Interface token revoked"),
        })
        register(_("Interface tokens"), "api:tokens", "api.manage_tokens", order=95)
