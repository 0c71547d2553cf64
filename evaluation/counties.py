"""The counties compared: per county, for a fund year and the year before, applications, awards, amount awarded
and paid (yuan), and acceptance (accepted / due). Assembled here from the owning apps' selectors
(``applications_by_county_of_year``, ``budget_by_county``, ``acceptance_by_county``); a county user sees its own
county only (``accounts.see_own_county``), the city-wide roles every county."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from aftercare.selectors import AcceptanceCount, acceptance_by_county
from applications.figures import applications_by_county_of_year
from core.charts import pair_chart
from disbursements.figures import budget_by_county
from disbursements.selectors import ZERO

from .report.comparison import year_label


@dataclass(frozen=True)
class CountyYear:
    applied: int = 0
    awarded: int = 0
    awarded_amount: Decimal = ZERO
    paid: Decimal = ZERO
    accepted: int = 0
    due: int = 0


@dataclass
class CountyRow:
    name: str
    years: list  # CountyYear per compared year, oldest first
    chart: str = ""


@dataclass
class CountyComparison:
    years: list  # the two fund years, oldest first
    rows: list = field(default_factory=list)  # CountyRow per county in the user's scope
    totals: list = field(default_factory=list)  # CountyYear per year, over the rows shown


def visible_county(user):
    """None: every county; a county name: only that one; False: none."""
    if user.has_perm("accounts.see_every_county"):
        return None
    if user.has_perm("accounts.see_own_county"):
        return user.county.name
    return False


def _year(year):
    """{county name: CountyYear} of fund year ``year`` (three selectors, a fixed number of queries)."""
    money = {row["label"]: row for row in budget_by_county(year)}
    acceptance = acceptance_by_county(year)
    result = {}
    for name, applied, awarded in applications_by_county_of_year(year):
        paid = money.get(name, {})
        accepted = acceptance.get(name, AcceptanceCount())
        result[name] = CountyYear(applied, awarded, paid.get("committed", ZERO), paid.get("paid", ZERO),
                                  accepted.accepted, accepted.due)
    return result


def _total(items):
    return CountyYear(*(sum(getattr(i, name) for i in items)
                        for name in ("applied", "awarded", "awarded_amount", "paid", "accepted", "due")))


def county_chart(name, years, cells, scale_max):
    """The county's small chart: its counts of both years side by side, on the scale every county shares."""
    rows = [(_("Applied"), cells[0].applied, cells[1].applied),
            (_("Awarded"), cells[0].awarded, cells[1].awarded),
            (_("Accepted"), cells[0].accepted, cells[1].accepted)]
    title = _("%(county)s: %(before)s and %(after)s") % {"county": name, "before": year_label(years[0]),
                                                          "after": year_label(years[1])}
    return pair_chart(title, rows, legend=(year_label(years[0]), year_label(years[1])), width=300,
                      label_width=60, scale_max=scale_max)


def county_comparison(user, year, *, charts=True):
    """CountyComparison of fund year ``year`` and the year before, in ``user``'s scope."""
    years = [year - 1, year]
    scope = visible_county(user)
    comparison = CountyComparison(years)
    if scope is False:
        return comparison
    per_year = [_year(y) for y in years]
    for name in per_year[1]:
        if scope is None or name == scope:
            comparison.rows.append(CountyRow(name, [figures.get(name, CountyYear()) for figures in per_year]))
    if charts:
        most = max((c.applied for row in comparison.rows for c in row.years), default=0)
        for row in comparison.rows:
            row.chart = county_chart(row.name, years, row.years, most)
    comparison.totals = [_total([row.years[i] for row in comparison.rows]) for i in range(2)]
    return comparison
