"""Everything the report shows, gathered once: the results, the texts, the money, the statistics, charts."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.selectors import clawback_figures
from core.money import format_wan

from .. import charts, trends
from ..computed import adapters
from ..computed.indicators import budget_source, funded_sentence
from ..constants import Level, Section, Source, StatisticKey
from ..formatting import figure, number
from ..results import figures_for, year_results
from . import comparison

NUMERALS = "一二三四五六七八九十"


@dataclass
class Part:
    key: str
    title: str
    body: str = ""


@dataclass
class Chapter:
    title: str
    parts: list = field(default_factory=list)


def outline(bodies):
    """The seed's outline: chapters 一 … 七 with their numbered sections."""

    def part(key, n):
        return Part(key, f"（{NUMERALS[n]}）{Section(key).label}", bodies.get(key, ""))

    chapters = [
        (_("Overview"), [Section.UNIT, Section.PROJECT, Section.FUNDS, Section.GOALS]),
        (_("Evaluation work"), [Section.WORK_BASIC, Section.WORK_ORGANISATION]),
        (_("Analysis of the performance indicators"), [Section.DECISION, Section.MANAGEMENT, Section.OUTPUT]),
        (_("Evaluation conclusion"), [Section.CONCLUSION]),
        (_("Main experience and practice"), [Section.EXPERIENCE]),
        (_("Problems and suggestions"), [Section.PROBLEMS]),
        (_("Other matters to explain"), [Section.OTHER]),
    ]
    result = []
    for i, (title, keys) in enumerate(chapters):
        parts = ([part(k, n) for n, k in enumerate(keys)] if len(keys) > 1
                 else [Part(keys[0], "", bodies.get(keys[0], ""))])
        result.append(Chapter(f"{NUMERALS[i]}、{title}", parts))
    return result


def money(year):
    figures, note = budget_source(year, None)
    if isinstance(figures, adapters.NoData) or figures is None:
        return {"available": False, "reason": getattr(figures, "reason", "")}
    execution = figures.execution()  # the figure of indicator 1, with the same denominator
    return {
        "available": True, "figures": figures, "note": note, "execution": execution,
        "basis": execution.basis_label, "budget": execution.budget,
        "budget_wan": format_wan(execution.budget), "spent_wan": format_wan(figures.spent),
        "original_wan": format_wan(figures.original),
        "rate": number(execution.percent) if execution.percent is not None else None,
        "chart": charts.budget_chart(execution.budget, figures.spent, execution.basis_label),
    }


OUTCOME_CHART_KEYS = [StatisticKey.MFG_VALUE_ADDED_GROWTH, StatisticKey.LEADING_SIX_GROWTH,
                      StatisticKey.HIGH_TECH_GROWTH, StatisticKey.REVENUE_GROWTH, StatisticKey.TAX_GROWTH,
                      StatisticKey.ENERGY_INTENSITY_CHANGE]
CHART_LABELS = {
    StatisticKey.MFG_VALUE_ADDED_GROWTH: gettext_lazy("Manufacturing value added growth"),
    StatisticKey.LEADING_SIX_GROWTH: gettext_lazy("Six leading industries growth"),
    StatisticKey.HIGH_TECH_GROWTH: gettext_lazy("High-tech manufacturing growth"),
    StatisticKey.REVENUE_GROWTH: gettext_lazy("Industrial revenue growth"),
    StatisticKey.TAX_GROWTH: gettext_lazy("Industrial taxes growth"),
    StatisticKey.ENERGY_INTENSITY_CHANGE: gettext_lazy("Energy use per value added"),
}


def outcomes(year):
    figures = figures_for(year)
    values = {key: f.value for key, f in figures.items()}
    rows = [(str(CHART_LABELS[k]), values[k]) for k in OUTCOME_CHART_KEYS if k in values]
    sentences = outcome_sentences(values)
    if funded := funded_sentence(year):  # the funded enterprises' own results (follow-up reports)
        sentences.append(funded)
    return {"values": values, "sentences": sentences, "chart": charts.outcome_chart(rows),
            "figures": [(f.get_key_display(), figure(f.value), f.note) for f in figures.values()]}


def goals(result):
    """Indicator names with their targets, grouped by level, as the seed's 绩效目标 paragraph lists them."""
    groups = []
    for level, label in Level.choices:
        names = [f"{row.indicator.name}（{row.indicator.target_display}）" for row in result.rows
                 if row.indicator.level == level]
        if names:
            groups.append((label, names))
    return groups


def build(year):
    result = year_results(year)
    bodies = {s.key: s.body for s in year.sections.all()}
    sources = {value: sum(1 for row in result.rows if row.indicator.source == value) for value in Source.values}
    return {
        "year": year,
        "result": result,
        "chapters": outline(bodies),
        "money": money(year),
        # clawbacks decided on the year's awards after a failed acceptance (refunds are returned funds)
        "clawbacks": clawback_figures(year.year),
        "outcomes": outcomes(year),
        "goals": goals(result),
        "sources": sources,
        "level_chart": charts.levels_chart(result.levels),
        "not_met": [row for row in result.rows if row.score.scored and row.score.met is False],
        # the previous year beside this one (None for a first year: the report then compares nothing)
        "comparison": comparison.build(trends.comparison(year, result)),
        "generated_at": timezone.localtime(),
    }


def _change(value, rise, fall):
    value = Decimal(value)
    return (rise if value >= 0 else fall) % {"v": figure(abs(value))}


def outcome_sentences(values):
    """The seed's 产出 paragraph, written from whichever imported figures exist (Decimal values)."""
    v = values
    sentences = []
    if StatisticKey.MFG_VALUE_ADDED_GROWTH in v:
        sentences.append(_change(v[StatisticKey.MFG_VALUE_ADDED_GROWTH],
                                 _("Manufacturing value added above designated size grew by %(v)s%% year on year"),
                                 _("Manufacturing value added above designated size fell by %(v)s%% year on year")))
    for growth, share, rise, fall in (
        (StatisticKey.LEADING_SIX_GROWTH, StatisticKey.LEADING_SIX_SHARE,
         _("the six leading industries grew by %(v)s%%"), _("the six leading industries fell by %(v)s%%")),
        (StatisticKey.HIGH_TECH_GROWTH, StatisticKey.HIGH_TECH_SHARE,
         _("high-tech manufacturing grew by %(v)s%%"), _("high-tech manufacturing fell by %(v)s%%")),
    ):
        if growth in v:
            text = _change(v[growth], rise, fall)
            if share in v:
                text += _(", %(v)s%% of industry above designated size") % {"v": figure(v[share])}
            sentences.append(text)
    if StatisticKey.STRATEGIC_EMERGING_SHARE in v:
        sentences.append(_("strategic emerging industries made up %(v)s%% of industry")
                         % {"v": figure(v[StatisticKey.STRATEGIC_EMERGING_SHARE])})
    if StatisticKey.REVENUE_GROWTH in v:
        sentences.append(_change(v[StatisticKey.REVENUE_GROWTH],
                                 _("revenue of industrial enterprises above designated size grew by %(v)s%%"),
                                 _("revenue of industrial enterprises above designated size fell by %(v)s%%")))
    if StatisticKey.TAX_GROWTH in v:
        sentences.append(_change(v[StatisticKey.TAX_GROWTH], _("their total taxes grew by %(v)s%%"),
                                 _("their total taxes fell by %(v)s%%")))
    if StatisticKey.NEW_100B_ENTERPRISES in v:
        sentences.append(_("%(v)s new enterprises passed 10 billion yuan of revenue")
                         % {"v": figure(v[StatisticKey.NEW_100B_ENTERPRISES])})
    if StatisticKey.ENERGY_INTENSITY_CHANGE in v:
        sentences.append(_change(v[StatisticKey.ENERGY_INTENSITY_CHANGE],
                                 _("energy use per 10,000 yuan of industrial value added rose by %(v)s%%"),
                                 _("energy use per 10,000 yuan of industrial value added fell by %(v)s%%")))
    return sentences
