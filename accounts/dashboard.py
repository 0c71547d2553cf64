"""The accounts' part of the dashboard: enterprises waiting for the city bureau's verification."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import Waiting, queue_items, waiting_counts

from .models import Organisation
from .roles import OrganisationKind


def account_dashboard(user):
    if not user.has_perm("accounts.verify_enterprises"):
        return []
    counts = waiting_counts(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE), {
        "unverified": Waiting(Q(is_verified=False), "created_at")})
    return queue_items(counts, [("unverified", _("Enterprises waiting for verification"),
                                 f"{reverse('accounts:enterprises')}?verified=no",
                                 _("Check the registration against the business licence"))])
