"""Dashboard cards: finance staff see what waits for them; officials the year's budget figures."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dashboard import Card
from core.money import format_percent, format_wan

from .selectors import BudgetBasis, budget_figures, finance_queue, fund_years, payment_counts


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
        counts = payment_counts(user)
        return [Card(_("Payments received"), counts["paid"], reverse("disbursements:my_funds"),
                     _("%(n)s in progress") % {"n": counts["open"]})]
    return []


def _budget_cards():
    """The year's execution rate against the original budget (the self-evaluation's indicator 1), the rate against
    the adjusted budget beside it, each labelled with its denominator."""
    years = fund_years()
    year = years[0] if years else timezone.localdate().year
    figures = budget_figures(year)
    indicator, adjusted = figures.execution(), figures.execution(BudgetBasis.ADJUSTED)
    url = f"{reverse('disbursements:budget')}?year={year}"
    return [
        Card(_("%(year)s %(figure)s") % {"year": year, "figure": indicator.label}, format_percent(indicator.rate), url,
             _("%(figure)s: %(value)s") % {"figure": adjusted.label, "value": format_percent(adjusted.rate)}),
        Card(_("%(year)s paid (10k yuan)") % {"year": year}, format_wan(figures.paid), url,
             _("Original budget %(original)s, adjusted budget %(adjusted)s (10k yuan)")
             % {"original": format_wan(figures.original), "adjusted": format_wan(figures.adjusted)}),
        Card(_("%(year)s committed, not yet paid (10k yuan)") % {"year": year}, format_wan(figures.unpaid_committed),
             url),
    ]
