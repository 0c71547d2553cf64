"""Reads on users and organisations, scoped to what the actor may see."""

from .models import Organisation, User
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
