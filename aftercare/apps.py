from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "aftercare"
    verbose_name = _("Acceptance and clawback")

    def ready(self):
        from core import dashboard, navigation
        from core.audit import register_action_labels, register_note_formats

        from . import followup_receivers, followup_reminders, notifications, reminders, rules  # noqa: F401  (follow-up scheduling and reminders)  # noqa: F401  (subscribers, reminders, permissions)
        from .audit_notes import FOLLOWUP_LABELS, NOTE_FORMATS
        from .dashboard import aftercare_dashboard
        from .followup_dashboard import followup_dashboard

        dashboard.register(aftercare_dashboard)
        dashboard.register(followup_dashboard)
        register_note_formats(NOTE_FORMATS)
        register_action_labels(FOLLOWUP_LABELS)
        navigation.register(_("Project acceptance"), "aftercare:list", "aftercare.view_acceptances", order=56)
        navigation.register(_("Follow-up reports"), "aftercare:followup_list", "aftercare.view_followups", order=57)
