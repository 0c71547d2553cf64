"""Every read a view, export or another app uses, already scoped to what the actor may see.

Public for other apps (evaluation): ``budget_figures(year, as_of=None)`` with its ``execution(basis)`` — the one
definition of the budget execution rate — and ``payment_timeliness(year, as_of=None)``.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, DecimalField, F, Max, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import CITYWIDE_ROLES, Role
from core import sqlcache
from core.search import apply_search

from .models import (
    BudgetEntry,
    Commitment,
    DiagnosisContract,
    DiagnosisProgramme,
    DiagnosisTarget,
    Payment,
    PaymentBatch,
    Reconciliation,
)
from .workflow import COUNTED_PAYMENT_STATUSES, BatchStatus, PaymentStatus

ZERO = Decimal("0.00")
MONEY_OUT = DecimalField(max_digits=16, decimal_places=2)


def _sum(expr, **filter_kw):
    return Coalesce(Sum(expr, **filter_kw), Value(ZERO), output_field=MONEY_OUT)


def _rate(numerator, denominator):
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# --- scope -------------------------------------------------------------------------------------------------


# The search boxes (core.search): receipt numbers, credit codes and references by prefix, names by substring.
COMMITMENT_SEARCH = {"codes": ("application__receipt_no", "payee__credit_code"),
                     "names": ("payee__name", "purpose", "application__project_name")}
PAYMENT_SEARCH = {"codes": ("reference", "bank_reference", "batch__reference", "commitment__application__receipt_no",
                            "commitment__payee__credit_code"),
                  "names": ("payee_name", "commitment__application__project_name")}


def commitments_for(actor):
    """Enterprise: its own (as payee); county staff: their county's; city-wide roles: all; others: none."""
    qs = Commitment.objects.all()
    role = getattr(actor, "role", None)
    if role == Role.ENTERPRISE:
        return qs.filter(payee_id=actor.organisation_id) if actor.organisation_id else qs.none()
    if role == Role.COUNTY:
        return qs.filter(county_id=actor.county_id) if actor.county_id else qs.none()
    if role in CITYWIDE_ROLES:
        return qs
    return qs.none()


def payments_for(actor):
    return Payment.objects.filter(commitment__in=commitments_for(actor))


def batches_for(actor):
    """Batches mix payees and counties: only the city-wide roles see them."""
    return PaymentBatch.objects.all() if getattr(actor, "role", None) in CITYWIDE_ROLES else PaymentBatch.objects.none()


def reconciliations_for(actor):
    qs = Reconciliation.objects.select_related("uploaded_by")
    return qs if getattr(actor, "role", None) in CITYWIDE_ROLES else qs.none()


def programmes_for(actor):
    return DiagnosisProgramme.objects.all() if getattr(actor, "role", None) in CITYWIDE_ROLES \
        else DiagnosisProgramme.objects.none()


# --- lists and details ---------------------------------------------------------------------------------------


def with_totals(qs):
    return qs.annotate(
        scheduled=_sum("payments__amount", filter=Q(payments__status__in=COUNTED_PAYMENT_STATUSES)),
        paid=_sum("payments__amount", filter=Q(payments__status=PaymentStatus.PAID)),
        last_paid_on=Max("payments__paid_on", filter=Q(payments__status=PaymentStatus.PAID)),
    )


def commitment_totals(commitment_id):
    """(scheduled, paid) of one commitment in yuan: the per-commitment figures of ``with_totals``."""
    return with_totals(Commitment.objects.filter(pk=commitment_id)).values_list("scheduled", "paid").get()


def commitment_list(actor, filters=None):
    filters = filters or {}
    qs = with_totals(commitments_for(actor)).select_related(
        "payee", "county", "application__category", "contract__programme")
    if filters.get("year"):
        qs = qs.filter(fund_year=filters["year"])
    if filters.get("county"):
        qs = qs.filter(county=filters["county"])
    qs = apply_search(qs, filters.get("q"), **COMMITMENT_SEARCH)
    state = filters.get("state")
    if state == "open":
        qs = qs.filter(paid__lt=F("approved_amount"))
    elif state == "paid":
        qs = qs.filter(paid__gte=F("approved_amount"))
    return qs.order_by("-fund_year", "due_date", "id")


def commitment_detail(actor, pk):
    return with_totals(commitments_for(actor)).select_related(
        "payee", "county", "approved_by", "application__category", "application__round", "contract__programme",
    ).prefetch_related(
        Prefetch("payments", queryset=Payment.objects.select_related("batch", "prepared_by", "approved_by")
                 .order_by("tranche")),
    ).get(pk=pk)


def payment_list(actor, filters=None):
    filters = filters or {}
    qs = payments_for(actor).select_related(
        "commitment", "commitment__payee", "commitment__county", "batch", "prepared_by", "approved_by")
    if filters.get("year"):
        qs = qs.filter(commitment__fund_year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    qs = apply_search(qs, filters.get("q"), **PAYMENT_SEARCH)
    return qs.order_by("-id")


PAYMENT_LIST_SHOWN = ("reference", "payee_name", "amount", "status", "paid_on", "batch", "batch__reference",
                      "commitment", "commitment__due_date", "commitment__county", "commitment__county__name")


def payment_list_shown(actor, filters=None):
    """``payment_list`` with the columns the payments page shows (payment, county, due date, batch) only, not
    the export's other joins."""
    return payment_list(actor, filters).select_related(None).select_related("commitment__county", "batch").only(
        *PAYMENT_LIST_SHOWN)


def payment_list_statement(actor, filters=None):
    """``payment_list_shown`` as ``(key, build, values)`` for core.paging's ``statement``: for the city-wide
    roles (who see every payment), unsearched, all or one fund year (a parameter) and status (in the key). None
    otherwise."""
    filters = filters or {}
    role = getattr(actor, "role", None)
    if role not in CITYWIDE_ROLES or (filters.get("q") or "").strip():
        return None
    status = filters.get("status") or ""
    values = {"year": int(filters["year"])} if filters.get("year") else {}

    def build(year=None):
        return payment_list_shown(actor, {"year": year, "status": status})

    return ("payment_list", role, status, bool(values)), build, values


def batch_list(actor, filters=None):
    filters = filters or {}
    qs = batches_for(actor).select_related("created_by", "approved_by").annotate(
        total=_sum("payments__amount"), count=Count("payments"))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    qs = apply_search(qs, filters.get("q"), codes=("reference",), names=("note",))
    return qs.order_by("-id")


BATCH_PAYMENT_RELATED = ("commitment", "prepared_by", "approved_by")


def batch_detail(actor, pk, *, payment_related=BATCH_PAYMENT_RELATED):
    """The batch with its payments (what the actions check); ``payment_related``: what each payment is read
    with."""
    return batch_summary(actor).prefetch_related(
        Prefetch("payments", queryset=Payment.objects.select_related(*payment_related).order_by("pk")),
    ).get(pk=pk)


def batch_summary(actor):
    """The batches with their total, their number of payments and of failed ones (``total``, ``count``,
    ``failed``): the batch page reads its payments a page at a time (``batch_payments``)."""
    return batches_for(actor).select_related("created_by", "approved_by", "sent_by").annotate(
        total=_sum("payments__amount"), count=Count("payments"),
        failed=Count("payments", filter=Q(payments__status=PaymentStatus.FAILED)))


def batch_summary_of(actor, pk):
    """``batch_summary(actor).get(pk=pk)``, its statement prepared once (core.sqlcache); ``DoesNotExist`` when
    the batch is not one ``actor`` may see."""
    citywide = getattr(actor, "role", None) in CITYWIDE_ROLES  # all that shapes batches_for(actor)
    found = sqlcache.rows(("batch_summary", citywide), lambda pk: batch_summary(actor).filter(pk=pk), pk=pk)
    if not found:
        raise PaymentBatch.DoesNotExist
    return found[0]


def batch_payments(batch):
    """The payments of ``batch`` in the order its page and bank file list them, each with its preparer."""
    return Payment.objects.filter(batch=batch).select_related("prepared_by").order_by("pk")


def batch_page_payments_statement(batch):
    """``batch_page_payments(batch)`` as ``(key, build, values)`` for core.paging's ``statement``: one statement
    for every batch, its id the parameter."""
    def build(batch):
        return batch_page_payments(batch)

    return ("batch_page_payments",), build, {"batch": batch.pk}


def batch_page_payments(batch):
    """``batch_payments`` with only the columns the batch page shows (disbursements.listing); ``batch``: the
    batch or its id."""
    return batch_payments(batch).only(
        "reference", "payee_name", "payee_bank", "payee_account", "amount", "status", "failure_code",
        "failure_reason", "paid_on", "commitment_id", "prepared_by__username", "prepared_by__first_name",
        "prepared_by__last_name")


LIVE_ATTEMPT_STATUSES = [PaymentStatus.PENDING, PaymentStatus.APPROVED, PaymentStatus.SENT, PaymentStatus.PAID,
                         PaymentStatus.FAILED]


def waiting_failures():
    """Failed payments with no new attempt under way (none, or only cancelled ones)."""
    return Payment.objects.filter(status=PaymentStatus.FAILED).exclude(retries__status__in=LIVE_ATTEMPT_STATUSES)


def batchable_payments(actor):
    """Pending payments not yet in a batch, and failed ones waiting for a new attempt (made when batched)."""
    if getattr(actor, "role", None) not in CITYWIDE_ROLES:
        return Payment.objects.none()
    return Payment.objects.filter(
        Q(status=PaymentStatus.PENDING, batch__isnull=True) | Q(pk__in=waiting_failures())
    ).select_related("commitment", "commitment__payee").order_by("commitment__fund_year", "pk")


def batchable_commitments(actor, year=None):
    """Commitments with an amount not yet scheduled in any tranche (the whole remainder can be batched)."""
    if getattr(actor, "role", None) not in CITYWIDE_ROLES:
        return Commitment.objects.none()
    qs = with_totals(Commitment.objects.all()).filter(scheduled__lt=F("approved_amount")).exclude(
        payments__in=waiting_failures()).annotate(
        remaining=F("approved_amount") - F("scheduled")).select_related("payee")
    if year:
        qs = qs.filter(fund_year=year)
    return qs.order_by("fund_year", "due_date", "pk")


def fund_years():
    years = set(BudgetEntry.objects.values_list("fund_year", flat=True).distinct())
    years |= set(Commitment.objects.values_list("fund_year", flat=True).distinct())
    return sorted(years, reverse=True)


# --- figures -----------------------------------------------------------------------------------------------


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
        original=_sum("amount", filter=Q(kind=Kind.ORIGINAL)),
        adjustments=_sum("amount", filter=Q(kind=Kind.ADJUSTMENT)),
        received=_sum("amount", filter=Q(kind=Kind.RECEIVED)),
        returned=_sum("amount", filter=Q(kind=Kind.RETURNED)),
        count=Count("id"),
    ).values("original", "adjustments", "received", "returned", "count")


def _commitment_sums(year, as_of):
    """The fund year's ``committed`` and ``paid`` sums, one row per fund year (none without commitments)."""
    # each commitment's paid sum as a subquery: joining the payments would count a commitment once per payment;
    # the commitment's fund year is the outer query's (joining it again in the subquery made the plan quadratic)
    paid_each = (_paid(Payment.objects.filter(commitment=OuterRef("pk")), as_of).order_by().values("commitment")
                 .annotate(s=Sum("amount")).values("s"))
    return Commitment.objects.filter(fund_year=year).order_by().values("fund_year").annotate(
        committed=_sum("approved_amount", filter=Q(approved_at__date__lte=as_of) if as_of else None),
        paid=_sum(Subquery(paid_each, output_field=MONEY_OUT)),
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
        committed=_sum("approved_amount"), count=Count("id")).order_by(commitment_key)
    paid = dict(paid_payments(year).values(payment_key).annotate(paid=_sum("amount")).values_list(payment_key, "paid"))
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


def payment_counts(actor):
    """An enterprise's payments: paid, and still in progress (pending, approved, sent or failed)."""
    return payments_for(actor).aggregate(
        paid=Count("id", filter=Q(status=PaymentStatus.PAID)),
        open=Count("id", filter=Q(status__in=[PaymentStatus.PENDING, PaymentStatus.APPROVED, PaymentStatus.SENT])
                   | Q(pk__in=waiting_failures())))


def paid_by_month(year):
    """[(first day of the month, paid in that month)] of fund year ``year``'s paid payments, in one grouped query."""
    rows = (paid_payments(year).annotate(month=TruncMonth("paid_on")).values("month").order_by("month")
            .annotate(paid=_sum("amount")))
    return [(row["month"], row["paid"]) for row in rows]


def unscheduled_commitments():
    """Commitments whose payments do not yet add up to the approved amount (the preparer's queue)."""
    return with_totals(Commitment.objects.all()).filter(scheduled__lt=F("approved_amount"))


def finance_queue():
    """What waits for finance: counts for the dashboard and the overview (one aggregate query each)."""
    batches = PaymentBatch.objects.aggregate(
        to_approve=Count("id", filter=Q(status=BatchStatus.SUBMITTED)),
        to_send=Count("id", filter=Q(status=BatchStatus.APPROVED)),
        drafts=Count("id", filter=Q(status=BatchStatus.DRAFT)),
    )
    payments = Payment.objects.aggregate(
        to_reconcile=Count("id", filter=Q(status=PaymentStatus.SENT)),
        failed=Count("id", filter=Q(pk__in=waiting_failures())),
        unbatched=Count("id", filter=Q(status=PaymentStatus.PENDING, batch__isnull=True)),
    )
    unscheduled = with_totals(Commitment.objects.all()).filter(scheduled__lt=F("approved_amount")).count()
    return {**batches, **payments, "unscheduled": unscheduled}


# --- diagnosis service ---------------------------------------------------------------------------------------


def programme_detail(actor, pk):
    return programmes_for(actor).prefetch_related(
        Prefetch("contracts", queryset=DiagnosisContract.objects.select_related("provider", "tender", "accepted_by")
                 .annotate(target_count=Count("targets"),
                           report_count=Count("targets", filter=~Q(targets__report=""))).order_by("pk")),
    ).get(pk=pk)


def contract_detail(actor, pk):
    if getattr(actor, "role", None) not in CITYWIDE_ROLES:
        raise DiagnosisContract.DoesNotExist
    return DiagnosisContract.objects.select_related("programme", "provider", "tender", "accepted_by").prefetch_related(
        Prefetch("targets", queryset=DiagnosisTarget.objects.select_related("enterprise", "enterprise__county")
                 .order_by("pk")),
    ).get(pk=pk)


def target_for(actor, pk):
    if getattr(actor, "role", None) not in CITYWIDE_ROLES:
        raise DiagnosisTarget.DoesNotExist
    return DiagnosisTarget.objects.select_related("contract", "contract__programme", "enterprise").get(pk=pk)


def payment_detail(actor, pk):
    return payments_for(actor).select_related(
        "commitment", "commitment__payee", "batch", "prepared_by", "approved_by", "retry_of").get(pk=pk)


def payment_attempts(payment):
    """Every attempt of the payment's tranche, first one first (a failed attempt and the ones that followed it)."""
    return Payment.objects.filter(commitment_id=payment.commitment_id, tranche=payment.tranche).select_related(
        "batch", "prepared_by", "approved_by", "retry_of").order_by("attempt", "pk")
