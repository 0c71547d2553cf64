from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisbursementsConfig(AppConfig):
    name = "disbursements"
    verbose_name = _("Disbursements")

    def ready(self):
        from core import dashboard, navigation
        from core.audit import register_note_formats

        from . import jobs, notifications, receivers, reminders, rules  # noqa: F401
        from .audit_notes import NOTE_FORMATS
        from .dashboard import disbursement_dashboard
        from .navigation import register_nav

        dashboard.register(disbursement_dashboard)
        register_note_formats(NOTE_FORMATS)
        register_nav(navigation.register)
        receivers.connect()  # approved support lists become payable (reviews.signals)
