"""The scores of a year: each indicator's actual value from its source, scored by the engine.

Used by the pages, the monitoring snapshot, the PDF and the XLSX, so that they all show the same numbers.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _

from core import sqlcache

from . import computed, scoring
from .computed import Computed, Link
from .constants import Direction, Level, Period, Source, StatisticKey
from .formatting import COUNT_UNITS, number
from .formatting import figure as fmt_figure
from .models import Indicator, StatisticFigure

ZERO = Decimal("0")


@dataclass
class IndicatorResult:
    indicator: Indicator
    actual: Decimal | None
    score: scoring.Score
    source_inputs: tuple = ()
    evidence: tuple = ()
    note: str = ""
    missing_reason: str = ""
    basis: str = ""  # a judgement's written basis

    @property
    def actual_display(self):
        ind = self.indicator
        if ind.direction == Direction.QUALITATIVE:
            judgement = getattr(ind, "judgement", None)
            return judgement.get_grade_display() if judgement else "—"
        if self.actual is None:
            return "—"
        if ind.source == Source.STATISTICS:  # as the statistics bureau gave it: 11.8, not 11.80
            return fmt_figure(self.actual, ind.unit or "%")
        if ind.direction in (Direction.INCREASE, Direction.DECREASE):
            return f"{number(self.actual)}%"
        return number(self.actual, ind.unit)

    @property
    def points_display(self):
        return scoring.fmt(self.score.points) if self.score.scored else "—"

    @property
    def reason_missing(self):
        """A deviation reason is required and none is written."""
        return self.score.reason_required and self.score.scored and not self.indicator.deviation_reason.strip()

    @property
    def inputs(self):
        return tuple(self.source_inputs) + tuple(self.score.inputs)


@dataclass
class LevelSum:
    level: str
    label: str
    weight: Decimal = ZERO
    points: Decimal = ZERO
    count: int = 0


@dataclass
class YearResult:
    year: object
    rows: list
    total: scoring.Total
    levels: list = field(default_factory=list)

    @property
    def weights_ok(self):
        return self.total.weight == Decimal("100")

    @property
    def grade(self):
        """The grade, or None while indicators are unscored or the weights do not total 100."""
        if not (self.total.complete and self.weights_ok):
            return None
        return scoring.grade_for(self.total.points)

    @property
    def grade_label(self):
        return scoring.grade_label(self.grade) if self.grade else ""

    @property
    def ceiling_grade_label(self):
        return scoring.grade_label(scoring.grade_for(self.total.ceiling))

    @property
    def missing(self):
        return [row for row in self.rows if not row.score.scored]

    @property
    def reasons_missing(self):
        return [row for row in self.rows if row.reason_missing]


def figures_for(year, period=Period.YEAR):
    return {f.key: f for f in StatisticFigure.objects.filter(year=year, period=period)}


def _statistics(indicator, figures, period):
    figure = figures.get(indicator.source_key)
    if figure is None:
        label = StatisticKey(indicator.source_key).label if indicator.source_key in StatisticKey.values else "?"
        return Computed.missing(_("Not in the imported statistics yet: %(figure)s (%(period)s).")
                                % {"figure": label, "period": Period(period).label})
    url = reverse("evaluation:statistics", args=[indicator.year.year])
    return Computed(actual=figure.value, inputs=((figure.get_key_display(), fmt_figure(figure.value)),),
                    evidence=(Link(_("Imported statistics"), url),), note=figure.note)


def _judged(indicator):
    links = tuple(Link(e.original_name, reverse("evaluation:evidence_download", args=[e.pk]))
                  for e in indicator.evidence.all())
    judgement = getattr(indicator, "judgement", None)
    if judgement is None:
        return scoring.score(Direction.QUALITATIVE, indicator.weight), links
    try:
        result = scoring.score(Direction.QUALITATIVE, indicator.weight, grade=judgement.grade, points=judgement.points)
    except ValueError as exc:  # the weight changed after the judgement: the judgement must be redone
        result = scoring.unscored(indicator.weight, exc)
    return result, links


def indicator_result(indicator, *, figures, as_of=None, period=Period.YEAR):
    if indicator.source == Source.JUDGED or indicator.direction == Direction.QUALITATIVE:
        result, links = _judged(indicator)
        judgement = getattr(indicator, "judgement", None)
        return IndicatorResult(indicator, None, result, evidence=links,
                               missing_reason="" if result.scored else result.formula,
                               basis=judgement.basis if judgement else "")
    if indicator.source == Source.STATISTICS:
        data = _statistics(indicator, figures, period)
    else:
        data = computed.compute(indicator.source_key, indicator.year, as_of=as_of)
    result = scoring.score(indicator.direction, indicator.weight, target=indicator.target_value,
                           actual=data.actual, whole=indicator.unit in COUNT_UNITS)
    if not data.available:
        result = scoring.unscored(indicator.weight, data.missing_reason)
    return IndicatorResult(indicator, data.actual, result, source_inputs=data.inputs, evidence=data.evidence,
                           note=data.note, missing_reason=data.missing_reason)


def indicators_for(year):
    return (Indicator.objects.filter(year=year).select_related("year", "judgement")
            .prefetch_related("evidence").order_by("number"))


def indicator_page(user, year, number):
    """One indicator of a year the user sees (``selectors.can_view``) with its year and judgement in one query
    (DoesNotExist otherwise), compiled once (core.sqlcache); its evidence is read only when its result shows it
    (judged or qualitative indicators)."""
    from .selectors import can_view

    def build(year, number):
        return Indicator.objects.filter(year__year=year, number=number).select_related("year", "judgement")

    found = sqlcache.rows(("evaluation.indicator_page",), build, year=int(year), number=int(number)) \
        if can_view(user) else []
    if not found:
        raise Indicator.DoesNotExist
    indicator = found[0]
    if indicator.source == Source.JUDGED or indicator.direction == Direction.QUALITATIVE:
        prefetch_related_objects([indicator], "evidence")
    return indicator


def year_results(year, *, as_of=None, period=Period.YEAR):
    figures = figures_for(year, period)
    rows = [indicator_result(ind, figures=figures, as_of=as_of, period=period) for ind in indicators_for(year)]
    levels = {level: LevelSum(level, str(label)) for level, label in Level.choices}
    for row in rows:
        level = levels[row.indicator.level]
        level.weight += row.indicator.weight
        level.points += row.score.points or ZERO
        level.count += 1
    return YearResult(year, rows, scoring.total(row.score for row in rows),
                      [lv for lv in levels.values() if lv.count])
