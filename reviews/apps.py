from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from core import dashboard, navigation
        from core.audit import register_action_labels, register_note_formats

        from . import notifications, reminders, rules  # noqa: F401  (event subscribers, reminders, permissions)
        from .audit_notes import NOTE_FORMATS
        from .dashboard import review_dashboard
        from .labels import AUDIT_ACTIONS

        navigation.register(_("My reviews"), "reviews:my_assignments", "reviews.view_my_assignments", order=20)
        navigation.register(_("Audits"), "reviews:audit_list", "reviews.view_audits", order=20)
        navigation.register(_("Expert review"), "reviews:home", "reviews.view_review_stage", order=20)
        navigation.register(_("Publicity"), "reviews:publicity_list", "reviews.view_review_stage", order=22)
        navigation.register(_("Support lists"), "reviews:support_lists", "reviews.view_support_lists", order=23)
        dashboard.register(review_dashboard)
        register_action_labels(AUDIT_ACTIONS)
        register_note_formats(NOTE_FORMATS)
