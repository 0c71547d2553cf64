from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisbursementsConfig(AppConfig):
    name = "disbursements"
    verbose_name = _("Disbursements")

    def ready(self):
        from core import dashboard, navigation

        from . import jobs, receivers, reminders, rules  # noqa: F401
        from .dashboard import disbursement_cards
        from .navigation import register_nav

        dashboard.register(disbursement_cards)
        register_nav(navigation.register)
        receivers.connect()  # approved support lists become payable (reviews.signals)
