"""Reads on users and organisations, scoped to what the actor may see."""

from .models import BankAccountChange, Organisation, User
from .roles import CITYWIDE_ROLES, OrganisationKind, Role


def city_staff():
    """The active city bureau users (told about registrations, forwarded applications, support lists ...)."""
    return User.objects.filter(role=Role.CITY, is_active=True)


def enterprises_for(actor):
    """Enterprises the actor may look at: city-wide roles all, county staff their county's."""
    qs = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).select_related("county", "verified_by")
    role = getattr(actor, "role", None)
    if role == Role.COUNTY:
        return qs.filter(county_id=actor.county_id) if actor.county_id else qs.none()
    if role in CITYWIDE_ROLES:
        return qs
    return qs.none()


def bank_changes_for(actor):
    """Bank-account changes the actor may verify: city users all, county users their county's enterprises'."""
    qs = BankAccountChange.objects.select_related("organisation", "organisation__county", "requested_by",
                                                  "decided_by")
    role = getattr(actor, "role", None)
    if role == Role.COUNTY:
        return qs.filter(organisation__county_id=actor.county_id) if actor.county_id else qs.none()
    if role == Role.CITY:
        return qs
    return qs.none()


def bank_change_queue(actor):
    return bank_changes_for(actor).filter(status=BankAccountChange.Status.PENDING).order_by("requested_at", "pk")


def pending_bank_change(organisation):
    return BankAccountChange.objects.filter(organisation=organisation,
                                            status=BankAccountChange.Status.PENDING).first()
