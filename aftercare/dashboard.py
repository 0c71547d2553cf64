"""The acceptance's part of the dashboard: the county's reports to inspect, the city's acceptances to decide,
clawbacks to confirm and overdue refunds."""

from django.db.models import Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import QueueItem, Waiting, queue_items, waiting_counts

from .models import Acceptance, Clawback
from .selectors import funded_projects, overdue_clawbacks
from .workflow import ClawbackStatus, Status


def _acceptances(user):
    return Acceptance.objects.filter(commitment__in=funded_projects(user).values("pk"))


def aftercare_dashboard(user):
    listing = reverse("aftercare:list")
    if user.has_perm("aftercare.inspect"):
        counts = waiting_counts(_acceptances(user), {
            "to_inspect": Waiting(Q(status=Status.SUBMITTED), "submitted_at")})
        return queue_items(counts, [("to_inspect", _("Completion reports to inspect"),
                                     f"{listing}?status={Status.SUBMITTED}", _("Visit the project and recommend"))])
    if not user.has_perm("aftercare.decide"):
        return []
    counts = waiting_counts(_acceptances(user), {"to_decide": Waiting(Q(status=Status.INSPECTED), "updated_at")})
    counts.update(waiting_counts(Clawback.objects.all(), {
        "to_confirm": Waiting(Q(status=ClawbackStatus.PROPOSED), "proposed_at")}))
    overdue = overdue_clawbacks(user)
    late = overdue.order_by().aggregate(oldest=Min("refund_due"))["oldest"]
    items = queue_items(counts, [
        ("to_decide", _("Acceptances to decide"), f"{listing}?status={Status.INSPECTED}",
         _("Accept, order a rectification or open a clawback")),
        ("to_confirm", _("Clawbacks to confirm"), f"{listing}?status={Status.CLAWBACK}",
         _("A second city officer confirms each clawback")),
    ])
    count = overdue.count()
    items.append(QueueItem(label=_("Overdue refunds"), count=count, url=reverse("aftercare:overdue"), oldest=late,
                           workdays=False, overdue=count, hint=_("Press the enterprise to refund")))
    return items
