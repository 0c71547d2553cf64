"""Permission predicates shared by every app. Object access is decided here; list scope by selectors."""

import rules

from .roles import CITYWIDE_ROLES, FINANCE_ROLES, STAFF_ROLES, Role


def has_role(*roles):
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user):
        return bool(user and user.is_authenticated and user.role in wanted)

    return predicate


is_enterprise = has_role(Role.ENTERPRISE)
is_county = has_role(Role.COUNTY)
is_city = has_role(Role.CITY)
is_expert = has_role(Role.EXPERT)
is_auditor = has_role(Role.AUDITOR)
is_finance = has_role(*FINANCE_ROLES)
is_finance_preparer = has_role(Role.FINANCE_PREPARER)
is_finance_approver = has_role(Role.FINANCE_APPROVER)
is_official = has_role(Role.OFFICIAL)
is_admin = has_role(Role.ADMIN)
is_citywide = has_role(*CITYWIDE_ROLES)
is_staff_role = has_role(*STAFF_ROLES)


@rules.predicate
def has_organisation(user):
    return bool(getattr(user, "organisation_id", None))


@rules.predicate
def has_county(user):
    return bool(getattr(user, "county_id", None))


is_enterprise_user = is_enterprise & has_organisation


def permission_key(user):
    """Every field of a user that a permission without an object reads (the roles above, ``has_organisation``,
    ``has_county``, the admin site's ``is_active & is_staff``, the superuser rule of ``User.has_perm``). The
    menu is decided once per key (core.navigation.permission_key): a predicate that reads another field of
    the user adds it here."""
    return (user.role, user.is_active, user.is_staff, user.is_superuser, bool(user.organisation_id),
            bool(user.county_id))


@rules.predicate
def is_own_organisation(user, organisation):
    return organisation is not None and bool(user.organisation_id) and organisation.pk == user.organisation_id


@rules.predicate
def is_colleague(user, other):
    return other is not None and bool(user.organisation_id) and other.organisation_id == user.organisation_id


rules.add_perm("accounts.view_audit_log", is_city | is_admin | is_official)
# The technical detail of audit rows (usernames, client IPs, action codes, checksums).
rules.add_perm("accounts.view_audit_technical", is_admin)
rules.add_perm("accounts.manage_users", is_admin)
# The enterprise's own company profile and colleagues.
rules.add_perm("accounts.manage_company", is_enterprise_user)
rules.add_perm("accounts.edit_company", is_enterprise_user & is_own_organisation)
rules.add_perm("accounts.manage_colleague", is_enterprise_user & is_colleague)
# Records of every county (others see their own county or organisation only): county filters and columns.
rules.add_perm("accounts.see_every_county", is_citywide)
# The county bureau's overview of its own county.
rules.add_perm("accounts.see_own_county", is_county & has_county)
rules.add_perm("accounts.view_enterprises", is_city | is_county)
rules.add_perm("accounts.verify_enterprises", is_city)


@rules.predicate
def is_county_of(user, organisation):
    return organisation is not None and bool(user.county_id) and organisation.county_id == user.county_id


# Bank-account changes of enterprises: verified by a county user of the enterprise's county or by a city user.
rules.add_perm("accounts.view_bank_changes", is_city | (is_county & has_county))
rules.add_perm("accounts.verify_bank_change", is_city | (is_county & is_county_of))
