from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from accounts.roles import CITYWIDE_ROLES, FINANCE_ROLES, Role
        from core import dashboard, navigation
        from core.audit import register_action_labels

        from . import rules  # noqa: F401  (registers the permissions)
        from .dashboard import review_cards
        from .labels import AUDIT_ACTIONS

        navigation.register(_("My reviews"), "reviews:my_assignments", {Role.EXPERT}, order=20)
        navigation.register(_("Audits"), "reviews:audit_list", {Role.AUDITOR}, order=20)
        navigation.register(_("Expert review"), "reviews:home", set(CITYWIDE_ROLES) - set(FINANCE_ROLES), order=20)
        navigation.register(_("Publicity"), "reviews:publicity_list", {Role.CITY, Role.OFFICIAL}, order=22)
        navigation.register(_("Support lists"), "reviews:support_lists", {Role.CITY, *FINANCE_ROLES}, order=23)
        dashboard.register(review_cards)
        register_action_labels(AUDIT_ACTIONS)
