"""Who hears of an enterprise account's changes: the city bureau (registrations and changed bank or registration
details to verify, in its queue and daily digest) and the enterprise's users (verification, deactivation).

Subscribers of core.events, imported from ``AccountsConfig.ready``. A new colleague's password link is sent by
``colleague_add`` itself: it carries a one-time link that only the request knows how to build.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.events import subscribe
from core.notifications import LazyFormat, announce_event

from .selectors import city_staff
from .services.enterprises import SENSITIVE


@subscribe("enterprise.register")
def registered(event):
    org = event.obj
    announce_event(event, city_staff(), LazyFormat(_("New enterprise registered: %(name)s"), name=org.name),
                   _("Check its registration and verify it."), reverse("accounts:enterprise", args=[org.pk]),
                   email=False)


@subscribe("enterprise.update_profile")
def profile_changed(event):
    """Bank or registration details changed: a verified enterprise went back to the city to verify (and one not
    verified yet is verified on the new details), so the city hears of it."""
    org = event.obj
    changed = {name.strip() for name in event.note.split(",")}
    changed |= {name for value in event.data.values() if isinstance(value, list) for name in value}
    if org.is_verified or not changed & set(SENSITIVE):
        return
    with translation.override(settings.LANGUAGE_CODE):
        labels = "、".join(str(org._meta.get_field(name).verbose_name) for name in SENSITIVE if name in changed)
    announce_event(event, city_staff(),
                   LazyFormat(_("Enterprise changed its bank or registration details: %(name)s"), name=org.name),
                   LazyFormat(_("Changed: %(fields)s. Check and verify the enterprise before any payment."),
                              fields=labels),
                   reverse("accounts:enterprise", args=[org.pk]), email=False)


@subscribe("enterprise.verify")
def verified(event):
    announce_event(event, event.obj.users.filter(is_active=True),
                   _("Your enterprise has been verified by the city bureau"), link=reverse("accounts:company"))


@subscribe("enterprise.activate", "enterprise.deactivate")
def activity_changed(event):
    if event.action == "enterprise.activate":
        subject = _("Your enterprise account has been reactivated")
        body = ""
    else:
        subject = _("Your enterprise account has been deactivated")
        body = LazyFormat(_("Reasons: %(reasons)s"), reasons=event.note)
    announce_event(event, event.obj.users.all(), subject, body)
