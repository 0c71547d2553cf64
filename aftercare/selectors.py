"""Read side of the acceptance: the funded projects each user sees, with their acceptance (if started)."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Min, Q, Sum, Value
from django.db.models.functions import Coalesce

from core import clock
from core.search import apply_search
from disbursements.models import Commitment
from disbursements.selectors import commitments_for
from disbursements.workflow import PaymentStatus

from .models import Clawback, Refund
from .workflow import FINAL, ClawbackStatus, Status

SEARCH = {"codes": ("application__receipt_no", "payee__credit_code"),
          "names": ("payee__name", "application__project_name", "purpose")}
PAID = Q(payments__status=PaymentStatus.PAID)


def add_months(day, months):
    """``day`` plus ``months`` calendar months (the last day of a shorter month when the day does not exist)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def funded_projects(actor):
    """The funded projects ``actor`` sees: commitments of an application with at least one paid tranche,
    annotated with ``first_paid`` (date) and ``paid_total`` (yuan)."""
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))
    return (commitments_for(actor).filter(application__isnull=False)
            .annotate(first_paid=Min("payments__paid_on", filter=PAID),
                      paid_total=Coalesce(Sum("payments__amount", filter=PAID), zero))
            .filter(first_paid__isnull=False))


def funded_projects_of_call(call):
    """Every funded project of ``call`` (all scopes: the reminders' view), with its first payment date."""
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))
    return (Commitment.objects.filter(application__round=call)
            .annotate(first_paid=Min("payments__paid_on", filter=PAID),
                      paid_total=Coalesce(Sum("payments__amount", filter=PAID), zero))
            .filter(first_paid__isnull=False).select_related("application__round"))


def completion_due(commitment):
    """The project's completion deadline: the call's completion period counted from the first payment."""
    return add_months(commitment.first_paid, commitment.application.round.completion_months)


STATUS_FILTERS = {
    Status.OPEN: Q(acceptance__isnull=True) | Q(acceptance__status=Status.OPEN),
    **{status: Q(acceptance__status=status) for status in Status if status != Status.OPEN},
}


def project_list(actor, *, search="", status=""):
    qs = funded_projects(actor).select_related("payee", "county", "application__round", "acceptance")
    if status in STATUS_FILTERS:
        qs = qs.filter(STATUS_FILTERS[status])
    return apply_search(qs, search, **SEARCH).order_by("first_paid", "id")


def project_detail(actor, pk):
    """The funded project ``pk`` if ``actor`` sees it (DoesNotExist otherwise)."""
    return (funded_projects(actor).select_related("payee", "county", "application__round", "application__category",
                                                  "acceptance__submitted_by", "acceptance__inspected_by",
                                                  "acceptance__decided_by")
            .get(pk=pk))


def status_of(commitment):
    acceptance = getattr(commitment, "acceptance", None) if _has_acceptance(commitment) else None
    return acceptance.status if acceptance else Status.OPEN


def _has_acceptance(commitment):
    try:
        commitment.acceptance  # noqa: B018
    except commitment._meta.get_field("acceptance").related_model.DoesNotExist:
        return False
    return True


def acceptance_of(commitment):
    return commitment.acceptance if _has_acceptance(commitment) else None


# --- clawbacks -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClawbackFigures:
    """The clawbacks decided on a fund year's awards (yuan, Decimal): how many, how much, refunded, outstanding."""

    year: int
    count: int
    decided: Decimal
    refunded: Decimal

    @property
    def outstanding(self):
        return self.decided - self.refunded


DECIDED = (ClawbackStatus.CONFIRMED, ClawbackStatus.REFUNDED)


def clawback_figures(year):
    """ClawbackFigures of fund year ``year`` (clawbacks confirmed by the second officer, and their refunds)."""
    decided = Clawback.objects.filter(acceptance__commitment__fund_year=year, status__in=DECIDED)
    sums = decided.aggregate(count=Count("id"), amount=Sum("amount"))
    refunded = Refund.objects.filter(clawback__in=decided).aggregate(total=Sum("amount"))["total"]
    return ClawbackFigures(year=year, count=sums["count"], decided=sums["amount"] or Decimal(0),
                           refunded=refunded or Decimal(0))


def with_refunded(qs):
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))
    return qs.annotate(refunded=Coalesce(Sum("refunds__amount"), zero))


def overdue_clawbacks(actor, today=None):
    """Decided clawbacks past their refund deadline with money still outstanding, in ``actor``'s scope."""
    today = today or clock.today()
    qs = Clawback.objects.filter(acceptance__commitment__in=funded_projects(actor).values("pk"),
                                 status=ClawbackStatus.CONFIRMED, refund_due__lt=today)
    return (with_refunded(qs).filter(refunded__lt=F("amount"))
            .select_related("acceptance__application", "acceptance__commitment__payee",
                            "acceptance__commitment__county")
            .order_by("refund_due", "id"))


def clawback_of(acceptance):
    """The acceptance's live clawback (not withdrawn) with its refunds total, or None."""
    if acceptance is None:
        return None
    return (with_refunded(Clawback.objects.filter(acceptance=acceptance)).exclude(status=ClawbackStatus.WITHDRAWN)
            .select_related("proposed_by", "confirmed_by").first())


# --- acceptance by county (the evaluation's county comparison) -------------------------------------------------

@dataclass(frozen=True)
class AcceptanceCount:
    """A county's funded projects of a fund year: ``due`` those whose completion deadline has passed or whose
    acceptance is decided, ``accepted`` those the city accepted."""

    accepted: int = 0
    due: int = 0
    funded: int = 0


def acceptance_by_county(year, today=None):
    """{county name: AcceptanceCount} of the funded projects of fund year ``year`` (every county), in one query;
    the deadline is ``completion_due`` (the call's completion period from the first payment)."""
    today = today or clock.today()
    rows = (Commitment.objects.filter(fund_year=year, application__isnull=False)
            .annotate(first_paid=Min("payments__paid_on", filter=PAID)).filter(first_paid__isnull=False)
            .values_list("county__name", "first_paid", "application__round__completion_months",
                         "acceptance__status"))
    counts = {}
    for county, first_paid, months, status in rows:
        accepted, due, funded = counts.get(county, (0, 0, 0))
        is_due = status in FINAL or add_months(first_paid, months) <= today
        counts[county] = (accepted + (status == Status.ACCEPTED), due + is_due, funded + 1)
    return {county: AcceptanceCount(*values) for county, values in counts.items()}
