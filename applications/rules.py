"""Permission predicates for applications. List scope uses the same facts in selectors.applications_for."""

import rules

from accounts.rules import (
    is_admin,
    is_city,
    is_citywide,
    is_county,
    is_enterprise,
    is_enterprise_user,
    is_official,
    is_staff_role,
)
from core.permissions import q_matches

from .selectors import application_scope
from .workflow import EDITABLE


@rules.predicate
def in_scope(user, application):
    """May ``user`` see ``application`` at all? The list scope's own Q, checked in Python (no query)."""
    if application is None or not (user and user.is_authenticated):
        return False
    return q_matches(application, application_scope(user))


@rules.predicate
def is_editable(user, application):
    return application is not None and application.status in EDITABLE


rules.add_perm("applications.view_application", in_scope)
# The enterprise's own application (its edit and submit pages); editable in the editable states only.
rules.add_perm("applications.prepare_application", is_enterprise & in_scope)
rules.add_perm("applications.edit_application", is_enterprise & in_scope & is_editable)
# The application list: an enterprise its own, county staff their county's, city-wide roles all.
rules.add_perm("applications.view_applications", is_enterprise | is_county | is_citywide)
rules.add_perm("applications.list_own_applications", is_enterprise)  # drafts included
rules.add_perm("applications.view_all_applications", is_citywide)
rules.add_perm("applications.apply", is_enterprise_user)
rules.add_perm("applications.accept_centrally", is_city)
rules.add_perm("applications.see_duplicates", is_staff_role)
rules.add_perm("applications.see_staff_columns", is_staff_role)
# staff whose reasons the enterprise reads (the enterprise's own reasons need no such warning)
rules.add_perm("applications.address_enterprise", is_staff_role)
# The whole record of an application, review-stage entries included (expert conflicts, scores, audit figures).
rules.add_perm("applications.see_full_history", is_city | is_official | is_admin)
rules.add_perm("applications.export_applications", is_staff_role)
rules.add_perm("applications.manage_calls", is_city)
rules.add_perm("applications.intake", is_county)
# Credit screening: a city user writes why a listed enterprise may still pass; another city user confirms.
rules.add_perm("applications.clear_credit", is_city & in_scope)
rules.add_perm("applications.invite_enterprises", is_city)
rules.add_perm("applications.contact_invited", is_county | is_city)
