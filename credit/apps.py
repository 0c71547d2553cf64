from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "credit"
    verbose_name = _("Credit screening")

    def ready(self):
        from core.audit import register_action_labels, register_note_formats
        from core.navigation import register

        from . import rules  # noqa: F401
        from .audit_notes import NOTE_FORMATS

        register_note_formats(NOTE_FORMATS)

        register_action_labels({
            "credit.list_import": _("Credit list imported"),
            "registry.import": _("Enterprise registry imported"),
            # written on applications by applications/credit.py (staff see them in the full history)
            "credit.check": _("Credit screening"),
            "credit.clearance_propose": _("Credit screening: reason recorded"),
            "credit.clearance_confirm": _("Credit screening: reason confirmed"),
        })
        register_note_formats({"registry.import": _("%(count)s enterprises, figures of %(year)s, delivered by "
                                                    "%(source)s")})
        register(_("Credit lists"), "credit:lists", "credit.view_lists", order=75)
        register(_("Enterprise registry"), "credit:registry", "credit.import_registry", order=76)
