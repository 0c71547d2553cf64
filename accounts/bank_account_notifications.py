"""Who hears of a bank-account change: the verifiers when it is requested, the enterprise when it is decided."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.events import subscribe
from core.notifications import LazyFormat, announce_event

from .models import User
from .roles import Role


def verifiers_of(organisation):
    """The people who may verify a change of ``organisation``'s bank account: its county's staff and the city's."""
    county_staff = User.objects.filter(role=Role.COUNTY, county_id=organisation.county_id, is_active=True) \
        if organisation.county_id else User.objects.none()
    return list(county_staff) + list(User.objects.filter(role=Role.CITY, is_active=True))


def enterprise_users(organisation):
    return User.objects.filter(organisation=organisation, role=Role.ENTERPRISE, is_active=True)


@subscribe("enterprise.bank_change_request")
def tell_verifiers(event):
    change = event.obj
    announce_event(
        event, verifiers_of(change.organisation),
        LazyFormat(_("Bank-account change to verify: %(name)s"), name=change.organisation.name),
        LazyFormat(_("%(name)s asks to have its funds paid into %(account_name)s, %(bank)s, account %(account)s "
                     "(so far %(old_account)s). Check the account before verifying it."),
                   name=change.organisation.name, account_name=change.new_account_name, bank=change.new_bank_name,
                   account=change.new_account_no, old_account=change.old_account_no or "—"),
        reverse("accounts:bank_change", args=[change.pk]))


@subscribe("enterprise.bank_change_approve")
def tell_enterprise_verified(event):
    change = event.obj
    announce_event(
        event, enterprise_users(change.organisation),
        _("Your new bank account is verified"),
        LazyFormat(_("From now on funds are paid into %(account_name)s, %(bank)s, account %(account)s."),
                   account_name=change.new_account_name, bank=change.new_bank_name, account=change.new_account_no),
        reverse("accounts:company"))


@subscribe("enterprise.bank_change_reject")
def tell_enterprise_rejected(event):
    change = event.obj
    announce_event(
        event, enterprise_users(change.organisation),
        _("Your bank-account change was rejected"),
        LazyFormat(_("The change to account %(account)s was not accepted: %(reason)s. Funds are still paid into "
                     "the current account; correct the bank account in the company profile."),
                   account=change.new_account_no, reason=change.decision_reason),
        reverse("accounts:company"))
