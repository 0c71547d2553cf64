from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from accounts.roles import Role
        from core import dashboard, navigation

        from .dashboard import evaluation_cards

        navigation.register(_("Performance evaluation"), "evaluation:index", {Role.CITY, Role.OFFICIAL}, order=60)
        navigation.register(_("Satisfaction surveys"), "evaluation:my_surveys", {Role.ENTERPRISE}, order=60)
        dashboard.register(evaluation_cards)
