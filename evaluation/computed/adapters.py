"""The evaluation app's only window on the other apps' records.

Each function answers one question about a year's cycle with plain numbers and a link to the records it
counted, or ``NoData(reason)`` when the records it needs are not there. Nothing else in the evaluation app reads
another app's tables.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MODULES = {
    "applications": gettext_lazy("the applications module"),
    "reviews": gettext_lazy("the reviews module"),
    "disbursements": gettext_lazy("the disbursements module"),
    "aftercare": gettext_lazy("the follow-up reports"),
}


@dataclass(frozen=True)
class NoData:
    reason: str


@dataclass(frozen=True)
class Ratio:
    numerator: Decimal
    denominator: Decimal
    url: str = ""


@dataclass(frozen=True)
class Count:
    value: int
    url: str = ""


@dataclass(frozen=True)
class BudgetFigures:
    """Yuan. ``None`` where the source does not know the figure."""

    original: Decimal | None
    adjusted: Decimal | None
    received: Decimal | None
    spent: Decimal | None
    url: str = ""
    returned: Decimal | None = None  # funds recovered and refunded (追回退回), a line of their own, never netted

    def execution(self):
        """The self-evaluation's 预算执行率 (spent ÷ 年初预算), by the disbursements module's one definition."""
        from disbursements.figures import INDICATOR_BASIS, ExecutionRate

        return ExecutionRate(basis=INDICATOR_BASIS, budget=getattr(self, INDICATOR_BASIS), paid=self.spent)


def model_or_none(app_label, model_name):
    if not apps.is_installed(app_label):
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def not_connected(*sources):
    """NoData saying which module does not record this yet, or that the connection is pending.

    ``sources`` are the (app label, model name) pairs the answer will come from once connected."""
    for app_label, model_name in sources:
        if model_or_none(app_label, model_name) is None:
            return NoData(_("No data source yet: %(module)s does not record this yet.")
                          % {"module": MODULES.get(app_label, app_label)})
    modules = "、".join(dict.fromkeys(str(MODULES.get(a, a)) for a, _m in sources))
    return NoData(_("No data source yet: waiting for the connection to %(modules)s.")
                  % {"modules": modules})


# --- connected to the applications, reviews and disbursements records ----------------------------------------
#
# ``year`` is an EvaluationYear (or a plain fund year); ``as_of`` a date for mid-year monitoring (records
# up to and including that day). "Funded" means: on a support list of that fund year approved by the
# finance bureau (reviews.SupportList, status approved).


def _y(year):
    return int(getattr(year, "year", year))


def _url(name, **query):
    from urllib.parse import urlencode

    from django.urls import reverse

    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _day_end(as_of):
    """An aware datetime at the end of ``as_of`` (Asia/Shanghai), for filtering timestamps."""
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(as_of, time.max))


def _funded_entries(year, as_of=None):
    from reviews.models import SupportListEntry
    from reviews.workflow import SupportListStatus

    qs = SupportListEntry.objects.filter(support_list__fund_year=_y(year),
                                         support_list__status=SupportListStatus.APPROVED)
    if as_of:
        qs = qs.filter(support_list__approved_at__lte=_day_end(as_of))
    return qs


def _paid_payments(year, as_of=None):
    from disbursements.figures import paid_payments

    return paid_payments(_y(year), as_of)


def _rounds(year):
    from applications.models import Round

    return Round.objects.filter(year=_y(year))


def budget_figures(year, as_of=None):
    """Original / adjusted / received budget and spending of the fund year (disbursements' dated budget
    entries and paid payments, up to ``as_of``)."""
    from disbursements.figures import budget_figures as recorded

    figures = recorded(_y(year), as_of=as_of)
    if not figures.recorded:
        return NoData(_("No budget has been recorded for fund year %(year)s in the disbursements module.")
                      % {"year": _y(year)})
    return BudgetFigures(original=figures.original, adjusted=figures.adjusted, received=figures.received,
                         spent=figures.paid, url=_url("disbursements:budget", year=_y(year)),
                         returned=figures.returned)


def information_disclosure(year, as_of=None):
    """Ratio(items published on time, items that had to be published): each call of the year (on time when
    published with a notice dated no later than the opening of applications) and each publicity list (on
    time when published no later than the call's planned publicity date)."""
    from django.utils import timezone

    from reviews.models import Publicity
    from reviews.workflow import PublicityStatus

    rounds = list(_rounds(year))
    if not rounds:
        return NoData(_("No annual call has been recorded for %(year)s.") % {"year": _y(year)})
    required = on_time = 0
    for round_ in rounds:
        required += 1
        opens = timezone.localtime(round_.opens_at).date()
        if round_.is_published and round_.notice_date and round_.notice_date <= opens:
            on_time += 1
        if round_.publicity_date and (as_of is None or round_.publicity_date <= as_of):
            required += 1
            published = Publicity.objects.filter(
                round=round_, status__in=[PublicityStatus.PUBLISHED, PublicityStatus.CLOSED],
                published_at__isnull=False).order_by("published_at").first()
            if published and timezone.localtime(published.published_at).date() <= round_.publicity_date:
                on_time += 1
    return Ratio(Decimal(on_time), Decimal(required), _url("public:calls"))


def qualification_decisions(year, as_of=None):
    """Ratio(compliant decisions, all decisions): a refusal must state its reasons, and every re-review
    (复审) decision must state its basis."""
    from django.db.models import Count, Q

    from applications.models import QualificationDecision

    qs = QualificationDecision.objects.filter(application__round__year=_y(year))
    if as_of:
        qs = qs.filter(decided_at__lte=_day_end(as_of))
    Decision = QualificationDecision.Decision
    no_reason = Q(reasons="") | Q(reasons__isnull=True)
    counts = qs.aggregate(
        total=Count("id"),
        faulty=Count("id", filter=(Q(decision=Decision.DISQUALIFIED) | Q(is_re_review=True)) & no_reason),
    )
    if not counts["total"]:
        return NoData(_("No qualification decisions have been recorded for %(year)s.") % {"year": _y(year)})
    return Ratio(Decimal(counts["total"] - counts["faulty"]), Decimal(counts["total"]),
                 _url("applications:list", year=_y(year), status="qualified"))


def award_plan(year, as_of=None):
    """Ratio(award money paid, award money on the approved support lists of the fund year), yuan."""
    from django.db.models import Sum

    planned = _funded_entries(year, as_of).aggregate(s=Sum("amount"))["s"]
    if not planned:
        return NoData(_("No support list for fund year %(year)s has been approved yet.") % {"year": _y(year)})
    application_ids = _funded_entries(year, as_of).values("application_id")
    paid = _paid_payments(year, as_of).filter(commitment__application_id__in=application_ids) \
        .aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return Ratio(paid, planned, _url("reviews:support_lists"))


def supported_enterprises(year, as_of=None):
    """Count of distinct enterprises of the fund year's support lists that received a payment."""
    if not _funded_entries(year, as_of).exists():
        return NoData(_("No support list for fund year %(year)s has been approved yet.") % {"year": _y(year)})
    count = _paid_payments(year, as_of).filter(commitment__application__isnull=False) \
        .values("commitment__application__enterprise_id").distinct().count()
    return Count(count, _url("disbursements:payments", year=_y(year), status="paid"))


def _funded_count(year, as_of, **category_filter):
    entries = _funded_entries(year, as_of)
    if not entries.exists():
        return NoData(_("No support list for fund year %(year)s has been approved yet.") % {"year": _y(year)})
    return entries.filter(**{f"application__category__{k}": v for k, v in category_filter.items()})


def three_transformations_projects(year, as_of=None):
    """Count of funded projects in the 智能化改造 / 绿色化改造 / 技术改造 categories (三大改造)."""
    entries = _funded_count(year, as_of, is_three_upgrades=True)
    if isinstance(entries, NoData):
        return entries
    return Count(entries.values("application_id").distinct().count(), _url("reviews:support_lists"))


def beneficiary_eligibility(year, as_of=None):
    """Ratio(funded applications whose latest qualification decision is a pass, funded applications)."""
    from django.db.models import OuterRef, Subquery

    from applications.models import QualificationDecision

    entries = _funded_entries(year, as_of)
    total = entries.values("application_id").distinct().count()
    if not total:
        return NoData(_("No support list for fund year %(year)s has been approved yet.") % {"year": _y(year)})
    latest = QualificationDecision.objects.filter(application_id=OuterRef("application_id")) \
        .order_by("-decided_at", "-id").values("decision")[:1]
    passed = entries.annotate(last_decision=Subquery(latest)) \
        .filter(last_decision=QualificationDecision.Decision.QUALIFIED).values("application_id").distinct().count()
    return Ratio(Decimal(passed), Decimal(total), _url("reviews:support_lists"))


def review_steps(year, as_of=None):
    """Ratio(cycle steps finished by their planned dates, steps due by ``as_of`` or today): county
    forwarding, expert review, third-party audit, publicity and budget listing of the year's calls."""
    from django.db.models import Max
    from django.utils import timezone

    from applications.models import Application
    from reviews.models import Audit, Panel, Publicity, SupportList

    today = as_of or timezone.localdate()
    rounds = list(_rounds(year))
    if not rounds:
        return NoData(_("No annual call has been recorded for %(year)s.") % {"year": _y(year)})
    due = done = 0
    for round_ in rounds:
        finished = {
            "county_deadline": Application.objects.filter(round=round_).aggregate(m=Max("forwarded_at"))["m"],
            "expert_review_date": Panel.objects.filter(round=round_).aggregate(m=Max("closed_at"))["m"],
            "audit_date": Audit.objects.filter(application__round=round_).aggregate(m=Max("entered_at"))["m"],
            "publicity_date": Publicity.objects.filter(round=round_).aggregate(m=Max("published_at"))["m"],
            "budget_listing_date": SupportList.objects.filter(round=round_).aggregate(m=Max("approved_at"))["m"],
        }
        for field, when in finished.items():
            planned = getattr(round_, field)
            if planned is None or planned > today:
                continue
            due += 1
            if when is not None and timezone.localtime(when).date() <= planned:
                done += 1
    if not due:
        return NoData(_("No step of the %(year)s cycle was due yet.") % {"year": _y(year)})
    return Ratio(Decimal(done), Decimal(due), _url("applications:calls"))


def payment_timeliness(year, as_of=None):
    """Ratio(payments paid by their due date, payments paid) for the fund year."""
    from disbursements.figures import payment_timeliness as timeliness

    result = timeliness(_y(year), as_of=as_of)
    if not result.denominator:
        return NoData(_("No award has been paid for fund year %(year)s yet.") % {"year": _y(year)})
    return Ratio(Decimal(result.numerator), Decimal(result.denominator),
                 _url("disbursements:payments", year=_y(year), status="paid"))


def green_manufacturing(year, as_of=None):
    """Count of enterprises funded in the 绿色制造体系 (green factory etc.) categories."""
    entries = _funded_count(year, as_of, is_green_manufacturing=True)
    if isinstance(entries, NoData):
        return entries
    return Count(entries.values("application__enterprise_id").distinct().count(), _url("reviews:support_lists"))


def archive_completeness(year, as_of=None):
    """Ratio(funded applications with every required material attached, funded applications)."""
    from django.db.models import Count as DbCount
    from django.db.models import Q

    from applications.models import Application

    funded = _funded_entries(year, as_of).values("application_id")
    apps_qs = Application.objects.filter(id__in=funded).annotate(
        required=DbCount("category__materials", filter=Q(category__materials__required=True), distinct=True),
        present=DbCount("attachments__material", distinct=True,
                        filter=Q(attachments__is_current=True, attachments__material__required=True)),
    ).values_list("required", "present")
    rows = list(apps_qs)
    if not rows:
        return NoData(_("No support list for fund year %(year)s has been approved yet.") % {"year": _y(year)})
    complete = sum(1 for required, present in rows if present >= required)
    return Ratio(Decimal(complete), Decimal(len(rows)), _url("reviews:support_lists"))


def policy_publicity(year, as_of=None):
    """Ratio(calls and publicity lists published, calls and publicity lists required) for the year: each
    call must be published, and a publicity list is required for each call whose review produced awards."""
    from reviews.models import Publicity, PublicityEntry
    from reviews.workflow import PublicityStatus

    rounds = list(_rounds(year))
    if not rounds:
        return NoData(_("No annual call has been recorded for %(year)s.") % {"year": _y(year)})
    required = published = 0
    for round_ in rounds:
        required += 1
        published += 1 if round_.is_published else 0
        needs_publicity = PublicityEntry.objects.filter(publicity__round=round_).exists() or (
            round_.publicity_date is not None and (as_of or round_.publicity_date) >= round_.publicity_date)
        if needs_publicity:
            required += 1
            published += 1 if Publicity.objects.filter(
                round=round_, status__in=[PublicityStatus.PUBLISHED, PublicityStatus.CLOSED]).exists() else 0
    return Ratio(Decimal(published), Decimal(required), _url("publicity:index"))


def funded_enterprises(year):
    """The enterprises (accounts.Organisation queryset) funded in ``year``: the survey's respondents."""
    from accounts.models import Organisation

    return Organisation.objects.filter(applications__in=_funded_entries(year).values("application_id")).distinct()


def funded_results(year, as_of=None):
    """The first follow-up year of the projects funded from the fund year: their reports on the year after
    (aftercare.followup_selectors.FollowupFigures, totals and growth from verified reports), or NoData when none
    of them is verified yet. ``as_of`` is not used: a report is verified after the year it reports on."""
    from aftercare.followup_selectors import followup_figures

    figures = followup_figures(_y(year) + 1, fund_year=_y(year))
    if not figures.verified:
        return NoData(_("No follow-up report of the projects funded in %(year)s on %(next)s has been verified yet.")
                      % {"year": _y(year), "next": _y(year) + 1})
    return figures


def funded_results_url(year):
    """The list of the verified follow-up reports ``funded_results`` counted."""
    return _url("aftercare:followup_list", year=_y(year) + 1, fund_year=_y(year), status="verified")

