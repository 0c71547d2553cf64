from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from core import dashboard, navigation
        from core.audit import register_note_formats

        from . import notifications, rules  # noqa: F401  (registers the event subscribers and the permissions)
        from .audit_notes import NOTE_FORMATS
        from .dashboard import evaluation_dashboard
        from .services import reports  # noqa: F401  (registers the report's job function)

        navigation.register(_("Performance evaluation"), "evaluation:index", "evaluation.view_evaluation", order=60)
        navigation.register(_("Counties compared"), "evaluation:county_comparison", "evaluation.compare_counties",
                            order=61)
        navigation.register(_("Satisfaction surveys"), "evaluation:my_surveys", "evaluation.answer_survey", order=60)
        dashboard.register(evaluation_dashboard)
        register_note_formats(NOTE_FORMATS)
