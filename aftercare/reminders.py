"""Reminders before a funded project's completion deadline (the enterprise has not reported yet) and before a
rectification deadline (the enterprise has not reported again): applications/reminders.py sends them, per
project date (``per_item`` deadlines)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from applications.reminders import recipients, register_deadline

from .models import Acceptance
from .selectors import completion_due, funded_projects_of_call
from .workflow import Status


def _completion_dates(call):
    return {completion_due(project) for project in _unreported(call)}


def _unreported(call):
    """The call's funded projects whose completion report is not submitted yet."""
    return [p for p in funded_projects_of_call(call)
            if not Acceptance.objects.filter(commitment=p).exclude(status=Status.OPEN).exists()]


def _rectification_dates(call):
    return set(Acceptance.objects.filter(application__round=call, status=Status.RECTIFYING)
               .values_list("rectify_by", flat=True))


register_deadline("completion", _("Project completion and acceptance report due"), _completion_dates,
                  _("Your funded project must be completed by this date: submit the completion report with the "
                    "invoices, the equipment list and photos."), per_item=True)
register_deadline("rectification", _("Rectification due"), _rectification_dates,
                  _("Complete the rectification the city ordered and submit the completion report again."),
                  per_item=True)


def _enterprise_users(organisation_ids):
    return User.objects.filter(role=Role.ENTERPRISE, organisation_id__in=organisation_ids, is_active=True)


@recipients("completion")
def enterprises_to_report(call, due):
    found = {}
    for project in _unreported(call):
        if completion_due(project) == due:
            link = reverse("aftercare:detail", args=[project.pk])
            found.update(dict.fromkeys(_enterprise_users([project.payee_id]), link))
    return found


@recipients("rectification")
def enterprises_to_rectify(call, due):
    found = {}
    for acceptance in Acceptance.objects.filter(application__round=call, status=Status.RECTIFYING, rectify_by=due):
        link = reverse("aftercare:detail", args=[acceptance.commitment_id])
        found.update(dict.fromkeys(_enterprise_users([acceptance.commitment.payee_id]), link))
    return found
