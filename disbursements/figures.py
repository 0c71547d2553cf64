"""A fund year's money figures: the budget and its execution rate (the one definition of 预算执行率), the
timeliness of payments (奖补资金发放及时率), the year's breakdowns by category and county, and its payments by
month. Public for other apps (evaluation): ``budget_figures(year, as_of=None)`` with its ``execution(basis)`` and
``payment_timeliness(year, as_of=None)``."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import sqlcache

from .models import BudgetEntry, Commitment, Payment
from .selectors import MONEY_OUT, ZERO, money_sum
from .workflow import PaymentStatus


def _rate(numerator, denominator):
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class BudgetBasis(models.TextChoices):
    """The budget a budget execution rate divides by."""

    ORIGINAL = "original", gettext_lazy("original budget")  # 年初预算
    ADJUSTED = "adjusted", gettext_lazy("adjusted budget")  # 调整预算 = 年初预算 + adjustments


# The self-evaluation's 预算执行率 (indicator 1, the report, the indicator table) divides the year's actual spending
# by the 年初预算, as the 2021 report did (52013 ÷ 58000 万元); pages that also show the rate of the adjusted budget
# label it as such.
INDICATOR_BASIS = BudgetBasis.ORIGINAL


@dataclass(frozen=True)
class ExecutionRate:
    """预算执行率: paid ÷ the budget named by ``basis`` (yuan, Decimal; None where unknown)."""

    basis: str
    budget: Decimal | None
    paid: Decimal | None

    @property
    def rate(self):
        """A fraction with 4 places (0.8968), None without a budget or a spending figure."""
        return None if self.paid is None else _rate(self.paid, self.budget)

    @property
    def percent(self):
        """The rate in per cent with 2 places (89.68), None without a rate."""
        return None if self.rate is None else (self.rate * 100).quantize(Decimal("0.01"))

    @property
    def basis_label(self):
        return BudgetBasis(self.basis).label

    @property
    def label(self):
        """What the figure measures, denominator named: 预算执行率（实际支出 ÷ 年初预算）."""
        return _("Budget execution rate (paid ÷ %(budget)s)") % {"budget": self.basis_label}


@dataclass(frozen=True)
class BudgetFigures:
    """A fund year's budget (yuan, Decimal). adjusted = original + adjustments; committed and paid are
    aggregates of the commitments and paid payments of that fund year. ``recorded``: the year has budget entries
    (in the whole year, whatever ``as_of``)."""

    year: int
    original: Decimal
    adjustments: Decimal
    adjusted: Decimal
    received: Decimal
    committed: Decimal
    paid: Decimal
    recorded: bool = True
    # refunds of clawbacks booked to the year (a separate figure: paid and spending stay what was paid out)
    returned: Decimal = Decimal(0)

    def execution(self, basis=INDICATOR_BASIS):
        """The budget execution rate against the original or the adjusted budget (ExecutionRate)."""
        return ExecutionRate(basis=BudgetBasis(basis).value, budget=getattr(self, BudgetBasis(basis).value),
                             paid=self.paid)

    @property
    def received_rate(self):
        """预算资金到位率: received / adjusted budget."""
        return _rate(self.received, self.adjusted)

    @property
    def uncommitted(self):
        return self.adjusted - self.committed

    @property
    def unpaid_committed(self):
        return self.committed - self.paid


def paid_payments(year, as_of=None):
    """The paid payments of fund year ``year`` (paid on or before ``as_of``): what 'paid' and 'spent' count."""
    return _paid(Payment.objects.filter(commitment__fund_year=year), as_of)


def _paid(payments, as_of=None):
    qs = payments.filter(status=PaymentStatus.PAID)
    return qs.filter(paid_on__lte=as_of) if as_of else qs


def _budget_sums(year, as_of):
    """The fund year's budget entries by kind (``original``, ``adjustments``, ``received``, ``returned``) and
    their ``count``, one row per fund year (none without entries)."""
    Kind = BudgetEntry.Kind
    entries = BudgetEntry.objects.filter(fund_year=year)
    if as_of:
        entries = entries.filter(date__lte=as_of)
    return entries.order_by().values("fund_year").annotate(
        original=money_sum("amount", filter=Q(kind=Kind.ORIGINAL)),
        adjustments=money_sum("amount", filter=Q(kind=Kind.ADJUSTMENT)),
        received=money_sum("amount", filter=Q(kind=Kind.RECEIVED)),
        returned=money_sum("amount", filter=Q(kind=Kind.RETURNED)),
        count=Count("id"),
    ).values("original", "adjustments", "received", "returned", "count")


def _commitment_sums(year, as_of):
    """The fund year's ``committed`` and ``paid`` sums, one row per fund year (none without commitments)."""
    # each commitment's paid sum as a subquery: joining the payments would count a commitment once per payment;
    # the commitment's fund year is the outer query's (joining it again in the subquery made the plan quadratic)
    paid_each = (_paid(Payment.objects.filter(commitment=OuterRef("pk")), as_of).order_by().values("commitment")
                 .annotate(s=Sum("amount")).values("s"))
    return Commitment.objects.filter(fund_year=year).order_by().values("fund_year").annotate(
        committed=money_sum("approved_amount", filter=Q(approved_at__date__lte=as_of) if as_of else None),
        paid=money_sum(Subquery(paid_each, output_field=MONEY_OUT)),
    ).values("committed", "paid")


_NO_ENTRIES = {"original": ZERO, "adjustments": ZERO, "received": ZERO, "returned": ZERO, "count": 0}
_NO_COMMITMENTS = {"committed": ZERO, "paid": ZERO}


def budget_figures(year, as_of=None):
    """BudgetFigures for ``year`` in two aggregate statements (the budget entries; the commitments with their
    paid payments); with ``as_of`` (a date) only what was recorded, committed and paid up to and including that
    day (mid-year monitoring). The year's figures as of today (the indicator page, the budget page, the report)
    run statements prepared once (core.sqlcache), the fund year their parameter."""
    if as_of:
        sums = next(iter(_budget_sums(year, as_of)), _NO_ENTRIES)
        money = next(iter(_commitment_sums(year, as_of)), _NO_COMMITMENTS)
        recorded = bool(sums["count"]) or BudgetEntry.objects.filter(fund_year=year).exists()
    else:
        sums = next(iter(sqlcache.rows(("budget_sums",), lambda year: _budget_sums(year, None), year=year)),
                    _NO_ENTRIES)
        money = next(iter(sqlcache.rows(("commitment_sums",), lambda year: _commitment_sums(year, None),
                                        year=year)), _NO_COMMITMENTS)
        recorded = bool(sums["count"])
    return BudgetFigures(
        year=year, original=sums["original"], adjustments=sums["adjustments"],
        adjusted=sums["original"] + sums["adjustments"], received=sums["received"],
        committed=money["committed"], paid=money["paid"], recorded=recorded, returned=sums["returned"],
    )


@dataclass(frozen=True)
class Timeliness:
    """奖补资金发放及时率 for a fund year: paid payments whose paid date is on or before their due date,
    divided by all paid payments. rate is a Decimal fraction with 4 places (0.9500) or None if nothing
    was paid; payment_ids are the paid payments counted (the denominator), on_time_ids the numerator."""

    year: int
    numerator: int
    denominator: int
    rate: Decimal | None
    payment_ids: list = field(default_factory=list)
    on_time_ids: list = field(default_factory=list)
    late_ids: list = field(default_factory=list)

    @property
    def percent(self):
        return None if self.rate is None else (self.rate * 100).quantize(Decimal("0.01"))


def payment_timeliness(year, as_of=None):
    rows = paid_payments(year, as_of).order_by("pk").values_list("pk", "paid_on", "commitment__due_date")
    on_time, late = [], []
    for pk, paid_on, due in rows:
        (on_time if paid_on <= due else late).append(pk)
    ids = sorted(on_time + late)
    return Timeliness(year=year, numerator=len(on_time), denominator=len(ids), rate=_rate(len(on_time), len(ids)),
                      payment_ids=ids, on_time_ids=on_time, late_ids=late)


def _breakdown(year, commitment_key, payment_key, empty_label):
    committed = Commitment.objects.filter(fund_year=year).values(commitment_key).annotate(
        committed=money_sum("approved_amount"), count=Count("id")).order_by(commitment_key)
    paid = dict(paid_payments(year).values(payment_key).annotate(paid=money_sum("amount"))
                .values_list(payment_key, "paid"))
    rows = [{"label": row[commitment_key] or empty_label, "committed": row["committed"], "count": row["count"],
             "paid": paid.get(row[commitment_key], ZERO)} for row in committed]
    return sorted(rows, key=lambda r: -r["committed"])


def budget_by_category(year):
    return _breakdown(year, "application__category__name", "commitment__application__category__name",
                      _("Diagnosis service"))


def budget_by_county(year):
    return _breakdown(year, "county__name", "commitment__county__name", _("City level (diagnosis service)"))


def budget_entries(year):
    return BudgetEntry.objects.filter(fund_year=year).select_related("created_by").order_by("date", "id")


def paid_by_month(year):
    """[(first day of the month, paid in that month)] of fund year ``year``'s paid payments, in one grouped query."""
    rows = (paid_payments(year).annotate(month=TruncMonth("paid_on")).values("month").order_by("month")
            .annotate(paid=money_sum("amount")))
    return [(row["month"], row["paid"]) for row in rows]
