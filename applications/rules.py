"""Permission predicates for applications. List scope uses the same facts in selectors.applications_for."""

import rules

from accounts.roles import CITYWIDE_ROLES, Role
from accounts.rules import is_city, is_county, is_enterprise, is_staff_role

from .workflow import EDITABLE


@rules.predicate
def in_scope(user, application):
    """May ``user`` see ``application`` at all? (Foreign objects answer 404.)"""
    if application is None or not (user and user.is_authenticated):
        return False
    if user.role == Role.ENTERPRISE:
        return bool(user.organisation_id) and application.enterprise_id == user.organisation_id
    if application.first_submitted_at is None:  # a draft never submitted belongs to the enterprise alone
        return False
    if user.role == Role.COUNTY:
        return bool(user.county_id) and application.county_id == user.county_id
    return user.role in CITYWIDE_ROLES


@rules.predicate
def is_editable(user, application):
    return application is not None and application.status in EDITABLE


rules.add_perm("applications.view_application", in_scope)
rules.add_perm("applications.edit_application", is_enterprise & in_scope & is_editable)
rules.add_perm("applications.see_duplicates", is_staff_role)
rules.add_perm("applications.export_applications", is_staff_role)
rules.add_perm("applications.manage_calls", is_city)
rules.add_perm("applications.intake", is_county)
