"""The follow-up reports' part of the dashboard: the enterprise's reports to submit (those whose year is over),
the county's reports to verify."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock
from core.dashboard import Waiting, queue_items, waiting_counts

from .followup_selectors import followups_for
from .followup_workflow import OPEN, FollowupStatus


def followup_dashboard(user):
    listing = reverse("aftercare:followup_list")
    if user.has_perm("aftercare.verify_followup"):
        counts = waiting_counts(followups_for(user), {
            "to_verify": Waiting(Q(status=FollowupStatus.SUBMITTED), "submitted_at")})
        return queue_items(counts, [("to_verify", _("Follow-up reports to verify"),
                                     f"{listing}?status={FollowupStatus.SUBMITTED}",
                                     _("Check the figures and verify or return the report"))])
    if user.has_perm("aftercare.submit_followup"):
        counts = waiting_counts(followups_for(user), {
            "to_report": Waiting(Q(status__in=OPEN, year__lt=clock.today().year), "created_at", "due_on")})
        return queue_items(counts, [("to_report", _("Follow-up reports to submit"), listing,
                                     _("Report the year's revenue, taxes, employees and energy use"))])
    return []
