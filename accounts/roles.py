from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise user")
    COUNTY = "county", _("County bureau staff")
    CITY = "city", _("City bureau staff")
    EXPERT = "expert", _("Expert")
    AUDITOR = "auditor", _("Third-party auditor")
    FINANCE_PREPARER = "finance_preparer", _("Finance preparer")
    FINANCE_APPROVER = "finance_approver", _("Finance approver")
    OFFICIAL = "official", _("Official")
    ADMIN = "admin", _("Administrator")


# Roles that must pass TOTP two-factor authentication before anything else.
TWO_FACTOR_ROLES = frozenset({Role.CITY, Role.FINANCE_PREPARER, Role.FINANCE_APPROVER, Role.ADMIN})
FINANCE_ROLES = frozenset({Role.FINANCE_PREPARER, Role.FINANCE_APPROVER})
# Roles that see every county's records.
CITYWIDE_ROLES = frozenset({Role.CITY, Role.OFFICIAL, Role.ADMIN, *FINANCE_ROLES})
STAFF_ROLES = frozenset({Role.COUNTY, *CITYWIDE_ROLES})


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COUNTY_BUREAU = "county_bureau", _("County bureau of industry and IT")
    CITY_BUREAU = "city_bureau", _("Municipal Bureau of Industry and IT")
    FINANCE_BUREAU = "finance_bureau", _("Municipal Finance Bureau")
    AUDITOR = "auditor", _("Third-party auditor")
    SOLUTION_PROVIDER = "solution_provider", _("Solution provider")
