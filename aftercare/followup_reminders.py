"""Reminders before a follow-up report's deadline (31 March after the year reported) to the enterprises that have
not reported yet (or must report again after a return): applications/reminders.py sends them, per report date."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from applications.reminders import recipients, register_deadline

from .followup_models import FollowupReport
from .followup_workflow import OPEN


def _open_reports(call):
    return FollowupReport.objects.filter(commitment__application__round=call, status__in=OPEN)


def _due_dates(call):
    return set(_open_reports(call).values_list("due_on", flat=True))


register_deadline("followup", _("Follow-up report due"), _due_dates,
                  _("Report your funded project's results of the year (revenue, taxes, employees, energy use) on "
                    "the follow-up report page."), per_item=True)


@recipients("followup")
def enterprises_to_report_results(call, due):
    found = {}
    for report in _open_reports(call).filter(due_on=due).select_related("commitment"):
        users = User.objects.filter(role=Role.ENTERPRISE, organisation_id=report.commitment.payee_id,
                                    is_active=True)
        found.update(dict.fromkeys(users, reverse("aftercare:followup_detail", args=[report.pk])))
    return found
