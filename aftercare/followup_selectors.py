"""Read side of the follow-up reports (绩效跟踪): what each user sees, the overdue ones, and the year's figures of
the funded enterprises that the evaluation reads (``followup_figures``)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.rules import has_organisation, is_citywide, is_county, is_enterprise
from core import clock
from core.search import apply_search

from .followup_models import FIGURES, FollowupReport
from .followup_workflow import OPEN, FollowupStatus

FOLLOWUP_SEARCH = {"codes": ("commitment__application__receipt_no", "commitment__payee__credit_code"),
                   "names": ("commitment__payee__name", "commitment__application__project_name")}
# The list's tabs: the statuses, and the reports past their deadline still waiting for the enterprise.
OVERDUE = "overdue"


def followup_scope(user):
    """The one definition of the reports ``user`` sees, as a Q (None: none): an enterprise its own projects', county
    staff their county's, city-wide roles all."""
    if is_enterprise(user):
        return Q(commitment__payee_id=user.organisation_id) if has_organisation(user) else None
    if is_county(user):
        return Q(commitment__county_id=user.county_id) if user.county_id else None
    if is_citywide(user):
        return Q()
    return None


def followups_for(user):
    scope = followup_scope(user)
    return FollowupReport.objects.filter(scope) if scope is not None else FollowupReport.objects.none()


def overdue_q(today=None):
    return Q(status__in=OPEN, due_on__lt=today or clock.today())


def tab_filter(tab, today=None):
    """The Q of a list tab ('' or an unknown tab: everything)."""
    if tab == OVERDUE:
        return overdue_q(today)
    if tab in FollowupStatus.values:
        return Q(status=tab)
    return Q()


def followup_list(user, *, search="", tab="", year=None, fund_year=None):
    qs = followups_for(user).filter(tab_filter(tab))
    if year:
        qs = qs.filter(year=year)
    if fund_year:
        qs = qs.filter(commitment__fund_year=fund_year)
    qs = qs.select_related("commitment__payee", "commitment__county", "commitment__application")
    return apply_search(qs, search, **FOLLOWUP_SEARCH).order_by("due_on", "id")


def tab_counts(user):
    """{tab: count} of the user's reports in one aggregate."""
    today = clock.today()
    counts = followups_for(user).aggregate(
        all=Count("id"), overdue=Count("id", filter=overdue_q(today)),
        **{status: Count("id", filter=Q(status=status)) for status in FollowupStatus.values})
    return counts


def followup_detail(user, pk):
    """The report ``pk`` if ``user`` sees it (DoesNotExist otherwise), with its project."""
    return (followups_for(user).select_related("commitment__payee", "commitment__county",
                                               "commitment__application__round", "submitted_by", "verified_by")
            .get(pk=pk))


def previous_report(report):
    """The report of the year before on the same project (None for the first one)."""
    if report.is_first:
        return None
    return FollowupReport.objects.filter(commitment_id=report.commitment_id, year=report.year - 1).first()


_UNREAD = object()


def previous_figures(report, previous=_UNREAD):
    """{figure: value} the report is compared with: the base year for the first report, else the year before's
    report (when it was submitted); {} when there is nothing to compare with."""
    if report.is_first:
        return {name: getattr(report, f"base_{name}") for name, _label in FIGURES}
    previous = previous_report(report) if previous is _UNREAD else previous
    if previous is None or previous.submitted_at is None:
        return {}
    return {name: getattr(previous, name) for name, _label in FIGURES}


# --- the funded enterprises' figures of a year (evaluation: 效益 indicators 17, 21, 22) ---------------------------

BASIS = _("verified follow-up reports on %(year)s of the projects funded from fund year %(fund_year)s, compared "
          "with the same enterprises' verified figures of the year before (the base year for a first report)")
BASIS_ALL = _("verified follow-up reports on %(year)s of the funded projects, compared with the same enterprises' "
              "verified figures of the year before (the base year for a first report)")
HUNDRED = Decimal(100)
NAMES = tuple(name for name, _label in FIGURES)


def growth(current, previous):
    """Percentage change from ``previous`` to ``current`` (2 places), None without a base."""
    if current is None or not previous:
        return None
    return ((Decimal(current) / Decimal(previous) - 1) * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FollowupFigures:
    """The follow-up reports on ``year`` (of the projects of ``fund_year``, or all) and the totals of the verified
    ones (yuan, persons, tce). ``compared`` is how many verified reports had verified figures of the year before
    to compare with; the growth rates (percent) are of those."""

    year: int
    fund_year: int | None
    due: int
    received: int
    verified: int
    revenue: Decimal
    taxes: Decimal
    jobs: int
    energy: Decimal
    output: Decimal
    compared: int
    revenue_growth: Decimal | None
    tax_growth: Decimal | None
    jobs_growth: Decimal | None
    energy_intensity_change: Decimal | None  # change of energy use per yuan of revenue in percent (a fall < 0)

    @property
    def basis(self):
        if self.fund_year is None:
            return BASIS_ALL % {"year": self.year}
        return BASIS % {"year": self.year, "fund_year": self.fund_year}


def _intensity(energy, revenue):
    """Energy use per yuan of revenue (both are the enterprise's own figures; the funded line's output may start
    from nothing)."""
    return Decimal(energy) / Decimal(revenue) if revenue else None


def _rows(year, fund_year):
    """One query: the year's reports with the verified figures of the same project's report on the year before."""
    before = FollowupReport.objects.filter(commitment_id=OuterRef("commitment_id"), year=OuterRef("year") - 1,
                                           status=FollowupStatus.VERIFIED)
    qs = FollowupReport.objects.filter(year=year)
    if fund_year is not None:
        qs = qs.filter(commitment__fund_year=fund_year)
    return qs.annotate(**{f"prev_{name}": Subquery(before.values(name)[:1]) for name in NAMES}).values(
        "status", "submitted_at", "sequence", *NAMES, *(f"base_{n}" for n in NAMES), *(f"prev_{n}" for n in NAMES))


def followup_figures(year, *, fund_year=None):
    """FollowupFigures of the reports on ``year`` (all counties; of the projects funded from ``fund_year`` when
    given): due (every scheduled report), received (submitted at least once), verified; totals and growth from
    verified reports only."""
    year = int(year)
    rows = list(_rows(year, fund_year))
    verified = [r for r in rows if r["status"] == FollowupStatus.VERIFIED]
    now = {name: sum((r[name] or 0 for r in verified), Decimal(0)) for name in NAMES}
    cur = dict.fromkeys(NAMES, Decimal(0))  # the compared reports' figures this year
    before = dict.fromkeys(NAMES, Decimal(0))  # and the year before
    compared = 0
    for row in verified:
        prefix = "base_" if row["sequence"] == 1 else "prev_"
        if any(row[f"{prefix}{name}"] is None or row[name] is None for name in NAMES):
            continue
        compared += 1
        for name in NAMES:
            cur[name] += row[name]
            before[name] += row[f"{prefix}{name}"]
    ratio_now, ratio_before = _intensity(cur["energy"], cur["revenue"]), _intensity(before["energy"], before["revenue"])
    return FollowupFigures(
        year=year, fund_year=fund_year, due=len(rows), received=sum(1 for r in rows if r["submitted_at"]),
        verified=len(verified), revenue=now["revenue"], taxes=now["taxes"], jobs=int(now["jobs"]),
        energy=now["energy"], output=now["output"], compared=compared,
        revenue_growth=growth(cur["revenue"], before["revenue"]), tax_growth=growth(cur["taxes"], before["taxes"]),
        jobs_growth=growth(cur["jobs"], before["jobs"]), energy_intensity_change=growth(ratio_now, ratio_before))
