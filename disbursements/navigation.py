"""Navigation entries of the disbursements app, each with the permission of the page it links to."""

from django.utils.translation import gettext_lazy as _


def register_nav(register):
    register(_("My funds"), "disbursements:my_funds", "disbursements.view_my_funds", order=40)
    register(_("Payments"), "disbursements:payments", "disbursements.view_payments", order=50)
    register(_("Batches"), "disbursements:batches", "disbursements.view_finance", order=51)
    register(_("Budget"), "disbursements:budget", "disbursements.view_budget", order=52)
    register(_("Diagnosis service"), "disbursements:programmes", "disbursements.view_diagnosis", order=55)
