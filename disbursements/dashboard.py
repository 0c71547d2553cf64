"""The disbursements app's part of the dashboard: the preparer's and the approver's queues (different work), the
year's budget execution for the city-wide roles, an enterprise's payments."""

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.charts import column_chart
from core.dashboard import FigurePanel, Waiting, queue_items, waiting_counts
from core.money import format_percent, format_wan, to_wan

from .figures import BudgetBasis, budget_figures, paid_by_month
from .models import Payment, PaymentBatch
from .selectors import fund_years, payment_counts, unscheduled_commitments
from .workflow import BatchStatus, PaymentStatus


def _preparer():
    batches, payments = reverse("disbursements:batches"), reverse("disbursements:payments")
    counts = {
        **waiting_counts(unscheduled_commitments(), {"unscheduled": Waiting(Q(), "approved_at", "due_date")}),
        **waiting_counts(PaymentBatch.objects.all(), {
            "to_send": Waiting(Q(status=BatchStatus.APPROVED), "approved_at", "payments__commitment__due_date")}),
        **waiting_counts(Payment.objects.all(), {
            "to_reconcile": Waiting(Q(status=PaymentStatus.SENT), "sent_at", "commitment__due_date"),
            "failed": Waiting(Q(status=PaymentStatus.FAILED), "updated_at", "commitment__due_date"),
        }),
    }
    return queue_items(counts, [
        ("unscheduled", _("Commitments not yet scheduled"), reverse("disbursements:batch_new"),
         _("Prepare the payments and put them in a batch")),
        ("to_send", _("Batches to send to the bank"), f"{batches}?status=approved", _("Produce the bank file")),
        ("to_reconcile", _("Payments awaiting the bank's return"), f"{payments}?status=sent",
         _("Import the bank's return file")),
        ("failed", _("Failed payments"), f"{payments}?status=failed", _("Check the account and pay again")),
    ])


def _approver():
    counts = waiting_counts(PaymentBatch.objects.all(), {
        "to_approve": Waiting(Q(status=BatchStatus.SUBMITTED), "submitted_at", "payments__commitment__due_date"),
    })
    return queue_items(counts, [("to_approve", _("Batches awaiting your approval"),
                                 f"{reverse('disbursements:batches')}?status=submitted",
                                 _("Check each payment; approve or return"))])


def _months(year, paid_rows, today):
    """12 columns of the paid total so far at the end of each month of ``year`` (in 万元); months still to come
    are left empty. Payments before January count in January, after December in December."""
    paid_by = {}
    for month, paid in paid_rows:
        key = min(max(month, date(year, 1, 1)), date(year, 12, 1))
        paid_by[key] = paid_by.get(key, 0) + paid
    columns, running = [], 0
    for number in range(1, 13):
        month = date(year, number, 1)
        running += paid_by.get(month, 0)
        columns.append((_("Month %(month)d") % {"month": number}, None if month > today else to_wan(running)))
    return columns


def budget_panel(year=None):
    """The year's budget execution rate against the original budget (the self-evaluation's indicator 1) with the
    adjusted-budget rate beside it, each labelled with its denominator, and the paid total month by month."""
    years = fund_years()
    year = year or (years[0] if years else timezone.localdate().year)
    figures = budget_figures(year)
    indicator, adjusted = figures.execution(), figures.execution(BudgetBasis.ADJUSTED)
    title = _("%(year)s %(figure)s") % {"year": year, "figure": indicator.label}
    chart = ""
    if figures.recorded:
        budget = to_wan(figures.original)
        chart = column_chart(
            _("%(year)s paid so far at the end of each month (10k yuan), against the original budget of %(budget)s")
            % {"year": year, "budget": format_wan(figures.original)},
            _months(year, paid_by_month(year), clock.today()), reference=budget,
            reference_label=_("Original budget %(budget)s") % {"budget": format_wan(figures.original)})
    return FigurePanel(
        title, format_percent(indicator.rate),
        basis=_("Paid %(paid)s of the original budget %(original)s (10k yuan)")
        % {"paid": format_wan(figures.paid), "original": format_wan(figures.original)},
        note=_("%(figure)s: %(value)s") % {"figure": adjusted.label, "value": format_percent(adjusted.rate)},
        chart=chart, url=f"{reverse('disbursements:budget')}?year={year}")


def disbursement_dashboard(user):
    if user.has_perm("disbursements.prepare_payments"):
        return [*_preparer(), budget_panel()]
    if user.has_perm("disbursements.approve_payments"):
        return [*_approver(), budget_panel()]
    if user.has_perm("disbursements.view_budget"):  # the other city-wide roles
        return [budget_panel()]
    if user.has_perm("disbursements.view_my_funds"):
        counts = payment_counts(user)
        if not (counts["paid"] or counts["open"]):
            return []
        return [FigurePanel(_("Award payments"), _("%(paid)d received, %(open)d in progress")
                            % {"paid": counts["paid"], "open": counts["open"]},
                            url=reverse("disbursements:my_funds"))]
    return []
