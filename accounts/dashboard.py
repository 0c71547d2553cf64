from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import Card
from core.models import AuditLog
from core.selectors import unread_group_count

from .models import County, Organisation, User
from .roles import OrganisationKind


def account_cards(user):
    # items (per day) with unread notifications, as the notifications page and the navbar count them
    unread = unread_group_count(user=user)
    return [Card(_("Items with unread notifications"), unread, reverse("core:notifications") + "?show=unread"),
            *_role_cards(user)]


def _role_cards(user):
    if user.has_perm("accounts.manage_company"):
        return [Card(_("Users of my enterprise"), User.objects.filter(organisation_id=user.organisation_id).count())]
    if user.has_perm("accounts.see_own_county"):
        return [Card(_("Enterprises in my county"),
                     Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, county_id=user.county_id).count())]
    if user.has_perm("accounts.see_every_county"):
        cards = [
            Card(_("Registered enterprises"), Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).count()),
            Card(_("County-level units"), County.objects.count()),
            Card(_("Active users"), User.objects.filter(is_active=True).count()),
        ]
        if user.has_perm("accounts.view_audit_log"):
            cards.append(Card(_("Audit log entries"), AuditLog.objects.count(), reverse("core:audit_log")))
        return cards
    return []
