"""Navigation entries of the disbursements app, per role."""

from django.utils.translation import gettext_lazy as _

from accounts.roles import CITYWIDE_ROLES, Role


def register_nav(register):
    register(_("My funds"), "disbursements:my_funds", {Role.ENTERPRISE}, order=40)
    register(_("Payments"), "disbursements:payments", {Role.COUNTY, *CITYWIDE_ROLES}, order=50)
    register(_("Batches"), "disbursements:batches", {Role.FINANCE_PREPARER, Role.FINANCE_APPROVER}, order=51)
    register(_("Budget"), "disbursements:budget", CITYWIDE_ROLES, order=52)
    register(_("Diagnosis service"), "disbursements:programmes", {Role.CITY, Role.OFFICIAL, Role.ADMIN}, order=55)
