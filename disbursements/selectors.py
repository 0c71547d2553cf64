"""Every read a view, export or another app uses, already scoped to what the actor may see. A fund year's
money figures (the budget, its execution rate, the timeliness of payments) are in ``disbursements.figures``.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Max, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce

from accounts.roles import CITYWIDE_ROLES, Role
from accounts.validators import CREDIT_CODE_PREFIX
from applications.services.submission import RECEIPT_NO_PREFIX
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


def money_sum(expr, **filter_kw):
    """SUM of an amount, 0.00 over no rows."""
    return Coalesce(Sum(expr, **filter_kw), Value(ZERO), output_field=MONEY_OUT)


# --- scope -------------------------------------------------------------------------------------------------


# The search boxes (core.search): receipt numbers, credit codes and references by prefix, names by substring (a
# receipt number and a credit code looked for only with a word that can start one).
COMMITMENT_SEARCH = {"codes": (("application__receipt_no", RECEIPT_NO_PREFIX),
                               ("payee__credit_code", CREDIT_CODE_PREFIX)),
                     "names": ("payee__name", "purpose", "application__project_name")}
PAYMENT_SEARCH = {"codes": ("reference", "bank_reference", "batch__reference",
                            ("commitment__application__receipt_no", RECEIPT_NO_PREFIX),
                            ("commitment__payee__credit_code", CREDIT_CODE_PREFIX)),
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
        scheduled=money_sum("payments__amount", filter=Q(payments__status__in=COUNTED_PAYMENT_STATUSES)),
        paid=money_sum("payments__amount", filter=Q(payments__status=PaymentStatus.PAID)),
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


PAYMENT_LIST_SHOWN = ("id", "reference", "payee_name", "amount", "status", "paid_on", "batch_id")
PAYMENT_LIST_JOINED = {"batch_reference": "batch__reference", "due_date": "commitment__due_date",
                       "county_name": "commitment__county__name"}


def payment_list_shown(actor, filters=None):
    """``payment_list`` as the payments page shows it: a dict per payment of PAYMENT_LIST_SHOWN and the joined
    columns of PAYMENT_LIST_JOINED (the batch's reference, the commitment's due date and county), not the export's
    other joins; plain values, not three model instances per row (a page of fifty: 2.3 -> 0.6 ms)."""
    return payment_list(actor, filters).select_related(None).values(
        *PAYMENT_LIST_SHOWN, **{name: F(path) for name, path in PAYMENT_LIST_JOINED.items()})


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
        total=money_sum("payments__amount"), count=Count("payments"))
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
        total=money_sum("payments__amount"), count=Count("payments"),
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


def payment_counts(actor):
    """An enterprise's payments: paid, and still in progress (pending, approved, sent or failed)."""
    return payments_for(actor).aggregate(
        paid=Count("id", filter=Q(status=PaymentStatus.PAID)),
        open=Count("id", filter=Q(status__in=[PaymentStatus.PENDING, PaymentStatus.APPROVED, PaymentStatus.SENT])
                   | Q(pk__in=waiting_failures())))


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
