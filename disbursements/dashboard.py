"""Dashboard cards: finance staff see what waits for them; officials the year's budget figures."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dashboard import Card

from .models import Payment
from .selectors import budget_figures, finance_queue, fund_years
from .templatetags.disbursements_tags import percent, wan
from .workflow import PaymentStatus


def disbursement_cards(user):
    if user.has_perm("disbursements.prepare_payments"):
        q = finance_queue()
        batches = reverse("disbursements:batches")
        return [
            Card(_("Commitments not yet scheduled"), q["unscheduled"], reverse("disbursements:batch_new")),
            Card(_("Batches to send to the bank"), q["to_send"], f"{batches}?status=approved"),
            Card(_("Payments awaiting the bank's return"), q["to_reconcile"],
                 f"{reverse('disbursements:payments')}?status=sent"),
            Card(_("Failed payments"), q["failed"], f"{reverse('disbursements:payments')}?status=failed"),
        ]
    if user.has_perm("disbursements.approve_payments"):
        q = finance_queue()
        return [Card(_("Batches awaiting your approval"), q["to_approve"],
                     f"{reverse('disbursements:batches')}?status=submitted")]
    if user.has_perm("disbursements.view_budget"):  # the other city-wide roles (finance: its queue above)
        return _budget_cards()
    if user.has_perm("disbursements.view_my_funds"):
        counts = Payment.objects.filter(commitment__payee_id=user.organisation_id).aggregate(
            paid=Count("id", filter=Q(status=PaymentStatus.PAID)),
            open=Count("id", filter=Q(status__in=[PaymentStatus.PENDING, PaymentStatus.APPROVED,
                                                  PaymentStatus.SENT, PaymentStatus.FAILED])))
        return [Card(_("Payments received"), counts["paid"], reverse("disbursements:my_funds"),
                     _("%(n)s in progress") % {"n": counts["open"]})]
    return []


def _budget_cards():
    years = fund_years()
    year = years[0] if years else timezone.localdate().year
    figures = budget_figures(year)
    url = f"{reverse('disbursements:budget')}?year={year}"
    return [
        Card(_("%(year)s budget (10k yuan)") % {"year": year}, wan(figures.adjusted), url),
        Card(_("%(year)s paid (10k yuan)") % {"year": year}, wan(figures.paid), url,
             _("Execution rate %(rate)s") % {"rate": percent(figures.execution_rate)}),
        Card(_("%(year)s committed, not yet paid (10k yuan)") % {"year": year}, wan(figures.unpaid_committed), url),
    ]
