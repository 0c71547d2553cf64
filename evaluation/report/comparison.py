"""The report's comparison with the previous year: the sentence of the conclusion and the chart of the analysis
(the figures themselves come from ``evaluation.trends``)."""

from django.utils.translation import gettext as _

from core.charts import pair_chart
from core.money import format_wan

from .. import scoring
from ..formatting import count, number


def year_label(year):
    return _("Year %(year)s") % {"year": year}


def _total(trends):
    before, after = trends.years[-2].total, trends.years[-1].total
    return _("the total score went from %(before)s points last year to %(after)s points") % {
        "before": scoring.fmt(before), "after": scoring.fmt(after)}


def _moved(change, *, rise, fall, same, fmt):
    """The sentence for a Change by its direction (None: a year lacks the figure)."""
    if change.direction is None:
        return None
    text = {"rise": rise, "fall": fall, "same": same}[change.direction]
    return text % {"before": fmt(change.previous), "after": fmt(change.current), "delta": fmt(abs(change.delta))}


def sentences(trends):
    """The conclusion's comparison, in the order an evaluation report states it: total score, budget execution,
    supported enterprises, applications and awards, money paid."""
    parts = [_total(trends)]
    parts.append(_moved(
        trends.change("execution"), fmt=number,
        rise=_("the budget execution rate rose from %(before)s%% to %(after)s%%, up %(delta)s percentage points"),
        fall=_("the budget execution rate fell from %(before)s%% to %(after)s%%, down %(delta)s percentage points"),
        same=_("the budget execution rate was unchanged at %(after)s%%")))
    parts.append(_moved(
        trends.change("supported"), fmt=count,
        rise=_("the number of supported enterprises rose from %(before)s to %(after)s"),
        fall=_("the number of supported enterprises fell from %(before)s to %(after)s"),
        same=_("the number of supported enterprises was unchanged at %(after)s")))
    before, after = trends.years[-2], trends.years[-1]
    parts.append(_("%(applied)s applications were received (%(applied_before)s last year) and %(awarded)s were "
                   "awarded (%(awarded_before)s last year)")
                 % {"applied": after.applied, "applied_before": before.applied, "awarded": after.awarded,
                    "awarded_before": before.awarded})
    parts.append(_("%(paid)s (10,000 yuan) was paid out (%(before)s last year)")
                 % {"paid": format_wan(after.paid), "before": format_wan(before.paid)})
    return [part for part in parts if part]


def conclusion(trends):
    """'与上年相比，总分由上年的…分变为…分，预算执行率由…提高到…，…。'"""
    return _("Compared with the previous year, %(changes)s.") % {"changes": _("; ").join(sentences(trends))}


def chart(trends):
    """The points of each indicator level and the total, the previous year beside this one."""
    before, after = trends.years[-2].result, trends.years[-1].result
    previous = {level.level: level.points for level in before.levels}
    rows = [(level.label, scoring.fmt(previous.get(level.level, 0)), scoring.fmt(level.points))
            for level in after.levels]
    rows.append((_("Total score"), scoring.fmt(before.total.points), scoring.fmt(after.total.points)))
    return pair_chart(chart_title(), rows, legend=(year_label(trends.years[-2].year),
                                                   year_label(trends.years[-1].year)),
                      width=600, value_width=120)


def chart_title():
    return _("Points by indicator level, previous year and this year")


def build(trends):
    """What the report's template shows of a comparison, or None (a first year: nothing is said)."""
    if trends is None:
        return None
    return {"trends": trends, "conclusion": conclusion(trends), "chart": chart(trends), "chart_title": chart_title(),
            "before": trends.years[-2].year, "after": trends.years[-1].year}
