"""Year on year: for a list of evaluation years, each indicator's actual value, points and grade with the change
from the year before, the total score, and the cycle figures officials compare (applications, awards, amounts
awarded and paid, budget execution, supported enterprises, returned funds and clawbacks).

Nothing is recomputed here: the indicators come from ``results.year_results``, the money from
``disbursements.figures.budget_figures``, the counts from ``applications.figures.year_counts`` and the
clawbacks from ``aftercare.selectors.clawback_figures``. Each year costs the same number of queries.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.selectors import clawback_figures
from applications.figures import year_counts
from core.money import format_wan, to_wan
from disbursements.figures import budget_figures

from . import scoring
from .constants import Direction
from .formatting import COUNT_UNITS, count, number
from .models import EvaluationYear
from .results import year_results

SUPPORTED_KEY = "supported_enterprises"  # indicator 11's source: enterprises of the support lists paid
EXECUTION_KEY = "budget_execution_rate"  # indicator 1's source


@dataclass(frozen=True)
class Change:
    """The change of a figure from the previous year to this one (Decimal values; None where a year lacks it)."""

    previous: Decimal | None
    current: Decimal | None

    @property
    def delta(self):
        if self.previous is None or self.current is None:
            return None
        return Decimal(self.current) - Decimal(self.previous)

    @property
    def direction(self):
        """"rise", "fall", "same", or None when either year has no value."""
        delta = self.delta
        if delta is None:
            return None
        return "rise" if delta > 0 else "fall" if delta < 0 else "same"


def change_text(change, unit="", fmt=number):
    """'+2.10 个百分点', '−1家', '持平', or '—' when a year is missing. ``unit`` '%' reads percentage points."""
    delta = change.delta
    if delta is None:
        return "—"
    if not delta:
        return _("unchanged")
    sign = "+" if delta > 0 else "−"
    if unit == "%":
        return _("%(sign)s%(value)s percentage points") % {"sign": sign, "value": fmt(abs(delta))}
    return f"{sign}{fmt(abs(delta))}{unit}"


@dataclass
class IndicatorYear:
    """One indicator in one year, as ``year_results`` scored it."""

    value: Decimal | None
    display: str
    points: Decimal | None
    points_display: str
    grade: str = ""  # a qualitative indicator's judgement (Grade value), "" when not judged
    grade_label: str = ""


@dataclass
class IndicatorTrend:
    number: int
    name: str
    unit: str
    qualitative: bool
    cells: list  # IndicatorYear or None (the year has no indicator of that number), one per year
    changes: list = field(default_factory=list)  # Change of the value (or of the points, qualitative), per later year

    @property
    def change_texts(self):
        if self.qualitative:
            return [self._grade_change(a, b) for a, b in zip(self.cells, self.cells[1:], strict=False)]
        fmt = count if self.unit in COUNT_UNITS else number
        return [change_text(c, self.unit, fmt) for c in self.changes]

    @staticmethod
    def _grade_change(before, after):
        if not (before and after and before.grade and after.grade):
            return "—"
        if before.grade == after.grade:
            return _("unchanged")
        return _("from %(before)s to %(after)s") % {"before": before.grade_label, "after": after.grade_label}

    @property
    def last_change_text(self):
        texts = self.change_texts
        return texts[-1] if texts else ""


@dataclass
class YearFigures:
    """One year of the comparison: the scored result and the cycle figures (money in yuan)."""

    year: int
    result: object  # results.YearResult
    applied: int
    awarded: int
    budget: object  # disbursements.figures.BudgetFigures
    clawbacks: object  # aftercare.selectors.ClawbackFigures

    @property
    def total(self):
        return self.result.total.points

    @property
    def grade_label(self):
        return self.result.grade_label

    @property
    def execution(self):
        """The budget execution rate (ExecutionRate) by the disbursements module's one definition."""
        return self.budget.execution()

    def _row(self, key):
        return next((row for row in self.result.rows if row.indicator.source_key == key), None)

    @property
    def execution_percent(self):
        """The rate in per cent: the disbursements module's when it records the year's budget, else indicator 1's
        value (the budget figures entered in the year's settings), as the report states it."""
        if self.budget.recorded:
            return self.execution.percent
        row = self._row(EXECUTION_KEY)
        return row.actual if row is not None else None

    @property
    def supported(self):
        """Supported enterprises: indicator 11's value (None when not computed for the year)."""
        row = self._row(SUPPORTED_KEY)
        return row.actual if row is not None else None

    @property
    def awarded_amount(self):
        return self.budget.committed

    @property
    def paid(self):
        return self.budget.paid

    @property
    def returned(self):
        return self.budget.returned


@dataclass(frozen=True)
class Figure:
    """A cycle figure compared over the years: its label, unit, how a year's value is read and written."""

    key: str
    label: str
    unit: str
    value: object  # YearFigures -> Decimal | None
    fmt: object = number


FIGURES = (
    Figure("total", gettext_lazy("Total score (points)"), "", lambda y: y.total, scoring.fmt),
    Figure("applied", gettext_lazy("Applications received"), "个", lambda y: Decimal(y.applied), count),
    Figure("awarded", gettext_lazy("Awards made"), "个", lambda y: Decimal(y.awarded), count),
    Figure("awarded_amount", gettext_lazy("Amount awarded (10,000 yuan)"), "", lambda y: y.awarded_amount,
           format_wan),
    Figure("paid", gettext_lazy("Amount paid (10,000 yuan)"), "", lambda y: y.paid, format_wan),
    Figure("execution", gettext_lazy("Budget execution rate"), "%", lambda y: y.execution_percent, number),
    Figure("supported", gettext_lazy("Enterprises supported"), "家", lambda y: y.supported, count),
    Figure("returned", gettext_lazy("Returned funds (10,000 yuan)"), "", lambda y: y.returned, format_wan),
    Figure("clawbacks", gettext_lazy("Clawbacks decided"), "个", lambda y: Decimal(y.clawbacks.count), count),
)
MONEY_FIGURES = ("awarded_amount", "paid", "returned")  # yuan, written in 万元
FIGURE_LABELS = {figure.key: figure.label for figure in FIGURES}


@dataclass
class FigureTrend:
    figure: Figure
    values: list  # Decimal or None per year (money in yuan)
    changes: list  # Change per later year

    @property
    def displays(self):
        return ["—" if v is None else f"{self.figure.fmt(v)}{self.figure.unit}" for v in self.values]

    @property
    def change_texts(self):
        return [change_text(c, self.figure.unit, self.figure.fmt) for c in self.changes]

    @property
    def chart_values(self):
        """The values as a chart draws them (money in 万元)."""
        if self.figure.key in MONEY_FIGURES:
            return [None if v is None else to_wan(v) for v in self.values]
        return self.values


@dataclass
class Trends:
    years: list  # YearFigures, oldest first
    indicators: list  # IndicatorTrend by number
    figures: dict  # key -> FigureTrend

    @property
    def labels(self):
        return [str(y.year) for y in self.years]

    def change(self, key):
        """The last year's Change of the cycle figure ``key``."""
        changes = self.figures[key].changes
        return changes[-1] if changes else Change(None, None)


def _indicator_year(row):
    ind = row.indicator
    judgement = getattr(ind, "judgement", None) if ind.direction == Direction.QUALITATIVE else None
    return IndicatorYear(
        value=row.actual, display=row.actual_display,
        points=row.score.points if row.score.scored else None, points_display=row.points_display,
        grade=judgement.grade if judgement else "", grade_label=judgement.get_grade_display() if judgement else "")


def _indicator_trends(years):
    by_number = [{row.indicator.number: row for row in y.result.rows} for y in years]
    numbers = sorted(set().union(*by_number)) if by_number else []
    trends = []
    for n in numbers:
        rows = [rows.get(n) for rows in by_number]
        latest = next(row for row in reversed(rows) if row is not None).indicator
        cells = [_indicator_year(row) if row is not None else None for row in rows]
        qualitative = latest.direction == Direction.QUALITATIVE
        values = [(c.points if qualitative else c.value) if c else None for c in cells]
        unit = "%" if latest.direction in (Direction.INCREASE, Direction.DECREASE) else latest.unit
        trends.append(IndicatorTrend(n, latest.name, unit, qualitative, cells,
                                     [Change(a, b) for a, b in zip(values, values[1:], strict=False)]))
    return trends


def year_figures(year, result=None):
    """YearFigures of one EvaluationYear (``result``: its year_results when already computed)."""
    counts = year_counts(year.year)
    return YearFigures(year=year.year, result=result or year_results(year), applied=counts["applied"],
                       awarded=counts["awarded"], budget=budget_figures(year.year),
                       clawbacks=clawback_figures(year.year))


def year_trends(years, results=None):
    """Trends of ``years`` (EvaluationYears, any order; compared oldest first). ``results``: {year: YearResult}
    already computed (the report passes its own)."""
    results = results or {}
    ordered = sorted(years, key=lambda y: y.year)
    figures = [year_figures(y, results.get(y.year)) for y in ordered]
    trends = {}
    for figure in FIGURES:
        values = [figure.value(y) for y in figures]
        trends[figure.key] = FigureTrend(figure, values,
                                         [Change(a, b) for a, b in zip(values, values[1:], strict=False)])
    return Trends(figures, _indicator_trends(figures), trends)


def previous_year(year):
    """The evaluation year before ``year`` (year − 1), or None."""
    return EvaluationYear.objects.filter(year=year.year - 1).first()


def comparison(year, result=None):
    """Trends of the previous year and ``year``, or None when there is no previous evaluation year."""
    before = previous_year(year)
    if before is None:
        return None
    return year_trends([before, year], results={year.year: result} if result is not None else None)


def recent_years(limit=4):
    """The latest ``limit`` evaluation years, oldest first."""
    return list(reversed(EvaluationYear.objects.order_by("-year")[:limit]))
